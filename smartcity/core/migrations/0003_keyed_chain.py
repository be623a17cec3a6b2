"""Key the audit chain (docs/adr/0011): every existing row is checked against
the old unkeyed SHA-256 chain, then re-chained with HMAC-SHA256 under
``SMARTCITY_CHAIN_KEY``; the head learns the newest row's id.

A chain that does not verify is not re-keyed (that would launder the
tampering): the migration stops and names the row. The hashing is frozen here
on purpose, independent of the code that later evolves."""

import datetime as dt
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models

GENESIS_HASH = "0" * 64


def _dump(value):
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode("utf-8")


def _fields(row):
    return {
        "occurred_at": row.occurred_at.astimezone(dt.UTC).isoformat(),
        "actor_id": row.actor_id,
        "actor_label": row.actor_label,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "data": row.data,
    }


def _plain(prev, f):
    values = [f["occurred_at"], f["actor_id"], f["actor_label"], f["action"]]
    values += [f["object_type"], f["object_id"], f["data"]]
    return hashlib.sha256(_dump([prev, *values])).hexdigest()


def _keyed(prev, f):
    key = str(settings.CHAIN_KEY).encode("utf-8")
    return hmac.new(key, _dump([prev, f]), hashlib.sha256).hexdigest()


def _rechain(apps, old, new):
    event_model = apps.get_model("core", "AuditEvent")
    head_model = apps.get_model("core", "AuditHead")
    expected_old = new_prev = GENESIS_HASH
    last_id = None
    for row in event_model.objects.order_by("id").iterator(chunk_size=2000):
        fields = _fields(row)
        if row.prev_hash != expected_old or old(row.prev_hash, fields) != row.hash:
            raise RuntimeError(
                f"audit chain broken at row {row.pk} before re-keying; investigate "
                f"(docs/operations.md) / 감사 기록 체인이 {row.pk}번 행에서 깨져 있습니다."
            )
        digest = new(new_prev, fields)
        event_model.objects.filter(pk=row.pk).update(prev_hash=new_prev, hash=digest)
        expected_old, new_prev, last_id = row.hash, digest, row.pk
    head = head_model.objects.filter(pk=1).first()
    if head is not None and head.last_hash != expected_old:
        raise RuntimeError(
            "audit chain: the newest rows are missing (the head differs from the last row) "
            "/ 감사 기록 체인의 마지막 행들이 없습니다."
        )
    head_model.objects.update_or_create(
        pk=1, defaults={"last_hash": new_prev, "last_id": last_id}
    )


def forwards(apps, schema_editor):
    _rechain(apps, _plain, _keyed)


def backwards(apps, schema_editor):
    _rechain(apps, _keyed, _plain)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_head")]
    operations = [
        migrations.AddField(
            model_name="audithead",
            name="last_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
