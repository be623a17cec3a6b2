"""Reads of the audit log, and the key its chain (and the video access log's) use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from smartcity.core.domain.hash_chain import (
    GENESIS_HASH,
    Anchor,
    ChainBreak,
    Head,
    Link,
    verify_links,
)
from smartcity.core.models import AuditEvent, AuditHead, ChainHead

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


def chain_head(head: type[ChainHead], *, using: str = "default") -> Head | None:
    """A chain's head row as the verifier sees it; ``None`` when there is none."""
    row = head._default_manager.using(using).filter(pk=1).first()
    return None if row is None else Head(last_id=row.last_id, last_hash=row.last_hash)


def chain_anchor(head: type[ChainHead], *, chain: str, at: dt.datetime) -> Anchor | None:
    """The head to publish outside the database; ``None`` while the chain is empty."""
    current = chain_head(head)
    if current is None or current.last_id is None:
        return None
    return Anchor(chain=chain, last_id=current.last_id, hash=current.last_hash, at=_iso(at))


def verify_chain(
    links: Iterable[Link],
    *,
    head: Head | None,
    start: str = GENESIS_HASH,
    anchor: Anchor | None = None,
) -> ChainBreak | None:
    """The first problem in a chain's ``links`` (in insertion order) under the
    chains' key, checked against its ``head`` and a published ``anchor``."""
    return verify_links(links, key=chain_key(), start=start, head=head, anchor=anchor)


def audit_anchor(*, at: dt.datetime) -> Anchor | None:
    """The head to publish outside the database; ``None`` while the log is empty."""
    return chain_anchor(AuditHead, chain=AUDIT_CHAIN, at=at)


def verify_audit_chain(
    *, using: str = "default", anchor: Anchor | None = None
) -> ChainBreak | None:
    """The first problem in the audit chain (a changed row, missing newest
    rows, a row of the published ``anchor`` gone), or None if it is intact."""
    return verify_chain(
        iter_chain_rows(using=using), head=chain_head(AuditHead, using=using), anchor=anchor
    )


def audit_events(
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit log, newest first, narrowed by each filter given. Days are
    calendar days on the server's time zone (Korean Standard Time)."""
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    if actor:
        events = events.filter(
            Q(actor__username__icontains=actor)
            | Q(actor__display_name__icontains=actor)
            | Q(actor_label__icontains=actor)
        )
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if since:
        events = events.filter(occurred_at__date__gte=since)
    if until:
        events = events.filter(occurred_at__date__lte=until)
    return events
