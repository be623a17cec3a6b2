"""``score()``: framework + claims + committee scores → a reproducible ScoreResult.

Everything is exact (Fractions over the input Decimals) until the end, where
the total is rounded once by the framework's rule and the subtotals are
apportioned from it so every reported table adds up.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter

from smartcity.scoring.committee import Grouped, Member, aggregate, group_reviews, ratio, trims
from smartcity.scoring.evaluate import Ratio
from smartcity.scoring.exact import ratio_str
from smartcity.scoring.inputs import (
    Observation,
    Observations,
    Review,
    ScoringContext,
    index_observations,
)
from smartcity.scoring.model import Framework
from smartcity.scoring.plan import IndicatorPlan, Plan, plan_for
from smartcity.scoring.report import ENGINE_VERSION as ENGINE_VERSION
from smartcity.scoring.report import IndicatorOutcome as IndicatorOutcome
from smartcity.scoring.report import summarise
from smartcity.scoring.results import ScoreResult, Source, TraceEntry, TraceValue

_NONE: Ratio = (0, 1)
#: A grouped member's score as given, and in point units.
_POINTS, _UNITS = itemgetter(1), itemgetter(2)


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
    plan = plan_for(framework)
    claims = index_observations(observations, framework.indicator_index)
    grouped = group_reviews(plan, reviews)
    exact = _exact_values(plan, claims, grouped, context)
    return summarise(plan, exact, lambda: _outcomes(plan, claims, grouped, context))


def evaluate_indicators(
    plan: Plan,
    observations: Observations,
    reviews: Iterable[Review],
    context: ScoringContext | None,
) -> tuple[IndicatorOutcome, ...]:
    """Exact outcomes for every indicator, in framework order, with flags and traces."""
    claims = index_observations(observations, plan.framework.indicator_index)
    return _outcomes(plan, claims, group_reviews(plan, reviews), context)


def _outcomes(
    plan: Plan, claims: dict[str, Observation], grouped: Grouped, context: ScoringContext | None
) -> tuple[IndicatorOutcome, ...]:
    """``evaluate_indicators`` over inputs already indexed and checked."""
    return tuple(
        _outcome(
            plan,
            entry,
            claims.get(entry.indicator.code),
            grouped.get(entry.indicator.code),
            context,
        )
        for entry in plan.indicators
    )


def _exact_values(
    plan: Plan, claims: dict[str, Observation], grouped: Grouped, context: ScoringContext | None
) -> list[Ratio]:
    """Every indicator's exact value in point units: the fast pass behind a total.

    The same rules as ``_outcome`` (the committee's aggregate if it reviewed,
    else the clamped proposal, else nothing), without flags or traces; every
    claim is still scored, so a bad value raises here as it would there.
    """
    method = plan.framework.aggregation
    values: list[Ratio] = []
    for entry in plan.indicators:
        code = entry.indicator.code
        observation = claims.get(code)
        proposal = _NONE
        if observation is not None:
            share_n, share_d, _ = entry.scorer(observation.value, context, False)
            if share_n < 0:
                share_n = 0
            elif share_n > share_d:
                share_n = share_d
            proposal = ratio(share_n * entry.points, share_d)
        members = grouped.get(code)
        if members:
            values.append(aggregate(method, [units for _, _, units in members.values()]))
        else:
            values.append(proposal)
    return values


def _outcome(
    plan: Plan,
    entry: IndicatorPlan,
    observation: Observation | None,
    reviews: dict[str, Member] | None,
    context: ScoringContext | None,
) -> IndicatorOutcome:
    """Proposal points from the rule, then the committee's aggregation if it reviewed."""
    code = entry.indicator.code
    trace: list[TraceEntry] = []
    flags: list[str] = []
    proposal: Ratio | None = None
    if observation is None:
        flags.append("missing_observation")
        trace.append(TraceEntry("indicator.missing_observation", {"indicator": code}))
    else:
        share_n, share_d, rule_trace = entry.scorer(observation.value, context, True)
        trace.extend(rule_trace)
        if entry.indicator.evidence_required and not observation.evidence:
            flags.append("evidence_missing")
            trace.append(TraceEntry("indicator.evidence_missing", {"indicator": code}))
        # Clamped so a hand-built rule with a share outside [0, 1] cannot leave [0, points].
        if share_n < 0:
            share_n = 0
        elif share_n > share_d:
            share_n = share_d
        proposal = ratio(share_n * entry.points, share_d)
    members: tuple[tuple[str, Decimal], ...] = ()
    committee: Ratio | None = None
    if reviews:
        names = sorted(reviews)
        ordered = [reviews[name] for name in names]
        members = tuple(zip(names, map(_POINTS, ordered), strict=True))
        units = list(map(_UNITS, ordered))
        committee = _committee(plan, entry, units, proposal, flags, trace)
    source: Source
    if committee is not None:
        exact, source = committee, "committee"
    elif proposal is not None:
        exact, source = proposal, "proposal"
    else:
        exact, source = _NONE, "none"
    return IndicatorOutcome(
        entry.indicator,
        observation,
        proposal,
        members,
        committee,
        exact,
        source,
        tuple(flags),
        tuple(trace),
    )


def _committee(
    plan: Plan,
    entry: IndicatorPlan,
    units: list[int | Fraction],
    proposal: Ratio | None,
    flags: list[str],
    trace: list[TraceEntry],
) -> Ratio:
    """The members' combined score, with disagreement and divergence flags."""
    code, method, factor = entry.indicator.code, plan.framework.aggregation, plan.factor
    committee = aggregate(method, units)
    aggregated: dict[str, TraceValue] = {
        "indicator": code,
        "method": method,
        "members": len(units),
        "trimmed": trims(method, len(units)),
        "points": ratio_str(committee[0], committee[1] * factor),
    }
    trace.append(TraceEntry("committee.aggregated", aggregated))
    limit_n, limit_d = entry.limit
    apart_n, apart_d = ratio(max(units) - min(units), 1)
    if apart_n * limit_d > limit_n * apart_d:
        flags.append("disagreement")
        disagreement: dict[str, TraceValue] = {
            "indicator": code,
            "spread": ratio_str(apart_n, apart_d * factor),
            "limit": ratio_str(limit_n, limit_d * factor),
        }
        trace.append(TraceEntry("committee.disagreement", disagreement))
    if proposal is not None and committee != proposal:
        flags.append("committee_differs")
        differs: dict[str, TraceValue] = {
            "indicator": code,
            "proposal": ratio_str(proposal[0], proposal[1] * factor),
            "committee": ratio_str(committee[0], committee[1] * factor),
        }
        trace.append(TraceEntry("committee.differs_from_proposal", differs))
    return committee
