"""``smartcity incidents list [--tenant CODE] [--status 10] [--open] --format json``
and ``smartcity incidents auto-close --idle-hours 24``."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from smartcity.operations.management.commands._tenants import tenant_by_code
from smartcity.operations.selectors.incidents import incident_rows
from smartcity.operations.services.incidents import auto_close_idle_incidents


class Command(BaseCommand):
    help = "상황 (Incidents of the integrated platform)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="incidents, newest first")
        listing.add_argument("--tenant", default="", help="tenant code (default: all tenants)")
        listing.add_argument("--status", default="", help="progress status code, e.g. 10")
        listing.add_argument("--open", action="store_true", help="only incidents not closed")
        listing.add_argument("--limit", type=int, default=1_000)
        listing.add_argument("--format", choices=["text", "json"], default="text")
        close = sub.add_parser("auto-close", help="close (92) incidents idle for --idle-hours")
        close.add_argument("--idle-hours", type=int, default=24)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "auto-close":
            closed = auto_close_idle_incidents(idle_for=dt.timedelta(hours=options["idle_hours"]))
            self.stdout.write(f"auto-closed {closed} incident(s) / {closed}건 자동종료")
            return
        code = options["tenant"]
        rows = incident_rows(
            tenant_code=tenant_by_code(code).code if code else "",
            status=options["status"],
            open_only=options["open"],
            limit=options["limit"],
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{len(rows)} incident(s)")
        for r in rows:
            self.stdout.write(
                f"#{r['id']:<6} {r['tenant']:8} {r['event_type']:9} {r['grade']} {r['status']} "
                f"{r['occurred_at']}  {r['address']}"
            )
