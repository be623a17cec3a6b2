"""The access log's monthly review without a database (its chain:
``core/tests/test_domain_hash_chain.py``)."""

from __future__ import annotations

import datetime as dt

from smartcity.operations.domain.access_review import (
    REPEATED_REFUSALS,
    AccessEntry,
    month_bounds,
    monthly_review,
)

KST = dt.timezone(dt.timedelta(hours=9))


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
