"""Reads of the outbox (used by the hub's worker thread and for backlogs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q

from smartcity.realtime.models import OutboxEvent


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    channel: str
    kind: str
    payload: dict[str, Any]
    created_at: dt.datetime


def latest_event_id() -> int:
    """The highest outbox id committed so far (0 when empty)."""
    value = OutboxEvent.objects.aggregate(top=Max("id"))["top"]
    return int(value or 0)


def _rows(queryset: Any) -> list[OutboxRow]:
    return [
        OutboxRow(id=r[0], channel=r[1], kind=r[2], payload=r[3], created_at=r[4])
        for r in queryset.values_list("id", "channel", "kind", "payload", "created_at")
    ]


def events_after(
    position: int, gaps: Collection[int] = (), *, limit: int = 1_000
) -> list[OutboxRow]:
    """Rows with ``id > position`` or an id in ``gaps``, in id order."""
    condition = Q(id__gt=position)
    if gaps:
        condition |= Q(id__in=list(gaps))
    return _rows(OutboxEvent.objects.filter(condition).order_by("id")[:limit])


def channel_backlog(
    channels: Collection[str], after: int, *, limit: int
) -> tuple[list[OutboxRow], bool]:
    """Events of ``channels`` after ``after`` for a reconnecting subscriber,
    and whether the backlog is complete (``False``: it was cut at ``limit``, or
    ``after`` is older than the oldest kept row, so the client must reload)."""
    oldest = OutboxEvent.objects.order_by("id").values_list("id", flat=True).first()
    if oldest is not None and after < oldest - 1:
        return [], False
    rows = _rows(
        OutboxEvent.objects.filter(channel__in=list(channels), id__gt=after).order_by("id")[
            : limit + 1
        ]
    )
    return rows[:limit], len(rows) <= limit


def unrelayed_events(*, limit: int) -> list[OutboxRow]:
    """Committed rows NATS JetStream has not acknowledged yet, in id order
    (the relay's queue; a row that commits late is still in it)."""
    return _rows(OutboxEvent.objects.filter(relayed_at__isnull=True).order_by("id")[:limit])


def unrelayed_count() -> int:
    return OutboxEvent.objects.filter(relayed_at__isnull=True).count()
