"""Reads for scoring: the applicant's proposals, the committee's aggregate,
indicator panels, consensus defaults, inspection and the scoring sheet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from smartcity.certification.domain.claims import indicator_kind
from smartcity.certification.evaluation.domain.review import (
    Citation,
    ScoreEntry,
    cite,
)
from smartcity.certification.evaluation.models import (
    Assignment,
    InspectionItem,
    InspectionOutcome,
)
from smartcity.certification.evaluation.selectors.committees import review_documents
from smartcity.certification.models import Application, Claim
from smartcity.certification.selectors import (
    application_score_or_problem,
    submitted_reviews,
)
from smartcity.frameworks.selectors import engine_framework
from smartcity.scoring import Framework, Indicator, ScoreResult, score

#: Applications the committee works on (auto-assignment staffs these).


ProposalLookup = Callable[[str], tuple[bool, Decimal | None]]


def proposal_lookup(application: Application) -> ProposalLookup:
    """``proposal_points`` for any number of indicators of one application,
    scored once (a review sheet saves up to 63 indicators in one request)."""
    result, _problem = application_score_or_problem(application)
    claimed: set[str] = set()
    if result is None:
        claimed = set(application.claims.values_list("indicator_code", flat=True))

    def lookup(indicator_code: str) -> tuple[bool, Decimal | None]:
        if result is not None:
            return True, result.indicator(indicator_code).proposal_points
        return (indicator_code not in claimed), None

    return lookup


def proposal_points(application: Application, indicator_code: str) -> tuple[bool, Decimal | None]:
    """``(known, points)``: what the engine gives the applicant's own claim for one
    indicator. ``known`` is False when the application cannot be scored yet
    (e.g. no population on record) although the applicant claimed something."""
    return proposal_lookup(application)(indicator_code)


def committee_result(application: Application) -> ScoreResult:
    """The engine's view of the submitted members' scores alone: per indicator the
    framework's aggregation (mean / trimmed mean / median) and its disagreement
    flag. No claims go in, so it never needs the applicant's population."""
    framework = engine_framework(application.framework)
    return score(framework, [], submitted_reviews(application))


@dataclass(frozen=True)
class IndicatorPanel:
    """One indicator as the committee discusses it."""

    code: str
    name_ko: str
    name_en: str
    max_points: Decimal
    proposal: Decimal | None
    members: tuple[tuple[str, Decimal], ...]
    aggregated: Decimal | None
    disagreement: bool


def indicator_panels(application: Application) -> list[IndicatorPanel]:
    """Per indicator: the proposal, the submitted members' scores, the committee
    aggregate and whether the members disagree beyond the framework's spread.
    Callers show the member columns only to who may see them."""
    framework = engine_framework(application.framework)
    committee = committee_result(application)
    proposal, _problem = application_score_or_problem(application)
    panels = []
    for indicator in framework.indicators:
        outcome = committee.indicator(indicator.code)
        panels.append(
            IndicatorPanel(
                code=indicator.code,
                name_ko=indicator.name_ko,
                name_en=indicator.name_en,
                max_points=indicator.points,
                proposal=(
                    proposal.indicator(indicator.code).proposal_points
                    if proposal is not None
                    else None
                ),
                members=outcome.member_points,
                aggregated=outcome.aggregated,
                disagreement="disagreement" in outcome.flags,
            )
        )
    return panels


def consensus_defaults(application: Application) -> dict[str, Decimal]:
    """The consensus form's starting points: the committee aggregate where members
    scored, else the proposal, else zero; then the site inspection's adjustments."""
    defaults = {
        panel.code: (
            panel.aggregated
            if panel.aggregated is not None
            else (panel.proposal if panel.proposal is not None else Decimal(0))
        )
        for panel in indicator_panels(application)
    }
    defaults.update(inspection_overrides(application))
    return defaults


def inspection_overrides(application: Application) -> dict[str, Decimal]:
    """Points the site inspection imposes: an adjustment's points, zero for a rejection."""
    overrides: dict[str, Decimal] = {}
    items = InspectionItem.objects.filter(
        application=application,
        outcome__in=[InspectionOutcome.ADJUSTED, InspectionOutcome.REJECTED],
    )
    for item in items:
        if item.outcome == InspectionOutcome.REJECTED:
            overrides[item.indicator_code] = Decimal(0)
        elif item.adjusted_points is not None:
            overrides[item.indicator_code] = Decimal(item.adjusted_points)
    return overrides


def framework_of(application: Application) -> Framework:
    return engine_framework(application.framework)


def inspection_checklist(application: Application) -> QuerySet[InspectionItem]:
    return InspectionItem.objects.filter(application=application).select_related("decided_by")


def review_entries(assignment: Assignment) -> dict[str, ScoreEntry]:
    """The member's scores as the pure completeness rule reads them."""
    return {
        s.indicator_code: ScoreEntry(
            points=None if s.points is None else Decimal(s.points),
            abstained=s.abstained,
            rationale=s.rationale,
        )
        for s in assignment.scores.all()
    }


@dataclass(frozen=True)
class SheetLine:
    """One indicator of the scoring sheet: what the applicant claimed, where its
    evidence is, and the points the engine gives the claim (the proposal)."""

    indicator: Indicator
    kind: str
    claim: Claim | None
    proposal: Decimal | None
    citation: Citation | None


def scoring_sheet(application: Application) -> tuple[list[SheetLine], str | None]:
    """Every indicator in the framework's order, even when the proposal cannot
    be computed yet (then ``proposal`` is None and the problem code is returned)."""
    framework = engine_framework(application.framework)
    result, problem = application_score_or_problem(application)
    claims = {c.indicator_code: c for c in application.claims.all()}
    documents = review_documents(application)
    lines = []
    for indicator in framework.indicators:
        claim = claims.get(indicator.code)
        kind = indicator_kind(indicator)
        lines.append(
            SheetLine(
                indicator=indicator,
                kind=kind,
                claim=claim,
                proposal=(
                    result.indicator(indicator.code).proposal_points if result is not None else None
                ),
                citation=cite(claim.evidence_reference, documents, kind) if claim else None,
            )
        )
    return lines, problem
