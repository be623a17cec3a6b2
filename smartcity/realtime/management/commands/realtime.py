"""``smartcity realtime …``: the live-update outbox and its NATS bus.

- ``prune --hours 24``: drop old outbox events (keeps rows the relay still owes
  to JetStream when NATS is configured).
- ``nats-setup [--skip-backlog] [--resend-minutes N]``: create or update the
  JetStream stream and print its state; optionally treat the existing outbox
  as relayed, or relay the last N minutes again.
- ``relay``: run the outbox → JetStream relay in the foreground (instead of, or
  next to, the thread in each application process; one is active at a time).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from smartcity.realtime.bus import BusSettings, bus_settings, connect, ensure_stream
from smartcity.realtime.services import mark_all_relayed, mark_unrelayed, prune_outbox


class Command(BaseCommand):
    help = "실시간 알림 대기열 관리 (The live-update outbox and its NATS bus)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        prune = sub.add_parser("prune", help="delete outbox events older than --hours")
        prune.add_argument("--hours", type=int, default=24)
        setup = sub.add_parser("nats-setup", help="create or update the JetStream stream")
        setup.add_argument(
            "--skip-backlog",
            action="store_true",
            help="treat the events already in the outbox as relayed (do not replay them)",
        )
        setup.add_argument(
            "--resend-minutes",
            type=int,
            default=0,
            help="relay the events of the last N minutes again (after NATS lost its tail)",
        )
        sub.add_parser("relay", help="relay committed outbox events to JetStream until stopped")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "prune":
            deleted = prune_outbox(
                older_than=dt.timedelta(hours=options["hours"]),
                keep_unrelayed=bus_settings() is not None,
            )
            self.stdout.write(f"pruned {deleted} outbox event(s) / 알림 {deleted}건 삭제")
            return
        cfg = bus_settings()
        if cfg is None:
            raise CommandError(
                "SMARTCITY_REALTIME_NATS_URL is not set / NATS 주소가 설정되지 않았습니다."
            )
        if action == "nats-setup":
            self._setup(
                cfg, skip_backlog=options["skip_backlog"], resend_minutes=options["resend_minutes"]
            )
        else:
            self._relay(cfg)

    def _setup(self, cfg: BusSettings, *, skip_backlog: bool, resend_minutes: int) -> None:
        async def setup() -> Any:
            nc = await connect(cfg, role="setup")
            try:
                return await ensure_stream(nc.jetstream(timeout=5), cfg)
            finally:
                await nc.close()

        try:
            info = asyncio.run(setup())
        except Exception as error:
            raise CommandError(f"NATS {cfg.url}: {error}") from error
        c, state = info.config, info.state
        storage = getattr(c.storage, "value", c.storage)
        self.stdout.write(
            f"stream {c.name}: subjects {', '.join(c.subjects or [])}; storage {storage}; "
            f"max age {float(c.max_age or 0) / 3600:g} h; duplicate window "
            f"{float(c.duplicate_window or 0):g} s; replicas {c.num_replicas}; "
            f"{state.messages} message(s), sequences {state.first_seq}–{state.last_seq}"
        )
        if skip_backlog:
            marked = mark_all_relayed()
            self.stdout.write(f"marked {marked} existing outbox event(s) as relayed")
        if resend_minutes > 0:
            since = timezone.now() - dt.timedelta(minutes=resend_minutes)
            queued = mark_unrelayed(since=since)
            self.stdout.write(f"queued {queued} outbox event(s) to be relayed again")

    def _relay(self, cfg: BusSettings) -> None:
        from smartcity.realtime.relay import Relay

        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        relay = Relay(cfg, stop=stop)
        self.stdout.write(f"relaying outbox → {cfg.url} stream {cfg.stream} as {cfg.node}")
        asyncio.run(relay.run())
        self.stdout.write(
            f"stopped: {relay.stats.published} published, {relay.stats.duplicates} duplicate(s)"
        )
