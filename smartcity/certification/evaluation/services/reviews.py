"""A member's scores and submission, and the committee's discussion thread.

Every score change is audited with the old and new value.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from smartcity.accounts.models import User
from smartcity.certification.access import can_score
from smartcity.certification.domain.claims import indicators_by_code
from smartcity.certification.evaluation.access import can_join_thread
from smartcity.certification.evaluation.models import Assignment, Comment, MemberScore
from smartcity.certification.evaluation.selectors import proposal_points
from smartcity.certification.evaluation.services.common import EvaluationRefused, cents
from smartcity.certification.models import Application
from smartcity.core.services import record_audit
from smartcity.frameworks.selectors import engine_framework

COMMENT_MAX_LENGTH = 5000


def record_member_score(
    *,
    actor: User,
    application: Application,
    indicator_code: str,
    points: Decimal,
    rationale: str = "",
) -> MemberScore:
    """A member scores one indicator (0 to its points) before submitting.

    Departing from the applicant's proposal (the points the engine gives the
    applicant's own claim) needs a rationale: refused with ``rationale_required``.
    When the proposal cannot be computed yet but a claim exists, a rationale is
    required too, since agreement cannot be shown.
    """
    if not can_score(actor, application):
        raise PermissionDenied
    indicator = indicators_by_code(engine_framework(application.framework)).get(indicator_code)
    if indicator is None:
        raise EvaluationRefused("unknown_indicator")
    if not points.is_finite() or points < 0 or points > indicator.points:
        raise EvaluationRefused("out_of_range")
    rationale = rationale.strip()
    known, proposal = proposal_points(application, indicator_code)
    departs = not known or (proposal is not None and points != proposal)
    if departs and not rationale:
        raise EvaluationRefused("rationale_required")
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(
            application=application, member=actor
        )
        score = MemberScore.objects.filter(
            assignment=assignment, indicator_code=indicator_code
        ).first()
        old = None if score is None else cents(score.points)
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
            data={"indicator": indicator_code, "from": old, "to": cents(points)},
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


def post_comment(
    *, actor: User, application: Application, body: str, indicator_code: str = ""
) -> Comment:
    """Add a message to the application's committee discussion (append-only).
    Assigned members without a conflict and the track's oversight may post."""
    if not can_join_thread(actor, application):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise EvaluationRefused("comment_empty")
    if len(body) > COMMENT_MAX_LENGTH:
        raise EvaluationRefused("comment_too_long")
    indicator_code = indicator_code.strip()
    if indicator_code and indicator_code not in indicators_by_code(
        engine_framework(application.framework)
    ):
        raise EvaluationRefused("unknown_indicator")
    with transaction.atomic():
        comment = Comment.objects.create(
            application=application,
            author=actor,
            indicator_code=indicator_code,
            body=body,
            created_at=timezone.now(),
        )
        record_audit(
            actor=actor,
            action="evaluation.comment_posted",
            object_type="certification.application",
            object_id=application.pk,
            data={"comment": comment.pk, "indicator": indicator_code},
        )
    return comment
