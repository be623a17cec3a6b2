"""The relay moves committed outbox rows into JetStream exactly once per outbox
id, and hubs read live events from the stream (a nats-server the tests start)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection, transaction

from smartcity.realtime.bus import BusSettings, connect, encode_event, ensure_stream
from smartcity.realtime.hub import Event, subscribe
from smartcity.realtime.models import OutboxEvent
from smartcity.realtime.relay import Relay, lock_key
from smartcity.realtime.selectors import unrelayed_events
from smartcity.realtime.services import publish
from smartcity.realtime.testing import NatsServer, nats_server, own_bus


@pytest.fixture(scope="module")
def nats() -> Iterator[NatsServer]:
    with nats_server() as server:
        yield server


@pytest.fixture
def bus(nats: NatsServer, settings: Any) -> BusSettings:
    """This test's own stream and subjects on the test server."""
    return own_bus(nats, settings, REALTIME_NODE_NAME="test-node")


def _publish(channel: str, n: int) -> OutboxEvent:
    with transaction.atomic():
        return publish(channel=channel, kind="tick", data={"n": n})


async def _stream_messages(cfg: BusSettings) -> list[tuple[str, bytes, dict[str, str]]]:
    """Every message in the stream: subject, body, headers."""
    nc = await connect(cfg, role="test")
    try:
        js = nc.jetstream()
        info = await js.stream_info(cfg.stream)
        out = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            if info.state.messages == 0:
                break
            msg = await js.get_msg(cfg.stream, seq)
            out.append((msg.subject, msg.data, dict(msg.headers or {})))
        return out
    finally:
        await nc.close()


async def _relay_once(relay: Relay) -> int:
    nc = await connect(relay.cfg, role="test-relay")
    try:
        js = nc.jetstream()
        await ensure_stream(js, relay.cfg)
        return await relay.relay_pending(js)
    finally:
        await nc.close()
        await relay.db(relay._reset_db)


@pytest.mark.django_db(transaction=True)
def test_relay_publishes_each_committed_row_once_with_its_outbox_id(bus: BusSettings) -> None:
    rows = [_publish("operations.tenant.1", n) for n in range(3)]

    assert async_to_sync(_relay_once)(Relay(bus)) == 3

    messages = async_to_sync(_stream_messages)(bus)
    assert [m[2]["Nats-Msg-Id"] for m in messages] == [f"outbox-{r.pk}" for r in rows]
    assert {m[0] for m in messages} == {f"{bus.prefix}.events.operations.tenant.1"}
    assert b'"n":2' in messages[2][1]
    assert not OutboxEvent.objects.filter(relayed_at__isnull=True).exists()
    # Nothing is left to send: a second pass publishes nothing.
    assert async_to_sync(_relay_once)(Relay(bus)) == 0
    assert len(async_to_sync(_stream_messages)(bus)) == 3


@pytest.mark.django_db(transaction=True)
def test_a_relay_that_crashed_before_recording_progress_resends_and_jetstream_drops_it(
    bus: BusSettings,
) -> None:
    for n in range(5):
        _publish("c", n)

    async def publish_then_crash() -> list[int]:
        # Acknowledged by JetStream, but the process dies before stamping the rows.
        relay = Relay(bus)
        nc = await connect(bus, role="test")
        try:
            js = nc.jetstream()
            await ensure_stream(js, bus)
            rows = await relay.db(unrelayed_events, limit=100)
            acked, failures = await relay.publish_rows(js, rows)
            assert not failures
            return acked
        finally:
            await nc.close()
            await relay.db(relay._reset_db)

    assert len(async_to_sync(publish_then_crash)()) == 5
    assert OutboxEvent.objects.filter(relayed_at__isnull=True).count() == 5

    restarted = Relay(bus)
    assert async_to_sync(_relay_once)(restarted) == 5
    assert restarted.stats.duplicates == 5  # JetStream recognised every message id
    assert len(async_to_sync(_stream_messages)(bus)) == 5
    assert not OutboxEvent.objects.filter(relayed_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_row_that_commits_after_higher_ids_were_relayed_is_still_relayed(
    bus: BusSettings,
) -> None:
    first, late, third = (_publish("c", n) for n in range(3))
    # As on PostgreSQL when ``late``'s transaction commits after the others
    # were relayed: the relay queue is "not yet acknowledged", not "id > last".
    OutboxEvent.objects.filter(pk__in=[first.pk, third.pk]).update(relayed_at="2026-01-01T00:00Z")

    assert async_to_sync(_relay_once)(Relay(bus)) == 1
    assert [m[2]["Nats-Msg-Id"] for m in async_to_sync(_stream_messages)(bus)] == [
        f"outbox-{late.pk}"
    ]


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_store_each_event_once(bus: BusSettings) -> None:
    for n in range(40):
        _publish("c", n)

    async def both() -> None:
        await asyncio.gather(_relay_once(Relay(bus, batch=7)), _relay_once(Relay(bus, batch=7)))

    async_to_sync(both)()
    assert len(async_to_sync(_stream_messages)(bus)) == 40
    assert not OutboxEvent.objects.filter(relayed_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_only_one_relay_is_active_per_stream_on_postgresql(bus: BusSettings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the advisory lock exists on PostgreSQL only (SQLite: duplicates harmless)")

    async def leaders() -> tuple[bool, bool, bool]:
        one, two = Relay(bus), Relay(bus)
        try:
            first = await one.db(one._take_lead)
            second = await two.db(two._take_lead)
            await one.db(one._reset_db)  # the active relay's process dies
            # PostgreSQL frees the lock when the dead session's backend ends,
            # a moment after the client hung up (seen late under CI load): the
            # standby takes over on one of its next passes, as in production.
            takeover = False
            deadline = time.monotonic() + 10
            while not takeover and time.monotonic() < deadline:
                takeover = await two.db(two._take_lead)
                if not takeover:
                    await asyncio.sleep(0.05)
            return first, second, takeover
        finally:
            await one.db(one._reset_db)
            await two.db(two._reset_db)

    assert async_to_sync(leaders)() == (True, False, True)
    assert lock_key(bus.stream) == lock_key(bus.stream) != lock_key(bus.stream + "x")


# --- hubs read the stream ------------------------------------------------------------------


async def _collect(
    channels: list[str], *, count: int, during: Any, timeout: float = 15.0, after: int | None = None
) -> list[Event]:
    received: list[Event] = []

    async def consume() -> None:
        stream = subscribe(channels, after=after, heartbeat_s=0.05)
        try:
            started = False
            async for event in stream:
                if not started:
                    started = True
                    await during()
                if event is not None:
                    received.append(event)
                    if len(received) >= count:
                        return
        finally:
            await stream.aclose()

    await asyncio.wait_for(consume(), timeout)
    return received


@pytest.mark.django_db(transaction=True)
def test_with_nats_configured_subscribers_hear_the_stream_not_the_table(
    bus: BusSettings, settings: Any
) -> None:
    settings.REALTIME_POLL_MS = 10

    async def during() -> None:
        # A message only the bus carries (no such outbox row): proof the hub
        # reads the stream. Then a real event through the outbox and the relay.
        nc = await connect(bus, role="test")
        try:
            subject, body, headers = encode_event(
                bus, id=10**9, channel="mine", kind="tick", payload={"n": "bus-only"}
            )
            await nc.jetstream().publish(subject, body, headers=headers)
        finally:
            await nc.close()
        await sync_to_async(_publish)("other", 0)
        await sync_to_async(_publish)("mine", 1)
        await _relay_once(Relay(bus))

    events = async_to_sync(_collect)(["mine"], count=2, during=during)
    assert events[0].id == 10**9 and b'"n":"bus-only"' in events[0].frame
    assert b'"n":1' in events[1].frame and events[1].channel == "mine"


@pytest.mark.django_db(transaction=True)
def test_board_updates_resume_after_nats_restarts(
    nats: NatsServer, bus: BusSettings, settings: Any
) -> None:
    stop = threading.Event()
    relay = Relay(bus, stop=stop)
    relay_thread = threading.Thread(target=lambda: asyncio.run(relay.run()), daemon=True)
    relay_thread.start()

    async def during() -> None:
        await sync_to_async(_publish)("mine", 1)
        await asyncio.sleep(0.5)
        await asyncio.to_thread(nats.restart, down_for=1.0)
        await sync_to_async(_publish)("mine", 2)  # committed while the bus is coming back

    try:
        events = async_to_sync(_collect)(["mine"], count=2, during=during, timeout=30)
    finally:
        stop.set()
        relay_thread.join(10)
    assert [b'"n":1' in events[0].frame, b'"n":2' in events[1].frame] == [True, True]
    assert len(async_to_sync(_stream_messages)(bus)) == 2
