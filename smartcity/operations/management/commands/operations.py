"""``smartcity operations add-tenant CODE [--member CODE …] | add-member | remove-member |
members | tenants | issue-key | set-stream | demo``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.accounts.models import User
from smartcity.municipalities.models import Municipality
from smartcity.operations.choices import IntakeSource
from smartcity.operations.demo.daejeon import lay_daejeon_centre
from smartcity.operations.demo_traffic import lay_demo_traffic
from smartcity.operations.management.commands._tenants import tenant_by_code
from smartcity.operations.messages import refusal_message
from smartcity.operations.models import Camera, IntakeClient, OfficerCertification, Tenant
from smartcity.operations.selectors.centres import centre_memberships, current_member_codes
from smartcity.operations.services.agencies import certify_officer, create_agency
from smartcity.operations.services.cctv import import_cctv, set_camera_stream_endpoint
from smartcity.operations.services.intake import IncidentReport, receive_incident_report
from smartcity.operations.services.tenancy import (
    MembershipRefused,
    add_municipality,
    create_centre,
    create_tenant,
    issue_intake_client,
    remove_municipality,
    rotate_intake_client,
)

# (sender, event type, occurrence number, latitude, longitude, address): around 고양시청.
DEMO_REPORTS = [
    ("112", "112UC001", "DEMO-112-1", "37.6584", "126.8320", "경기도 고양시 덕양구 고양시청로 10"),
    ("119", "119UC001", "DEMO-119-1", "37.6762", "126.7490", "경기도 고양시 일산서구 주엽로 1"),
    ("WP1", "WPSSF110", "DEMO-WP1-1", "37.6587", "126.7701", "경기도 고양시 일산동구 중앙로 1286"),
]
DEMO_CCTV_HEADER = ",".join(
    [
        "WGS84위도",
        "WGS84경도",
        "소재지지번주소",
        "소재지도로명주소",
        "보관일수",
        "카메라대수",
        "관리기관명",
    ]
)


class Command(BaseCommand):
    help = "통합플랫폼 설정 (Tenants and intake keys of the integrated platform)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser(
            "add-tenant", help="open a centre run by a local government (and serving others)"
        )
        add.add_argument("municipality", help="the running local government, e.g. 41280")
        add.add_argument("--code", default="", help="centre code (default: the municipality code)")
        add.add_argument("--name", default="", help="centre name (Korean)")
        add.add_argument(
            "--member", action="append", default=[], metavar="CODE",
            help="another local government the centre serves (repeat: 41480 --member 41570)",
        )  # fmt: skip
        add.add_argument(
            "--move", action="store_true", help="take members another centre serves (history kept)"
        )
        member = sub.add_parser("add-member", help="a centre starts serving a local government")
        member.add_argument("--tenant", required=True)
        member.add_argument("municipality", help="5-digit code")
        member.add_argument(
            "--move", action="store_true", help="move it from the centre serving it now"
        )
        leave = sub.add_parser("remove-member", help="a centre stops serving a local government")
        leave.add_argument("--tenant", required=True)
        leave.add_argument("municipality", help="5-digit code")
        members = sub.add_parser("members", help="who a centre serves, now and before")
        members.add_argument("--tenant", required=True)
        sub.add_parser("tenants", help="list centres and the local governments they serve")
        key = sub.add_parser("issue-key", help="issue an API key for a sending system")
        key.add_argument("--tenant", required=True)
        key.add_argument("--source", required=True, choices=IntakeSource.values)
        key.add_argument("--name", required=True, help="e.g. 경기북부경찰청 112치안종합상황실")
        stream = sub.add_parser("set-stream", help="set a camera's VMS stream endpoint (secret)")
        stream.add_argument("--tenant", required=True)
        stream.add_argument("key", help="the camera's key (mn:관리번호 or h:…)")
        stream.add_argument("endpoint", help="rtsp://… (empty string to clear)")
        demo = sub.add_parser(
            "demo",
            help="a 고양시 centre with three sample incidents and a Daejeon cloud centre with "
            "real cameras, a robbery and video grants (not in production)",
        )
        demo.add_argument(
            "--issue-key", action="store_true",
            help="issue a fresh 112 key for the Daejeon demo centre and print it once",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add-tenant":
            try:
                tenant = create_centre(
                    seat_code=options["municipality"],
                    member_codes=[options["municipality"], *options["member"]],
                    code=options["code"],
                    name_ko=options["name"],
                    move=options["move"],
                )
            except Municipality.DoesNotExist as exc:
                raise CommandError(f"unknown municipality: {options['municipality']}") from exc
            except MembershipRefused as exc:
                raise CommandError(refusal_message(exc.code, exc.params)) from exc
            members = " ".join(current_member_codes(tenant.pk))
            self.stdout.write(f"tenant {tenant.code}: {tenant.name_ko} ({members})")
        elif action in ("add-member", "remove-member"):
            self._membership(action, options)
        elif action == "members":
            tenant = tenant_by_code(options["tenant"])
            for m in centre_memberships(tenant):
                until = m.left_at.isoformat() if m.left_at else "now"
                self.stdout.write(
                    f"{m.municipality.code} {m.municipality.full_name_ko}: "
                    f"{m.joined_at.isoformat()} .. {until}"
                )
        elif action == "demo":
            self._demo()
            self._daejeon(options["issue_key"])
        elif action == "tenants":
            for t in Tenant.objects.select_related("municipality"):
                state = "" if t.is_active else " (inactive)"
                members = ",".join(current_member_codes(t.pk)) or "-"
                self.stdout.write(
                    f"{t.code:10} {t.municipality.code} {t.name_ko}{state} [{members}]"
                )
        elif action == "issue-key":
            tenant = tenant_by_code(options["tenant"])
            client, raw = issue_intake_client(
                tenant=tenant, name=options["name"], source=options["source"]
            )
            self.stdout.write(json.dumps({"client": client.pk, "api_key": raw}, ensure_ascii=False))
            self.stderr.write(
                "store the key now: it is not shown again / 키는 다시 보여 주지 않습니다"
            )
        else:
            tenant = tenant_by_code(options["tenant"])
            camera = Camera.objects.filter(tenant=tenant, key=options["key"]).first()
            if camera is None:
                raise CommandError(f"no camera {options['key']} in tenant {tenant.code}")
            try:
                set_camera_stream_endpoint(camera=camera, endpoint=options["endpoint"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"stream endpoint {'set' if options['endpoint'] else 'cleared'}")

    def _membership(self, action: str, options: dict[str, Any]) -> None:
        tenant = tenant_by_code(options["tenant"])
        code = options["municipality"]
        try:
            if action == "add-member":
                add_municipality(tenant=tenant, municipality_code=code, move=options["move"])
            else:
                remove_municipality(tenant=tenant, municipality_code=code)
        except MembershipRefused as exc:
            raise CommandError(refusal_message(exc.code, exc.params)) from exc
        members = " ".join(current_member_codes(tenant.pk)) or "-"
        self.stdout.write(f"tenant {tenant.code} serves: {members}")

    def _demo(self) -> None:
        """The demo login ``operator`` works for 고양시's centre (``smartcity demo load``)."""
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("demo data is never loaded in production")
        tenant = create_tenant(municipality_code="41280")
        now = dt.datetime.now(dt.UTC)
        for n, (source, event_type, number, lat, lon, address) in enumerate(DEMO_REPORTS):
            client = IntakeClient.objects.filter(tenant=tenant, name=f"데모 {source}").first()
            if client is None:
                client, _ = issue_intake_client(tenant=tenant, name=f"데모 {source}", source=source)
            report = IncidentReport(
                event_type=event_type, external_id=number, address=address,
                occurred_at=now - dt.timedelta(minutes=10 * (n + 1)),
                latitude=Decimal(lat), longitude=Decimal(lon),
                case_type="강도" if source == "112" else "",
            )  # fmt: skip
            receive_incident_report(
                client=client, idempotency_key=number, report=report, request_hash=number
            )
        self.stdout.write(f"demo centre {tenant.code}: {len(DEMO_REPORTS)} sample incident(s)")
        if not Camera.objects.filter(tenant=tenant).exists():
            # Three cameras around each sample incident, so a grant has video to
            # share (scripts/serve points them at the camera simulator).
            rows = [DEMO_CCTV_HEADER]
            for _s, _e, _n, lat, lon, address in DEMO_REPORTS:
                offsets = (("0.0003", "0"), ("0", "0.0004"), ("-0.0005", "-0.0002"))
                for k, (dlat, dlon) in enumerate(offsets, start=1):
                    rows.append(
                        f"{Decimal(lat) + Decimal(dlat)},{Decimal(lon) + Decimal(dlon)},,"
                        f"{address} 주변 {k},30,1,고양시청"
                    )
            result = import_cctv(
                tenant=tenant, data="\n".join(rows).encode(), file_name="demo_cctv.csv"
            )
            self.stdout.write(f"demo cameras: {result.accepted}")
        police = User.objects.filter(username="police", role=Role.AGENCY_OFFICER).first()
        if police is not None and police.organisation is not None:
            agency = create_agency(
                code="demo-112-gyeonggi-north", name_ko=police.organisation.name_ko,
                kind=OrganisationKind.POLICE, organisation=police.organisation, tenants=[tenant],
            )  # fmt: skip
            if not OfficerCertification.objects.filter(officer=police, agency=agency).exists():
                certify_officer(agency=agency, officer=police, note="demo")
            self.stdout.write(f"demo agency {agency.code}: linked, officer 'police' certified")
        operator = User.objects.filter(username="operator").first()
        self.stdout.write(lay_demo_traffic(tenant=tenant, police=police, operator=operator))

    def _daejeon(self, issue_key: bool) -> None:
        """The Daejeon cloud centre: real cameras, a robbery, police and fire grants."""
        users = {u.username: u for u in User.objects.filter(
            username__in=["daejeon", "police-daejeon", "fire"], is_active=True
        )}  # fmt: skip
        demo = lay_daejeon_centre(
            operator=users.get("daejeon"), police=users.get("police-daejeon"),
            fire=users.get("fire"),
        )  # fmt: skip
        self.stdout.write(
            f"demo centre {demo.tenant.code}: {demo.cameras} real camera(s), robbery "
            f"#{demo.robbery.pk} ({demo.robbery.case_type}), {len(demo.grants)} running grant(s)"
        )
        if not issue_key:
            return
        name = "데모 112 연계 시스템 (scripts/serve)"
        client = IntakeClient.objects.filter(tenant=demo.tenant, name=name, is_active=True).first()
        if client is None:
            _client, raw = issue_intake_client(tenant=demo.tenant, name=name, source="112")
        else:
            _client, raw = rotate_intake_client(client=client)
        self.stdout.write(
            f"sending-system key for {demo.tenant.code} (112), shown once / "
            f"연계 시스템 키(한 번만 보여 줍니다): {raw}"
        )
