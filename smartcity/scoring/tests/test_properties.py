"""Invariants of the engine over generated frameworks, claims and committee scores."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from smartcity.scoring import (
    Framework,
    Indicator,
    Observation,
    Review,
    framework_from_dict,
    framework_to_dict,
    score,
)
from smartcity.scoring.rules import BandsRule, LinearRule, MaturityRule, NormalisedCountRule
from smartcity.scoring.tests.builders import PROPERTY
from smartcity.scoring.tests.strategies import (
    CONTEXT,
    frameworks,
    indicators,
    observations,
    reviews,
    values,
)


@PROPERTY
@given(data=st.data(), fw=frameworks())
def test_totals_stay_within_zero_and_the_maximum_and_tables_add_up(
    data: st.DataObject, fw: Framework
) -> None:
    result = score(fw, data.draw(observations(fw)), data.draw(reviews(fw)), context=CONTEXT)
    assert 0 <= result.total <= result.max_total
    assert 0 <= result.exact_total <= result.max_total
    assert sum(area.points for area in result.areas) == result.total
    for area in result.areas:
        assert sum(item.points for item in area.items) == area.points
        for item in area.items:
            assert sum(i.points for i in item.indicators) == item.points
            assert all(0 <= i.points <= i.max_points for i in item.indicators)


def better(data: st.DataObject, indicator: Indicator, current: object) -> object:
    """A claim at least as good as ``current`` (any claim when there is none)."""
    rule = indicator.rule
    if current is None:
        return data.draw(values(indicator))
    if isinstance(rule, MaturityRule):
        return data.draw(st.integers(int(current), 5))  # type: ignore[call-overload]
    if isinstance(current, bool):
        return True
    inner = rule.rule if isinstance(rule, NormalisedCountRule) else rule
    assert isinstance(inner, BandsRule | LinearRule)
    assert isinstance(current, Decimal)
    step = Decimal(data.draw(st.integers(0, 400))) / 4
    improved = current + step if inner.direction == "higher_better" else current - step
    # Counts cannot go below zero.
    return max(improved, Decimal(0)) if isinstance(rule, NormalisedCountRule) else improved


@PROPERTY
@given(data=st.data(), fw=frameworks())
def test_improving_any_claim_never_lowers_the_total(data: st.DataObject, fw: Framework) -> None:
    claims = {o.indicator: o for o in data.draw(observations(fw))}
    committee = data.draw(reviews(fw))
    before = score(fw, claims.values(), committee, context=CONTEXT)
    indicator = data.draw(st.sampled_from(fw.indicators))
    current = claims[indicator.code].value if indicator.code in claims else None
    claims[indicator.code] = Observation(indicator.code, better(data, indicator, current))  # type: ignore[arg-type]
    after = score(fw, claims.values(), committee, context=CONTEXT)
    assert after.exact_total >= before.exact_total
    assert after.total >= before.total


@PROPERTY
@given(data=st.data(), fw=frameworks())
def test_the_order_of_claims_and_reviews_does_not_matter(
    data: st.DataObject, fw: Framework
) -> None:
    claims = data.draw(observations(fw))
    committee = data.draw(reviews(fw))
    shuffled_claims = data.draw(st.permutations(claims))
    shuffled_reviews = data.draw(st.permutations(committee))
    assert score(fw, claims, committee, context=CONTEXT) == score(
        fw, shuffled_claims, shuffled_reviews, context=CONTEXT
    )


@PROPERTY
@given(data=st.data(), fw=frameworks(max_indicators=4))
def test_a_zero_point_indicator_changes_nothing(data: st.DataObject, fw: Framework) -> None:
    claims = data.draw(observations(fw))
    committee = data.draw(reviews(fw))
    zero = dataclasses.replace(data.draw(indicators("ZERO")), points=Decimal(0))
    area = fw.areas[0]
    item = dataclasses.replace(area.items[0], indicators=(*area.items[0].indicators, zero))
    widened = dataclasses.replace(
        fw, areas=(dataclasses.replace(area, items=(item, *area.items[1:])),)
    )
    extra_claim = [Observation("ZERO", data.draw(values(zero)))]
    extra_reviews = [Review("m1", "ZERO", Decimal(0))] if data.draw(st.booleans()) else []
    before = score(fw, claims, committee, context=CONTEXT)
    after = score(widened, claims + extra_claim, committee + extra_reviews, context=CONTEXT)
    assert (after.exact_total, after.total, after.grade, after.certified) == (
        before.exact_total,
        before.total,
        before.grade,
        before.certified,
    )


@PROPERTY
@given(fw=frameworks())
def test_generated_frameworks_round_trip_through_documents(fw: Framework) -> None:
    document = framework_to_dict(fw)
    assert framework_from_dict(document) == fw
    assert framework_to_dict(framework_from_dict(document)) == document
