"""``smartcity certification remind [--date YYYY-MM-DD]`` and
``smartcity certification rebuild-summary`` (the dashboard's yearly results
summary, recomputed from the results: after a bulk import or a restore)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from smartcity.certification.services.extension import send_expiry_reminders
from smartcity.certification.services.summary import rebuild_result_summary


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "스마트도시 인증 절차 (Certification workflow tasks)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser(
            "remind", help="remind holders of certificates expiring within the reminder window"
        )
        remind.add_argument("--date", default="", help="YYYY-MM-DD (default: today)")
        sub.add_parser(
            "rebuild-summary",
            help="recompute the dashboard's yearly results summary from the results",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild-summary":
            counted = rebuild_result_summary()
            self.stdout.write(f"{counted} result(s) summarised / 결과 {counted}건을 요약했습니다")
            return
        day = _date(options["date"]) if options["date"] else timezone.localdate()
        run = send_expiry_reminders(today=day)
        self.stdout.write(
            f"{len(run.certificates)} certificate(s) expiring, {run.notices} new notice(s) "
            f"on {day.isoformat()} / 만료 예정 인증서 {len(run.certificates)}건, "
            f"새 알림 {run.notices}건"
        )
        for certificate in run.certificates:
            self.stdout.write(
                f"{certificate.number} {certificate.subject.name} → "
                f"{certificate.valid_until.isoformat()}"
            )
