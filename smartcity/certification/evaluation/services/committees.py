"""Forming a call's committees: one per group, members, common members, the chair."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from smartcity.accounts.models import User
from smartcity.certification.evaluation.access import can_manage_committees, is_committee_member
from smartcity.certification.evaluation.models import Assignment, Committee, CommitteeMembership
from smartcity.certification.evaluation.selectors import group_of
from smartcity.certification.evaluation.services.common import EvaluationRefused
from smartcity.certification.models import Call
from smartcity.core.services import record_audit
from smartcity.frameworks.choices import FrameworkKind
from smartcity.municipalities.choices import SizeClass

#: Stored Korean names of the city groups (data, like ``name_ko`` everywhere).
_CITY_GROUP_NAMES_KO = {SizeClass.LARGE: "대도시", SizeClass.SMALL_MEDIUM: "중소도시"}


def groups_of(call: Call) -> list[tuple[str, str]]:
    """``(group, Korean name)`` of every committee a call needs: one per size
    class for cities, one for the field of a service call."""
    if call.track == FrameworkKind.SERVICE:
        field = call.field or "service"
        return [(field, f"{call.title_ko} 인증평가위원회 ({field})")]
    return [
        (size_class.value, f"{call.title_ko} {_CITY_GROUP_NAMES_KO[size_class]} 인증평가위원회")
        for size_class in SizeClass
    ]


def create_committees(*, actor: User, call: Call) -> list[Committee]:
    """Create the call's committees (existing ones are kept): idempotent."""
    if not can_manage_committees(actor, call):
        raise PermissionDenied
    committees = []
    with transaction.atomic():
        for group, name in groups_of(call):
            committee, created = Committee.objects.get_or_create(
                call=call, group=group, defaults={"name_ko": name}
            )
            if created:
                record_audit(
                    actor=actor,
                    action="evaluation.committee_created",
                    object_type="evaluation.committee",
                    object_id=committee.pk,
                    data={"call": call.pk, "group": group},
                )
            committees.append(committee)
    return committees


def add_member(
    *,
    actor: User,
    committee: Committee,
    member: User,
    is_common: bool = False,
    is_chair: bool = False,
    load_limit: int | None = None,
) -> list[CommitteeMembership]:
    """Seat ``member`` on ``committee``; a common member (공통 위원) is seated on
    every committee of the call. A new chair replaces the committee's old one.
    Returns the memberships written."""
    call = committee.call
    if not can_manage_committees(actor, call):
        raise PermissionDenied
    if not is_committee_member(member):
        raise EvaluationRefused("not_a_committee_member")
    if load_limit is not None and load_limit < 1:
        raise EvaluationRefused("load_limit_invalid")
    targets = list(Committee.objects.filter(call=call)) if is_common else [committee]
    written = []
    with transaction.atomic():
        for target in targets:
            defaults: dict[str, object] = {"is_common": is_common, "load_limit": load_limit}
            if target.pk == committee.pk:
                defaults["is_chair"] = is_chair
                if is_chair:
                    CommitteeMembership.objects.filter(committee=target, is_chair=True).exclude(
                        member=member
                    ).update(is_chair=False)
            membership, _created = CommitteeMembership.objects.update_or_create(
                committee=target, member=member, defaults=defaults
            )
            written.append(membership)
        record_audit(
            actor=actor,
            action="evaluation.member_added",
            object_type="evaluation.committee",
            object_id=committee.pk,
            data={
                "member": member.get_username(),
                "committees": [t.pk for t in targets],
                "is_common": is_common,
                "is_chair": is_chair,
                "load_limit": load_limit,
            },
        )
    return written


def remove_member(*, actor: User, committee: Committee, member: User) -> int:
    """Take ``member`` off ``committee`` (a common member off every committee
    of the call). Refused while they are assigned to an application of a
    group they leave: unassign them first, so no review is dropped unseen.
    Returns the number of memberships removed."""
    call = committee.call
    if not can_manage_committees(actor, call):
        raise PermissionDenied
    with transaction.atomic():
        membership = (
            CommitteeMembership.objects.select_for_update()
            .filter(committee=committee, member=member)
            .first()
        )
        if membership is None:
            raise EvaluationRefused("not_on_committee")
        leaving = (
            CommitteeMembership.objects.filter(committee__call=call, member=member)
            if membership.is_common
            else CommitteeMembership.objects.filter(pk=membership.pk)
        )
        groups = set(leaving.values_list("committee__group", flat=True))
        staying = set(
            CommitteeMembership.objects.filter(committee__call=call, member=member)
            .exclude(pk__in=leaving.values("pk"))
            .values_list("committee__group", flat=True)
        )
        titles = [
            assignment.application.title
            for assignment in Assignment.objects.filter(
                member=member, application__call=call
            ).select_related("application", "application__call")
            if group_of(assignment.application) in groups - staying
        ]
        if titles:
            raise EvaluationRefused("member_has_assignments", tuple(sorted(titles)))
        committees = list(leaving.values_list("committee_id", flat=True))
        removed, _detail = leaving.delete()
        record_audit(
            actor=actor,
            action="evaluation.member_removed",
            object_type="evaluation.committee",
            object_id=committee.pk,
            data={"member": member.get_username(), "committees": committees},
        )
    return removed
