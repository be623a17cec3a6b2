"""The access log's MACs are the documented HMAC of its canonical JSON (ADR 11),
written through core's one chain appender."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import pytest

from smartcity.core.domain.hash_chain import GENESIS_HASH
from smartcity.operations.models import VideoAccessHead
from smartcity.operations.selectors.linkage import verify_access_log
from smartcity.operations.services.video_log import append_access_entry

pytestmark = pytest.mark.django_db

KEY = "a" * 32


def test_stored_macs_are_hmac_sha256_of_the_documented_canonical_json(settings) -> None:
    settings.CHAIN_KEY = KEY
    first = append_access_entry(step="request", granted=False, reason="no_grant")
    second = append_access_entry(step="open", granted=False, reason="expired")
    for entry, prev in ((first, GENESIS_HASH), (second, first.hash)):
        covered = [
            prev,
            {
                "at": entry.at.astimezone(dt.UTC).isoformat(),
                "tenant": None, "officer": None, "officer_label": "", "agency": None,
                "agency_label": "", "camera": None, "incident": None, "grant": None,
                "step": entry.step, "granted": False, "reason": entry.reason,
                "legal_ground": "", "viewed_from": "", "viewed_until": "",
                "break_glass": False, "justification": "",
            },
        ]  # fmt: skip
        text = json.dumps(covered, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        expected = hmac.new(KEY.encode(), text.encode("utf-8"), hashlib.sha256).hexdigest()
        assert (entry.prev_hash, entry.hash) == (prev, expected)
    head = VideoAccessHead.objects.get()
    assert (head.last_id, head.last_hash) == (second.pk, second.hash)
    assert head.anchor_hash == GENESIS_HASH
    assert verify_access_log() is None
