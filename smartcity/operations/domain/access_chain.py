"""The video access log's hash chain, as pure functions.

The same construction as the audit log's chain (``core.domain.audit_chain``):
each entry's hash covers its canonical content and the previous entry's hash,
so an entry altered, inserted or deleted behind the product's back breaks
every hash after it. The log is pruned after its retention period, so the
chain starts from an *anchor* — the hash the first kept entry points to.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def entry_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """SHA-256 over a canonical JSON of the previous hash and the entry's fields."""
    payload = json.dumps(
        [prev_hash, dict(fields)],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainEntry:
    id: int
    fields: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str  # "prev_hash_mismatch" | "hash_mismatch"


def verify_entries(entries: Iterable[ChainEntry], anchor: str = GENESIS_HASH) -> ChainBreak | None:
    """The first entry (in insertion order) at which the chain fails, or ``None``."""
    expected = anchor
    for entry in entries:
        if entry.prev_hash != expected:
            return ChainBreak(entry.id, "prev_hash_mismatch")
        if entry_hash(entry.prev_hash, entry.fields) != entry.hash:
            return ChainBreak(entry.id, "hash_mismatch")
        expected = entry.hash
    return None
