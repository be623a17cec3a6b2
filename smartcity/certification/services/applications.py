"""Writes for applications and self-assessments."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from smartcity.accounts.models import User
from smartcity.certification.access import can_edit_claims, track_to_start
from smartcity.certification.choices import ApplicationKind
from smartcity.certification.domain.claims import ClaimError, ClaimInput, check_claims
from smartcity.certification.models import Application, Claim
from smartcity.core.services import record_audit
from smartcity.frameworks.choices import FrameworkKind, FrameworkStatus
from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.selectors import engine_framework


def start_self_assessment(
    *, actor: User, framework: FrameworkVersion, title: str, service_name: str = ""
) -> Application:
    """A private 모의인증 on a published framework of the applicant's track."""
    track = track_to_start(actor)
    if track is None or actor.organisation is None:
        raise PermissionDenied("only applicants start self-assessments")
    if framework.status != FrameworkStatus.PUBLISHED or framework.kind != track:
        raise PermissionDenied("framework not available for this applicant")
    municipality = actor.organisation.municipality if track == FrameworkKind.CITY else None
    if track == FrameworkKind.CITY and municipality is None:
        raise PermissionDenied("the applicant's organisation has no local government")
    with transaction.atomic():
        application = Application.objects.create(
            kind=ApplicationKind.SELF_ASSESSMENT,
            track=track,
            organisation=actor.organisation,
            municipality=municipality,
            service_name=service_name,
            framework=framework,
            title=title,
            created_by=actor,
        )
        record_audit(
            actor=actor,
            action="certification.self_assessment_started",
            object_type="certification.application",
            object_id=application.pk,
            data={"framework": framework.code},
        )
    return application


def save_claims(
    *, actor: User, application: Application, inputs: Iterable[ClaimInput]
) -> list[ClaimError]:
    """Save the claims that check out; return an error per bad field.

    Good claims are saved even when others are wrong, so a long form never
    loses what was typed correctly.
    """
    if not can_edit_claims(actor, application):
        raise PermissionDenied
    checked, errors = check_claims(engine_framework(application.framework), inputs)
    changed: list[str] = []
    with transaction.atomic():
        existing = {c.indicator_code: c for c in application.claims.select_for_update()}
        for claim in checked:
            values = {
                "value": claim.value,
                "flag": claim.flag,
                "stage": claim.stage,
                "justification": claim.justification,
                "evidence_reference": claim.evidence_reference,
                "to_verify": claim.to_verify,
                "not_applicable": claim.not_applicable,
                "not_applicable_reason": claim.not_applicable_reason,
            }
            current = existing.get(claim.indicator)
            if current is None:
                if (
                    claim.is_empty
                    and not claim.not_applicable
                    and not claim.justification
                    and not claim.evidence_reference
                ):
                    continue
                Claim.objects.create(
                    application=application, indicator_code=claim.indicator, **values
                )
                changed.append(claim.indicator)
                continue
            if any(getattr(current, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(current, k, v)
                current.save()
                changed.append(claim.indicator)
        if changed:
            application.save(update_fields=["updated_at"])
            record_audit(
                actor=actor,
                action="certification.claims_saved",
                object_type="certification.application",
                object_id=application.pk,
                data={"indicators": changed},
            )
    return errors


def set_area(*, actor: User, application: Application, area_km2: Decimal | None) -> None:
    """Record the administrative area the applicant declares (denominator of
    per-area indicators)."""
    if not can_edit_claims(actor, application):
        raise PermissionDenied
    if area_km2 is not None and area_km2 <= 0:
        raise ValueError("area must be positive")
    if application.area_km2 == area_km2:
        return
    with transaction.atomic():
        old = application.area_km2
        application.area_km2 = area_km2
        application.save(update_fields=["area_km2", "updated_at"])
        record_audit(
            actor=actor,
            action="certification.area_declared",
            object_type="certification.application",
            object_id=application.pk,
            data={
                "from": None if old is None else str(old),
                "to": None if area_km2 is None else str(area_km2),
            },
        )


def set_attestation(*, actor: User, application: Application, attested: bool) -> None:
    """The applicant confirms that copies match their originals (원본대조필)."""
    if not can_edit_claims(actor, application):
        raise PermissionDenied
    if application.attested == attested:
        return
    with transaction.atomic():
        application.attested = attested
        application.save(update_fields=["attested", "updated_at"])
        record_audit(
            actor=actor,
            action="certification.attestation_set",
            object_type="certification.application",
            object_id=application.pk,
            data={"attested": attested},
        )
