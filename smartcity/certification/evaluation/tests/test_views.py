"""The committee's pages, driven through the test client."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.certification.evaluation.models import (
    Assignment,
    Comment,
    Committee,
    ConflictOfInterest,
    Consensus,
    InspectionItem,
)
from smartcity.certification.evaluation.services import assign_member, create_committees
from smartcity.certification.evaluation.tests.conftest import score_everything
from smartcity.certification.models import Application, Call
from smartcity.certification.selectors import application_score

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_my_reviews_lists_assignments_and_a_declared_conflict_removes_one(
    under_review: Application,
    app_b: Application,
    operator_staff: User,
    committee_member: User,
    django_assert_max_num_queries: Any,
) -> None:
    assign_member(actor=operator_staff, application=app_b, member=committee_member)
    client = client_for(committee_member)
    with django_assert_max_num_queries(8):
        body = client.get(reverse("evaluation:mine")).content.decode()
    assert under_review.title in body and app_b.title in body
    assert "이해충돌 신고" in body
    response = client.post(
        reverse("evaluation:declare", args=[app_b.pk]), {"note": "자문 중인 기관"}
    )
    assert response.status_code == 302
    assert ConflictOfInterest.objects.filter(
        application=app_b, member=committee_member, source="declared", note="자문 중인 기관"
    ).exists()
    body = client.get(reverse("evaluation:mine")).content.decode()
    assert reverse("evaluation:review", args=[app_b.pk]) not in body
    assert reverse("evaluation:review", args=[under_review.pk]) in body


def test_oversight_sees_members_scores_and_disagreement_on_the_review_page(
    under_review: Application, committee_member: User, member_two: User, operator_staff: User
) -> None:
    score_everything(under_review, committee_member)
    score_everything(under_review, member_two, points=Decimal(0))
    body = (
        client_for(operator_staff)
        .get(reverse("evaluation:review", args=[under_review.pk]))
        .content.decode()
    )
    assert 'data-flag="disagreement"' in body
    assert 'name="p-' not in body  # no scoring form for the oversight


def test_the_thread_posts_and_rerenders_as_an_htmx_partial(
    under_review: Application, committee_member: User, operator_staff: User, clock: Any
) -> None:
    url = reverse("evaluation:thread", args=[under_review.pk])
    member = client_for(committee_member)
    response = member.post(url, {"body": "첫 의견"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    clock.set(clock.now.replace(minute=clock.now.minute + 1))
    response = client_for(operator_staff).post(url, {"body": "둘째 의견"})
    assert response.status_code == 302  # without htmx: back to the review page
    body = member.get(reverse("evaluation:review", args=[under_review.pk])).content.decode()
    assert body.index("첫 의견") < body.index("둘째 의견")  # newest last
    response = member.post(url, {"body": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert Comment.objects.count() == 2


def test_the_applicant_can_neither_read_nor_post_in_the_thread(
    under_review: Application, applicant_city_a: User
) -> None:
    client = client_for(applicant_city_a)
    url = reverse("evaluation:thread", args=[under_review.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "몰래"}).status_code == 404
    assert not Comment.objects.exists()


def test_committee_page_forms_committees_seats_members_and_auto_assigns(
    city_call: Call,
    applications: tuple[Application, Application],
    operator_staff: User,
    committee_member: User,
    member_two: User,
    member_with_conflict: User,
) -> None:
    client = client_for(operator_staff)
    page = reverse("evaluation:committees", args=[city_call.pk])
    assert "평가위원회 만들기" in client.get(page).content.decode()
    client.post(reverse("evaluation:committees_create", args=[city_call.pk]))
    small = Committee.objects.get(call=city_call, group="small_medium")
    large = Committee.objects.get(call=city_call, group="large")
    add = reverse("evaluation:committee_add_member", args=[city_call.pk])
    for data in (
        {"committee": small.pk, "member": committee_member.pk, "is_common": "on"},
        {"committee": small.pk, "member": member_two.pk, "is_chair": "on"},
        {"committee": large.pk, "member": member_two.pk},
        {"committee": small.pk, "member": member_with_conflict.pk, "load_limit": "4"},
    ):
        assert client.post(add, data).status_code == 302
    body = client.get(page).content.decode()
    assert 'data-member-count="3"' in body and 'data-member-count="2"' in body
    assert "통상 9명" in body
    response = client.post(
        reverse("evaluation:committee_auto_assign", args=[city_call.pk]), {"per_application": "3"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="plan"' in body and 'data-unfilled="1"' in body
    assert "이해충돌이 없는 위원이 부족합니다" in body
    assert 'data-reason="same_municipality"' in body
    assert Assignment.objects.count() == 4


def test_a_common_member_needs_no_committee_and_others_are_told_to_choose(
    committees: dict[str, Committee], operator_staff: User, committee_member: User
) -> None:
    client = client_for(operator_staff)
    add = reverse("evaluation:committee_add_member", args=[committees["large"].call_id])
    refused = client.post(add, {"member": committee_member.pk})
    assert refused.status_code == 400
    assert "위원회를 고르세요. 공통 위원이면 고르지 않아도 됩니다." in refused.content.decode()
    assert client.post(add, {"member": committee_member.pk, "is_common": "on"}).status_code == 302
    seated = {m.committee.group for m in committee_member.memberships.all()}
    assert seated == {"large", "small_medium"}


def test_seating_a_non_member_is_refused_with_a_message(
    committees: dict[str, Committee], operator_staff: User, applicant_city_b: User
) -> None:
    response = client_for(operator_staff).post(
        reverse("evaluation:committee_add_member", args=[committees["large"].call_id]),
        {"committee": committees["large"].pk, "member": applicant_city_b.pk},
    )
    assert response.status_code == 400  # not in the member choices


def test_the_consensus_page_defaults_to_the_committee_and_fixes(
    under_review: Application,
    committee_member: User,
    member_two: User,
    operator_staff: User,
    ministry_officer: User,
) -> None:
    score_everything(under_review, committee_member)
    score_everything(under_review, member_two)
    url = reverse("evaluation:consensus", args=[under_review.pk])
    outcome = application_score(under_review).indicators[0]
    body = client_for(ministry_officer).get(url).content.decode()
    assert "disabled" in body and "운영기관이 확정합니다" in body
    client = client_for(operator_staff)
    body = client.get(url).content.decode()
    assert f'value="{outcome.aggregated}"' in body
    form = {f"p-{outcome.code}": "0", f"r-{outcome.code}": "합의", "minutes": "1차 회의"}
    asked = client.post(url, form)
    assert asked.status_code == 200 and "합의 점수 확정 확인" in asked.content.decode()
    assert not Consensus.objects.filter(application=under_review).exists()
    response = client.post(url, {**form, "confirmed": "yes"})
    assert response.status_code == 302
    consensus = Consensus.objects.get(application=under_review)
    assert consensus.minutes == "1차 회의"
    assert consensus.scores.get(indicator_code=outcome.code).points == 0
    response = client.post(url, {f"p-{outcome.code}": "abc"})
    assert response.status_code == 400


def test_the_inspection_page_starts_the_checklist_and_records_verdicts(
    under_review: Application, committee_member: User, member_two: User, operator_staff: User
) -> None:
    score_everything(under_review, committee_member)
    score_everything(under_review, member_two)
    client = client_for(operator_staff)
    client.post(reverse("evaluation:consensus", args=[under_review.pk]), {"confirmed": "yes"})
    url = reverse("evaluation:inspection", args=[under_review.pk])
    assert client.post(url).status_code == 200  # the confirmation page
    assert not InspectionItem.objects.filter(application=under_review).exists()
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    item = InspectionItem.objects.get(application=under_review)
    body = client.get(url).content.decode()
    assert item.indicator_code in body and "부록 1, 3쪽" in body
    record = reverse("evaluation:inspection_item", args=[item.pk])
    response = client.post(record, {f"i{item.pk}-outcome": "adjusted"})
    assert response.status_code == 400
    assert "조정 점수를 입력해야" in response.content.decode()
    response = client.post(
        record, {f"i{item.pk}-outcome": "rejected", f"i{item.pk}-note": "미설치"}
    )
    assert response.status_code == 302
    assert 'data-outcome="rejected"' in client.get(url).content.decode()


def test_starting_the_inspection_too_early_explains_why(
    under_review: Application, operator_staff: User
) -> None:
    response = client_for(operator_staff).post(
        reverse("evaluation:inspection", args=[under_review.pk])
    )
    assert response.status_code == 400
    assert "아직 평가 점수를 제출하지 않은 평가위원이 있습니다" in response.content.decode()


def test_with_nothing_to_verify_the_inspection_page_offers_no_start_and_says_why(
    under_review: Application, committee_member: User, member_two: User, operator_staff: User
) -> None:
    """A service or city application with no claim marked for the site: the
    page showed a start button that could only be refused, without any
    confirmation (issue 13's KICT round). It now says the inspection is not
    needed and links to the desk, where the report is offered."""
    under_review.claims.update(to_verify=False)
    score_everything(under_review, committee_member)
    score_everything(under_review, member_two)
    client = client_for(operator_staff)
    client.post(reverse("evaluation:consensus", args=[under_review.pk]), {"confirmed": "yes"})
    body = client.get(reverse("evaluation:inspection", args=[under_review.pk])).content.decode()
    assert "현장실사 시작(확인 목록 만들기)" not in body
    assert 'id="inspection-not-startable"' in body
    assert "현장 확인 대상 지표가 없어 현장실사가 필요하지 않습니다." in body
    desk = reverse("certification:desk", args=[under_review.call_id])
    assert f'href="{desk}#application-{under_review.pk}"' in body
    assert 'data-action="report"' in client.get(desk).content.decode()


def test_while_reviews_are_pending_the_inspection_page_says_so_instead_of_a_button(
    under_review: Application, operator_staff: User
) -> None:
    body = (
        client_for(operator_staff)
        .get(reverse("evaluation:inspection", args=[under_review.pk]))
        .content.decode()
    )
    assert "현장실사 시작(확인 목록 만들기)" not in body
    assert "아직 평가 점수를 제출하지 않은 평가위원이 있습니다" in body


def test_committees_can_be_created_for_a_call_only_once_through_the_page(
    city_call: Call, operator_staff: User
) -> None:
    create_committees(actor=operator_staff, call=city_call)
    client_for(operator_staff).post(reverse("evaluation:committees_create", args=[city_call.pk]))
    assert Committee.objects.filter(call=city_call).count() == 2
