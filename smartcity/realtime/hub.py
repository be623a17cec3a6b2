"""The in-process hub: one outbox reader per process, fanned out to SSE streams.

Why one reader: a thousand open situation boards must not mean a thousand
database polls. Each process (uvicorn worker) runs one *worker thread* that
reads new outbox rows — woken by PostgreSQL ``NOTIFY`` (sent by ``publish``
at commit) or, on SQLite, every ``REALTIME_POLL_MS`` — encodes each event as an
SSE frame once, and hands the batch to the event loop, which puts it on the
queue of every subscriber of the event's channel. Several processes each run
their own reader; the outbox table is what they share. With NATS configured
(several nodes, ``REALTIME_NATS_URL``) the reader follows the JetStream stream
the relay fills instead (``bus_worker``); the table still serves a
reconnecting client's backlog.

Why a thread and not ``sync_to_async``: the reader keeps one database
connection (plus one LISTEN connection on PostgreSQL) for its whole life and
closes them when it stops; Django's shared executor would leave connections on
whichever pool thread ran the query. The worker starts with the first
subscriber and stops with the last.

Slow consumers: a subscriber's queue holds ``QUEUE_LIMIT`` events; when it is
full the subscription is closed after draining, and the browser's
EventSource reconnects with ``Last-Event-ID`` and catches up from the outbox.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
import weakref
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass
from typing import Any, Protocol

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections

from smartcity.realtime.domain.cursor import OutboxCursor
from smartcity.realtime.listener import PgListener as _Listener
from smartcity.realtime.selectors import (
    OutboxRow,
    channel_backlog,
    events_after,
    latest_event_id,
)

logger = logging.getLogger(__name__)

QUEUE_LIMIT = 1_000
BACKLOG_LIMIT = 500
POLL_BATCH = 1_000
READY_TIMEOUT_S = 10.0
PG_FALLBACK_S = 1.0
"""On PostgreSQL the reader also polls this often, in case a notification was
lost (e.g. the LISTEN connection was re-opened)."""


@dataclass(frozen=True, slots=True)
class Event:
    """One outbox event, with its SSE frame encoded once for every subscriber."""

    id: int
    channel: str
    kind: str
    frame: bytes


RESET = Event(0, "", "reset", b"event: reset\ndata: {}\n\n")
"""Sent when a reconnecting client missed more than the outbox still holds."""


def encode_frame(event_id: int, kind: str, payload: Any) -> bytes:
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    return f"id: {event_id}\nevent: {kind}\ndata: {data}\n\n".encode()


def event_from_row(row: OutboxRow) -> Event:
    return Event(row.id, row.channel, row.kind, encode_frame(row.id, row.kind, row.payload))


class Subscription:
    def __init__(self, channels: Collection[str]) -> None:
        self.channels = frozenset(channels)
        self.queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_LIMIT)
        self.overflowed = False


class HubWorker(Protocol):
    """The thread that feeds a hub: the outbox reader, or the NATS reader."""

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def join(self, timeout: float | None = None) -> None: ...


def _new_worker(hub: Hub) -> HubWorker:
    """The table reader, or — with ``REALTIME_NATS_URL`` set — the stream
    reader (then the table is read only for a reconnecting client's backlog)."""
    from smartcity.realtime.bus import bus_settings

    cfg = bus_settings()
    if cfg is None:
        return _Worker(hub)
    from smartcity.realtime.bus_worker import BusWorker

    return BusWorker(hub, cfg)


class Hub:
    """Subscribers of one event loop, and the worker thread that feeds them."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._by_channel: dict[str, set[Subscription]] = {}
        self._count = 0
        self._worker: HubWorker | None = None
        self._ready = asyncio.Event()

    @property
    def subscriber_count(self) -> int:
        return self._count

    def add(self, subscription: Subscription) -> None:
        for channel in subscription.channels:
            self._by_channel.setdefault(channel, set()).add(subscription)
        self._count += 1
        if self._worker is None:
            self._ready.clear()
            self._worker = _new_worker(self)
            self._worker.start()

    def remove(self, subscription: Subscription) -> HubWorker | None:
        """Unregister; returns the worker if this was the last subscriber (it is
        stopping and the caller may wait for it to close its connections)."""
        for channel in subscription.channels:
            members = self._by_channel.get(channel)
            if members is not None:
                members.discard(subscription)
                if not members:
                    del self._by_channel[channel]
        self._count -= 1
        if self._count == 0 and self._worker is not None:
            worker, self._worker = self._worker, None
            worker.stop()
            return worker
        return None

    async def wait_ready(self) -> None:
        await asyncio.wait_for(self._ready.wait(), READY_TIMEOUT_S)

    # Called on the loop's thread through call_soon_threadsafe.
    def _mark_ready(self, worker: HubWorker) -> None:
        if worker is self._worker:
            self._ready.set()

    def _dispatch(self, worker: HubWorker, events: list[Event]) -> None:
        if worker is not self._worker:
            return  # a stopped worker's last batch: nobody listens to it
        for event in events:
            for subscription in self._by_channel.get(event.channel, ()):
                if subscription.overflowed:
                    continue
                try:
                    subscription.queue.put_nowait(event)
                except asyncio.QueueFull:
                    subscription.overflowed = True


class _Worker(threading.Thread):
    """Reads the outbox and posts new events to the hub's loop."""

    def __init__(self, hub: Hub) -> None:
        super().__init__(name="realtime-outbox-reader", daemon=True)
        self._hub = hub
        self._loop = hub._loop
        self._stop_event = threading.Event()
        self._poll_s = max(0.005, getattr(settings, "REALTIME_POLL_MS", 100) / 1000.0)

    def stop(self) -> None:
        self._stop_event.set()

    def run(self) -> None:
        listener: _Listener | None = None
        cursor: OutboxCursor | None = None
        try:
            while not self._stop_event.is_set():
                try:
                    if cursor is None:
                        cursor = OutboxCursor(position=latest_event_id())
                        self._loop.call_soon_threadsafe(self._hub._mark_ready, self)
                    if listener is None and connections["default"].vendor == "postgresql":
                        listener = _Listener()
                    self._wait(listener)
                    if not self._stop_event.is_set():
                        self._poll(cursor)
                except Exception:
                    logger.exception("realtime: reading the outbox failed; retrying in 1 s")
                    if listener is not None:
                        listener.close()
                        listener = None
                    connections.close_all()
                    self._stop_event.wait(1.0)
        finally:
            if listener is not None:
                listener.close()
            connections.close_all()

    def _wait(self, listener: _Listener | None) -> None:
        if listener is None:
            self._stop_event.wait(self._poll_s)
        else:
            listener.wait(self._stop_event, PG_FALLBACK_S)

    def _poll(self, cursor: OutboxCursor) -> None:
        while True:
            rows = events_after(cursor.position, cursor.pending_gaps(), limit=POLL_BATCH)
            fresh = set(cursor.advance((r.id for r in rows), time.monotonic()))
            events = [event_from_row(r) for r in rows if r.id in fresh]
            if events:
                self._loop.call_soon_threadsafe(self._hub._dispatch, self, events)
            if len(rows) < POLL_BATCH:
                return


def _backlog(channels: Collection[str], after: int) -> tuple[list[OutboxRow], bool]:
    """The backlog, read on the request's thread, which then lets its connection go."""
    try:
        return channel_backlog(channels, after, limit=BACKLOG_LIMIT)
    finally:
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def hub_for_running_loop() -> Hub:
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub(loop)
    return hub


async def subscribe(
    channels: Collection[str],
    *,
    after: int | None = None,
    heartbeat_s: float = 15.0,
) -> AsyncIterator[Event | None]:
    """Events of ``channels`` committed from now on (and, with ``after``, those
    after that id still in the outbox).

    Yields ``None`` once as soon as the subscription is live (so a caller can
    tell its client "connected" knowing nothing committed from then on is
    missed), then after every ``heartbeat_s`` of silence so the caller can
    keep the connection alive. Ends when the subscriber fell too far behind
    (the client reconnects and catches up).
    """
    hub = hub_for_running_loop()
    subscription = Subscription(channels)
    hub.add(subscription)
    try:
        await hub.wait_ready()
        yield None
        sent: set[int] = set()
        if after is not None:
            rows, complete = await sync_to_async(_backlog)(subscription.channels, after)
            if not complete:
                yield RESET
                return
            for row in rows:
                sent.add(row.id)
                yield event_from_row(row)
        queue = subscription.queue
        while True:
            if subscription.overflowed and queue.empty():
                return
            try:
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for wraps
                # every get in a task of its own, per subscriber and event.
                async with asyncio.timeout(heartbeat_s):
                    event = await queue.get()
            except TimeoutError:
                yield None
                continue
            if event.id in sent:
                sent.discard(event.id)
                continue
            yield event
    finally:
        stopped = hub.remove(subscription)
        if stopped is not None:
            # Let the reader close its connections before the loop (or a test
            # database) goes away; it notices the stop within 0.25 s.
            await asyncio.to_thread(stopped.join, 5.0)
