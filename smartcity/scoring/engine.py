"""``score()``: framework + claims + committee scores → a reproducible ScoreResult.

Everything is exact (Fractions over the input Decimals) until the end, where
the total is rounded once by the framework's rule and the subtotals are
apportioned from it so every reported table adds up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from smartcity.scoring.aggregation import aggregate, spread, trims
from smartcity.scoring.evaluate import evaluate
from smartcity.scoring.exact import (
    apportion,
    exact_str,
    floor_units,
    round_decimal,
    round_units,
    units_to_decimal,
)
from smartcity.scoring.grading import grade_band, is_certified
from smartcity.scoring.hashing import framework_hash
from smartcity.scoring.inputs import (
    Observation,
    Observations,
    Review,
    ScoringContext,
    index_observations,
    index_reviews,
)
from smartcity.scoring.model import Framework, Indicator
from smartcity.scoring.results import (
    AreaResult,
    IndicatorResult,
    ItemResult,
    ScoreResult,
    Source,
    TraceEntry,
    TraceValue,
)

#: Stored with every score; bump it whenever a change could alter any result.
ENGINE_VERSION = "1.0.0"


@dataclass(frozen=True)
class IndicatorOutcome:
    """One indicator's exact outcome, before rounding (shared with what-if and robustness)."""

    indicator: Indicator
    observation: Observation | None
    proposal: Fraction | None
    members: tuple[tuple[str, Decimal], ...]
    committee: Fraction | None
    exact: Fraction
    source: Source
    flags: tuple[str, ...]
    trace: tuple[TraceEntry, ...]


def score(
    framework: Framework,
    observations: Observations,
    reviews: Iterable[Review] = (),
    *,
    context: ScoringContext | None = None,
) -> ScoreResult:
    """Score one application.

    An indicator the committee reviewed gets the aggregation of its members'
    points; otherwise it gets what its rule gives the applicant's claim (the
    "proposal"), and nothing without a claim. Bad input raises a
    ``ScoringInputError`` subclass naming the indicator and the problem.
    """
    outcomes = evaluate_indicators(framework, observations, reviews, context)
    return build_result(framework, outcomes)


def evaluate_indicators(
    framework: Framework,
    observations: Observations,
    reviews: Iterable[Review],
    context: ScoringContext | None,
) -> tuple[IndicatorOutcome, ...]:
    """Exact outcomes for every indicator, in framework order."""
    index = framework.indicator_index
    claims = index_observations(observations, index)
    reviewed = index_reviews(reviews, index)
    return tuple(
        _outcome(framework, ind, claims.get(ind.code), reviewed.get(ind.code, ()), context)
        for ind in framework.indicators
    )


def _outcome(
    framework: Framework,
    indicator: Indicator,
    observation: Observation | None,
    reviews: Sequence[Review],
    context: ScoringContext | None,
) -> IndicatorOutcome:
    """Proposal points from the rule, then the committee's aggregation if it reviewed."""
    trace: list[TraceEntry] = []
    flags: list[str] = []
    proposal = _proposal(indicator, observation, context, flags, trace)
    members = tuple((review.member, Decimal(review.points)) for review in reviews)
    committee = _committee(framework, indicator, members, proposal, flags, trace)
    source: Source = "none"
    exact = Fraction(0)
    if committee is not None:
        exact, source = committee, "committee"
    elif proposal is not None:
        exact, source = proposal, "proposal"
    return IndicatorOutcome(
        indicator=indicator,
        observation=observation,
        proposal=proposal,
        members=members,
        committee=committee,
        exact=exact,
        source=source,
        flags=tuple(flags),
        trace=tuple(trace),
    )


def _proposal(
    indicator: Indicator,
    observation: Observation | None,
    context: ScoringContext | None,
    flags: list[str],
    trace: list[TraceEntry],
) -> Fraction | None:
    """What the rule gives the applicant's claim (None without a claim)."""
    code = indicator.code
    if observation is None:
        flags.append("missing_observation")
        trace.append(TraceEntry("indicator.missing_observation", {"indicator": code}))
        return None
    outcome = evaluate(indicator, observation.value, context)
    trace.extend(outcome.trace)
    if indicator.evidence_required and not observation.evidence:
        flags.append("evidence_missing")
        trace.append(TraceEntry("indicator.evidence_missing", {"indicator": code}))
    # Clamped so a hand-built rule with a share outside [0, 1] cannot leave [0, points].
    return min(max(outcome.share, Fraction(0)), Fraction(1)) * Fraction(indicator.points)


def _committee(
    framework: Framework,
    indicator: Indicator,
    members: tuple[tuple[str, Decimal], ...],
    proposal: Fraction | None,
    flags: list[str],
    trace: list[TraceEntry],
) -> Fraction | None:
    """The members' combined score, with disagreement and divergence flags (None: no review)."""
    if not members:
        return None
    code, method = indicator.code, framework.aggregation
    values = [value for _, value in members]
    committee = aggregate(method, values)
    aggregated: dict[str, TraceValue] = {
        "indicator": code,
        "method": method,
        "members": len(values),
        "trimmed": trims(method, len(values)),
        "points": exact_str(committee),
    }
    trace.append(TraceEntry("committee.aggregated", aggregated))
    limit = Fraction(framework.disagreement_spread) * Fraction(indicator.points)
    apart = Fraction(spread(values))
    if apart > limit:
        flags.append("disagreement")
        disagreement: dict[str, TraceValue] = {
            "indicator": code,
            "spread": exact_str(apart),
            "limit": exact_str(limit),
        }
        trace.append(TraceEntry("committee.disagreement", disagreement))
    if proposal is not None and committee != proposal:
        flags.append("committee_differs")
        differs: dict[str, TraceValue] = {
            "indicator": code,
            "proposal": exact_str(proposal),
            "committee": exact_str(committee),
        }
        trace.append(TraceEntry("committee.differs_from_proposal", differs))
    return committee


def total_units(framework: Framework, exact_total: Fraction) -> int:
    """The total rounded once, in units of the rounding rule, never above the maximum.

    The cap matters only for a framework whose points are finer than its
    rounding (``validate_framework`` flags those): the total must stay in [0, max].
    """
    places, mode = framework.rounding.places, framework.rounding.mode
    ceiling = floor_units(Fraction(framework.max_points), places)
    return min(round_units(exact_total, places, mode), ceiling)


def rounded_total(framework: Framework, exact_total: Fraction) -> Decimal:
    """The reported total for an exact total (what grades and certification use)."""
    return units_to_decimal(total_units(framework, exact_total), framework.rounding.places)


def build_result(framework: Framework, outcomes: Sequence[IndicatorOutcome]) -> ScoreResult:
    """Sum exactly, round the total once, apportion the subtotals, grade, certify."""
    places, mode = framework.rounding.places, framework.rounding.mode
    exact_by_code = {outcome.indicator.code: outcome.exact for outcome in outcomes}
    area_exact = [
        [sum((exact_by_code[i.code] for i in item.indicators), Fraction(0)) for item in area.items]
        for area in framework.areas
    ]
    area_totals = [sum(items, Fraction(0)) for items in area_exact]
    exact_total = sum(area_totals, Fraction(0))
    units = total_units(framework, exact_total)
    total = units_to_decimal(units, places)
    by_code = {outcome.indicator.code: outcome for outcome in outcomes}
    areas: list[AreaResult] = []
    for area, item_exact, area_units in zip(
        framework.areas, area_exact, apportion(units, area_totals, places), strict=True
    ):
        items: list[ItemResult] = []
        for item, exact_item, item_units in zip(
            area.items, item_exact, apportion(area_units, item_exact, places), strict=True
        ):
            indicator_exact = [exact_by_code[i.code] for i in item.indicators]
            indicators = tuple(
                _indicator_result(by_code[i.code], units_to_decimal(u, places), places, mode)
                for i, u in zip(
                    item.indicators, apportion(item_units, indicator_exact, places), strict=True
                )
            )
            items.append(
                ItemResult(
                    item.code,
                    units_to_decimal(item_units, places),
                    sum((i.points for i in item.indicators), Decimal(0)),
                    exact_item,
                    indicators,
                )
            )
        areas.append(
            AreaResult(
                area.code,
                units_to_decimal(area_units, places),
                sum((i.max_points for i in items), Decimal(0)),
                sum((i.exact for i in items), Fraction(0)),
                tuple(items),
            )
        )
    band = grade_band(framework, total)
    certified = is_certified(framework, total)
    trace = [entry for outcome in outcomes for entry in outcome.trace]
    trace.append(
        TraceEntry(
            "total.rounded",
            {"exact": exact_str(exact_total), "total": str(total), "places": places, "mode": mode},
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
    return ScoreResult(
        framework_code=framework.code,
        framework_hash=framework_hash(framework),
        engine_version=ENGINE_VERSION,
        total=total,
        max_total=framework.max_points,
        exact_total=exact_total,
        grade=None if band is None else band.grade,
        certified=certified,
        areas=tuple(areas),
        trace=tuple(trace),
    )


def _indicator_result(
    outcome: IndicatorOutcome, points: Decimal, places: int, mode: str
) -> IndicatorResult:
    """Report one indicator; side figures (proposal, aggregate) are each rounded once."""
    observation = outcome.observation
    return IndicatorResult(
        code=outcome.indicator.code,
        points=points,
        max_points=outcome.indicator.points,
        exact=outcome.exact,
        source=outcome.source,
        value=None if observation is None else observation.value,
        proposal_points=_rounded(outcome.proposal, places, mode),
        member_points=outcome.members,
        aggregated=_rounded(outcome.committee, places, mode),
        flags=outcome.flags,
    )


def _rounded(value: Fraction | None, places: int, mode: str) -> Decimal | None:
    """``value`` rounded once by the framework's rule; None stays None."""
    return None if value is None else round_decimal(value, places, mode)
