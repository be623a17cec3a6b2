"""The outbox: published inside the transaction, delivered only after commit."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from asgiref.sync import async_to_sync
from django.db import transaction
from django.utils import timezone

from smartcity.realtime.hub import RESET, Event, subscribe
from smartcity.realtime.models import OutboxEvent
from smartcity.realtime.selectors import channel_backlog, latest_event_id
from smartcity.realtime.services import PublishOutsideTransaction, prune_outbox, publish


@pytest.mark.django_db(transaction=True)
def test_publish_refuses_to_run_outside_a_transaction() -> None:
    with pytest.raises(PublishOutsideTransaction):
        publish(channel="c", kind="k", data={})


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_event() -> None:
    def failing_change() -> None:
        with transaction.atomic():
            publish(channel="c", kind="k", data={"n": 1})
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failing_change()
    assert not OutboxEvent.objects.exists()


@pytest.mark.django_db
def test_backlog_is_per_channel_and_reports_pruned_history() -> None:
    with transaction.atomic():
        first = publish(channel="a", kind="k", data={"n": 1})
        publish(channel="b", kind="k", data={"n": 2})
        third = publish(channel="a", kind="k", data={"n": 3})
    rows, complete = channel_backlog(["a"], first.pk - 1, limit=10)
    assert [r.id for r in rows] == [first.pk, third.pk] and complete
    rows, complete = channel_backlog(["a"], first.pk - 1, limit=1)
    assert len(rows) == 1 and not complete
    OutboxEvent.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    assert prune_outbox(older_than=dt.timedelta(days=1)) == 1
    assert channel_backlog(["a"], first.pk - 5, limit=10) == ([], False)
    assert latest_event_id() == third.pk


async def _collect(channels: list[str], *, after: int | None, count: int, timeout: float = 5.0,
                   during: object = None) -> list[Event]:  # fmt: skip
    """Subscribe, run ``during`` (a sync callable) once subscribed, collect ``count`` events."""
    from asgiref.sync import sync_to_async

    received: list[Event] = []

    async def consume() -> None:
        stream = subscribe(channels, after=after, heartbeat_s=0.05)
        try:
            started = False
            async for event in stream:
                if not started and during is not None:
                    started = True
                    await sync_to_async(during)()  # type: ignore[arg-type]
                if event is not None:
                    received.append(event)
                    if len(received) >= count:
                        return
        finally:
            await stream.aclose()

    await asyncio.wait_for(consume(), timeout)
    return received


def _publish(channel: str, n: int) -> None:
    with transaction.atomic():
        publish(channel=channel, kind="tick", data={"n": n})


@pytest.mark.django_db(transaction=True)
def test_subscribers_get_committed_events_of_their_channel_only(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REALTIME_POLL_MS = 10

    def produce() -> None:
        _publish("other", 0)
        _publish("mine", 1)
        _publish("mine", 2)

    events = async_to_sync(_collect)(["mine"], after=None, count=2, during=produce)
    assert [e.kind for e in events] == ["tick", "tick"]
    assert [e.channel for e in events] == ["mine", "mine"]
    assert events[0].frame.startswith(f"id: {events[0].id}\nevent: tick\ndata: ".encode())
    assert b'"n":1' in events[0].frame and b'"n":2' in events[1].frame


@pytest.mark.django_db(transaction=True)
def test_a_reconnecting_subscriber_gets_the_backlog_then_live_events(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REALTIME_POLL_MS = 10
    _publish("mine", 1)
    before = latest_event_id()
    _publish("mine", 2)
    _publish("mine", 3)

    events = async_to_sync(_collect)(
        ["mine"], after=before, count=3, during=lambda: _publish("mine", 4)
    )
    assert [e.frame.split(b'"n":')[1][:1] for e in events] == [b"2", b"3", b"4"]


@pytest.mark.django_db(transaction=True)
def test_a_subscriber_too_far_behind_is_told_to_reload(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REALTIME_POLL_MS = 10
    _publish("mine", 1)
    _publish("mine", 2)
    OutboxEvent.objects.filter(pk=latest_event_id() - 1).delete()  # pruned
    events = async_to_sync(_collect)(["mine"], after=0, count=1)
    assert events == [RESET]
