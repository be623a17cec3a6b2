"""``smartcity realtime prune --hours 24``: drop old outbox events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from smartcity.realtime.services import prune_outbox


class Command(BaseCommand):
    help = "실시간 알림 대기열 관리 (The live-update outbox)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        prune = sub.add_parser("prune", help="delete outbox events older than --hours")
        prune.add_argument("--hours", type=int, default=24)

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = prune_outbox(older_than=dt.timedelta(hours=options["hours"]))
        self.stdout.write(f"pruned {deleted} outbox event(s) / 알림 {deleted}건 삭제")
