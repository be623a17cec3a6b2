"""Writes to the outbox: ``publish`` inside the transaction of a change, and pruning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import connection
from django.utils import timezone

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


def prune_outbox(*, older_than: dt.timedelta) -> int:
    """Delete delivered-and-forgotten events; returns how many went.

    A client that reconnects with a ``Last-Event-ID`` older than this window
    gets a ``reset`` event and reloads its page instead of a partial backlog.
    """
    cutoff = timezone.now() - older_than
    deleted, _ = OutboxEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
