"""How safe a grade is, given how much the committee disagreed.

Why: a city 3 points above a boundary with members 40 points apart on some
indicators is not safely certified; the committee should know before it
reports. The plausible swing takes, for every reviewed indicator, its lowest
(or highest) member score instead of the aggregate; unreviewed indicators keep
their proposal points.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from smartcity.scoring.engine import evaluate_indicators
from smartcity.scoring.grading import grade_band, is_certified, next_band
from smartcity.scoring.inputs import Observations, Review, ScoringContext
from smartcity.scoring.model import Framework
from smartcity.scoring.plan import plan_for
from smartcity.scoring.report import build_result, rounded_total


@dataclass(frozen=True)
class RobustnessResult:
    """The total, its plausible range, and whether the grade or decision could flip.

    ``margin_below`` is how far the total sits above its grade's minimum (None
    when ungraded); ``margin_above`` how far below the next grade (None at the
    top). ``swing_down``/``swing_up`` are the distances to the low/high totals.
    """

    total: Decimal
    grade: int | None
    certified: bool
    low_total: Decimal
    high_total: Decimal
    low_grade: int | None
    high_grade: int | None
    margin_below: Decimal | None
    margin_above: Decimal | None
    swing_down: Decimal
    swing_up: Decimal
    grade_could_change: bool
    certification_could_change: bool


def grade_robustness(
    framework: Framework,
    observations: Observations,
    reviews: Iterable[Review] = (),
    *,
    context: ScoringContext | None = None,
) -> RobustnessResult:
    """Compare the total with the totals at the members' extremes."""
    plan = plan_for(framework)
    outcomes = evaluate_indicators(plan, observations, reviews, context)
    result = build_result(plan, outcomes)
    low = high = Fraction(0)
    for outcome in outcomes:
        exact = Fraction(outcome.exact[0], outcome.exact[1] * plan.factor)
        member_values = [Fraction(points) for _, points in outcome.members]
        low += min(member_values, default=exact)
        high += max(member_values, default=exact)
    low_total, high_total = rounded_total(plan, low), rounded_total(plan, high)
    band = grade_band(framework, result.total)
    above = next_band(framework, band)
    low_band, high_band = grade_band(framework, low_total), grade_band(framework, high_total)
    return RobustnessResult(
        total=result.total,
        grade=result.grade,
        certified=result.certified,
        low_total=low_total,
        high_total=high_total,
        low_grade=None if low_band is None else low_band.grade,
        high_grade=None if high_band is None else high_band.grade,
        margin_below=None if band is None else result.total - band.min_points,
        margin_above=None if above is None else above.min_points - result.total,
        swing_down=result.total - low_total,
        swing_up=high_total - result.total,
        grade_could_change=low_band != band or high_band != band,
        certification_could_change=(
            is_certified(framework, low_total) != result.certified
            or is_certified(framework, high_total) != result.certified
        ),
    )
