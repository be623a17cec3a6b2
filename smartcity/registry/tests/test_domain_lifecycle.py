"""The lifecycle rules of certification.md §6, one test per rule, plus properties."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity.registry.domain.lifecycle import (
    Decision,
    DecisionType,
    EndReason,
    ErrorCode,
    LifecyclePolicy,
    PeriodStatus,
    add_months,
    compute_lifecycle,
)

D = dt.date
NEW, EXT, REV = DecisionType.NEW, DecisionType.EXTENSION, DecisionType.REVOCATION


def decide(*items: tuple[DecisionType, dt.date]) -> list[Decision]:
    return [Decision(str(i), kind, day) for i, (kind, day) in enumerate(items)]


def test_new_certification_is_valid_for_two_years_less_a_day() -> None:
    lc = compute_lifecycle(decide((NEW, D(2021, 9, 10))))
    (period,) = lc.periods
    assert (period.valid_from, period.valid_until) == (D(2021, 9, 10), D(2023, 9, 9))
    assert lc.valid_on(D(2023, 9, 9)) is period
    assert lc.valid_on(D(2023, 9, 10)) is None
    assert period.status_on(D(2023, 9, 10)) is PeriodStatus.EXPIRED


def test_extension_in_grace_period_continues_without_gap() -> None:
    # The 2022 cohort: expired 2024-09-28, extended 2024-11-25.
    lc = compute_lifecycle(decide((NEW, D(2022, 9, 29)), (EXT, D(2024, 11, 25))))
    first, second = lc.periods
    assert first.valid_until == D(2024, 9, 28)
    assert first.ended_by is EndReason.EXTENDED
    assert second.valid_from == D(2024, 9, 29)
    assert second.valid_until == D(2026, 11, 24)
    assert second.granted_by is DecisionType.EXTENSION
    # No day in between is uncovered.
    day = D(2022, 9, 29)
    while day <= D(2026, 11, 24):
        assert lc.valid_on(day) is not None, day
        day += dt.timedelta(days=1)


def test_extension_before_expiry_starts_on_its_date() -> None:
    # The 2023 cohort: valid to 2025-12-20, extended on 2025-11-24.
    lc = compute_lifecycle(decide((NEW, D(2023, 12, 21)), (EXT, D(2025, 11, 24))))
    first, second = lc.periods
    assert first.valid_until == D(2025, 11, 23)
    assert (second.valid_from, second.valid_until) == (D(2025, 11, 24), D(2027, 11, 23))


def test_extension_after_grace_period_is_refused() -> None:
    lc = compute_lifecycle(decide((NEW, D(2021, 9, 10)), (EXT, D(2024, 3, 10))))
    assert [e.code for e in lc.errors] == [ErrorCode.EXTENSION_OF_LAPSED]
    assert lc.errors[0].params == {"expired_on": "2023-09-09", "grace_until": "2024-03-09"}
    assert len(lc.periods) == 1


def test_grace_period_end_is_inclusive() -> None:
    lc = compute_lifecycle(decide((NEW, D(2021, 9, 10)), (EXT, D(2024, 3, 9))))
    assert lc.errors == ()


def test_at_most_one_extension_by_default() -> None:
    lc = compute_lifecycle(
        decide((NEW, D(2020, 1, 1)), (EXT, D(2021, 12, 1)), (EXT, D(2023, 11, 1)))
    )
    assert [e.code for e in lc.errors] == [ErrorCode.TOO_MANY_EXTENSIONS]
    two = compute_lifecycle(
        decide((NEW, D(2020, 1, 1)), (EXT, D(2021, 12, 1)), (EXT, D(2023, 11, 1))),
        LifecyclePolicy(max_extensions=2),
    )
    assert two.errors == ()
    assert two.periods[-1].extension_number == 2


def test_new_certification_replaces_a_current_one() -> None:
    lc = compute_lifecycle(decide((NEW, D(2021, 9, 10)), (NEW, D(2022, 9, 29))))
    first, second = lc.periods
    assert first.valid_until == D(2022, 9, 28)
    assert first.ended_by is EndReason.REPLACED
    assert second.valid_from == D(2022, 9, 29)


def test_revocation_ends_validity_on_its_date() -> None:
    lc = compute_lifecycle(decide((NEW, D(2021, 9, 10)), (REV, D(2022, 1, 15))))
    (period,) = lc.periods
    assert period.valid_until == D(2022, 1, 14)
    assert period.status_on(D(2022, 1, 15)) is PeriodStatus.REVOKED
    assert lc.valid_on(D(2022, 1, 15)) is None


def test_revoked_certificate_cannot_be_extended() -> None:
    lc = compute_lifecycle(
        decide((NEW, D(2021, 9, 10)), (REV, D(2022, 1, 15)), (EXT, D(2023, 9, 1)))
    )
    assert [e.code for e in lc.errors] == [ErrorCode.EXTENSION_OF_REVOKED]


def test_extension_without_certificate_is_an_error() -> None:
    lc = compute_lifecycle(decide((EXT, D(2024, 11, 25))))
    assert [e.code for e in lc.errors] == [ErrorCode.EXTENSION_WITHOUT_CERTIFICATION]
    assert lc.periods == ()


def test_revocation_without_valid_certificate_is_an_error() -> None:
    lc = compute_lifecycle(decide((NEW, D(2019, 1, 1)), (REV, D(2022, 1, 1))))
    assert [e.code for e in lc.errors] == [ErrorCode.REVOCATION_WITHOUT_VALID_CERTIFICATION]


def test_same_decision_twice_is_a_duplicate() -> None:
    lc = compute_lifecycle(decide((NEW, D(2021, 9, 10)), (NEW, D(2021, 9, 10))))
    assert [e.code for e in lc.errors] == [ErrorCode.DUPLICATE_DECISION]


def test_extension_on_the_day_of_certification_is_refused() -> None:
    lc = compute_lifecycle(decide((NEW, D(2021, 9, 10)), (EXT, D(2021, 9, 10))))
    assert [e.code for e in lc.errors] == [ErrorCode.EXTENSION_SAME_DAY]


def test_leap_day_certificate_ends_on_the_last_day_of_february() -> None:
    lc = compute_lifecycle(decide((NEW, D(2024, 2, 29))))
    assert lc.periods[0].valid_until == D(2026, 2, 27)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert add_months(D(2023, 12, 31), 2) == D(2024, 2, 29)


def test_not_yet_valid_before_the_decision() -> None:
    lc = compute_lifecycle(decide((NEW, D(2021, 9, 10))))
    assert lc.periods[0].status_on(D(2021, 9, 9)) is PeriodStatus.NOT_YET


decisions_strategy = st.lists(
    st.tuples(
        st.sampled_from([NEW, EXT, REV]),
        st.dates(min_value=D(2019, 1, 1), max_value=D(2030, 12, 31)),
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(decisions_strategy)
def test_periods_never_overlap_and_are_never_negative_beyond_a_day(items) -> None:  # type: ignore[no-untyped-def]
    lc = compute_lifecycle(decide(*items))
    for earlier, later in zip(lc.periods, lc.periods[1:], strict=False):
        assert earlier.valid_until < later.valid_from
    for period in lc.periods:
        assert period.valid_until >= period.valid_from - dt.timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(decisions_strategy)
def test_order_of_input_does_not_matter(items) -> None:  # type: ignore[no-untyped-def]
    forward = compute_lifecycle(decide(*items))
    backward = compute_lifecycle(list(reversed(decide(*items))))
    assert forward == backward


@settings(max_examples=300, deadline=None)
@given(decisions_strategy, st.dates(min_value=D(2019, 1, 1), max_value=D(2033, 12, 31)))
def test_at_most_one_period_valid_on_any_day(items, day) -> None:  # type: ignore[no-untyped-def]
    lc = compute_lifecycle(decide(*items))
    assert sum(1 for p in lc.periods if p.covers(day)) <= 1
