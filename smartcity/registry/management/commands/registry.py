"""``smartcity registry import-decisions FILE.csv | status --on YYYY-MM-DD``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from smartcity.registry.messages import describe_row_error
from smartcity.registry.selectors import status_rows
from smartcity.registry.services import import_decisions


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "스마트도시 인증 현황 (The public certification registry)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-decisions", help="import certification decisions (CSV)")
        imp.add_argument("file", type=Path)
        status = sub.add_parser("status", help="certifications valid on a date")
        status.add_argument("--on", dest="on", default="", help="YYYY-MM-DD (default: today)")
        status.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import-decisions":
            self._import(options["file"])
        else:
            day = _date(options["on"]) if options["on"] else timezone.localdate()
            self._status(day, options["format"])

    def _import(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"file not found: {path}")
        result = import_decisions(data=path.read_bytes(), file_name=path.name)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(describe_row_error(error))
            raise CommandError(
                f"{len(result.errors)} error(s); nothing imported / 오류 {len(result.errors)}건, "
                "아무것도 가져오지 않았습니다"
            )
        self.stdout.write(
            f"imported {result.created} decision(s), {result.unchanged} already in the registry "
            f"/ 결정 {result.created}건 추가, {result.unchanged}건은 이미 등록됨"
        )

    def _status(self, day: dt.date, fmt: str) -> None:
        rows = status_rows(day)
        if fmt == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{len(rows)} certification(s) valid on {day.isoformat()}")
        for row in rows:
            self.stdout.write(
                f"{row['kind']:8} {row['subject_code']:5} {row['subject']:<24} "
                f"{row['size_class']:12} {row['granted_by']:9} {row['valid_from']} → "
                f"{row['valid_until']}"
            )
