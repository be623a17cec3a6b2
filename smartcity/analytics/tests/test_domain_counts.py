"""The national counts, from lifecycle facts (no database)."""

from __future__ import annotations

import datetime as dt

from smartcity.analytics.domain.counts import (
    ApplicantFact,
    DecisionFact,
    PeriodFact,
    lifecycle_counts,
)

D = dt.date


def test_decisions_count_in_their_year_and_group() -> None:
    table = lifecycle_counts(
        decisions=[
            DecisionFact(2021, "large", "new"),
            DecisionFact(2021, "small_medium", "new"),
            DecisionFact(2023, "large", "extension"),
            DecisionFact(2024, "service", "revocation"),
        ],
        periods=[],
        applicants=[ApplicantFact(2021, "large"), ApplicantFact(2021, "large")],
        today=D(2025, 1, 1),
    )
    assert table.years() == [2021, 2023, 2024]
    row = table.row(2021, "large")
    assert row is not None and (row.applicants, row.certified) == (2, 1)
    assert table.row(2023, "large").extended == 1  # type: ignore[union-attr]
    assert table.row(2024, "service").revoked == 1  # type: ignore[union-attr]


def test_a_period_that_ran_out_unextended_lapses_in_the_year_it_ended_once_past() -> None:
    periods = [
        PeriodFact("large", D(2021, 9, 10), D(2023, 9, 9), ""),  # lapsed
        PeriodFact("large", D(2022, 9, 29), D(2023, 11, 24), "extended"),  # continued
        PeriodFact("large", D(2024, 11, 25), D(2026, 11, 24), ""),  # still running
    ]
    table = lifecycle_counts(decisions=[], periods=periods, applicants=[], today=D(2025, 6, 1))
    assert table.row(2023, "large").lapsed == 1  # type: ignore[union-attr]
    assert sum(r.lapsed for r in table.rows) == 1


def test_valid_at_year_end_counts_periods_covering_31_december_or_today() -> None:
    periods = [
        PeriodFact("small_medium", D(2021, 9, 10), D(2023, 9, 9), ""),
        PeriodFact("small_medium", D(2022, 9, 29), D(2024, 9, 28), ""),
    ]
    table = lifecycle_counts(
        decisions=[
            DecisionFact(2021, "small_medium", "new"),
            DecisionFact(2022, "small_medium", "new"),
        ],
        periods=periods,
        applicants=[],
        today=D(2024, 1, 1),
    )
    assert [table.row(y, "small_medium").valid_at_year_end for y in (2021, 2022, 2023)] == [1, 2, 1]  # type: ignore[union-attr]


def test_city_decisions_without_a_class_are_kept_under_unclassified() -> None:
    table = lifecycle_counts(
        decisions=[DecisionFact(2022, "unclassified", "new")],
        periods=[],
        applicants=[],
        today=D(2025, 1, 1),
    )
    assert table.row(2022, "unclassified").certified == 1  # type: ignore[union-attr]
    assert table.totals_by_year()[0].certified == 1
