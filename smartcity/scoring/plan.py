"""A framework prepared once for scoring in whole point units.

Why: the engine used to turn every Decimal into a Fraction on every call; a
national round (243 applicants × 53 indicators × 9 members) spent almost all
its time there. A ``Plan`` fixes the framework's *point unit* once — 10**-P
points, with P the most decimals among the rounding rule and the indicators'
points — and holds each indicator's points and disagreement limit in those
units, its compiled rule, and the framework's content hash. The engine then
adds integers; a division (a mean of 9 members, a linear share) leaves an
integer ratio, and a Fraction is built only for the reported ``exact`` values.

A plan is built on first use and kept on the (immutable) framework.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from smartcity.scoring.evaluate import Ratio, Scorer, compile_rule
from smartcity.scoring.exact import floor_units, unit_factor
from smartcity.scoring.hashing import framework_hash
from smartcity.scoring.model import Framework, Indicator


@dataclass(frozen=True)
class IndicatorPlan:
    """One indicator in point units: its points, disagreement limit and compiled rule."""

    indicator: Indicator
    points: int
    limit: Ratio
    scorer: Scorer


@dataclass(frozen=True)
class Plan:
    """A framework ready for the engine; ``factor`` point units make one point."""

    framework: Framework
    places: int
    factor: int
    indicators: tuple[IndicatorPlan, ...]
    by_code: dict[str, IndicatorPlan]
    #: Point units per rounding unit (10**-rounding.places points).
    step: int
    #: The most a rounded total may be, in rounding units.
    ceiling: int
    content_hash: str
    #: Member scores already converted: Decimal value → whole point units (see ``committee``).
    member_units: dict[Decimal, int]


def plan_for(framework: Framework) -> Plan:
    """The framework's plan, built once per framework object."""
    cached = framework.__dict__.get("_scoring_plan")
    if cached is None:
        cached = _build(framework)
        # Framework is frozen; the plan is derived data, cached beside its cached_property values.
        framework.__dict__["_scoring_plan"] = cached
    plan: Plan = cached
    return plan


def decimal_places(value: Decimal) -> int:
    """How many decimals a finite Decimal needs (0 for whole numbers)."""
    denominator = value.as_integer_ratio()[1]
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    return max(twos, fives)


def _build(framework: Framework) -> Plan:
    """Choose the point unit and express every indicator in it."""
    rounding = framework.rounding.places
    places = max(
        [rounding, *(decimal_places(ind.points) for ind in framework.indicators)], default=rounding
    )
    factor = unit_factor(places)
    spread_n, spread_d = framework.disagreement_spread.as_integer_ratio()
    indicators = []
    for indicator in framework.indicators:
        numerator, denominator = indicator.points.as_integer_ratio()
        points = numerator * factor // denominator
        indicators.append(
            IndicatorPlan(indicator, points, (spread_n * points, spread_d), compile_rule(indicator))
        )
    return Plan(
        framework=framework,
        places=places,
        factor=factor,
        indicators=tuple(indicators),
        by_code={entry.indicator.code: entry for entry in indicators},
        step=unit_factor(places - rounding),
        ceiling=floor_units(Fraction(framework.max_points), rounding),
        content_hash=framework_hash(framework),
        member_units={},
    )
