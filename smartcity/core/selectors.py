"""Reads of the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from smartcity.core.domain.audit_chain import ChainBreak, ChainRow, verify_chain
from smartcity.core.models import AuditEvent


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def iter_chain_rows(batch_size: int = 2000, *, using: str = "default") -> Iterator[ChainRow]:
    """Every audit row, in insertion order, as the chain sees it (``using``:
    another database alias, e.g. a backup being checked)."""
    events = AuditEvent.objects.using(using)
    queryset = events.order_by("id").values_list(
        "id",
        "occurred_at",
        "actor_id",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "data",
        "prev_hash",
        "hash",
    )
    for row in queryset.iterator(chunk_size=batch_size):
        yield ChainRow(
            id=row[0],
            occurred_at=_iso(row[1]),
            actor_id=row[2],
            actor_label=row[3],
            action=row[4],
            object_type=row[5],
            object_id=row[6],
            data=row[7],
            prev_hash=row[8],
            hash=row[9],
        )


def verify_audit_chain(*, using: str = "default") -> ChainBreak | None:
    """The first row that breaks the audit chain, or None if it is intact."""
    return verify_chain(iter_chain_rows(using=using))
