"""``smartcity audit verify | anchor``: check the audit log's keyed hash chain,
and publish its head outside the database (docs/adr/0011)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from smartcity.core.anchors import AnchorFileError, append_anchor, read_anchor
from smartcity.core.models import AuditEvent
from smartcity.core.selectors import AUDIT_CHAIN, audit_anchor, verify_audit_chain


class Command(BaseCommand):
    help = "감사 기록 체인을 검증합니다 (Verify the audit log's hash chain)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="verify the hash chain")
        verify.add_argument("--format", choices=["text", "json"], default="text")
        verify.add_argument(
            "--anchor", default="", help="a file written by 'audit anchor': its newest head "
            "must still be in the chain",
        )  # fmt: skip
        anchor = sub.add_parser("anchor", help="print (and append to a file) the chain's head")
        anchor.add_argument("--output", default="", help="append the anchor to this file")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            self._anchor(options["output"])
            return
        try:
            published = (
                read_anchor(options["anchor"], chain=AUDIT_CHAIN) if options["anchor"] else None
            )
        except AnchorFileError as exc:
            raise CommandError(str(exc)) from exc
        count = AuditEvent.objects.count()
        broken = verify_audit_chain(anchor=published)
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "rows": count,
                        "intact": broken is None,
                        "first_broken_row": None if broken is None else broken.row_id,
                        # In a group row (batched intake): which event, from 1.
                        "first_broken_event": None
                        if broken is None or broken.member is None
                        else broken.member + 1,
                        "reason": None if broken is None else broken.reason,
                        "expected_last_row": None if broken is None else broken.expected_last_id,
                    }
                )
            )
        if broken is not None:
            at = "" if broken.row_id is None else f" at row {broken.row_id}"
            raise CommandError(f"audit chain broken{at}: {broken.describe()}")
        if options["format"] == "text":
            self.stdout.write(f"audit chain intact: {count} rows / 감사 기록 체인 정상: {count}건")

    def _anchor(self, output: str) -> None:
        anchor = audit_anchor(at=timezone.now())
        if anchor is None:
            raise CommandError("the audit log is empty: nothing to anchor / 감사 기록이 없습니다.")
        if output:
            append_anchor(output, anchor)
        self.stdout.write(anchor.to_json())
