"""``smartcity intake-broker``: take incident reports from the broker.

Reads ``<prefix>.intake.in.>`` on the installation's JetStream stream (the
``SMARTCITY_REALTIME_NATS_*`` settings) with a durable consumer, stores each
message's events through the group writer and acknowledges the message only
after their group committed; the results go to
``<prefix>.intake.results.<sender>`` (docs/adr/0024). Runs until SIGINT or
SIGTERM; several may run at once (they share the durable consumer).
"""

from __future__ import annotations

import asyncio
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from smartcity.operations.domain.broker_subjects import intake_wildcard
from smartcity.operations.intake_broker import IntakeConsumer
from smartcity.operations.intake_writer import group_writer
from smartcity.realtime.bus import bus_settings


class Command(BaseCommand):
    help = "브로커 접수 (Take incident reports from NATS JetStream until stopped)."

    def handle(self, *args: Any, **options: Any) -> None:
        cfg = bus_settings()
        if cfg is None:
            raise CommandError(
                "SMARTCITY_REALTIME_NATS_URL is not set / NATS 주소가 설정되지 않았습니다."
            )
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())

        def announce() -> None:
            self.stdout.write(
                f"taking reports from {intake_wildcard(cfg.prefix)} on {cfg.url} "
                f"(stream {cfg.stream}, consumer {consumer.durable})"
            )
            self.stdout.flush()

        consumer = IntakeConsumer(cfg, stop=stop, on_ready=announce)
        try:
            asyncio.run(consumer.run())
        except OSError as error:
            raise CommandError(f"NATS {cfg.url}: {error}") from error
        finally:
            group_writer().stop()
        s = consumer.stats
        self.stdout.write(
            f"stopped: {s.messages} message(s), {s.events_stored} event(s) stored, "
            f"{s.refused} refused, {s.retried} to be delivered again"
        )
