"""A member's scores and submission, the operating body's reopening of a
submitted review, and the committee's discussion thread.

Every score change is audited with the old and new value.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from smartcity.accounts.models import User
from smartcity.certification.access import can_score
from smartcity.certification.domain.claims import indicators_by_code
from smartcity.certification.evaluation.access import can_fix_consensus, can_join_thread
from smartcity.certification.evaluation.domain.review import missing_from_review
from smartcity.certification.evaluation.models import Assignment, Comment, Consensus, MemberScore
from smartcity.certification.evaluation.selectors import (
    CONSENSUS_STATES,
    ProposalLookup,
    proposal_lookup,
    review_entries,
)
from smartcity.certification.evaluation.services.common import EvaluationRefused, cents
from smartcity.certification.models import Application
from smartcity.core.services import record_audit
from smartcity.frameworks.selectors import engine_framework
from smartcity.notifications.services import notify

COMMENT_MAX_LENGTH = 5000
#: How an abstention appears in the audit row's ``from`` / ``to``.
ABSTAINED = "abstained"


def record_member_score(
    *,
    actor: User,
    application: Application,
    indicator_code: str,
    points: Decimal | None,
    rationale: str = "",
    abstain: bool = False,
    proposals: ProposalLookup | None = None,
) -> MemberScore:
    """A member scores one indicator (0 to its points) before submitting, or
    abstains from it (``abstain``, no points) with the reason in ``rationale``.

    Departing from the applicant's proposal (the points the engine gives the
    applicant's own claim) needs a rationale: refused with ``rationale_required``.
    ``proposals`` (``selectors.proposal_lookup``) lets a caller that records
    many indicators of one application score its claims once.
    When the proposal cannot be computed yet but a claim exists, a rationale is
    required too, since agreement cannot be shown. Every change is audited with
    the old and new value.
    """
    if not can_score(actor, application):
        raise PermissionDenied
    indicator = indicators_by_code(engine_framework(application.framework)).get(indicator_code)
    if indicator is None:
        raise EvaluationRefused("unknown_indicator", (indicator_code,))
    rationale = rationale.strip()
    if abstain:
        if not rationale:
            raise EvaluationRefused("abstention_reason_required", (indicator_code,))
        points = None
    else:
        if points is None or not points.is_finite() or points < 0 or points > indicator.points:
            raise EvaluationRefused("out_of_range", (indicator_code, cents(indicator.points)))
        lookup = proposals if proposals is not None else proposal_lookup(application)
        known, proposal = lookup(indicator_code)
        departs = not known or (proposal is not None and points != proposal)
        if departs and not rationale:
            raise EvaluationRefused("rationale_required", (indicator_code,))
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(
            application=application, member=actor
        )
        score = MemberScore.objects.filter(
            assignment=assignment, indicator_code=indicator_code
        ).first()
        old = None if score is None else _shown(score.points, score.abstained)
        if score is None:
            score = MemberScore(assignment=assignment, indicator_code=indicator_code)
        score.points = points
        score.abstained = abstain
        score.rationale = rationale
        score.save()
        record_audit(
            actor=actor,
            action="evaluation.score_changed",
            object_type="certification.application",
            object_id=application.pk,
            data={
                "indicator": indicator_code,
                "from": old,
                "to": _shown(points, abstain),
                "rationale": rationale,
            },
        )
    return score


def _shown(points: Decimal | None, abstained: bool) -> str | None:
    """A score as the audit row keeps it: cents, or ``abstained``."""
    if abstained:
        return ABSTAINED
    return None if points is None else cents(points)


def submit_review(*, actor: User, application: Application) -> Assignment:
    """Fix a member's scores; from now on they may see the other members'.

    Refused with ``review_incomplete`` (naming the indicators) until every
    indicator carries points or a reasoned abstention. After this only the
    operating body can reopen the review (:func:`reopen_review`)."""
    if not can_score(actor, application):
        raise PermissionDenied
    codes = [i.code for i in engine_framework(application.framework).indicators]
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(
            application=application, member=actor
        )
        entries = review_entries(assignment)
        missing = missing_from_review(codes, entries)
        if missing:
            raise EvaluationRefused("review_incomplete", missing)
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["submitted_at"])
        record_audit(
            actor=actor,
            action="evaluation.review_submitted",
            object_type="certification.application",
            object_id=application.pk,
            data={
                "scores": sum(1 for e in entries.values() if e.points is not None),
                "abstained": sum(1 for e in entries.values() if e.abstained),
                "resubmitted": assignment.reopened_at is not None,
            },
        )
    return assignment


def reopen_review(
    *, actor: User, application: Application, member: User, reason: str
) -> Assignment:
    """The operating body reopens a member's submitted review so the member can
    correct it, before the consensus is fixed; the reason is required, audited
    and sent to the member. The member's scores stay as they were until changed,
    and each change is audited as usual."""
    if not can_fix_consensus(actor, application):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise EvaluationRefused("reopen_reason_required")
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in CONSENSUS_STATES:
            raise EvaluationRefused("wrong_state", (locked.get_status_display(),))
        if Consensus.objects.filter(application=locked).exists():
            raise EvaluationRefused("consensus_already_fixed")
        assignment = (
            Assignment.objects.select_for_update().filter(application=locked, member=member).first()
        )
        if assignment is None:
            raise EvaluationRefused("not_assigned", (str(member),))
        if assignment.submitted_at is None:
            raise EvaluationRefused("review_not_submitted", (str(member),))
        submitted = assignment.submitted_at
        assignment.submitted_at = None
        assignment.reopened_at = timezone.now()
        assignment.reopen_reason = reason
        assignment.save(update_fields=["submitted_at", "reopened_at", "reopen_reason"])
        record_audit(
            actor=actor,
            action="evaluation.review_reopened",
            object_type="certification.application",
            object_id=locked.pk,
            data={
                "member": member.get_username(),
                "member_name": str(member),
                "submitted_at": submitted.isoformat(),
                "reason": reason,
            },
        )
        notify(
            recipients=[member],
            kind="evaluation.review_reopened",
            subject=gettext_lazy("평가가 다시 열렸습니다: %(title)s"),
            body=reason,
            params={"title": locked.title},
            url=reverse("evaluation:review", args=[locked.pk]),
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
