"""what_if(): the exact cheapest plan, checked against brute force; and its edge cases."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity.scoring import (
    Framework,
    InvalidEffortError,
    MaturityRule,
    Observation,
    Review,
    ScoringContext,
    UnknownIndicatorError,
    score,
    shipped_framework,
    what_if,
)
from smartcity.scoring.grading import grade_band, next_band
from smartcity.scoring.steps import improvement_options
from smartcity.scoring.tests.builders import MATURITY, PROPERTY, framework, ind
from smartcity.scoring.tests.strategies import CONTEXT, frameworks, observations, reviews
from smartcity.scoring.whatif import Target

D = Decimal


def brute_force(
    fw: Framework,
    claims: list[Observation],
    committee: list[Review],
    target: Target,
    effort: dict[str, Decimal],
) -> Decimal | None:
    """The least effort over EVERY combination of steps, scored by score() itself."""
    current = score(fw, claims, committee, context=CONTEXT)
    if target == "certification":
        goal = fw.certification_threshold
    else:
        band = grade_band(fw, current.total)
        goal = (next_band(fw, band) or band).min_points  # type: ignore[union-attr]
    by_code = {o.indicator: o for o in claims}
    choices = []
    for indicator in fw.indicators:
        value = by_code[indicator.code].value if indicator.code in by_code else None
        options = improvement_options(indicator, value, CONTEXT)
        choices.append(
            [(indicator.code, None, 0)] + [(indicator.code, o.value, o.steps) for o in options]
        )
    best: Decimal | None = None
    for combo in itertools.product(*choices):
        changed = {code: value for code, value, steps in combo if steps}
        cost = sum((effort.get(code, D(1)) * steps for code, _, steps in combo), D(0))
        new_claims = [o for o in claims if o.indicator not in changed]
        new_claims += [Observation(code, value) for code, value in changed.items()]  # type: ignore[arg-type]
        kept = [r for r in committee if r.indicator not in changed]
        if score(fw, new_claims, kept, context=CONTEXT).total >= goal and (
            best is None or cost < best
        ):
            best = cost
    return best


@PROPERTY
@given(
    data=st.data(),
    fw=frameworks(max_indicators=3),
    target=st.sampled_from(["next_grade", "certification"]),
)
def test_what_if_finds_the_same_least_effort_as_brute_force(
    data: st.DataObject, fw: Framework, target: Target
) -> None:
    claims = data.draw(observations(fw))
    committee = data.draw(reviews(fw, max_members=3))
    weights = st.sampled_from([D(0), D("0.5"), D(1), D(2), D(3)])
    effort = data.draw(st.dictionaries(st.sampled_from([i.code for i in fw.indicators]), weights))
    answer = what_if(fw, claims, committee, target=target, effort=effort, context=CONTEXT)
    expected = brute_force(fw, claims, committee, target, effort)
    current = score(fw, claims, committee, context=CONTEXT)
    if expected is None:
        assert answer.status == "unreachable"
        assert answer.steps == ()
    elif answer.status == "already_met":
        assert expected == 0
        assert current.total >= answer.target_points  # type: ignore[operator]
    else:
        assert answer.status == "reachable"
        assert answer.total_effort == expected
        assert answer.resulting.total >= answer.target_points  # type: ignore[operator]
        assert answer.total_effort == sum(step.effort for step in answer.steps)


def test_the_plan_is_the_cheapest_not_the_greedy_one() -> None:
    # Need 10 of 17 points. Greedy by points per effort takes a (7 for 2) then b: effort 3.5.
    fw = framework(
        ind("a", points="7"),
        ind("b", points="5"),
        ind("c", points="5"),
        grades=("10", "0"),
        threshold="10",
    )
    effort = {"a": D(2), "b": D("1.5"), "c": D("1.5")}
    answer = what_if(fw, {}, target="certification", effort=effort)
    assert answer.status == "reachable"
    assert [step.indicator for step in answer.steps] == ["b", "c"]
    assert answer.total_effort == D(3)
    assert answer.resulting.total == D("10.00")
    assert answer.resulting.certified
    step = answer.steps[0]
    assert (step.from_value, step.to_value, step.steps, step.points_gained) == (
        None,
        True,
        1,
        D("5.00"),
    )


def test_each_maturity_stage_is_one_step() -> None:
    fw = framework(ind("a", MATURITY), grades=("8", "0"), threshold="8")
    answer = what_if(fw, {"a": 2}, target="next_grade", effort={"a": D("2.5")})
    (step,) = answer.steps
    assert (step.from_value, step.to_value, step.steps, step.effort) == (2, 4, 2, D(5))
    assert answer.target_grade == 1


def test_an_improved_indicator_is_scored_afresh_by_its_rule() -> None:
    fw = framework(ind("a", MATURITY), ind("b"), grades=("15", "0"), threshold="15")
    committee = [Review("m1", "a", D(2))]  # the committee gave 2 of 10 for stage 3
    answer = what_if(fw, {"a": 3, "b": True}, committee, target="certification")
    (step,) = answer.steps
    assert (step.to_value, step.exact_gain) == (4, 6)
    assert answer.resulting.indicator("a").source == "proposal"


def test_an_unreachable_target_says_so_with_the_best_possible_total() -> None:
    ceiling = MaturityRule(
        (D("0.2"), D("0.4"), D("0.6"), D("0.8"), D("0.9")),
        MATURITY.descriptors_ko,
        MATURITY.descriptors_en,
    )
    fw = framework(ind("a", ceiling), grades=("10", "0"), threshold="10")
    answer = what_if(fw, {"a": 1}, target="certification")
    assert answer.status == "unreachable"
    assert answer.steps == ()
    assert answer.best_possible_total == D("9.00")
    assert answer.resulting == answer.current


def test_a_certified_applicant_has_nothing_to_do() -> None:
    fw = framework(ind("a"), grades=("10", "0"), threshold="10")
    answer = what_if(fw, {"a": True}, target="certification")
    assert (answer.status, answer.steps, answer.total_effort) == ("already_met", (), D(0))


def test_the_top_grade_has_no_next_grade() -> None:
    fw = framework(ind("a"), grades=("10", "0"), threshold="10")
    answer = what_if(fw, {"a": True}, target="next_grade")
    assert (answer.status, answer.target_grade, answer.target_points) == ("already_met", 1, D(10))


def test_an_ungraded_applicant_aims_at_the_lowest_grade() -> None:
    fw = framework(ind("a"), ind("b"), grades=("20", "10"), threshold="20")
    answer = what_if(fw, {}, target="next_grade")
    assert (answer.target_grade, answer.target_points, answer.total_effort) == (2, D(10), D(1))


def test_a_framework_without_grade_bands_has_no_next_grade() -> None:
    fw = framework(ind("a"), grades=(), threshold="10")
    answer = what_if(fw, {}, target="next_grade")
    assert (answer.status, answer.target_points) == ("already_met", None)


def test_a_national_round_applicant_gets_an_exact_plan() -> None:
    fw = shipped_framework("city-2023")
    claims = {i.code: (1 if i.qualitative else D(0)) for i in fw.indicators}
    claims.update({i.code: False for i in fw.indicators if i.rule.rule_type == "yes_no"})
    context = ScoringContext(population=300_000, area_km2=D(400))
    answer = what_if(fw, claims, target="certification", context=context)
    assert answer.status == "reachable"
    assert answer.resulting.total >= D(1400)
    assert answer.resulting.certified


@pytest.mark.parametrize(
    ("effort", "error", "problem"),
    [
        ({"zz": D(1)}, UnknownIndicatorError, "unknown_indicator"),
        ({"a": 1.5}, InvalidEffortError, "effort_not_decimal"),
        ({"a": True}, InvalidEffortError, "effort_not_decimal"),
        ({"a": D("NaN")}, InvalidEffortError, "effort_not_finite"),
        ({"a": D(-1)}, InvalidEffortError, "effort_negative"),
    ],
)
def test_bad_effort_weights_are_refused(
    effort: dict[str, object], error: type, problem: str
) -> None:
    with pytest.raises(error) as caught:
        what_if(framework(ind("a")), {}, target="certification", effort=effort)  # type: ignore[arg-type]
    assert caught.value.problem == problem


def test_integer_effort_weights_are_accepted() -> None:
    fw = framework(ind("a"), ind("b"), grades=("10", "0"), threshold="10")
    effort = {"a": 3, "b": 2}
    answer = what_if(fw, {}, target="certification", effort=effort)  # type: ignore[arg-type]
    assert [s.indicator for s in answer.steps] == ["b"]
    assert answer.total_effort == D(2)
