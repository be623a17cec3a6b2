"""Reads of the audit log, and the key its chain (and the video access log's) use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings

from smartcity.core.domain.hash_chain import Anchor, ChainBreak, Head, Link, verify_links
from smartcity.core.models import AuditEvent, AuditHead

AUDIT_CHAIN = "audit"


def chain_key() -> bytes:
    """The secret both hash chains are keyed with (``SMARTCITY_CHAIN_KEY``)."""
    return str(settings.CHAIN_KEY).encode("utf-8")


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def audit_chain_fields(
    *,
    occurred_at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    data: Mapping[str, Any],
) -> dict[str, Any]:
    """What the chain covers of one audit row (also what ``record_audit`` hashes)."""
    return {
        "occurred_at": _iso(occurred_at),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "data": dict(data),
    }


def iter_chain_rows(batch_size: int = 2000, *, using: str = "default") -> Iterator[Link]:
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
        fields = audit_chain_fields(
            occurred_at=row[1],
            actor_id=row[2],
            actor_label=row[3],
            action=row[4],
            object_type=row[5],
            object_id=row[6],
            data=row[7],
        )
        yield Link(id=row[0], fields=fields, prev_hash=row[8], hash=row[9])


def audit_head(*, using: str = "default") -> Head | None:
    head = AuditHead.objects.using(using).filter(pk=1).first()
    return None if head is None else Head(last_id=head.last_id, last_hash=head.last_hash)


def audit_anchor(*, at: dt.datetime) -> Anchor | None:
    """The head to publish outside the database; ``None`` while the log is empty."""
    head = audit_head()
    if head is None or head.last_id is None:
        return None
    return Anchor(chain=AUDIT_CHAIN, last_id=head.last_id, hash=head.last_hash, at=_iso(at))


def verify_audit_chain(
    *, using: str = "default", anchor: Anchor | None = None
) -> ChainBreak | None:
    """The first problem in the audit chain (a changed row, missing newest
    rows, a row of the published ``anchor`` gone), or None if it is intact."""
    return verify_links(
        iter_chain_rows(using=using), key=chain_key(), head=audit_head(using=using), anchor=anchor
    )
