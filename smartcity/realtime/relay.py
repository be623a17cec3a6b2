"""The relay: committed outbox rows into NATS JetStream, at least once.

The outbox stays the transactional truth — ``publish()`` writes a row in the
caller's transaction. The relay reads rows JetStream has not acknowledged yet
(``relayed_at IS NULL``, in id order), publishes each with ``Nats-Msg-Id`` =
its outbox id, waits for JetStream's acknowledgement, then stamps
``relayed_at``. A crash between the acknowledgement and the stamp re-sends
those rows; JetStream drops a message id it stored within the stream's
duplicate window (``REALTIME_NATS_DUPLICATE_WINDOW_SECONDS``) and every hub
drops an outbox id it already delivered. So: at least once into JetStream,
exactly once per id within the window, and no row left behind — a row that
commits late (PostgreSQL sequences) is still unstamped and is picked up then.

One active relay per database: on PostgreSQL the relay holds a session
advisory lock (keyed by the stream name) on its own connection; relays in the
other processes wait and take over within about a second when its holder
dies (the lock goes with its connection). Should two ever publish at once
(SQLite, where there is no lock; or a lock connection lost mid-batch), the
duplicates are harmless for the reasons above, only wasted work.

Where it runs: a daemon thread in every application process
(``config/asgi.py`` starts it when NATS is configured and
``REALTIME_NATS_RELAY_IN_PROCESS`` is on), or ``smartcity realtime relay``
as its own process. The thread runs an asyncio loop for the NATS client;
database work goes to one dedicated thread so the lock and the ``LISTEN``
connection stay on the connection that took them.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections

from smartcity.realtime.bus import BusSettings, bus_settings, connect, encode_event, ensure_stream
from smartcity.realtime.listener import PgListener
from smartcity.realtime.selectors import OutboxRow, unrelayed_events
from smartcity.realtime.services import mark_relayed

logger = logging.getLogger(__name__)

T = TypeVar("T")

BATCH = 500
PUBLISH_TIMEOUT_S = 5.0
STANDBY_RETRY_S = 1.0
ERROR_RETRY_S = 1.0
PG_FALLBACK_S = 1.0


class RelayError(RuntimeError):
    """Some rows of a batch were not acknowledged (they stay queued)."""


@dataclass
class RelayStats:
    published: int = 0
    duplicates: int = 0
    """Acknowledged as duplicates: JetStream already held that message id."""
    batches: int = 0


def lock_key(stream: str) -> int:
    """The advisory-lock key of a stream's relay (a signed 64-bit integer)."""
    digest = hashlib.sha256(f"smartcity-relay:{stream}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class Relay:
    """Moves committed outbox rows into JetStream until ``stop`` is set."""

    def __init__(
        self, cfg: BusSettings, *, stop: threading.Event | None = None, batch: int = BATCH
    ) -> None:
        self.cfg = cfg
        self.stop = stop or threading.Event()
        self.batch = batch
        self.stats = RelayStats()
        self.leader = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="realtime-relay-db")
        self._listener: PgListener | None = None
        self._poll_s = max(0.005, getattr(settings, "REALTIME_POLL_MS", 100) / 1000.0)

    # --- database side (always on the one executor thread) ---------------------------------

    async def db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: fn(*args, **kwargs))

    def _take_lead(self) -> bool:
        if self.leader:
            return True
        connection = connections["default"]
        if connection.vendor != "postgresql":
            self.leader = True  # no lock on SQLite: duplicates are harmless
            return True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_key(self.cfg.stream)])
            row = cursor.fetchone()
        self.leader = bool(row and row[0])
        if self.leader:
            logger.info("realtime relay %s: active for stream %s", self.cfg.node, self.cfg.stream)
        return self.leader

    def _wait_for_work(self) -> None:
        if connections["default"].vendor != "postgresql":
            self.stop.wait(self._poll_s)
            return
        if self._listener is None:
            self._listener = PgListener()
        self._listener.wait(self.stop, PG_FALLBACK_S)

    def _reset_db(self) -> None:
        """Drop every connection (and with it the lock): the next pass starts clean."""
        self.leader = False
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        connections.close_all()

    # --- one pass -----------------------------------------------------------------------------

    async def publish_rows(
        self, js: Any, rows: list[OutboxRow]
    ) -> tuple[list[int], list[BaseException]]:
        """Publish ``rows`` and wait for JetStream; returns the acknowledged ids
        (not yet stamped) and the failures."""

        async def one(row: OutboxRow) -> Any:
            subject, body, headers = encode_event(
                self.cfg, id=row.id, channel=row.channel, kind=row.kind, payload=row.payload
            )
            return await js.publish(
                subject, body, timeout=PUBLISH_TIMEOUT_S, stream=self.cfg.stream, headers=headers
            )

        # Scheduled in id order on one connection: JetStream stores them in that order.
        results = await asyncio.gather(*(one(row) for row in rows), return_exceptions=True)
        acked: list[int] = []
        failures: list[BaseException] = []
        for row, result in zip(rows, results, strict=True):
            if isinstance(result, BaseException):
                failures.append(result)
                continue
            acked.append(row.id)
            self.stats.published += 1
            self.stats.duplicates += bool(getattr(result, "duplicate", False))
        return acked, failures

    async def relay_pending(self, js: Any) -> int:
        """Relay every queued row (in batches); returns how many were acknowledged."""
        total = 0
        while not self.stop.is_set():
            rows = await self.db(unrelayed_events, limit=self.batch)
            if not rows:
                return total
            acked, failures = await self.publish_rows(js, rows)
            if acked:
                await self.db(mark_relayed, ids=acked)
            self.stats.batches += 1
            total += len(acked)
            if failures:
                first = failures[0]
                raise RelayError(
                    f"{len(failures)} of {len(rows)} outbox rows not acknowledged: {first!r}"
                ) from first
            if len(rows) < self.batch:
                return total
        return total

    # --- the loop -----------------------------------------------------------------------------

    async def _sleep(self, seconds: float) -> None:
        await self.db(self.stop.wait, seconds)

    async def run(self) -> None:
        """Relay until ``stop``: reconnects to NATS and the database for ever."""
        try:
            while not self.stop.is_set():
                nc: Any = None
                try:
                    nc = await connect(self.cfg, role="relay")
                    js = nc.jetstream(timeout=PUBLISH_TIMEOUT_S)
                    await ensure_stream(js, self.cfg)
                    while not self.stop.is_set():
                        if not await self.db(self._take_lead):
                            await self._sleep(STANDBY_RETRY_S)
                            continue
                        if await self.relay_pending(js) == 0:
                            await self.db(self._wait_for_work)
                except Exception as error:
                    logger.warning(
                        "realtime relay %s: %s; retrying in %.0f s", self.cfg.node, error,
                        ERROR_RETRY_S,
                    )  # fmt: skip
                    await self.db(self._reset_db)
                    await self._sleep(ERROR_RETRY_S)
                finally:
                    if nc is not None:
                        with contextlib.suppress(Exception):
                            await nc.close()
        finally:
            await self.db(self._reset_db)
            self._executor.shutdown(wait=True)


class RelayThread(threading.Thread):
    """A :class:`Relay` on its own thread and event loop."""

    def __init__(self, cfg: BusSettings) -> None:
        super().__init__(name="realtime-relay", daemon=True)
        self.relay = Relay(cfg)

    def run(self) -> None:
        asyncio.run(self.relay.run())

    def stop(self, timeout: float = 10.0) -> None:
        self.relay.stop.set()
        self.join(timeout)


_process_relay: RelayThread | None = None
_process_lock = threading.Lock()


def start_relay_thread() -> RelayThread | None:
    """Start this process's relay thread if NATS is configured and the relay
    runs in-process (idempotent); ``None`` otherwise."""
    global _process_relay
    cfg = bus_settings()
    if cfg is None or not cfg.relay_in_process:
        return None
    with _process_lock:
        if _process_relay is None or not _process_relay.is_alive():
            _process_relay = RelayThread(cfg)
            _process_relay.start()
        return _process_relay
