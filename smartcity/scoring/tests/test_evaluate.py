"""Each rule turns a claim into a share of the points, and refuses claims of the wrong type."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from smartcity.scoring import (
    BandsRule,
    InvalidStageError,
    InvalidValueError,
    LinearRule,
    MaturityRule,
    MissingContextError,
    NormalisedCountRule,
    ScoringContext,
    WrongValueTypeError,
    YesNoRule,
)
from smartcity.scoring.evaluate import evaluate
from smartcity.scoring.inputs import ObservationValue
from smartcity.scoring.rules import Rule
from smartcity.scoring.tests.builders import MATURITY, ind

D = Decimal
HIGHER = BandsRule("higher_better", ((D(1), D("0.4")), (D(3), D("0.7")), (D(5), D(1))))
LOWER = BandsRule("lower_better", ((D(30), D("0.5")), (D(10), D(1))))
PER_100K = NormalisedCountRule("population", D(100_000), HIGHER)
PER_KM2 = NormalisedCountRule("area_km2", D(1), LinearRule(D(0), D(4), "higher_better"))
CONTEXT = ScoringContext(population=200_000, area_km2=D(50))


def share(
    rule: Rule, value: ObservationValue, context: ScoringContext | None = CONTEXT
) -> Fraction:
    return evaluate(ind("X", rule), value, context).share


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D(0), 0), (D("0.99"), 0), (D(1), Fraction(2, 5)), (D(4), Fraction(7, 10)), (D(99), 1)],
)
def test_higher_bands_give_the_best_band_reached(value: Decimal, expected: Fraction) -> None:
    assert share(HIGHER, value) == expected


@pytest.mark.parametrize(("value", "expected"), [(D(31), 0), (D(30), Fraction(1, 2)), (D(2), 1)])
def test_lower_bands_reward_smaller_values(value: Decimal, expected: Fraction) -> None:
    assert share(LOWER, value) == expected


def test_bands_trace_names_the_band_or_says_none_was_reached() -> None:
    matched = evaluate(ind("X", HIGHER), D(4), None).trace[0]
    assert matched.code == "indicator.band_matched"
    assert matched.params["threshold"] == "3"
    assert evaluate(ind("X", HIGHER), D(0), None).trace[0].code == "indicator.below_lowest_band"


def test_unordered_bands_still_never_pay_less_for_a_better_value() -> None:
    messy = BandsRule("higher_better", ((D(5), D(1)), (D(1), D("0.4")), (D(3), D("0.3"))))
    assert share(messy, D(4)) == Fraction(2, 5)
    assert share(messy, D(6)) == 1


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        (LinearRule(D(0), D(20), "higher_better"), D(-5), 0),
        (LinearRule(D(0), D(20), "higher_better"), D(5), Fraction(1, 4)),
        (LinearRule(D(0), D(20), "higher_better"), D(25), 1),
        (LinearRule(D(30), D(5), "lower_better"), D(10), Fraction(4, 5)),
        (LinearRule(D(30), D(5), "lower_better"), D(40), 0),
        (LinearRule(D(5), D(5), "higher_better"), D(5), 1),
        (LinearRule(D(5), D(5), "higher_better"), D(4), 0),
        (LinearRule(D(5), D(5), "lower_better"), D(4), 1),
        (LinearRule(D(5), D(5), "lower_better"), D(6), 0),
    ],
)
def test_linear_is_zero_at_floor_full_at_target_and_clamped(
    rule: LinearRule, value: Decimal, expected: Fraction
) -> None:
    assert share(rule, value) == expected


def test_yes_earns_everything_and_no_nothing() -> None:
    assert share(YesNoRule(), True) == 1
    assert share(YesNoRule(), False) == 0


@pytest.mark.parametrize(("stage", "expected"), [(1, Fraction(1, 5)), (3, Fraction(3, 5)), (5, 1)])
def test_maturity_stage_k_earns_k_fifths_by_default(stage: int, expected: Fraction) -> None:
    assert share(MATURITY, stage) == expected


def test_maturity_shares_are_framework_data() -> None:
    custom = MaturityRule((D(0), D("0.1"), D("0.5"), D("0.9"), D(1)))
    assert share(custom, 2) == Fraction(1, 10)


@pytest.mark.parametrize("stage", [0, 6, -1])
def test_stage_outside_one_to_five_is_refused(stage: int) -> None:
    with pytest.raises(InvalidStageError) as caught:
        share(MATURITY, stage)
    assert (caught.value.indicator_code, caught.value.problem) == ("X", "stage_out_of_range")


@pytest.mark.parametrize(
    ("rule", "value", "problem"),
    [
        (YesNoRule(), 1, "expected_bool"),
        (MATURITY, True, "expected_stage"),
        (MATURITY, D(3), "expected_stage"),
        (HIGHER, 1.5, "expected_decimal"),
        (HIGHER, True, "expected_decimal"),
        (HIGHER, "3", "expected_decimal"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused(rule: Rule, value: object, problem: str) -> None:
    with pytest.raises(WrongValueTypeError) as caught:
        share(rule, value)  # type: ignore[arg-type]
    assert caught.value.problem == problem
    assert caught.value.indicator_code == "X"


def test_integers_are_exact_quantitative_values() -> None:
    assert share(HIGHER, 3) == Fraction(7, 10)


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity")])
def test_non_finite_values_are_refused(value: Decimal) -> None:
    with pytest.raises(InvalidValueError, match="value_not_finite"):
        share(HIGHER, value)


def test_counts_are_normalised_by_population() -> None:
    # 6 patents for 200,000 residents = 3 per 100,000 → the 0.7 band.
    assert share(PER_100K, D(6)) == Fraction(7, 10)
    first = evaluate(ind("X", PER_100K), D(6), CONTEXT).trace[0]
    assert first.code == "indicator.normalised"
    assert first.params["normalised"] == "3"


def test_counts_are_normalised_by_area() -> None:
    # 100 cameras on 50 km² = 2 per km² → half-way to 4.
    assert share(PER_KM2, D(100)) == Fraction(1, 2)


@pytest.mark.parametrize(
    ("rule", "context", "problem"),
    [
        (PER_100K, None, "missing_population"),
        (PER_100K, ScoringContext(area_km2=D(5)), "missing_population"),
        (PER_KM2, ScoringContext(population=10), "missing_area_km2"),
        (PER_100K, ScoringContext(population=0), "population_not_positive"),
        (PER_KM2, ScoringContext(area_km2=D(-1)), "area_km2_not_positive"),
    ],
)
def test_normalised_counts_need_a_positive_denominator(
    rule: Rule, context: ScoringContext | None, problem: str
) -> None:
    with pytest.raises(MissingContextError) as caught:
        share(rule, D(1), context)
    assert caught.value.problem == problem


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="negative_count"):
        share(PER_100K, D(-1))
