"""``smartcity audit verify``: check the audit log's hash chain."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcity.core.models import AuditEvent
from smartcity.core.selectors import verify_audit_chain


class Command(BaseCommand):
    help = "감사 기록 체인을 검증합니다 (Verify the audit log's hash chain)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the hash chain")
        verify.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        count = AuditEvent.objects.count()
        broken = verify_audit_chain()
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "rows": count,
                        "intact": broken is None,
                        "first_broken_row": None if broken is None else broken.row_id,
                        "reason": None if broken is None else broken.reason,
                    }
                )
            )
        if broken is not None:
            raise CommandError(
                f"audit chain broken at row {broken.row_id} ({broken.reason}); "
                f"감사 기록 체인이 {broken.row_id}번 행에서 깨졌습니다."
            )
        if options["format"] == "text":
            self.stdout.write(f"audit chain intact: {count} rows / 감사 기록 체인 정상: {count}건")
