"""Keyed hash chains, as pure functions (the audit log and the video access log).

Each row's MAC covers its canonical content and the previous row's MAC, keyed
with a secret kept outside the database (``SMARTCITY_CHAIN_KEY``,
docs/adr/0011). So:

- a row altered, inserted or deleted in the middle breaks the link after it;
- someone who can write to the database but lacks the key cannot recompute
  the chain after rewriting it;
- the newest rows deleted are caught by comparing the chain's end with the
  head row, and — when the head row was rewound too — with an *anchor*, a
  head published outside the database (a file, the operator's e-mail).

Verification walks the rows in insertion order and names the first problem.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64
ALGORITHM = "hmac-sha256"
MEMBERS = "chained_events"
"""A group row's ``data`` key for its events (one row per group commit of
intake, ADR 0023): each event carries its own MAC, chained from the row's
predecessor, so verification names the first altered event, not just the row."""


def canonical(prev_hash: str, fields: Mapping[str, Any]) -> bytes:
    """The bytes a row's MAC covers: its predecessor's MAC and its fields."""
    return json.dumps(
        [prev_hash, dict(fields)],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    ).encode("utf-8")


def link_hash(prev_hash: str, fields: Mapping[str, Any], *, key: bytes) -> str:
    """HMAC-SHA256 (hex) of the row's canonical bytes under ``key``."""
    if not key:
        raise ValueError("a chain needs a non-empty key")
    return hmac.new(key, canonical(prev_hash, fields), hashlib.sha256).hexdigest()


def member_macs(
    prev_hash: str, members: Iterable[Mapping[str, Any]], *, key: bytes
) -> list[dict[str, Any]]:
    """``members`` (the events of one group row), each with its ``mac``: the
    first chained to ``prev_hash`` (the row's predecessor), each next to the one
    before it."""
    chained: list[dict[str, Any]] = []
    previous = prev_hash
    for member in members:
        body = {name: value for name, value in member.items() if name != "mac"}
        previous = link_hash(previous, body, key=key)
        chained.append(body | {"mac": previous})
    return chained


def first_broken_member(prev_hash: str, fields: Mapping[str, Any], *, key: bytes) -> int | None:
    """The index of the first event of a group row whose MAC does not match
    (altered, removed, or inserted), or ``None`` (or not a group row)."""
    data = fields.get("data")
    members = data.get(MEMBERS) if isinstance(data, Mapping) else None
    if not isinstance(members, list):
        return None
    previous = prev_hash
    for index, member in enumerate(members):
        if not isinstance(member, Mapping) or not isinstance(member.get("mac"), str):
            return index
        body = {name: value for name, value in member.items() if name != "mac"}
        if not hmac.compare_digest(link_hash(previous, body, key=key), member["mac"]):
            return index
        previous = member["mac"]
    count = data.get("count") if isinstance(data, Mapping) else None
    if isinstance(count, int) and count != len(members):
        return min(count, len(members))  # events removed from (or added to) the end
    return None


@dataclass(frozen=True)
class Link:
    """What the chain covers of one row, and the MACs stored with it."""

    id: int
    fields: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Head:
    """The database's head row: the newest row's id and MAC."""

    last_id: int | None
    last_hash: str


@dataclass(frozen=True)
class Anchor:
    """A head published outside the database (``audit anchor``)."""

    chain: str
    last_id: int
    hash: str
    at: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {"chain": self.chain, "last_id": self.last_id, "hash": self.hash, "at": self.at},
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Anchor:
        """Parse one published anchor; ``ValueError`` says what is wrong."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON: {exc.msg} at character {exc.pos}") from exc
        if not isinstance(data, dict):
            raise ValueError("an anchor is a JSON object")
        chain, last_id, digest = data.get("chain"), data.get("last_id"), data.get("hash")
        if not isinstance(chain, str) or not chain:
            raise ValueError("field 'chain' is missing")
        if not isinstance(last_id, int) or isinstance(last_id, bool) or last_id < 1:
            raise ValueError("field 'last_id' must be a positive integer")
        if not isinstance(digest, str) or len(digest) != 64:
            raise ValueError("field 'hash' must be 64 hexadecimal characters")
        return cls(chain=chain, last_id=last_id, hash=digest, at=str(data.get("at", "")))


@dataclass(frozen=True)
class ChainBreak:
    """The first problem found, the row it concerns and what is wrong."""

    row_id: int | None
    reason: str
    """``prev_hash_mismatch`` (a row before this one is missing or was altered),
    ``hash_mismatch`` (this row was altered, or rewritten without the key),
    ``event_hash_mismatch`` (one event of a group row was altered: ``member``),
    ``rows_missing_at_end`` (the head names a newer row than the last one),
    ``head_missing`` (rows exist but no head row),
    ``start_unrecorded`` (a pruned chain's start differs from the audit log's),
    ``anchor_row_missing`` / ``anchor_hash_mismatch`` (the published anchor's
    row is gone or differs)."""
    expected_last_id: int | None = None
    """For the ``*_missing*`` reasons: the newest row that should exist."""
    member: int | None = None
    """For ``event_hash_mismatch``: the index (from 0) of the first broken
    event of a group row."""

    def describe(self) -> str:
        """A one-line, bilingual (Korean / English) account for operators."""
        row = "-" if self.row_id is None else f"#{self.row_id}"
        event = "?" if self.member is None else str(self.member + 1)
        want = "?" if self.expected_last_id is None else f"#{self.expected_last_id}"
        texts = {
            "prev_hash_mismatch": (
                f"{row}번 행의 앞 행이 없거나 바뀌었습니다",
                f"the row before {row} is missing or was altered",
            ),
            "hash_mismatch": (
                f"{row}번 행이 바뀌었거나 키 없이 다시 계산되었습니다",
                f"row {row} was altered or its MAC recomputed without the key",
            ),
            "event_hash_mismatch": (
                f"{row}번 행(묶음 기록)의 {event}번째 사건이 바뀌었거나 빠졌습니다",
                f"event {event} of row {row} (a group row) was altered or removed",
            ),
            "rows_missing_at_end": (
                f"마지막 행({row}) 뒤의 행이 없습니다: 헤드는 {want}번 행까지를 가리킵니다",
                f"rows after {row} are missing: the head points to row {want}",
            ),
            "head_missing": (
                "체인 헤드 행이 없습니다",
                "the chain's head row is missing",
            ),
            "anchor_row_missing": (
                f"공개된 앵커의 {want}번 행까지가 없습니다 (마지막 행 {row})",
                f"rows up to {want}, published in the anchor, are missing (last row {row})",
            ),
            "start_unrecorded": (
                "체인 시작 해시가 감사 기록의 보존기간 삭제 기록과 다릅니다",
                "the chain's start hash differs from the pruning recorded in the audit log",
            ),
            "anchor_hash_mismatch": (
                f"{row}번 행이 공개된 앵커와 다릅니다",
                f"row {row} differs from the published anchor",
            ),
        }
        korean, english = texts.get(self.reason, (self.reason, self.reason))
        return f"{english} ({self.reason}); {korean}."


def verify_links(
    links: Iterable[Link],
    *,
    key: bytes,
    start: str = GENESIS_HASH,
    head: Head | None,
    anchor: Anchor | None = None,
) -> ChainBreak | None:
    """The first problem in ``links`` (in insertion order), or ``None``.

    ``start`` is what the first kept row points to (genesis, or the hash the
    pruning recorded); ``head`` is the head row (``None``: there is none);
    ``anchor`` a head published earlier, which must still be in the chain.
    """
    expected = start
    first_id: int | None = None
    last_id: int | None = None
    anchor_seen = False
    for link in links:
        if first_id is None:
            first_id = link.id
        if link.prev_hash != expected:
            return ChainBreak(link.id, "prev_hash_mismatch")
        broken = first_broken_member(link.prev_hash, link.fields, key=key)
        if broken is not None:
            return ChainBreak(link.id, "event_hash_mismatch", member=broken)
        if not hmac.compare_digest(link_hash(link.prev_hash, link.fields, key=key), link.hash):
            return ChainBreak(link.id, "hash_mismatch")
        if anchor is not None and link.id == anchor.last_id:
            if link.hash != anchor.hash:
                return ChainBreak(link.id, "anchor_hash_mismatch", anchor.last_id)
            anchor_seen = True
        expected = link.hash
        last_id = link.id
    if head is None:
        if last_id is not None:
            return ChainBreak(last_id, "head_missing")
    elif head.last_hash != expected:
        return ChainBreak(last_id, "rows_missing_at_end", head.last_id)
    if anchor is not None and not anchor_seen:
        # An anchor older than every kept row was pruned with them (the access
        # log's retention); any other unseen anchor means rows are gone.
        pruned = start != GENESIS_HASH and (first_id is None or anchor.last_id < first_id)
        if not pruned:
            return ChainBreak(last_id, "anchor_row_missing", anchor.last_id)
    return None
