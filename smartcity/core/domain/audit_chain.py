"""The audit log's hash chain, as pure functions.

Each row's hash covers its own content and the previous row's hash, so a row
altered, inserted or deleted directly in the database breaks every hash after
it. Verification walks the rows in order and names the first that fails.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class ChainRow:
    """What the chain covers of one audit row."""

    id: int
    occurred_at: str  # ISO 8601, UTC
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    data: Mapping[str, Any]
    prev_hash: str
    hash: str


def row_hash(
    *,
    prev_hash: str,
    occurred_at: str,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    data: Mapping[str, Any],
) -> str:
    """The SHA-256 of a canonical JSON of the row and its predecessor's hash."""
    payload = json.dumps(
        [prev_hash, occurred_at, actor_id, actor_label, action, object_type, object_id, data],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first row at which the chain fails, and why."""

    row_id: int
    reason: str  # "prev_hash_mismatch" | "hash_mismatch"


def verify_chain(rows: Iterable[ChainRow]) -> ChainBreak | None:
    """Return the first break in ``rows`` (given in insertion order), or None."""
    expected_prev = GENESIS_HASH
    for row in rows:
        if row.prev_hash != expected_prev:
            return ChainBreak(row.id, "prev_hash_mismatch")
        recomputed = row_hash(
            prev_hash=row.prev_hash,
            occurred_at=row.occurred_at,
            actor_id=row.actor_id,
            actor_label=row.actor_label,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            data=row.data,
        )
        if recomputed != row.hash:
            return ChainBreak(row.id, "hash_mismatch")
        expected_prev = row.hash
    return None
