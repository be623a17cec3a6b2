"""Reads for applications: the engine's inputs, the live score, the explanation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from smartcity.accounts.access import AnyUser, tracks_overseen
from smartcity.accounts.models import User
from smartcity.certification.access import APPLICANT_ROLES
from smartcity.certification.choices import ApplicationKind
from smartcity.certification.domain.claims import (
    CheckedClaim,
    indicator_kind,
    indicators_by_code,
    observations_from,
)
from smartcity.certification.domain.completeness import (
    ClaimState,
    Missing,
    Tally,
    missing_items,
    receipt_number,
    tally,
)
from smartcity.certification.evaluation.models import MemberScore
from smartcity.certification.models import Application, ApplicationVersion, Attachment, Claim
from smartcity.frameworks.selectors import engine_framework
from smartcity.scoring import (
    Framework,
    Indicator,
    MissingContextError,
    Observation,
    Review,
    ScoreResult,
    ScoringContext,
    ScoringInputError,
    score,
)


def applications_for(user: AnyUser) -> QuerySet[Application]:
    """What a user's "my applications" list shows."""
    queryset = Application.objects.select_related("framework", "organisation", "municipality")
    if not isinstance(user, User):
        return queryset.none()
    if user.role in APPLICANT_ROLES:
        if user.organisation_id is None:
            return queryset.none()
        return queryset.filter(organisation_id=user.organisation_id)
    tracks = tracks_overseen(user)
    if tracks:
        return queryset.filter(kind=ApplicationKind.APPLICATION, track__in=tracks)
    return queryset.filter(kind=ApplicationKind.APPLICATION, assignments__member=user)


def count_per_application(model: Any, **filters: Any) -> Coalesce:
    """An annotation for a list of applications: how many ``model`` rows
    (matching ``filters``) each has, in the list's own query."""
    rows = (
        model._default_manager.filter(application=OuterRef("pk"), **filters)
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def checked_claims(application: Application) -> list[CheckedClaim]:
    return [
        CheckedClaim(
            indicator=c.indicator_code,
            value=c.value,
            flag=c.flag,
            stage=c.stage,
            justification=c.justification,
            evidence_reference=c.evidence_reference,
            to_verify=c.to_verify,
        )
        for c in application.claims.all()
    ]


def scoring_context(application: Application) -> ScoringContext:
    """The denominators of normalised indicators: the applicant's population (latest
    on record in the register) and the area the applicant declared."""
    denominator = denominator_of(application)
    return ScoringContext(population=denominator.population, area_km2=denominator.area_km2)


def submitted_reviews(application: Application) -> list[Review]:
    """Only submitted members' scores count towards the committee's score; an
    abstention counts for nothing. Members appear by their display name (see
    :func:`member_labels`), which is what every page shows."""
    rows = list(
        MemberScore.objects.filter(
            assignment__application=application,
            assignment__submitted_at__isnull=False,
            points__isnull=False,
        ).select_related("assignment__member")
    )
    labels = member_labels({r.assignment.member for r in rows})
    return [
        Review(labels[r.assignment.member], r.indicator_code, r.points)
        for r in rows
        if r.points is not None
    ]


def member_labels(members: Iterable[User]) -> dict[User, str]:
    """Each member's display name; when two share one, the account name is
    added to tell them apart (the engine keys scores by this label)."""
    people = sorted(set(members), key=lambda u: u.pk)
    names = [str(u) for u in people]
    return {
        u: name if names.count(name) == 1 else f"{name} ({u.get_username()})"
        for u, name in zip(people, names, strict=True)
    }


@dataclass(frozen=True)
class EngineInputs:
    framework: Framework
    observations: list[Observation]
    reviews: list[Review]
    context: ScoringContext


def engine_inputs(application: Application) -> EngineInputs:
    framework = engine_framework(application.framework)
    return EngineInputs(
        framework=framework,
        observations=observations_from(checked_claims(application), indicators_by_code(framework)),
        reviews=submitted_reviews(application),
        context=scoring_context(application),
    )


def application_score(application: Application) -> ScoreResult:
    """The score as it stands: the committee's where it has scored, else the proposal's."""
    inputs = engine_inputs(application)
    return score(inputs.framework, inputs.observations, inputs.reviews, context=inputs.context)


@dataclass(frozen=True)
class ExplainRow:
    """One line of "explain my score"."""

    indicator: Indicator
    kind: str
    area_code: str
    item_code: str
    claim: Claim | None
    points: Decimal
    max_points: Decimal
    proposal_points: Decimal | None
    aggregated: Decimal | None
    member_points: tuple[tuple[str, Decimal], ...]
    flags: tuple[str, ...]
    source: str


def explain(application: Application, result: ScoreResult) -> list[ExplainRow]:
    """Per indicator: the rule, the claim and its evidence, the points, and the
    members' scores (the caller decides whether to show those)."""
    framework = engine_framework(application.framework)
    claims = {c.indicator_code: c for c in application.claims.all()}
    rows = []
    for area in framework.areas:
        for item in area.items:
            for indicator in item.indicators:
                outcome = result.indicator(indicator.code)
                rows.append(
                    ExplainRow(
                        indicator=indicator,
                        kind=indicator_kind(indicator),
                        area_code=area.code,
                        item_code=item.code,
                        claim=claims.get(indicator.code),
                        points=outcome.points,
                        max_points=outcome.max_points,
                        proposal_points=outcome.proposal_points,
                        aggregated=outcome.aggregated,
                        member_points=outcome.member_points,
                        flags=outcome.flags,
                        source=str(outcome.source),
                    )
                )
    return rows


def score_problem(error: ScoringInputError) -> str:
    """Why an application cannot be scored yet, as a message code for templates."""
    if isinstance(error, MissingContextError):
        return "missing_context"
    return "invalid_input"


def application_score_or_problem(
    application: Application,
) -> tuple[ScoreResult | None, str | None]:
    """The score, or why it cannot be computed (e.g. no population on record for a
    per-population indicator) — pages show the reason instead of failing."""
    try:
        return application_score(application), None
    except ScoringInputError as error:
        return None, score_problem(error)


# --- completeness and the receipt ------------------------------------------


def claim_states(application: Application) -> dict[str, ClaimState]:
    """What each saved claim says, for the completeness rule."""
    return {
        c.indicator_code: ClaimState(
            answered=c.value is not None or c.flag is not None or c.stage is not None,
            not_applicable=c.not_applicable,
            not_applicable_reason=c.not_applicable_reason,
        )
        for c in application.claims.all()
    }


def required_documents_of(application: Application) -> list[str]:
    """The document kinds the call requires (none for a self-assessment)."""
    if application.call is None:
        return []
    return [str(kind) for kind in application.call.required_documents]


def completeness_of(application: Application, *, with_attestation: bool = True) -> list[Missing]:
    """Everything that keeps ``application`` from being submitted now
    (``domain.completeness``); the attestation is left out when it is asked
    for in the same form as the submit button."""
    framework = engine_framework(application.framework)
    return missing_items(
        indicator_codes=[i.code for i in framework.indicators],
        claims=claim_states(application),
        required_documents=required_documents_of(application),
        uploaded_kinds={a.kind for a in application.attachments.all()},
        attested=application.attested if with_attestation else None,
    )


def indicator_tally(application: Application) -> Tally:
    framework = engine_framework(application.framework)
    return tally([i.code for i in framework.indicators], claim_states(application))


@dataclass(frozen=True)
class Receipt:
    """What the applicant is given for a frozen version (접수증)."""

    number: str
    version: ApplicationVersion
    indicators_total: int
    indicators_answered: int
    indicators_not_applicable: int
    documents: list[dict[str, Any]]


def receipt_of(application: Application, version: ApplicationVersion) -> Receipt:
    """The receipt of one frozen version, read from its snapshot alone, so it
    says what was submitted even after later versions."""
    framework = engine_framework(application.framework)
    snapshot = version.snapshot
    states = {
        str(c["indicator"]): ClaimState(
            answered=any(c.get(f) is not None for f in ("value", "flag", "stage")),
            not_applicable=bool(c.get("not_applicable")),
            not_applicable_reason=str(c.get("not_applicable_reason") or ""),
        )
        for c in snapshot.get("claims", [])
    }
    counts = tally([i.code for i in framework.indicators], states)
    kinds = dict(Attachment.Kind.choices)
    documents = [
        {"size": None, **a, "kind_label": kinds.get(a["kind"], a["kind"])}
        for a in snapshot.get("attachments", [])
    ]
    return Receipt(
        number=receipt_number(
            year=application.call.year if application.call else version.submitted_at.year,
            track=application.track,
            application_id=application.pk,
            version=version.number,
        ),
        version=version,
        indicators_total=counts.total,
        indicators_answered=counts.answered,
        indicators_not_applicable=counts.not_applicable,
        documents=documents,
    )


@dataclass(frozen=True)
class Denominator:
    """What a normalised indicator divides by, and where the figure comes from."""

    population: int | None
    population_date: dt.date | None
    population_source: str
    area_km2: Decimal | None


def denominator_of(application: Application) -> Denominator:
    """The population (and its reference date) and the declared area that
    :func:`scoring_context` gives the engine: the same figures, said aloud."""
    count = None
    if application.municipality is not None:
        count = application.municipality.population_counts.order_by("-reference_date").first()
    return Denominator(
        population=count.population if count else None,
        population_date=count.reference_date if count else None,
        population_source=count.source if count else "",
        area_km2=application.area_km2,
    )
