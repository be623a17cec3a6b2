"""The site inspection (현장실사): a checklist built from the claims marked "to
verify", and the operating body's verdict on each line."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from smartcity.accounts.models import User
from smartcity.certification.choices import ApplicationStatus
from smartcity.certification.domain.workflow import Action
from smartcity.certification.evaluation.access import can_record_inspection
from smartcity.certification.evaluation.models import Consensus, InspectionItem, InspectionOutcome
from smartcity.certification.evaluation.selectors import framework_of
from smartcity.certification.evaluation.services.common import EvaluationRefused
from smartcity.certification.evaluation.services.consensus import recompute_consensus
from smartcity.certification.models import Application, Claim
from smartcity.certification.services.workflow import perform
from smartcity.core.services import record_audit

DECIDED = (InspectionOutcome.CONFIRMED, InspectionOutcome.ADJUSTED, InspectionOutcome.REJECTED)


def claimed_text(claim: Claim) -> str:
    """What the claim says, compactly: a number, ``yes``/``no`` or ``stage k``."""
    if claim.value is not None:
        return format(Decimal(claim.value).normalize(), "f")
    if claim.flag is not None:
        return "yes" if claim.flag else "no"
    if claim.stage is not None:
        return f"stage {claim.stage}"
    return ""


def start_inspection(*, actor: User, application: Application) -> list[InspectionItem]:
    """Move to the site inspection (``perform`` decides; ``TransitionRefused`` if
    not allowed) and build its checklist: one line per claim to verify."""
    with transaction.atomic():
        locked = perform(actor=actor, application=application, action=Action.START_INSPECTION)
        items = []
        for claim in locked.claims.filter(to_verify=True).order_by("indicator_code"):
            item, _created = InspectionItem.objects.get_or_create(
                application=locked,
                indicator_code=claim.indicator_code,
                defaults={
                    "claimed": claimed_text(claim)[:300],
                    "evidence_reference": claim.evidence_reference[:300],
                },
            )
            items.append(item)
        record_audit(
            actor=actor,
            action="evaluation.inspection_started",
            object_type="certification.application",
            object_id=locked.pk,
            data={"items": [i.indicator_code for i in items]},
        )
    return items


def record_inspection(
    *,
    actor: User,
    item: InspectionItem,
    outcome: str,
    adjusted_points: Decimal | None = None,
    note: str = "",
) -> InspectionItem:
    """The operating body's verdict on one line: confirmed, adjusted (to points
    within 0..the indicator's points) or rejected (the indicator counts 0). An
    existing consensus is rescored at once."""
    application = item.application
    if not can_record_inspection(actor, application):
        raise PermissionDenied
    if outcome not in DECIDED:
        raise EvaluationRefused("invalid_outcome")
    if outcome == InspectionOutcome.ADJUSTED:
        indicator = framework_of(application).indicator_index.get(item.indicator_code)
        if adjusted_points is None:
            raise EvaluationRefused("adjusted_points_required")
        maximum = indicator.points if indicator is not None else Decimal(0)
        if not adjusted_points.is_finite() or not 0 <= adjusted_points <= maximum:
            raise EvaluationRefused("out_of_range")
    else:
        adjusted_points = None
    with transaction.atomic():
        locked_app = Application.objects.select_for_update().get(pk=application.pk)
        if locked_app.status != ApplicationStatus.SITE_INSPECTION:
            raise EvaluationRefused("wrong_state")
        locked = InspectionItem.objects.select_for_update().get(pk=item.pk)
        before = locked.outcome
        locked.outcome = outcome
        locked.adjusted_points = adjusted_points
        locked.note = note.strip()
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save()
        record_audit(
            actor=actor,
            action="evaluation.inspection_recorded",
            object_type="certification.application",
            object_id=application.pk,
            data={
                "indicator": locked.indicator_code,
                "from": before,
                "to": outcome,
                "adjusted_points": None if adjusted_points is None else str(adjusted_points),
            },
        )
        consensus = Consensus.objects.filter(application=locked_app).first()
        if consensus is not None:
            recompute_consensus(
                actor=actor, consensus=consensus, why=f"inspection:{locked.indicator_code}"
            )
    return locked
