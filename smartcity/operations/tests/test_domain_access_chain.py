"""The access log's chain and monthly review without a database."""

from __future__ import annotations

import datetime as dt

from smartcity.operations.domain.access_chain import (
    GENESIS_HASH,
    ChainEntry,
    entry_hash,
    verify_entries,
)
from smartcity.operations.domain.access_review import (
    REPEATED_REFUSALS,
    AccessEntry,
    month_bounds,
    monthly_review,
)

KST = dt.timezone(dt.timedelta(hours=9))


def chain(n: int, anchor: str = GENESIS_HASH) -> list[ChainEntry]:
    entries, prev = [], anchor
    for i in range(1, n + 1):
        fields = {"officer": f"o{i}", "granted": i % 2 == 0, "camera": i}
        digest = entry_hash(prev, fields)
        entries.append(ChainEntry(i, fields, prev, digest))
        prev = digest
    return entries


def test_an_untouched_chain_verifies_from_genesis_or_from_its_anchor() -> None:
    assert verify_entries(chain(5)) is None
    pruned = chain(5)[2:]
    assert verify_entries(pruned) is not None
    assert verify_entries(pruned, anchor=pruned[0].prev_hash) is None


def test_an_altered_or_removed_entry_is_named() -> None:
    entries = chain(5)
    altered = ChainEntry(3, {**entries[2].fields, "granted": True}, entries[2].prev_hash,
                         entries[2].hash)  # fmt: skip
    broken = verify_entries([*entries[:2], altered, *entries[3:]])
    assert broken is not None and (broken.entry_id, broken.reason) == (3, "hash_mismatch")
    gap = verify_entries([*entries[:2], *entries[3:]])
    assert gap is not None and (gap.entry_id, gap.reason) == (4, "prev_hash_mismatch")


def entry(i: int, *, officer: str = "kim", step: str = "open", granted: bool = True,
          reason: str = "", camera: int = 1, incident: int = 1) -> AccessEntry:  # fmt: skip
    return AccessEntry(
        id=i, at=dt.datetime(2026, 11, 2, tzinfo=KST), officer=officer, agency="112",
        camera_id=camera, incident_id=incident, grant_id=1, step=step, granted=granted,
        reason=reason, break_glass=step == "break_glass",
    )  # fmt: skip


def test_the_review_counts_views_refusals_and_lists_break_glass() -> None:
    review = monthly_review(
        "2026-11",
        [
            entry(1, step="request"),
            entry(2, camera=1),
            entry(3, camera=2),
            entry(4, granted=False, reason="expired"),
            entry(5, officer="lee", step="break_glass", incident=9),
            entry(6, officer="lee", granted=False, reason="other_agency"),
        ],
    )
    assert (review.attempts, review.views, review.refused) == (6, 2, 2)
    assert review.cameras == 2 and review.incidents == 1
    assert review.refusals == {"expired": 1, "other_agency": 1}
    assert [e.id for e in review.break_glass] == [5]
    assert review.needs_attention
    kim = next(line for line in review.officers if line.officer == "kim")
    assert (kim.views, kim.refused, kim.cameras) == (2, 1, 2)
    assert review.agencies == {"112": (2, 2)}


def test_repeated_refusals_of_one_officer_are_flagged() -> None:
    rows = [entry(i, granted=False, reason="expired") for i in range(REPEATED_REFUSALS)]
    assert monthly_review("2026-11", rows).flags == ["repeated_refusals:kim"]
    assert not monthly_review("2026-11", rows[:-1]).needs_attention


def test_month_bounds_cover_the_local_month_including_december() -> None:
    start, end = month_bounds("2026-12", KST)
    assert start == dt.datetime(2026, 12, 1, tzinfo=KST)
    assert end == dt.datetime(2027, 1, 1, tzinfo=KST)
