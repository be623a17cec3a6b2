"""The audit log is append-only and its hash chain exposes tampering."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import importlib
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from smartcity.core.domain.hash_chain import GENESIS_HASH, link_hash
from smartcity.core.models import AppendOnlyError, AuditEvent, AuditHead
from smartcity.core.selectors import audit_chain_fields, verify_audit_chain
from smartcity.core.services import record_audit

TABLE = AuditEvent._meta.db_table
HEAD = AuditHead._meta.db_table


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


def _delete_rows_after(pk: int) -> None:
    with connection.cursor() as cursor:  # behind the ORM's back
        cursor.execute(f"DELETE FROM {TABLE} WHERE id > %s", [pk])  # noqa: S608


@pytest.mark.django_db
def test_deleting_the_newest_rows_is_named_by_verify() -> None:
    events = [record_audit(actor=None, action="test.step", data={"i": i}) for i in range(5)]
    _delete_rows_after(events[2].pk)
    broken = verify_audit_chain()
    assert broken is not None and broken.reason == "rows_missing_at_end"
    assert (broken.row_id, broken.expected_last_id) == (events[2].pk, events[4].pk)
    message = f"rows after #{events[2].pk} are missing: the head points to row #{events[4].pk}"
    with pytest.raises(CommandError, match=message):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_deleting_every_row_is_named_by_verify() -> None:
    events = [record_audit(actor=None, action="test.step") for _ in range(3)]
    _delete_rows_after(0)
    with pytest.raises(CommandError, match=f"the head points to row #{events[-1].pk}"):
        call_command("audit", "verify")


@pytest.mark.django_db
def test_a_chain_rewritten_with_recomputed_hashes_is_detected_without_the_key() -> None:
    """A database writer changes a row and recomputes every hash after it,
    and the head, as the unkeyed chain allowed; lacking the key, they fail."""
    events = [record_audit(actor=None, action="test.step", data={"i": i}) for i in range(4)]
    prev = GENESIS_HASH
    with connection.cursor() as cursor:
        for event in events:
            data = {"i": 99} if event.pk == events[1].pk else event.data
            fields = audit_chain_fields(
                occurred_at=event.occurred_at, actor_id=None, actor_label="",
                action=event.action, object_type="", object_id="", data=data,
            )  # fmt: skip
            digest = link_hash(prev, fields, key=b"a guess at the key")
            cursor.execute(
                f"UPDATE {TABLE} SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
                [json.dumps(data), prev, digest, event.pk],
            )
            prev = digest
        cursor.execute(f"UPDATE {HEAD} SET last_hash = %s", [prev])  # noqa: S608
    broken = verify_audit_chain()
    assert broken is not None and (broken.row_id, broken.reason) == (events[0].pk, "hash_mismatch")


@pytest.mark.django_db
def test_a_published_anchor_catches_rows_deleted_with_the_head_rewound(tmp_path: Path) -> None:
    events = [record_audit(actor=None, action="test.step", data={"i": i}) for i in range(5)]
    anchors = tmp_path / "audit-anchors.jsonl"
    call_command("audit", "anchor", "--output", str(anchors))
    call_command("audit", "verify", "--anchor", str(anchors))
    _delete_rows_after(events[2].pk)
    with connection.cursor() as cursor:  # the head rewound too: consistent inside the database
        cursor.execute(
            f"UPDATE {HEAD} SET last_hash = %s, last_id = %s",  # noqa: S608
            [events[2].hash, events[2].pk],
        )
    assert verify_audit_chain() is None
    message = f"rows up to #{events[4].pk}, published in the anchor, are missing"
    with pytest.raises(CommandError, match=message):
        call_command("audit", "verify", "--anchor", str(anchors))


@pytest.mark.django_db
def test_a_malformed_anchor_file_names_the_line(tmp_path: Path) -> None:
    record_audit(actor=None, action="test.step")
    anchors = tmp_path / "anchors.jsonl"
    anchors.write_text('{"chain": "audit", "last_id": 1, "hash": "' + "a" * 64 + '"}\n{oops\n')
    with pytest.raises(CommandError, match="line 2: not JSON"):
        call_command("audit", "verify", "--anchor", str(anchors))
    with pytest.raises(CommandError, match="cannot read the anchor file"):
        call_command("audit", "verify", "--anchor", str(tmp_path / "missing.jsonl"))


def _plain_chain(count: int) -> list[int]:
    """Rows as the unkeyed SHA-256 chain (before migration 0003) wrote them."""
    prev, ids = GENESIS_HASH, []
    at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for i in range(count):
        values = [at.isoformat(), None, "", "old.step", "t", str(i), {"i": i}]
        payload = json.dumps([prev, *values], ensure_ascii=False, sort_keys=True,
                             separators=(",", ":"), default=str)  # fmt: skip
        digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        row = AuditEvent(occurred_at=at, action="old.step", object_type="t", object_id=str(i),
                         data={"i": i}, prev_hash=prev, hash=digest)  # fmt: skip
        row.save(force_insert=True)
        ids.append(row.pk)
        prev = digest
    AuditHead.objects.update_or_create(pk=1, defaults={"last_hash": prev, "last_id": None})
    return ids


@pytest.mark.django_db
def test_the_migration_rekeys_an_intact_unkeyed_chain() -> None:
    migration = importlib.import_module("smartcity.core.migrations.0003_keyed_chain")
    ids = _plain_chain(3)
    assert verify_audit_chain() is not None
    migration.forwards(apps, None)
    assert verify_audit_chain() is None
    assert AuditHead.objects.get().last_id == ids[-1]
    record_audit(actor=None, action="new.step")
    assert verify_audit_chain() is None


@pytest.mark.django_db
def test_the_migration_refuses_to_rekey_a_broken_unkeyed_chain() -> None:
    migration = importlib.import_module("smartcity.core.migrations.0003_keyed_chain")
    ids = _plain_chain(3)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["x", ids[1]])  # noqa: S608
    with pytest.raises(RuntimeError, match=f"broken at row {ids[1]}"):
        migration.forwards(apps, None)


@pytest.mark.django_db
def test_stored_macs_are_hmac_sha256_of_the_documented_canonical_json(settings) -> None:
    """Pins the bytes behind every stored MAC (ADR 11), independently of the
    code that writes them: rows written before a refactoring must verify after it."""
    settings.CHAIN_KEY = "k" * 32
    first = record_audit(actor=None, action="test.one", object_id=7, data={"ä": [1, "x"]})
    second = record_audit(actor=None, actor_label="system", action="test.two")
    for event, prev in ((first, GENESIS_HASH), (second, first.hash)):
        covered = [
            prev,
            {
                "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(),
                "actor_id": None,
                "actor_label": event.actor_label,
                "action": event.action,
                "object_type": "",
                "object_id": event.object_id,
                "data": event.data,
            },
        ]
        text = json.dumps(covered, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        expected = hmac.new(b"k" * 32, text.encode("utf-8"), hashlib.sha256).hexdigest()
        assert (event.prev_hash, event.hash) == (prev, expected)
    assert first.object_id == "7" and second.actor_label == "system"
    assert AuditHead.objects.get().last_id == second.pk
