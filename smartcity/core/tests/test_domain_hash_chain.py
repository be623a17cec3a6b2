"""The keyed hash chain shared by the audit log and the video access log,
without a database."""

from __future__ import annotations

import hashlib

import pytest

from smartcity.core.domain.hash_chain import (
    GENESIS_HASH,
    MEMBERS,
    Anchor,
    Head,
    Link,
    first_broken_member,
    link_hash,
    member_macs,
    verify_links,
)

KEY = b"k" * 32


def chain(n: int, *, start: str = GENESIS_HASH, key: bytes = KEY, first: int = 1) -> list[Link]:
    links, prev = [], start
    for i in range(first, first + n):
        fields = {"officer": f"o{i}", "granted": i % 2 == 0, "camera": i, "note": "값"}
        digest = link_hash(prev, fields, key=key)
        links.append(Link(i, fields, prev, digest))
        prev = digest
    return links


def head_of(links: list[Link]) -> Head:
    return Head(last_id=links[-1].id, last_hash=links[-1].hash)


def test_an_untouched_chain_verifies_from_genesis_or_from_its_pruning_start() -> None:
    links = chain(5)
    assert verify_links(links, key=KEY, head=head_of(links)) is None
    kept = links[2:]
    assert verify_links(kept, key=KEY, head=head_of(links)) is not None
    assert verify_links(kept, key=KEY, start=kept[0].prev_hash, head=head_of(links)) is None


def test_an_altered_or_removed_row_is_named() -> None:
    links = chain(5)
    altered = Link(3, {**links[2].fields, "granted": True}, links[2].prev_hash, links[2].hash)
    broken = verify_links([*links[:2], altered, *links[3:]], key=KEY, head=head_of(links))
    assert broken is not None and (broken.row_id, broken.reason) == (3, "hash_mismatch")
    gap = verify_links([*links[:2], *links[3:]], key=KEY, head=head_of(links))
    assert gap is not None and (gap.row_id, gap.reason) == (4, "prev_hash_mismatch")


def test_deleting_the_newest_rows_or_all_rows_is_named_against_the_head() -> None:
    links = chain(5)
    broken = verify_links(links[:3], key=KEY, head=head_of(links))
    assert broken is not None
    assert (broken.row_id, broken.reason, broken.expected_last_id) == (3, "rows_missing_at_end", 5)
    assert "rows after #3 are missing: the head points to row #5" in broken.describe()
    emptied = verify_links([], key=KEY, head=head_of(links))
    assert emptied is not None and (emptied.reason, emptied.expected_last_id) == (
        "rows_missing_at_end",
        5,
    )
    headless = verify_links(links, key=KEY, head=None)
    assert headless is not None and headless.reason == "head_missing"
    assert verify_links([], key=KEY, head=None) is None


def test_a_chain_rewritten_without_the_key_is_detected() -> None:
    """Someone with write access recomputes every hash, as the old unkeyed
    chain allowed: plain SHA-256, or HMAC under a guessed key."""
    links = chain(4)
    forged, prev = [], GENESIS_HASH
    for link in links:
        fields = {**link.fields, "granted": True}
        digest = hashlib.sha256(repr((prev, fields)).encode()).hexdigest()
        forged.append(Link(link.id, fields, prev, digest))
        prev = digest
    broken = verify_links(forged, key=KEY, head=head_of(forged))
    assert broken is not None and (broken.row_id, broken.reason) == (1, "hash_mismatch")
    guessed = chain(4, key=b"insecure-development-chain-key-never-use-in-production")
    broken = verify_links(guessed, key=KEY, head=head_of(guessed))
    assert broken is not None and (broken.row_id, broken.reason) == (1, "hash_mismatch")


def test_a_published_anchor_catches_rows_deleted_with_the_head_rewound() -> None:
    links = chain(6)
    anchor = Anchor("audit", links[4].id, links[4].hash, "2026-12-01T00:00:00+00:00")
    assert verify_links(links, key=KEY, head=head_of(links), anchor=anchor) is None
    # The newest rows and the head, rewound together, look consistent ...
    rewound = links[:3]
    assert verify_links(rewound, key=KEY, head=head_of(rewound)) is None
    # ... but not against the anchor published before.
    broken = verify_links(rewound, key=KEY, head=head_of(rewound), anchor=anchor)
    assert broken is not None
    assert (broken.row_id, broken.reason, broken.expected_last_id) == (3, "anchor_row_missing", 5)
    other = Anchor("audit", links[4].id, "f" * 64)
    broken = verify_links(links, key=KEY, head=head_of(links), anchor=other)
    assert broken is not None and (broken.row_id, broken.reason) == (5, "anchor_hash_mismatch")


def test_an_anchor_older_than_the_kept_rows_is_pruned_with_them() -> None:
    links = chain(6)
    anchor = Anchor("video-access", links[1].id, links[1].hash)
    kept = links[3:]
    start = kept[0].prev_hash
    assert verify_links(kept, key=KEY, start=start, head=head_of(links), anchor=anchor) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nope", "not JSON"),
        ("[1]", "JSON object"),
        ('{"chain": "audit", "last_id": 0, "hash": "' + "a" * 64 + '"}', "last_id"),
        ('{"chain": "audit", "last_id": 3, "hash": "abc"}', "hash"),
        ('{"last_id": 3, "hash": "' + "a" * 64 + '"}', "chain"),
    ],
)
def test_a_malformed_anchor_says_which_field_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Anchor.from_json(text)


def test_an_anchor_round_trips_through_json() -> None:
    anchor = Anchor("audit", 7, "a" * 64, "2026-12-01T00:00:00+00:00")
    assert Anchor.from_json(anchor.to_json()) == anchor


def group_row(prev: str, events: list[dict[str, object]]) -> Link:
    members = member_macs(prev, events, key=KEY)
    fields = {"action": "group", "data": {"count": len(members), MEMBERS: members}}
    return Link(1, fields, prev, link_hash(prev, fields, key=KEY))


def test_each_event_of_a_group_row_is_chained_and_the_first_broken_one_is_named() -> None:
    events: list[dict[str, object]] = [{"object_id": str(n), "data": {"n": n}} for n in range(4)]
    row = group_row(GENESIS_HASH, events)
    assert verify_links([row], key=KEY, head=Head(1, row.hash)) is None
    members = row.fields["data"][MEMBERS]
    for change in (
        lambda m: m[2]["data"].update(n=99),  # altered
        lambda m: m.pop(2),  # removed from the middle
        lambda m: m.insert(2, dict(m[1])),  # a copy inserted
        lambda m: m[2].pop("mac"),  # its MAC stripped
    ):
        tampered = [dict(m, data=dict(m["data"])) for m in members]
        change(tampered)
        fields = {**row.fields, "data": {"count": 4, MEMBERS: tampered}}
        assert first_broken_member(GENESIS_HASH, fields, key=KEY) == 2
        broken = verify_links([Link(1, fields, row.prev_hash, row.hash)], key=KEY, head=None)
        assert broken is not None and (broken.reason, broken.member) == ("event_hash_mismatch", 2)
    shortened = {**row.fields, "data": {"count": 4, MEMBERS: members[:3]}}
    assert first_broken_member(GENESIS_HASH, shortened, key=KEY) == 3
    # Re-chained without the key: every MAC differs.
    forged = member_macs(GENESIS_HASH, events, key=b"x" * 32)
    assert first_broken_member(GENESIS_HASH, {"data": {MEMBERS: forged}}, key=KEY) == 0
    assert first_broken_member(GENESIS_HASH, {"data": {"n": 1}}, key=KEY) is None
