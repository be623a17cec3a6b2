"""What-if: the smallest-effort set of improvements that reaches a target.

The problem is a multiple-choice knapsack: per indicator, keep it or raise it
to one of its steps (``steps.py``), each option costing steps × the
indicator's effort weight and gaining exact points; minimise the effort whose
gain lifts the rounded total to the target. It is solved EXACTLY by dynamic
programming over a Pareto frontier of (effort, gain) pairs: after each
indicator only the pairs that no cheaper-or-equal pair beats are kept, and
gains are capped at what the target needs, so the frontier stays small. The
tests check the answer against brute force over every combination.

Model: an improved indicator is scored afresh by its rule (the committee's
earlier scores for it no longer apply); every other indicator keeps its score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from smartcity.scoring.engine import evaluate_indicators, score
from smartcity.scoring.errors import InvalidEffortError, UnknownIndicatorError
from smartcity.scoring.evaluate import Scorer
from smartcity.scoring.exact import ceil_units, round_decimal, unit_factor
from smartcity.scoring.grading import grade_band, next_band
from smartcity.scoring.inputs import (
    Observation,
    Observations,
    ObservationValue,
    Review,
    ScoringContext,
)
from smartcity.scoring.model import Framework
from smartcity.scoring.plan import Plan, plan_for
from smartcity.scoring.report import IndicatorOutcome, build_result, rounded_total, total_units
from smartcity.scoring.results import ScoreResult
from smartcity.scoring.steps import improvement_options

Target = Literal["next_grade", "certification"]
Status = Literal["already_met", "reachable", "unreachable"]


@dataclass(frozen=True)
class WhatIfStep:
    """Raise ``indicator`` from ``from_value`` to ``to_value`` (``steps`` steps up)."""

    indicator: str
    from_value: ObservationValue | None
    to_value: ObservationValue
    steps: int
    points_gained: Decimal
    exact_gain: Fraction
    effort: Decimal


@dataclass(frozen=True)
class WhatIfResult:
    """The cheapest way to the target, or ``"unreachable"``.

    ``target_points`` is the total to reach (None only when the framework has
    no grade bands); ``best_possible_total`` is the total if every indicator
    took its best step, so "unreachable" comes with how far the ceiling is.
    """

    target: Target
    status: Status
    target_points: Decimal | None
    target_grade: int | None
    current: ScoreResult
    steps: tuple[WhatIfStep, ...]
    total_effort: Decimal
    resulting: ScoreResult
    best_possible_total: Decimal


@dataclass(frozen=True)
class _Choice:
    """One option of one indicator, with its exact gain and its effort."""

    step: WhatIfStep
    gain: Fraction


_Chain = tuple[_Choice, "_Chain"] | None


def what_if(
    framework: Framework,
    observations: Observations,
    reviews: Iterable[Review] = (),
    *,
    target: Target,
    effort: Mapping[str, Decimal] | None = None,
    context: ScoringContext | None = None,
) -> WhatIfResult:
    """The smallest-effort improvements reaching the next grade or certification.

    ``effort`` weighs one step of each indicator (default 1). Among plans of
    equal effort the one gaining the most points (up to what is needed) wins.
    """
    review_list = tuple(reviews)
    prepared = plan_for(framework)
    outcomes = evaluate_indicators(prepared, observations, review_list, context)
    current = build_result(prepared, outcomes)
    weights = _weights(framework, effort or {})
    goal, goal_grade = _goal(framework, current, target)
    choices = [
        _choices(prepared, entry.scorer, o, weights[o.indicator.code], context)
        for entry, o in zip(prepared.indicators, outcomes, strict=True)
    ]
    ceiling = current.exact_total + sum(
        (max((c.gain for c in options), default=Fraction(0)) for options in choices), Fraction(0)
    )
    best_possible = rounded_total(prepared, ceiling)
    if goal is None or current.total >= goal:
        return WhatIfResult(
            target, "already_met", goal, goal_grade, current, (), Decimal(0), current, best_possible
        )
    chain = _cheapest(prepared, current.exact_total, goal, choices)
    if chain is False:
        return WhatIfResult(
            target, "unreachable", goal, goal_grade, current, (), Decimal(0), current, best_possible
        )
    plan = _unwind(chain)
    resulting = _apply(framework, outcomes, review_list, plan, context)
    total_effort = sum((choice.step.effort for choice in plan), Decimal(0))
    return WhatIfResult(
        target,
        "reachable",
        goal,
        goal_grade,
        current,
        tuple(choice.step for choice in plan),
        total_effort,
        resulting,
        best_possible,
    )


def _weights(framework: Framework, effort: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Effort per step for every indicator; unknown codes and bad weights raise."""
    index = framework.indicator_index
    for code, weight in effort.items():
        if code not in index:
            raise UnknownIndicatorError(code, "unknown_indicator", "effort")
        if isinstance(weight, bool) or not isinstance(weight, Decimal | int):
            raise InvalidEffortError(code, "effort_not_decimal", type(weight).__name__)
        if isinstance(weight, Decimal) and not weight.is_finite():
            raise InvalidEffortError(code, "effort_not_finite", str(weight))
        if weight < 0:
            raise InvalidEffortError(code, "effort_negative", str(weight))
    return {code: Decimal(effort.get(code, 1)) for code in index}


def _goal(
    framework: Framework, current: ScoreResult, target: Target
) -> tuple[Decimal | None, int | None]:
    """The total to reach and, for ``next_grade``, the grade it brings."""
    if target == "certification":
        return framework.certification_threshold, None
    band = grade_band(framework, current.total)
    aim = next_band(framework, band) or band
    if aim is None:
        return None, None
    return aim.min_points, aim.grade


def _choices(
    plan: Plan,
    scorer: Scorer,
    outcome: IndicatorOutcome,
    weight: Decimal,
    context: ScoringContext | None,
) -> list[_Choice]:
    """The options of one indicator that gain points, with their efforts."""
    indicator = outcome.indicator
    current = None if outcome.observation is None else outcome.observation.value
    points = Fraction(indicator.points)
    rounding = plan.framework.rounding
    exact = Fraction(outcome.exact[0], outcome.exact[1] * plan.factor)
    result: list[_Choice] = []
    for option in improvement_options(indicator, current, context):
        share_n, share_d, _ = scorer(option.value, context, False)
        share = Fraction(share_n, share_d)
        gain = min(max(share, Fraction(0)), Fraction(1)) * points - exact
        if gain > 0:
            step = WhatIfStep(
                indicator=indicator.code,
                from_value=current,
                to_value=option.value,
                steps=option.steps,
                points_gained=round_decimal(gain, rounding.places, rounding.mode),
                exact_gain=gain,
                effort=weight * option.steps,
            )
            result.append(_Choice(step, gain))
    return result


def _cheapest(
    plan: Plan, start: Fraction, goal: Decimal, choices: list[list[_Choice]]
) -> _Chain | Literal[False]:
    """Exact minimum-effort plan (Pareto-frontier DP), or False when none reaches the goal."""
    places = plan.framework.rounding.places
    goal_units = ceil_units(Fraction(goal), places)
    cap = Fraction(goal_units, unit_factor(places)) - start
    frontier: list[tuple[Decimal, Fraction, _Chain]] = [(Decimal(0), Fraction(0), None)]
    for options in choices:
        if not options:
            continue
        candidates = list(frontier)
        for effort, gain, chain in frontier:
            for choice in options:
                candidates.append(
                    (effort + choice.step.effort, min(gain + choice.gain, cap), (choice, chain))
                )
        candidates.sort(key=lambda entry: (entry[0], -entry[1]))
        frontier = []
        for entry in candidates:
            if not frontier or entry[1] > frontier[-1][1]:
                frontier.append(entry)
    for _, gain, chain in frontier:
        reached = (start + gain) * plan.factor
        if total_units(plan, reached.numerator, reached.denominator) >= goal_units:
            return chain
    return False


def _unwind(chain: _Chain) -> list[_Choice]:
    """The choices of a chain, in framework order."""
    plan: list[_Choice] = []
    while chain is not None:
        choice, chain = chain
        plan.append(choice)
    plan.reverse()
    return plan


def _apply(
    framework: Framework,
    outcomes: tuple[IndicatorOutcome, ...],
    reviews: tuple[Review, ...],
    plan: list[_Choice],
    context: ScoringContext | None,
) -> ScoreResult:
    """Score the improved application: new claims, and no old reviews for them."""
    changed = {choice.step.indicator: choice.step.to_value for choice in plan}
    claims: list[Observation] = []
    for outcome in outcomes:
        code, observation = outcome.indicator.code, outcome.observation
        if code in changed:
            evidence = None if observation is None else observation.evidence
            claims.append(Observation(code, changed[code], evidence))
        elif observation is not None:
            claims.append(observation)
    kept = [review for review in reviews if review.indicator not in changed]
    return score(framework, claims, kept, context=context)
