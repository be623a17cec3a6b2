"""The committee page's hand work: taking members off committees, manual
assignment and unassignment beside the automatic one, and the automatic
assignment saying plainly what it could not fill."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.certification.evaluation.models import Assignment, Committee, CommitteeMembership
from smartcity.certification.evaluation.services import (
    EvaluationRefused,
    remove_member,
    submit_review,
    unassign_member,
)
from smartcity.certification.evaluation.tests.conftest import fill_review
from smartcity.certification.models import Application, Call
from smartcity.core.models import AuditEvent
from smartcity.testing.confirm import Irreversible, walk_confirmation

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_removing_a_member_takes_them_off_the_committee_with_an_audit_row(
    committees: dict[str, Committee], operator_staff: User, member_with_conflict: User
) -> None:
    small = committees["small_medium"]
    assert remove_member(actor=operator_staff, committee=small, member=member_with_conflict) == 1
    assert not CommitteeMembership.objects.filter(member=member_with_conflict).exists()
    row = AuditEvent.objects.get(action="evaluation.member_removed")
    assert row.data["member"] == member_with_conflict.username
    with pytest.raises(EvaluationRefused) as refused:
        remove_member(actor=operator_staff, committee=small, member=member_with_conflict)
    assert refused.value.code == "not_on_committee"


def test_a_common_member_leaves_every_committee_of_the_call(
    committees: dict[str, Committee], operator_staff: User, committee_member: User
) -> None:
    removed = remove_member(
        actor=operator_staff, committee=committees["small_medium"], member=committee_member
    )
    assert removed == 2
    assert not CommitteeMembership.objects.filter(member=committee_member).exists()


def test_a_member_still_assigned_in_the_group_cannot_be_removed(
    assigned: Application, committees: dict[str, Committee], operator_staff: User, member_two: User
) -> None:
    with pytest.raises(EvaluationRefused) as refused:
        remove_member(actor=operator_staff, committee=committees["small_medium"], member=member_two)
    assert refused.value.code == "member_has_assignments"
    assert refused.value.detail == (assigned.title,)
    # Leaving the other group's committee is fine: nothing assigned there.
    assert remove_member(actor=operator_staff, committee=committees["large"], member=member_two)


def test_unassigning_deletes_the_draft_and_a_submitted_review_is_refused(
    assigned: Application, operator_staff: User, committee_member: User, member_two: User
) -> None:
    unassign_member(actor=operator_staff, application=assigned, member=member_two)
    assert not Assignment.objects.filter(application=assigned, member=member_two).exists()
    assert AuditEvent.objects.filter(action="evaluation.member_unassigned").count() == 1
    fill_review(assigned, committee_member)
    submit_review(actor=committee_member, application=assigned)
    with pytest.raises(EvaluationRefused) as refused:
        unassign_member(actor=operator_staff, application=assigned, member=committee_member)
    assert refused.value.code == "review_already_submitted"
    with pytest.raises(EvaluationRefused) as refused:
        unassign_member(actor=operator_staff, application=assigned, member=member_two)
    assert refused.value.code == "not_assigned"


def test_the_page_removes_a_member_after_confirmation(
    committees: dict[str, Committee], operator_staff: User, member_with_conflict: User
) -> None:
    client = client_for(operator_staff)
    small = committees["small_medium"]
    url = reverse(
        "evaluation:committee_remove_member",
        args=[small.call_id, small.pk, member_with_conflict.pk],
    )
    page = client.get(reverse("evaluation:committees", args=[small.call_id])).content.decode()
    assert url in page
    done = walk_confirmation(
        Irreversible(
            "remove_member",
            client,
            url,
            {},
            lambda: not CommitteeMembership.objects.filter(member=member_with_conflict).exists(),
            "해촉했습니다",
        )
    )
    assert "평가위원 해촉 확인" not in done


def test_the_page_assigns_and_unassigns_by_hand(
    app_a: Application, committees: dict[str, Committee], operator_staff: User, member_two: User
) -> None:
    client = client_for(operator_staff)
    call_id = app_a.call_id
    done = client.post(
        reverse("evaluation:committee_assign", args=[call_id]),
        {"application": app_a.pk, "member": member_two.pk},
        follow=True,
    )
    assert "배정했습니다" in done.content.decode()
    assert Assignment.objects.filter(application=app_a, member=member_two).exists()
    url = reverse("evaluation:committee_unassign", args=[call_id, app_a.pk, member_two.pk])
    assert url in done.content.decode()
    asked = client.get(url).content.decode()
    assert "배정 해제 확인" in asked and "평가 초안도 함께 지워집니다" in asked
    walk_confirmation(
        Irreversible(
            "unassign",
            client,
            url,
            {},
            lambda: not Assignment.objects.filter(application=app_a, member=member_two).exists(),
            "배정을 해제했습니다",
        )
    )


def test_a_conflicted_manual_assignment_is_refused_with_the_reason(
    app_a: Application,
    committees: dict[str, Committee],
    operator_staff: User,
    member_with_conflict: User,
) -> None:
    done = client_for(operator_staff).post(
        reverse("evaluation:committee_assign", args=[app_a.call_id]),
        {"application": app_a.pk, "member": member_with_conflict.pk},
        follow=True,
    )
    assert "이해충돌이 있는 위원은 이 신청서를 평가할 수 없습니다" in done.content.decode()
    assert not Assignment.objects.filter(member=member_with_conflict).exists()


def test_auto_assignment_says_plainly_what_it_could_not_fill(
    applications: tuple[Application, Application],
    committees: dict[str, Committee],
    operator_staff: User,
) -> None:
    call_id = applications[0].call_id
    response = client_for(operator_staff).post(
        reverse("evaluation:committee_auto_assign", args=[call_id]), {"per_application": "5"}
    )
    body = response.content.decode()
    assert 'id="plan-unfilled"' in body
    assert "모든 자리를 채우지 못했습니다" in body
    assert "이해충돌이 없는 위원이 부족합니다" in body or "위원 수가 부족합니다" in body


def test_auto_assignment_that_fills_everything_says_so(
    applications: tuple[Application, Application],
    committees: dict[str, Committee],
    operator_staff: User,
) -> None:
    response = client_for(operator_staff).post(
        reverse("evaluation:committee_auto_assign", args=[applications[0].call_id]),
        {"per_application": "1"},
    )
    assert 'id="plan-filled"' in response.content.decode()


def test_other_track_and_applicants_get_404_on_the_hand_work(
    assigned: Application,
    committees: dict[str, Committee],
    service_operator_staff: User,
    applicant_city_a: User,
    member_two: User,
    city_call: Call,
) -> None:
    small = committees["small_medium"]
    urls = [
        reverse("evaluation:committee_remove_member", args=[city_call.pk, small.pk, member_two.pk]),
        reverse("evaluation:committee_unassign", args=[city_call.pk, assigned.pk, member_two.pk]),
    ]
    for user in (service_operator_staff, applicant_city_a):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404
            assert client.post(url).status_code == 404
        assign = reverse("evaluation:committee_assign", args=[city_call.pk])
        assert client.post(assign, {"application": assigned.pk}).status_code == 404
    assert CommitteeMembership.objects.filter(member=member_two).count() == 2
    assert Assignment.objects.filter(member=member_two).exists()


def test_the_committee_page_names_each_application_group_in_words() -> None:
    from smartcity.certification.evaluation.views.committees import _group_label

    assert _group_label("large") == "대도시" and _group_label("small_medium") == "중소도시"
    assert _group_label("교통") == "교통"  # a service field stays as the call names it
