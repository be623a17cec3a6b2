"""Who reviews which application: by hand, or planned for a whole call."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.certification.choices import ApplicationKind
from smartcity.certification.evaluation.access import can_assign, can_manage_committees
from smartcity.certification.evaluation.domain.assignment import (
    Plan,
    PlanApplication,
    PlanMember,
    plan_assignments,
)
from smartcity.certification.evaluation.models import (
    Assignment,
    CommitteeMembership,
    ConflictOfInterest,
)
from smartcity.certification.evaluation.selectors import (
    call_applications,
    committee_members,
    current_load,
    group_of,
    load_limit,
)
from smartcity.certification.evaluation.services.common import EvaluationRefused, cents
from smartcity.certification.evaluation.services.conflicts import (
    detect_conflicts,
    refuse_if_conflicted,
)
from smartcity.certification.models import Application, Call
from smartcity.core.services import record_audit


def assign_member(*, actor: User, application: Application, member: User) -> Assignment:
    """Assign one member by hand. Refused for a member with a conflict of
    interest (checked now) and for one already at their load limit."""
    if not can_assign(actor, application):
        raise PermissionDenied
    if member.role != Role.COMMITTEE_MEMBER:
        raise EvaluationRefused("not_a_committee_member")
    if application.kind != ApplicationKind.APPLICATION:
        raise EvaluationRefused("not_an_application")
    with transaction.atomic():
        existing = Assignment.objects.filter(application=application, member=member).first()
        if existing is not None:
            return existing
        detect_conflicts(application, actor=actor, members=[member])
        refuse_if_conflicted(application, member)
        User.objects.select_for_update().filter(pk=member.pk).first()  # serialise loads
        if current_load(member, application.call) >= load_limit(member, application.call):
            raise EvaluationRefused("load_limit_reached")
        assignment = Assignment.objects.create(application=application, member=member)
        record_audit(
            actor=actor,
            action="evaluation.member_assigned",
            object_type="certification.application",
            object_id=application.pk,
            data={"member": member.get_username()},
        )
    return assignment


def unassign_member(*, actor: User, application: Application, member: User) -> None:
    """Take a member off an application by hand, before they have submitted
    their review (a submitted review is reopened or kept, never dropped
    silently). Their draft scores go with the assignment; the audit row keeps them."""
    if not can_assign(actor, application):
        raise PermissionDenied
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update()
            .filter(application=application, member=member)
            .first()
        )
        if assignment is None:
            raise EvaluationRefused("not_assigned", (str(member),))
        if assignment.submitted_at is not None:
            raise EvaluationRefused("review_already_submitted", (str(member),))
        drafts = {
            s.indicator_code: "abstained" if s.points is None else cents(s.points)
            for s in assignment.scores.all()
        }
        assignment.delete()
        record_audit(
            actor=actor,
            action="evaluation.member_unassigned",
            object_type="certification.application",
            object_id=application.pk,
            data={"member": member.get_username(), "draft_scores": drafts},
        )


def auto_assign(*, actor: User, call: Call, per_application: int | None = None) -> Plan:
    """Staff every submitted or under-review application of ``call`` with
    ``per_application`` members (default ``CERTIFICATION_MEMBERS_PER_APPLICATION``),
    detecting conflicts first. Returns the plan, with what it could not fill."""
    if not can_manage_committees(actor, call):
        raise PermissionDenied
    wanted = per_application or int(settings.CERTIFICATION_MEMBERS_PER_APPLICATION)
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()  # one planner at a time
        applications = list(call_applications(call))
        for application in applications:
            detect_conflicts(application, actor=actor)
        members = list(committee_members(call))
        groups: dict[int, set[str]] = {}
        common: set[int] = set()
        for membership in CommitteeMembership.objects.filter(committee__call=call).select_related(
            "committee"
        ):
            groups.setdefault(membership.member_id, set()).add(membership.committee.group)
            if membership.is_common:
                common.add(membership.member_id)
        assigned: dict[int, set[int]] = {}
        for application_id, member_id in Assignment.objects.filter(
            application__in=applications
        ).values_list("application_id", "member_id"):
            assigned.setdefault(application_id, set()).add(member_id)
        conflicts = set(
            ConflictOfInterest.objects.filter(application__in=applications).values_list(
                "application_id", "member_id"
            )
        )
        plan = plan_assignments(
            [
                PlanApplication(a.pk, group_of(a), frozenset(assigned.get(a.pk, set())))
                for a in applications
            ],
            [
                PlanMember(
                    id=m.pk,
                    groups=frozenset(groups.get(m.pk, set())),
                    limit=load_limit(m, call),
                    load=current_load(m, call),
                    is_common=m.pk in common,
                )
                for m in members
            ],
            conflicts,
            wanted,
        )
        by_id = {m.pk: m for m in members}
        for application_id, member_id in plan.assignments:
            Assignment.objects.create(application_id=application_id, member_id=member_id)
            record_audit(
                actor=actor,
                action="evaluation.member_assigned",
                object_type="certification.application",
                object_id=application_id,
                data={"member": by_id[member_id].get_username(), "auto": True},
            )
        record_audit(
            actor=actor,
            action="evaluation.auto_assigned",
            object_type="certification.call",
            object_id=call.pk,
            data={
                "per_application": wanted,
                "assigned": len(plan.assignments),
                "unfilled": [[u.application, u.missing, u.reason] for u in plan.unfilled],
            },
        )
    return plan
