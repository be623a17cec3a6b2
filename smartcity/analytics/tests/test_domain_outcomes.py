"""The outcome figures' arithmetic, without the database."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from smartcity.analytics.domain.evidence import (
    CENTRE_RUNNING,
    LINKED_SERVICES,
    IndicatorFacts,
    evidence_kind,
)
from smartcity.analytics.domain.outcomes import (
    GrantFact,
    RefusalFact,
    TimingFact,
    clock,
    month_of,
    outcomes,
)

UTC = dt.UTC


def test_months_are_korean_time() -> None:
    # 31 Jan 16:00 UTC is already 1 Feb in Korea.
    assert month_of(dt.datetime(2026, 1, 31, 16, 0, tzinfo=UTC)) == "2026-02"


def test_shares_medians_and_dropped_negative_times() -> None:
    at = dt.datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    result = outcomes(
        [GrantFact(at, "A", "police", False), GrantFact(at, "A", "police", True)],
        [RefusalFact(at, "A", "police", "not_video_crime")],
        [
            TimingFact(at, at + dt.timedelta(seconds=60), "A"),
            TimingFact(at, at + dt.timedelta(seconds=120), "A"),
            TimingFact(at, at + dt.timedelta(seconds=600), "A"),
            TimingFact(at, at - dt.timedelta(seconds=5), "A"),
        ],
    )
    assert result.total.provisions == 2 and result.total.break_glass == 1
    assert result.total.refused_share == Fraction(1, 3)
    assert result.total.median_seconds == 120
    assert result.negative_times == 1
    assert result.reasons == {"not_video_crime": 1}
    assert list(result.by_month) == ["2026-03"]


def test_clock_format() -> None:
    assert clock(None) == "—"
    assert clock(95.4) == "1:35"
    assert clock(3725) == "1:02:05"


def test_indicators_are_matched_by_name_not_code() -> None:
    assert evidence_kind(IndicatorFacts("X.1", "도시통합운영센터 연계 서비스 수", "bands")) == (
        LINKED_SERVICES
    )
    assert evidence_kind(IndicatorFacts("Y.2", "도시통합운영센터 구축·운영", "yes_no")) == (
        CENTRE_RUNNING
    )
    assert evidence_kind(IndicatorFacts("Z.3", "CCTV 통합관제율(%)", "linear")) == ""
