"""The one write path of the audit log, and the appender both hash chains use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from django.db import connection, transaction

from smartcity.core.bulk import execute as bulk_execute
from smartcity.core.bulk import insert_rows, pipeline, reserve_ids
from smartcity.core.domain.hash_chain import GENESIS_HASH, MEMBERS, link_hash, member_macs
from smartcity.core.models import AuditEvent, AuditHead, ChainHead
from smartcity.core.selectors import audit_chain_fields, chain_key


class ChainedRow(Protocol):
    """A row of a hash chain: its MAC and its predecessor's, and an insert."""

    prev_hash: str
    hash: str

    @property
    def pk(self) -> Any: ...

    def save(self, *args: Any, **kwargs: Any) -> None: ...


HeadT = TypeVar("HeadT", bound=ChainHead)
RowT = TypeVar("RowT", bound=ChainedRow)


def lock_chain_head(head: type[HeadT], **initial: Any) -> HeadT:
    """The chain's head row (pk 1), locked until the transaction ends; created
    at genesis (with ``initial`` for the other columns) the first time."""
    row = head._default_manager.select_for_update().filter(pk=1).first()
    if row is None:
        head._default_manager.create(pk=1, last_hash=GENESIS_HASH, **initial)
        row = head._default_manager.select_for_update().get(pk=1)
    return row


def append_chained(
    *,
    head: type[ChainHead],
    build: Callable[[], RowT],
    fields: Callable[[RowT], Mapping[str, Any]],
    **initial: Any,
) -> RowT:
    """Append the row ``build()`` makes to the chain ``head`` heads: lock the
    head, chain the row to the newest one (MAC of ``fields(row)`` keyed with
    ``chain_key()``), insert it and move the head to it.

    ``build`` runs once the head is locked, so what it reads (the time)
    follows the chain's order. Runs inside the caller's transaction when there
    is one: the row commits or rolls back with the change it records, and the
    head stays locked until then, which serialises writers in chain order.
    """
    with transaction.atomic():
        locked = lock_chain_head(head, **initial)
        row = build()
        row.prev_hash = locked.last_hash
        row.hash = link_hash(locked.last_hash, fields(row), key=chain_key())
        row.save(force_insert=True)
        head._default_manager.filter(pk=1).update(last_hash=row.hash, last_id=row.pk)
    return row


def _event_fields(event: AuditEvent) -> dict[str, Any]:
    # The columns as stored (JSON-compatible types), so the MAC covers exactly
    # what the database holds and what verification reads back.
    return audit_chain_fields(
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        data=event.data,
    )


def _actor_parts(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return int(actor.pk), str(actor.get_username())


def record_audit(
    *,
    actor: Any,
    action: str,
    object_type: str = "",
    object_id: str | int = "",
    data: Mapping[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one audit row, chained to the previous one.

    Runs inside the caller's transaction when there is one, so the audit row
    commits or rolls back with the change it describes.
    """
    actor_id, label = _actor_parts(actor)
    if actor_label is not None:
        label = actor_label
    payload = dict(data or {})

    def build() -> AuditEvent:
        return AuditEvent(
            occurred_at=dt.datetime.now(tz=dt.UTC).replace(microsecond=0),
            actor_id=actor_id,
            actor_label=label,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            data=payload,
        )

    return append_chained(head=AuditHead, build=build, fields=_event_fields)


def record_audit_group(
    *,
    action: str,
    actor_label: str,
    events: Sequence[Mapping[str, Any]],
    object_type: str = "",
    object_id: str | int = "",
) -> AuditEvent:
    """Append one audit row for a group of events committed together (intake's
    group commit, ADR 0023): ``events`` are what ``record_audit`` would have
    written one row each for (``action``, ``object_type``, ``object_id``,
    ``data``). Each event gets its own MAC, chained from the row's predecessor,
    and the row's MAC covers them all, so the head is locked and moved once
    per group while verification still names the first altered event.
    """

    # No savepoint: the group's transaction is all or nothing anyway, and a
    # savepoint is two more round trips per group.
    with transaction.atomic(savepoint=False):
        with pipeline():
            locked = lock_audit_head()
        prev_hash, row_id = locked()
        with pipeline():
            return append_audit_group(
                prev_hash=prev_hash, row_id=row_id, action=action, actor_label=actor_label,
                events=events, object_type=object_type, object_id=object_id,
            )  # fmt: skip


def lock_audit_head() -> Callable[[], tuple[str, int]]:
    """Lock the audit chain's head until the transaction ends and reserve the
    id of the row to append: returns how to read ``(last_hash, new row's id)``.
    Inside :func:`core.bulk.pipeline` this goes out with the statements around
    it (intake's group commit: with the reservation of its incidents' ids).
    The id is taken once the lock is held, so ids follow the chain's order."""
    table = AuditHead._meta.db_table
    head = bulk_execute(
        # A fixed table name from the model; no value interpolated.
        f"SELECT last_hash FROM {table} WHERE id = 1 FOR UPDATE"  # noqa: S608
        if connection.vendor == "postgresql"
        else f"SELECT last_hash FROM {table} WHERE id = 1",  # noqa: S608
    )
    ids = reserve_ids(AuditEvent, 1)

    def read() -> tuple[str, int]:
        rows, (row_id,) = head(), ids()
        if rows:
            return str(rows[0][0]), row_id
        # Genesis: the head row is created once; the id reserved is still ours.
        return lock_chain_head(AuditHead).last_hash, row_id

    return read


def append_audit_group(
    *,
    prev_hash: str,
    row_id: int,
    action: str,
    actor_label: str,
    events: Sequence[Mapping[str, Any]],
    object_type: str = "",
    object_id: str | int = "",
) -> AuditEvent:
    """Insert the group's row (id ``row_id``) chained to ``prev_hash`` and move
    the head to it; the head must be locked (:func:`lock_audit_head`). Two
    statements, sent without waiting inside :func:`core.bulk.pipeline`."""
    members = member_macs(prev_hash, events, key=chain_key())
    row = AuditEvent(
        pk=row_id,
        occurred_at=dt.datetime.now(tz=dt.UTC).replace(microsecond=0),
        actor_id=None,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        data={"count": len(members), MEMBERS: members},
        prev_hash=prev_hash,
    )
    row.hash = link_hash(prev_hash, _event_fields(row), key=chain_key())
    columns = ("id", "occurred_at", "actor_id", "actor_label", "action", "object_type",
               "object_id", "data", "prev_hash", "hash")  # fmt: skip
    insert_rows(AuditEvent, [{c: getattr(row, c) for c in columns}], returning=False)
    bulk_execute(
        # A fixed table name from the model; the values are parameters.
        f"UPDATE {AuditHead._meta.db_table} SET last_hash = %s, last_id = %s WHERE id = 1",  # noqa: S608
        [row.hash, row.pk],
    )
    row._state.adding, row._state.db = False, "default"
    return row
