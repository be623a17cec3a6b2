"""The audit log is append-only and its hash chain exposes tampering."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from smartcity.core.domain.audit_chain import GENESIS_HASH, ChainRow, row_hash, verify_chain
from smartcity.core.models import AppendOnlyError, AuditEvent
from smartcity.core.selectors import verify_audit_chain
from smartcity.core.services import record_audit


def _row(i: int, prev: str, action: str = "a") -> ChainRow:
    fields = {
        "occurred_at": "2026-01-01T00:00:00+00:00",
        "actor_id": None,
        "actor_label": "",
        "action": action,
        "object_type": "t",
        "object_id": str(i),
        "data": {"n": i},
    }
    digest = row_hash(prev_hash=prev, **fields)  # type: ignore[arg-type]
    return ChainRow(id=i, prev_hash=prev, hash=digest, **fields)  # type: ignore[arg-type]


def test_pure_chain_verifies_and_names_first_altered_row() -> None:
    rows = []
    prev = GENESIS_HASH
    for i in range(1, 6):
        rows.append(_row(i, prev))
        prev = rows[-1].hash
    assert verify_chain(rows) is None
    tampered = list(rows)
    tampered[2] = ChainRow(**{**tampered[2].__dict__, "action": "changed"})
    broken = verify_chain(tampered)
    assert broken is not None and (broken.row_id, broken.reason) == (3, "hash_mismatch")
    deleted = rows[:2] + rows[3:]
    broken = verify_chain(deleted)
    assert broken is not None and (broken.row_id, broken.reason) == (4, "prev_hash_mismatch")


@pytest.mark.django_db
def test_rows_cannot_be_changed_or_deleted_through_the_orm() -> None:
    event = record_audit(actor=None, action="test.created")
    event.action = "test.changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.django_db
def test_chain_check_detects_a_row_altered_directly_in_the_database(capsys) -> None:  # type: ignore[no-untyped-def]
    events = [record_audit(actor=None, action="test.step", data={"i": i}) for i in range(5)]
    call_command("audit", "verify")
    assert verify_audit_chain() is None
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET data = %s WHERE id = %s",  # noqa: S608
            [json.dumps({"i": 99}), events[2].pk],
        )
    broken = verify_audit_chain()
    assert broken is not None and broken.row_id == events[2].pk
    with pytest.raises(CommandError, match=f"row {events[2].pk}"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_each_row_carries_the_previous_rows_hash() -> None:
    first = record_audit(actor=None, action="one")
    second = record_audit(actor=None, action="two", data={"k": "값"})
    assert second.prev_hash == first.hash
    assert len(second.hash) == 64
