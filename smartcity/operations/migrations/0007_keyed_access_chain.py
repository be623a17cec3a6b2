"""Key the video access log's chain (docs/adr/0011): every kept entry is
checked against the old unkeyed SHA-256 chain from the head's anchor, then
re-chained with HMAC-SHA256 under ``SMARTCITY_CHAIN_KEY`` from the same anchor
(the pruning's audit row records it); the head learns the newest entry's id.
A chain that does not verify stops the migration, naming the entry. The
hashing is frozen here, independent of the code that later evolves."""

import datetime as dt
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models

GENESIS_HASH = "0" * 64


def _iso(value):
    return value.astimezone(dt.UTC).isoformat() if value else ""


def _fields(e):
    return {
        "at": _iso(e.at),
        "tenant": e.tenant_id,
        "officer": e.officer_id,
        "officer_label": e.officer_label,
        "agency": e.agency_id,
        "agency_label": e.agency_label,
        "camera": e.camera_id,
        "incident": e.incident_id,
        "grant": e.grant_id,
        "step": e.step,
        "granted": e.granted,
        "reason": e.reason,
        "legal_ground": e.legal_ground,
        "viewed_from": _iso(e.viewed_from),
        "viewed_until": _iso(e.viewed_until),
        "break_glass": e.break_glass,
        "justification": e.justification,
    }


def _dump(prev, fields):
    return json.dumps(
        [prev, fields], ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode("utf-8")


def _plain(prev, fields):
    return hashlib.sha256(_dump(prev, fields)).hexdigest()


def _keyed(prev, fields):
    key = str(settings.CHAIN_KEY).encode("utf-8")
    return hmac.new(key, _dump(prev, fields), hashlib.sha256).hexdigest()


def _rechain(apps, old, new):
    entry_model = apps.get_model("operations", "VideoAccessEntry")
    head_model = apps.get_model("operations", "VideoAccessHead")
    head = head_model.objects.filter(pk=1).first()
    start = head.anchor_hash if head is not None else GENESIS_HASH
    expected_old = new_prev = start
    last_id = None
    for row in entry_model.objects.order_by("id").iterator(chunk_size=2000):
        fields = _fields(row)
        if row.prev_hash != expected_old or old(row.prev_hash, fields) != row.hash:
            raise RuntimeError(
                f"video access log chain broken at entry {row.pk} before re-keying; "
                f"investigate / 영상 열람 기록 체인이 {row.pk}번 행에서 깨져 있습니다."
            )
        digest = new(new_prev, fields)
        entry_model.objects.filter(pk=row.pk).update(prev_hash=new_prev, hash=digest)
        expected_old, new_prev, last_id = row.hash, digest, row.pk
    if head is None:
        if last_id is not None:
            head_model.objects.create(
                pk=1, last_hash=new_prev, anchor_hash=GENESIS_HASH, last_id=last_id
            )
        return
    if last_id is None:
        # Everything was pruned: the chain starts again from the head.
        head_model.objects.filter(pk=1).update(last_id=None)
        return
    if head.last_hash != expected_old:
        raise RuntimeError(
            "video access log chain: the newest entries are missing (the head differs "
            "from the last entry) / 영상 열람 기록 체인의 마지막 행들이 없습니다."
        )
    head_model.objects.filter(pk=1).update(last_hash=new_prev, last_id=last_id)


def forwards(apps, schema_editor):
    _rechain(apps, _plain, _keyed)


def backwards(apps, schema_editor):
    _rechain(apps, _keyed, _plain)


class Migration(migrations.Migration):
    dependencies = [("operations", "0006_access_step_grant"), ("core", "0003_keyed_chain")]
    operations = [
        migrations.AddField(
            model_name="videoaccesshead",
            name="last_id",
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(forwards, backwards),
    ]
