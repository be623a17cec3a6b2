"""From exact outcomes to the reported result: sum, round once, apportion, grade.

Every indicator's exact value is a ratio of point units; over their least
common denominator they become plain integers, so the item, area and total
sums, the one rounding and the largest-remainder apportioning are integer
arithmetic. Fractions are built only for the ``exact`` figures a result
reports, and they equal what summing Fractions gave before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import NamedTuple

from smartcity.scoring.evaluate import Ratio
from smartcity.scoring.exact import ratio_str, round_ratio, units_to_decimal
from smartcity.scoring.grading import grade_band, is_certified
from smartcity.scoring.inputs import Observation
from smartcity.scoring.model import Indicator
from smartcity.scoring.plan import Plan
from smartcity.scoring.results import (
    AreaResult,
    IndicatorResult,
    ItemResult,
    ScoreResult,
    Source,
    TraceEntry,
)

#: Stored with every score; bump it whenever a change could alter any result.
ENGINE_VERSION = "1.0.0"


class IndicatorOutcome(NamedTuple):
    """One indicator's exact outcome, before rounding (shared with what-if and robustness).

    ``proposal``, ``committee`` and ``exact`` are ratios of point units
    (``plan.factor`` units make one point); ``members`` keeps the scores as given.
    """

    indicator: Indicator
    observation: Observation | None
    proposal: Ratio | None
    members: tuple[tuple[str, Decimal], ...]
    committee: Ratio | None
    exact: Ratio
    source: Source
    flags: tuple[str, ...]
    trace: tuple[TraceEntry, ...]


def total_units(plan: Plan, numerator: int, denominator: int) -> int:
    """A total of ``numerator / denominator`` point units rounded once, never above the maximum.

    The result counts rounding units. The cap matters only for a framework
    whose points are finer than its rounding (``validate_framework`` flags
    those): the total must stay in [0, max].
    """
    rounded = round_ratio(numerator, denominator * plan.step, plan.framework.rounding.mode)
    return min(rounded, plan.ceiling)


def rounded_total(plan: Plan, exact_total: Fraction) -> Decimal:
    """The reported total for an exact total in points (what grades and certification use)."""
    scaled = exact_total * plan.factor
    units = total_units(plan, scaled.numerator, scaled.denominator)
    return units_to_decimal(units, plan.framework.rounding.places)


def build_result(plan: Plan, outcomes: Sequence[IndicatorOutcome]) -> ScoreResult:
    """The result of outcomes already evaluated in full (what-if and robustness)."""
    return summarise(plan, [outcome.exact for outcome in outcomes], lambda: outcomes)


def summarise(
    plan: Plan, exact: Sequence[Ratio], outcomes: Callable[[], Sequence[IndicatorOutcome]]
) -> ScoreResult:
    """Sum exactly, round the total once, grade, certify; the breakdown waits until read.

    ``exact`` holds every indicator's exact value (point units, framework
    order); ``outcomes`` evaluates them in full, with flags and traces, when
    the result's areas or trace are first read.
    """
    framework = plan.framework
    common = lcm(*(denominator for _, denominator in exact))
    exact_total = sum(numerator * (common // denominator) for numerator, denominator in exact)
    units = total_units(plan, exact_total, common)
    total = units_to_decimal(units, framework.rounding.places)
    band = grade_band(framework, total)
    return ScoreResult(
        framework_code=framework.code,
        framework_hash=plan.content_hash,
        engine_version=ENGINE_VERSION,
        total=total,
        max_total=framework.max_points,
        exact_total=Fraction(exact_total, common * plan.factor),
        grade=None if band is None else band.grade,
        certified=is_certified(framework, total),
        breakdown=lambda: _breakdown(plan, outcomes(), units),
    )


def _breakdown(
    plan: Plan, outcomes: Sequence[IndicatorOutcome], units: int
) -> tuple[tuple[AreaResult, ...], tuple[TraceEntry, ...]]:
    """Apportion the rounded total (``units``) to areas, items and indicators; explain."""
    framework = plan.framework
    places, mode = framework.rounding.places, framework.rounding.mode
    common = lcm(*(outcome.exact[1] for outcome in outcomes))
    scaled = [outcome.exact[0] * (common // outcome.exact[1]) for outcome in outcomes]
    # Over ``common``, in framework order: indicators → items → areas.
    divisor = common * plan.step
    exact_unit = common * plan.factor
    position = 0
    area_items: list[list[list[int]]] = []
    for area in framework.areas:
        grouped = []
        for item in area.items:
            size = len(item.indicators)
            grouped.append(scaled[position : position + size])
            position += size
        area_items.append(grouped)
    item_sums = [[sum(values) for values in items] for items in area_items]
    area_sums = [sum(sums) for sums in item_sums]
    exact_total = sum(area_sums)
    total = units_to_decimal(units, places)
    areas: list[AreaResult] = []
    position = 0
    for area, items_values, sums, area_sum, area_units in zip(
        framework.areas,
        area_items,
        item_sums,
        area_sums,
        apportion_scaled(units, area_sums, divisor),
        strict=True,
    ):
        items: list[ItemResult] = []
        for item, values, item_sum, item_units in zip(
            area.items, items_values, sums, apportion_scaled(area_units, sums, divisor), strict=True
        ):
            indicators = []
            for indicator_units in apportion_scaled(item_units, values, divisor):
                indicators.append(
                    _indicator_result(
                        plan, outcomes[position], units_to_decimal(indicator_units, places)
                    )
                )
                position += 1
            items.append(
                ItemResult(
                    item.code,
                    units_to_decimal(item_units, places),
                    sum((i.points for i in item.indicators), Decimal(0)),
                    Fraction(item_sum, exact_unit),
                    tuple(indicators),
                )
            )
        areas.append(
            AreaResult(
                area.code,
                units_to_decimal(area_units, places),
                sum((i.max_points for i in items), Decimal(0)),
                Fraction(area_sum, exact_unit),
                tuple(items),
            )
        )
    band = grade_band(framework, total)
    certified = is_certified(framework, total)
    trace = [entry for outcome in outcomes for entry in outcome.trace]
    trace.append(
        TraceEntry(
            "total.rounded",
            {
                "exact": ratio_str(exact_total, exact_unit),
                "total": str(total),
                "places": places,
                "mode": mode,
            },
        )
    )
    if band is None:
        trace.append(TraceEntry("grade.below_all_bands", {"total": str(total)}))
    else:
        trace.append(
            TraceEntry(
                "grade.assigned",
                {"grade": band.grade, "min_points": str(band.min_points), "total": str(total)},
            )
        )
    trace.append(
        TraceEntry(
            "certification.decided",
            {
                "certified": certified,
                "threshold": str(framework.certification_threshold),
                "total": str(total),
            },
        )
    )
    return tuple(areas), tuple(trace)


def apportion_scaled(parent: int, children: Sequence[int], divisor: int) -> list[int]:
    """``exact.apportion`` for children given as integers over ``divisor`` rounding units.

    Largest-remainder method: each child gets its value rounded down, then the
    units still missing go to the children with the largest remainders
    (earlier children first on ties).
    """
    floors = [child // divisor for child in children]
    missing = parent - sum(floors)
    if missing > 0:
        # A stable sort on the remainders keeps earlier children first on ties.
        behind = [-(child % divisor) for child in children]
        order = sorted(range(len(children)), key=behind.__getitem__)
        for index in order[:missing]:
            floors[index] += 1
    return floors


def _indicator_result(plan: Plan, outcome: IndicatorOutcome, points: Decimal) -> IndicatorResult:
    """Report one indicator; side figures (proposal, aggregate) are each rounded once."""
    observation = outcome.observation
    numerator, denominator = outcome.exact
    return IndicatorResult(
        code=outcome.indicator.code,
        points=points,
        max_points=outcome.indicator.points,
        exact=Fraction(numerator, denominator * plan.factor),
        source=outcome.source,
        value=None if observation is None else observation.value,
        proposal_points=_rounded(plan, outcome.proposal),
        member_points=outcome.members,
        aggregated=_rounded(plan, outcome.committee),
        flags=outcome.flags,
    )


def _rounded(plan: Plan, value: Ratio | None) -> Decimal | None:
    """``value`` (point units) rounded once by the framework's rule; None stays None."""
    if value is None:
        return None
    rounding = plan.framework.rounding
    units = round_ratio(value[0], value[1] * plan.step, rounding.mode)
    return units_to_decimal(units, rounding.places)
