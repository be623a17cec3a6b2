"""Writes to the outbox: ``publish`` inside the transaction of a change, and pruning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from smartcity.core.bulk import execute, insert_rows
from smartcity.realtime.models import OutboxEvent

NOTIFY_CHANNEL = "smartcity_outbox"
"""The PostgreSQL LISTEN/NOTIFY channel the hub listens on (one per database)."""


class PublishOutsideTransaction(RuntimeError):
    """``publish`` was called without a transaction: the event could then be
    delivered for a change that later fails, which the outbox exists to prevent."""


def publish(*, channel: str, kind: str, data: Mapping[str, Any]) -> OutboxEvent:
    """Queue an event for live delivery once the current transaction commits.

    Must run inside ``transaction.atomic()`` (services do). On PostgreSQL the
    same transaction also sends ``NOTIFY``, which the server delivers only at
    commit, so listeners wake up exactly when the row becomes visible; on
    SQLite the hub polls. ``data`` must be JSON-serialisable and safe for every
    subscriber of ``channel``.
    """
    if not connection.in_atomic_block:
        raise PublishOutsideTransaction("publish() must be called inside transaction.atomic()")
    event = OutboxEvent.objects.create(channel=channel, kind=kind, payload=dict(data))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, str(event.pk)])
    return event


def publish_many(events: Sequence[tuple[str, str, Mapping[str, Any]]]) -> None:
    """``publish`` for many events at once, each ``(channel, kind, data)``:
    one multi-row insert and one ``NOTIFY`` (a group commit of intake). Waits
    for nothing inside ``core.bulk.pipeline`` (the rows' ids are not read)."""
    if not connection.in_atomic_block:
        raise PublishOutsideTransaction("publish() must be called inside transaction.atomic()")
    if not events:
        return
    now = timezone.now()
    insert_rows(
        OutboxEvent,
        [
            {"channel": c, "kind": k, "payload": dict(d), "created_at": now, "relayed_at": None}
            for c, k, d in events
        ],
        returning=False,
    )
    if connection.vendor == "postgresql":
        # The payload only wakes the listener; the newest id, as ``publish`` sends.
        table, pk = OutboxEvent._meta.db_table, OutboxEvent._meta.pk
        assert pk is not None
        execute(
            "SELECT pg_notify(%s, currval(pg_get_serial_sequence(%s, %s))::text)",
            [NOTIFY_CHANNEL, table, pk.column],
        )


def mark_relayed(*, ids: Collection[int], at: dt.datetime | None = None) -> int:
    """Record that JetStream acknowledged these rows (the relay's durable
    progress); returns how many rows changed. Idempotent."""
    if not ids:
        return 0
    return OutboxEvent.objects.filter(id__in=list(ids), relayed_at__isnull=True).update(
        relayed_at=at or timezone.now()
    )


def mark_all_relayed() -> int:
    """Treat every row already in the outbox as relayed (``nats-setup
    --skip-backlog``: a node switched to NATS does not replay old history)."""
    return OutboxEvent.objects.filter(relayed_at__isnull=True).update(relayed_at=timezone.now())


def mark_unrelayed(*, since: dt.datetime) -> int:
    """Queue rows created since ``since`` for relaying again (after a NATS
    server lost the tail of its stream, e.g. a power loss without
    ``sync_interval: always``); JetStream drops those it still holds within
    its duplicate window and hubs drop ids they already delivered."""
    return OutboxEvent.objects.filter(created_at__gte=since, relayed_at__isnull=False).update(
        relayed_at=None
    )


def prune_outbox(*, older_than: dt.timedelta, keep_unrelayed: bool = False) -> int:
    """Delete delivered-and-forgotten events; returns how many went.

    A client that reconnects with a ``Last-Event-ID`` older than this window
    gets a ``reset`` event and reloads its page instead of a partial backlog.
    With a bus (``keep_unrelayed``) rows JetStream has not acknowledged stay,
    however old: the relay still owes them to the other nodes.
    """
    cutoff = timezone.now() - older_than
    rows = OutboxEvent.objects.filter(created_at__lt=cutoff)
    if keep_unrelayed:
        rows = rows.filter(relayed_at__isnull=False)
    deleted, _ = rows.delete()
    return deleted
