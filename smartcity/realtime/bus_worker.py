"""The hub's reader when NATS is configured: the stream instead of the table.

Same place in the hub as the outbox reader (``hub._Worker``): one thread per
event loop, started with the first subscriber and stopped with the last, that
encodes each event once and hands it to the loop. It reads every relayed
event of the installation (``<prefix>.events.>``) with an *ordered consumer*:
ephemeral, in memory on the server, no acknowledgements, started at the
stream's next sequence when the worker starts — a subscriber's older events
come from the outbox backlog (``Last-Event-ID``), as without a broker.

Reconnection: the client reconnects by itself; on every reconnection the
worker drops its consumer and creates a new one from the last stream sequence
it saw plus one (the server may have restarted and forgotten the ephemeral
consumer), so events relayed while it was away are delivered, once: outbox
ids it already delivered are dropped (``RecentIds``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from typing import TYPE_CHECKING, Any

from smartcity.realtime.bus import BusSettings, connect, decode_event, ensure_stream
from smartcity.realtime.domain.subjects import RecentIds, all_events

if TYPE_CHECKING:
    from smartcity.realtime.hub import Event, Hub

logger = logging.getLogger(__name__)

IDLE_HEARTBEAT_S = 2.0
RETRY_S = 1.0
API_TIMEOUT_S = 5.0


class BusWorker(threading.Thread):
    """Reads the installation's stream and posts its events to the hub's loop."""

    def __init__(self, hub: Hub, cfg: BusSettings) -> None:
        super().__init__(name="realtime-bus-reader", daemon=True)
        self._hub = hub
        self._hub_loop = hub._loop
        self._cfg = cfg
        self._stop_event = threading.Event()
        self._position: int | None = None  # last stream sequence seen
        self._recent = RecentIds()
        self._ready_sent = False
        self.resubscriptions = 0

    def stop(self) -> None:
        self._stop_event.set()

    def run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        while not self._stop_event.is_set():
            nc: Any = None
            reconnected = asyncio.Event()

            async def on_reconnected(flag: asyncio.Event = reconnected) -> None:
                flag.set()

            try:
                nc = await connect(self._cfg, role="hub", reconnected=on_reconnected)
                js = nc.jetstream(timeout=API_TIMEOUT_S)
                await ensure_stream(js, self._cfg)
                while not self._stop_event.is_set():
                    reconnected.clear()
                    subscription = await self._subscribe(js)
                    if not self._ready_sent:
                        self._ready_sent = True
                        self._hub_loop.call_soon_threadsafe(self._hub._mark_ready, self)
                    while not self._stop_event.is_set() and not reconnected.is_set():
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(reconnected.wait(), 0.25)
                    with contextlib.suppress(Exception):
                        await subscription.unsubscribe()
                    if reconnected.is_set():
                        self.resubscriptions += 1
            except Exception as error:
                logger.warning("realtime hub: reading NATS failed (%s); retrying in 1 s", error)
                await asyncio.to_thread(self._stop_event.wait, RETRY_S)
            finally:
                if nc is not None:
                    with contextlib.suppress(Exception):
                        await nc.close()

    async def _subscribe(self, js: Any) -> Any:
        from nats.js import api

        info = await js.stream_info(self._cfg.stream)
        last = int(info.state.last_seq)
        # Resume after what we saw, unless the stream is now shorter (it was
        # recreated or lost its tail): then from its end, nothing is skipped.
        start = last + 1 if self._position is None else min(self._position, last) + 1
        self._position = start - 1
        config = api.ConsumerConfig(
            deliver_policy=api.DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=start,
        )
        return await js.subscribe(
            all_events(self._cfg.prefix),
            stream=self._cfg.stream,
            cb=self._on_message,
            ordered_consumer=True,
            idle_heartbeat=IDLE_HEARTBEAT_S,
            config=config,
        )

    async def _on_message(self, msg: Any) -> None:
        with contextlib.suppress(Exception):
            sequence = int(msg.metadata.sequence.stream)
            self._position = sequence if self._position is None else max(self._position, sequence)
        try:
            bus_event = decode_event(msg.data)
        except (ValueError, KeyError, TypeError):
            logger.warning("realtime hub: dropped an unreadable message on %s", msg.subject)
            return
        if not self._recent.add(bus_event.id):
            return
        from smartcity.realtime.hub import Event, encode_frame

        event: Event = Event(
            bus_event.id,
            bus_event.channel,
            bus_event.kind,
            encode_frame(bus_event.id, bus_event.kind, bus_event.payload),
        )
        self._hub_loop.call_soon_threadsafe(self._hub._dispatch, self, [event])
