"""Forming a call's committees: one per group, members, common members, the chair."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from smartcity.accounts.models import User
from smartcity.certification.evaluation.access import can_manage_committees, is_committee_member
from smartcity.certification.evaluation.models import Committee, CommitteeMembership
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
