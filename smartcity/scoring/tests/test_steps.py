"""The improvement steps offered per rule: concrete, ordered, strictly better."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartcity.scoring import (
    BandsRule,
    LinearRule,
    MissingContextError,
    NormalisedCountRule,
    ScoringContext,
    YesNoRule,
)
from smartcity.scoring.inputs import ObservationValue
from smartcity.scoring.rules import Rule
from smartcity.scoring.steps import improvement_options
from smartcity.scoring.tests.builders import MATURITY, ind

D = Decimal
HIGHER = BandsRule("higher_better", ((D(1), D("0.4")), (D(3), D("0.7")), (D(5), D(1))))
LOWER = BandsRule("lower_better", ((D(2), D("0.4")), (D(1), D("0.7")), (D(0), D(1))))


def options(
    rule: Rule, current: ObservationValue | None, context: ScoringContext | None = None
) -> list[tuple[ObservationValue, int]]:
    """(value, steps) pairs for one indicator with ``rule``."""
    return [(o.value, o.steps) for o in improvement_options(ind("X", rule), current, context)]


def test_yes_no_offers_yes_unless_already_yes() -> None:
    assert options(YesNoRule(), None) == [(True, 1)]
    assert options(YesNoRule(), False) == [(True, 1)]
    assert options(YesNoRule(), True) == []


def test_maturity_offers_every_higher_stage() -> None:
    assert options(MATURITY, None) == [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]
    assert options(MATURITY, 3) == [(4, 1), (5, 2)]
    assert options(MATURITY, 5) == []


def test_bands_offer_each_better_threshold() -> None:
    assert options(HIGHER, None) == [(D(1), 1), (D(3), 2), (D(5), 3)]
    assert options(HIGHER, D(3)) == [(D(5), 1)]
    assert options(HIGHER, D(9)) == []
    assert options(LOWER, D("1.5")) == [(D(1), 1), (D(0), 2)]


def test_linear_offers_tenths_of_the_range() -> None:
    rising = options(LinearRule(D(0), D(20), "higher_better"), D(15))
    assert rising == [(D(16), 1), (D(18), 2), (D(20), 3)]
    falling = options(LinearRule(D(30), D(5), "lower_better"), D("10"))
    assert falling == [(D("7.5"), 1), (D(5), 2)]


def test_normalised_counts_become_whole_counts_for_the_applicant() -> None:
    # Per 100,000 residents, for 250,000 residents: thresholds 1, 3, 5 → 2.5, 7.5, 12.5 → 3, 8, 13.
    rule = NormalisedCountRule("population", D(100_000), HIGHER)
    context = ScoringContext(population=250_000)
    assert options(rule, None, context) == [(D(3), 1), (D(8), 2), (D(13), 3)]
    assert options(rule, D(8), context) == [(D(13), 1)]


def test_lower_better_counts_round_down_and_never_go_negative() -> None:
    below_zero = BandsRule("lower_better", ((D(2), D("0.5")), (D(-1), D(1))))
    rule = NormalisedCountRule("population", D(1000), below_zero)
    context = ScoringContext(population=1500)
    assert options(rule, D(10), context) == [(D(3), 1)]


def test_thresholds_reaching_the_same_whole_count_are_offered_once() -> None:
    close = BandsRule("higher_better", ((D(1), D("0.5")), (D("1.2"), D(1))))
    rule = NormalisedCountRule("population", D(100_000), close)
    assert options(rule, None, ScoringContext(population=10_000)) == [(D(1), 1)]


def test_normalised_steps_need_the_context() -> None:
    rule = NormalisedCountRule("area_km2", D(1), HIGHER)
    with pytest.raises(MissingContextError):
        options(rule, None, None)
