"""Conflicts of interest: detected from organisations and places, or declared
by the member. Either way the member leaves the application's review."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from smartcity.accounts.models import User
from smartcity.certification.access import assignment_of
from smartcity.certification.evaluation.domain.conflicts import DECLARED, conflict_reasons
from smartcity.certification.evaluation.models import Assignment, ConflictOfInterest, ConflictSource
from smartcity.certification.evaluation.selectors import (
    application_facts,
    committee_members,
    member_facts,
)
from smartcity.certification.evaluation.services.common import EvaluationRefused, cents
from smartcity.certification.models import Application
from smartcity.core.services import record_audit


def detect_conflicts(
    application: Application, *, actor: User | None = None, members: Iterable[User] = ()
) -> list[ConflictOfInterest]:
    """Record a detected conflict for every member of the call's committees (and
    every member assigned or passed in) whose organisation ties them to the
    applicant. Returns the conflicts newly recorded; each is audited and the
    member's assignment, if any, is withdrawn."""
    candidates: dict[int, User] = {}
    if application.call is not None:
        candidates.update({m.pk: m for m in committee_members(application.call)})
    assigned = User.objects.filter(assignments__application=application).select_related(
        "organisation__municipality"
    )
    candidates.update({m.pk: m for m in assigned})
    candidates.update({m.pk: m for m in members})
    facts = application_facts(application)
    created: list[ConflictOfInterest] = []
    with transaction.atomic():
        for member in sorted(candidates.values(), key=lambda m: m.pk):
            for reason in conflict_reasons(member_facts(member), facts):
                conflict, new = ConflictOfInterest.objects.get_or_create(
                    application=application,
                    member=member,
                    reason=reason,
                    defaults={"source": ConflictSource.DETECTED, "recorded_at": timezone.now()},
                )
                if not new:
                    continue
                created.append(conflict)
                record_audit(
                    actor=actor,
                    actor_label=None if actor is not None else "system",
                    action="evaluation.conflict_detected",
                    object_type="certification.application",
                    object_id=application.pk,
                    data={"member": member.get_username(), "reason": reason},
                )
                withdraw_assignment(application=application, member=member, actor=actor)
    return created


def declare_conflict(
    *, actor: User, application: Application, note: str = ""
) -> ConflictOfInterest:
    """A member declares a conflict on an application assigned to them; they
    leave its review at once (their draft scores go with the assignment)."""
    if assignment_of(actor, application) is None:
        raise PermissionDenied
    with transaction.atomic():
        conflict, _new = ConflictOfInterest.objects.get_or_create(
            application=application,
            member=actor,
            reason=DECLARED,
            defaults={
                "source": ConflictSource.DECLARED,
                "note": note.strip(),
                "recorded_at": timezone.now(),
            },
        )
        record_audit(
            actor=actor,
            action="evaluation.conflict_declared",
            object_type="certification.application",
            object_id=application.pk,
            data={"member": actor.get_username(), "note": note.strip()},
        )
        withdraw_assignment(application=application, member=actor, actor=actor)
    return conflict


def withdraw_assignment(*, application: Application, member: User, actor: User | None) -> None:
    """Take a conflicted member off an application. Their scores must not count,
    so the assignment and its scores are deleted; the audit row keeps them."""
    assignment = (
        Assignment.objects.select_for_update()
        .filter(application=application, member=member)
        .first()
    )
    if assignment is None:
        return
    scores = {
        s.indicator_code: "abstained" if s.points is None else cents(s.points)
        for s in assignment.scores.all()
    }
    submitted = assignment.submitted_at is not None
    assignment.delete()
    record_audit(
        actor=actor,
        actor_label=None if actor is not None else "system",
        action="evaluation.assignment_withdrawn",
        object_type="certification.application",
        object_id=application.pk,
        data={
            "member": member.get_username(),
            "reason": "conflict_of_interest",
            "submitted": submitted,
            "scores": scores,
        },
    )


def refuse_if_conflicted(application: Application, member: User) -> None:
    if ConflictOfInterest.objects.filter(application=application, member=member).exists():
        raise EvaluationRefused("conflict_of_interest")
