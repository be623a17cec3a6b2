"""``smartcity linkage add-agency | link | certify | expire | report | export-log |
verify-log | anchor-log | prune-log |
purge-carrier | serve | simulate``: the five safety-net linkage services' administration
and the legacy socket adapter (``serve``, ``simulate``: ``operations.legacy``)."""

from __future__ import annotations

import csv
import dataclasses
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from smartcity.accounts.models import User
from smartcity.accounts.services import create_organisation
from smartcity.core.anchors import AnchorFileError, append_anchor, read_anchor
from smartcity.operations.choices import AgencyKindChoice
from smartcity.operations.domain.access_review import month_bounds
from smartcity.operations.legacy import cli as legacy_cli
from smartcity.operations.management.commands._tenants import tenant_by_code
from smartcity.operations.models import Agency
from smartcity.operations.selectors.linkage import (
    ACCESS_CHAIN,
    CSV_HEADER,
    access_entries,
    access_log_anchor,
    csv_rows,
    review_for_month,
    verify_access_log,
)
from smartcity.operations.services.agencies import certify_officer, create_agency, link_agency
from smartcity.operations.services.situations import purge_carrier_data
from smartcity.operations.services.video.expiry import expire_grants
from smartcity.operations.services.video_log import prune_access_log


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise CommandError(f"unknown agency: {code} (smartcity linkage add-agency)")
    return agency


class Command(BaseCommand):
    help = "5대 안전망 연계 서비스 관리 (Agencies, certified officers, video grants, access log)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add-agency", help="register a police/fire/disaster-room agency")
        add.add_argument("code")
        add.add_argument("--kind", required=True, choices=AgencyKindChoice.values)
        add.add_argument("--name", required=True, help="e.g. 경기북부경찰청 112치안종합상황실")
        add.add_argument("--tenant", action="append", default=[], help="linked tenant (repeat)")
        link = sub.add_parser("link", help="link an agency to a tenant")
        link.add_argument("--agency", required=True)
        link.add_argument("--tenant", required=True)
        link.add_argument("--unlink", action="store_true")
        certify = sub.add_parser("certify", help="certify an officer to receive video")
        certify.add_argument("username")
        certify.add_argument("--agency", required=True)
        certify.add_argument("--days", type=int, default=None)
        sub.add_parser("expire", help="end grants whose session ran out (run every minute)")
        report = sub.add_parser("report", help="the monthly review of the video access log")
        report.add_argument("--month", default="", help="YYYY-MM (default: this month)")
        report.add_argument("--tenant", default="")
        report.add_argument("--format", choices=["text", "json"], default="text")
        export = sub.add_parser("export-log", help="the access log as CSV on stdout")
        export.add_argument("--month", default="")
        export.add_argument("--tenant", default="")
        verify = sub.add_parser("verify-log", help="check the access log's hash chain")
        verify.add_argument(
            "--anchor", default="", help="a file written by 'linkage anchor-log': its newest "
            "head must still be in the chain",
        )  # fmt: skip
        anchor = sub.add_parser("anchor-log", help="print (and append to a file) the log's head")
        anchor.add_argument("--output", default="", help="append the anchor to this file")
        sub.add_parser("prune-log", help="delete entries older than the retention period")
        sub.add_parser(
            "purge-carrier",
            help="delete vulnerable-person personal data of cases closed longer than the "
            "retention (OPERATIONS_CARRIER_RETENTION_HOURS); run hourly",
        )
        legacy_cli.add_serve_parser(sub)
        legacy_cli.add_simulate_parser(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action in {"serve", "simulate"}:
            run = legacy_cli.serve if action == "serve" else legacy_cli.simulate
            run(options, self.stdout)
            return
        month = options.get("month") or timezone.localtime().strftime("%Y-%m")
        single = options.get("tenant") if action in {"report", "export-log"} else ""
        tenant = tenant_by_code(single) if single else None
        if action == "add-agency":
            organisation = create_organisation(name_ko=options["name"], kind=options["kind"])
            try:
                agency = create_agency(
                    code=options["code"], name_ko=options["name"], kind=options["kind"],
                    organisation=organisation,
                    tenants=[tenant_by_code(code) for code in options["tenant"]],
                )  # fmt: skip
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"agency {agency.code}: {agency.name_ko}")
        elif action == "link":
            link_agency(
                agency=_agency(options["agency"]), tenant=tenant_by_code(options["tenant"]),
                linked=not options["unlink"],
            )  # fmt: skip
            self.stdout.write("unlinked" if options["unlink"] else "linked")
        elif action == "certify":
            officer = User.objects.filter(username=options["username"]).first()
            if officer is None:
                raise CommandError(f"unknown user: {options['username']}")
            try:
                cert = certify_officer(
                    agency=_agency(options["agency"]), officer=officer, days=options["days"]
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"certified until {cert.expires_at.isoformat()}")
        elif action == "expire":
            self.stdout.write(json.dumps({"ended": expire_grants()}))
        elif action == "report":
            self._report(month, tenant, options["format"])
        elif action == "export-log":
            start, end = month_bounds(month, timezone.get_current_timezone())
            writer = csv.writer(self.stdout)
            writer.writerow(CSV_HEADER)
            for row in csv_rows(access_entries(tenant=tenant, start=start, end=end)):
                writer.writerow(row)
        elif action == "verify-log":
            self._verify_log(options["anchor"])
        elif action == "anchor-log":
            published = access_log_anchor(at=timezone.now())
            if published is None:
                raise CommandError("the access log is empty: nothing to anchor / 기록이 없습니다.")
            if options["output"]:
                append_anchor(options["output"], published)
            self.stdout.write(published.to_json())
        elif action == "purge-carrier":
            self.stdout.write(json.dumps({"purged": purge_carrier_data()}))
        else:
            self.stdout.write(json.dumps({"deleted": prune_access_log()}))

    def _verify_log(self, anchor_file: str) -> None:
        try:
            published = read_anchor(anchor_file, chain=ACCESS_CHAIN) if anchor_file else None
        except AnchorFileError as exc:
            raise CommandError(str(exc)) from exc
        broken = verify_access_log(anchor=published)
        if broken is not None:
            at = "" if broken.row_id is None else f" at entry {broken.row_id}"
            raise CommandError(f"access log chain broken{at}: {broken.describe()}")
        self.stdout.write("access log chain intact / 영상 열람 기록 체인 정상")

    def _report(self, month: str, tenant: Any, fmt: str) -> None:
        review = review_for_month(month, tenant=tenant)
        if fmt == "json":
            data = dataclasses.asdict(review)
            data["needs_attention"] = review.needs_attention
            self.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=2))
            return
        self.stdout.write(
            f"{month}: {review.attempts} attempts, {review.views} views, "
            f"{review.refused} refused, {len(review.break_glass)} break-glass"
        )
        for line in review.officers:
            self.stdout.write(
                f"  {line.officer or '-':20} {line.agency:30} views {line.views:5} "
                f"refused {line.refused:4} break-glass {line.break_glass}"
            )
        for entry in review.break_glass:
            self.stdout.write(
                f"  BREAK-GLASS {entry.at.isoformat()} {entry.officer} incident {entry.incident_id}"
            )
        for flag in review.flags:
            self.stdout.write(f"  FLAG {flag}")
