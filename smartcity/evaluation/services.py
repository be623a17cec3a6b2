"""Writes for committee work: assignments, member scores, submission.

Every score change is audited with the old and new value.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from smartcity.accounts.access import is_oversight
from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.certification.access import can_score
from smartcity.certification.choices import ApplicationKind
from smartcity.certification.domain.claims import indicators_by_code
from smartcity.certification.models import Application
from smartcity.core.services import record_audit
from smartcity.evaluation.models import Assignment, MemberScore
from smartcity.frameworks.selectors import engine_framework

CENTS = Decimal("0.01")


def assign_member(*, actor: User, application: Application, member: User) -> Assignment:
    if not is_oversight(actor):
        raise PermissionDenied
    if member.role != Role.COMMITTEE_MEMBER or application.kind != ApplicationKind.APPLICATION:
        raise ValidationError("only committee members review applications")
    with transaction.atomic():
        assignment, created = Assignment.objects.get_or_create(
            application=application, member=member
        )
        if created:
            record_audit(
                actor=actor,
                action="evaluation.member_assigned",
                object_type="certification.application",
                object_id=application.pk,
                data={"member": member.username},
            )
    return assignment


def record_member_score(
    *,
    actor: User,
    application: Application,
    indicator_code: str,
    points: Decimal,
    rationale: str = "",
) -> MemberScore:
    """A member scores one indicator (0 to its points) before submitting."""
    if not can_score(actor, application):
        raise PermissionDenied
    indicator = indicators_by_code(engine_framework(application.framework)).get(indicator_code)
    if indicator is None:
        raise ValidationError({"indicator_code": "unknown_indicator"})
    if points < 0 or points > indicator.points:
        raise ValidationError({"points": "out_of_range"})
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(
            application=application, member=actor
        )
        score = MemberScore.objects.filter(
            assignment=assignment, indicator_code=indicator_code
        ).first()
        old = None if score is None else str(Decimal(score.points).quantize(CENTS))
        if score is None:
            score = MemberScore.objects.create(
                assignment=assignment,
                indicator_code=indicator_code,
                points=points,
                rationale=rationale,
            )
        else:
            score.points = points
            score.rationale = rationale
            score.save()
        record_audit(
            actor=actor,
            action="evaluation.score_changed",
            object_type="certification.application",
            object_id=application.pk,
            data={"indicator": indicator_code, "from": old, "to": str(points.quantize(CENTS))},
        )
    return score


def submit_review(*, actor: User, application: Application) -> Assignment:
    """Fix a member's scores; from now on they may see the other members'."""
    if not can_score(actor, application):
        raise PermissionDenied
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(
            application=application, member=actor
        )
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["submitted_at"])
        record_audit(
            actor=actor,
            action="evaluation.review_submitted",
            object_type="certification.application",
            object_id=application.pk,
            data={"scores": assignment.scores.count()},
        )
    return assignment
