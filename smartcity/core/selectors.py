"""Reads of the audit log, and the key its chain (and the video access log's) use."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from smartcity.core.domain.hash_chain import (
    GENESIS_HASH,
    MEMBERS,
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
    calendar days on the server's time zone (Korean Standard Time).

    The event filters (``action``, ``object_type``, ``object_id``) also find a
    group row (intake's group commit, ADR 0023) one of whose events matches
    them all; :func:`matching_members` picks those events out of it."""
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    if actor:
        events = events.filter(
            Q(actor__username__icontains=actor)
            | Q(actor__display_name__icontains=actor)
            | Q(actor_label__icontains=actor)
        )
    wanted = _event_criteria(action=action, object_type=object_type, object_id=object_id)
    if wanted:
        events = events.filter(Q(**wanted) | Q(pk__in=_group_rows_with(wanted)))
    if since:
        events = events.filter(occurred_at__date__gte=since)
    if until:
        events = events.filter(occurred_at__date__lte=until)
    return events


def _event_criteria(**given: str) -> dict[str, str]:
    return {name: value for name, value in given.items() if value}


def _group_rows_with(wanted: Mapping[str, str]) -> RawSQL:
    """The ids of group rows holding an event with every field of ``wanted``.

    PostgreSQL: JSON containment on the events array, which the GIN index of
    migration core 0004 answers without reading other rows. SQLite: the
    events of each group row unnested with ``json_each`` (SQLite has no JSON
    index; its installations are single-centre and small)."""
    table = connection_for_audit().ops.quote_name(AuditEvent._meta.db_table)
    # The SQL's names are the table's and the fixed event fields' (action,
    # object_type, object_id); the filter's values are parameters.
    if connection_for_audit().vendor == "postgresql":
        return RawSQL(  # noqa: S611
            f"SELECT id FROM {table} WHERE (data -> '{MEMBERS}') @> %s::jsonb",  # noqa: S608
            [json.dumps([dict(wanted)], ensure_ascii=False)],
        )
    conditions = " AND ".join(f"json_extract(m.value, '$.{name}') = %s" for name in wanted)
    return RawSQL(  # noqa: S611
        f"SELECT e.id FROM {table} e, json_each(e.data, '$.{MEMBERS}') m "  # noqa: S608
        f"WHERE json_type(e.data, '$.{MEMBERS}') = 'array' AND {conditions}",
        list(wanted.values()),
    )


def connection_for_audit() -> Any:
    return connections[router.db_for_read(AuditEvent)]


def matching_members(
    event: AuditEvent, *, action: str = "", object_type: str = "", object_id: str = ""
) -> list[Mapping[str, Any]]:
    """The events of a group row that match every filter given (none when no
    event filter is given, or the row is not a group row)."""
    wanted = _event_criteria(action=action, object_type=object_type, object_id=object_id)
    members = event.data.get(MEMBERS) if isinstance(event.data, Mapping) else None
    if not wanted or not isinstance(members, list):
        return []
    return [
        member
        for member in members
        if isinstance(member, Mapping)
        and all(str(member.get(name, "")) == value for name, value in wanted.items())
    ]
