"""Whole point units: the fast pass behind a total agrees with the full breakdown."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity.scoring import (
    Framework,
    MaturityRule,
    Observation,
    Review,
    RoundingRule,
    score,
    score_result_to_dict,
    shipped_framework,
)
from smartcity.scoring import committee as committee_module
from smartcity.scoring.engine import evaluate_indicators
from smartcity.scoring.plan import decimal_places, plan_for
from smartcity.scoring.report import build_result
from smartcity.scoring.tests.builders import PROPERTY, framework, ind
from smartcity.scoring.tests.strategies import CONTEXT, frameworks, observations, reviews

D = Decimal


@PROPERTY
@given(data=st.data(), fw=frameworks())
def test_the_total_of_the_fast_pass_equals_the_full_evaluation(
    data: st.DataObject, fw: Framework
) -> None:
    claims = data.draw(observations(fw))
    committee = data.draw(reviews(fw))
    fast = score(fw, claims, committee, context=CONTEXT)
    plan = plan_for(fw)
    full = build_result(plan, evaluate_indicators(plan, claims, committee, CONTEXT))
    assert fast == full
    assert fast.exact_total == sum((i.exact for i in fast.indicators), Fraction(0))
    assert score_result_to_dict(fast) == score_result_to_dict(full)


def test_the_point_unit_is_the_finest_of_the_rounding_and_the_points() -> None:
    coarse = framework(ind("a", points="10"), ind("b", points="2.5"))
    fine = framework(ind("a", points="0.125"), rounding=RoundingRule(1, "ROUND_HALF_UP"))
    assert (plan_for(coarse).places, plan_for(coarse).factor) == (2, 100)
    assert (plan_for(fine).places, plan_for(fine).step) == (3, 100)
    assert [decimal_places(D(text)) for text in ("7", "1E+3", "0.5", "0.25", "1.125")] == [
        0,
        0,
        1,
        2,
        3,
    ]


def test_a_plan_is_built_once_per_framework() -> None:
    fw = shipped_framework("city-2023")
    assert plan_for(fw) is plan_for(fw)


def test_member_scores_finer_than_the_point_unit_stay_exact() -> None:
    fw = framework(ind("a", points="10"))
    result = score(
        fw, {}, [Review("m1", "a", D("1.001")), Review("m2", "a", D("1.002")), Review("m3", "a", 1)]
    )
    assert result.indicator("a").exact == Fraction(3003, 3000)
    assert result.exact_total == Fraction(3003, 3000)
    assert result.total == D("1.00")


@pytest.mark.parametrize(("stage", "expected"), [(1, D("0.00")), (2, D("10.00")), (3, D("5.00"))])
def test_a_hand_built_share_outside_zero_and_one_is_clamped(stage: int, expected: Decimal) -> None:
    rule = MaturityRule((D("-0.5"), D("1.5"), D("0.5"), D("0.6"), D("1")))
    fw = framework(ind("a", rule, points="10"))
    result = score(fw, [Observation("a", stage)])
    assert result.total == expected
    assert result.indicator("a").proposal_points == expected


def test_the_cache_of_member_scores_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(committee_module, "_CACHE_LIMIT", 2)
    fw = framework(ind("a", points="10"), ind("b", points="10"))
    scores = [D("1"), D("2"), D("3.5")]
    reviews_ = [Review(f"m{n}", "a", points) for n, points in enumerate(scores)]
    result = score(fw, {}, reviews_)
    assert len(plan_for(fw).member_units) <= 2
    assert result.indicator("a").exact == Fraction(13, 6)
    assert score(fw, {}, reviews_) == result


def test_results_compare_by_every_figure_and_hash_alike() -> None:
    fw = framework(ind("a"), ind("b"))
    one = score(fw, {"a": True}, [Review("m1", "b", D("4"))])
    same = score(fw, {"a": True}, [Review("m1", "b", D("4.0"))])
    other = score(fw, {"a": True}, [Review("m1", "b", D("5"))])
    assert one == same and hash(one) == hash(same)
    assert one != other
    assert one != "a result"
