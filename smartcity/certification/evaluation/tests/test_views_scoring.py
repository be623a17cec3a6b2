"""The scoring sheet and the consensus page, through the test client: what the
member sees and is refused, the confirmation step, the document links, the
operating body's reopening, and refusals that name what is missing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.certification.evaluation.models import Assignment
from smartcity.certification.evaluation.tests.conftest import fill_review, score_everything
from smartcity.certification.models import Application, Attachment
from smartcity.certification.selectors import application_score
from smartcity.frameworks.selectors import engine_framework

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def field_value(body: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" [^>]*value="([^"]*)"', body)
    assert match is not None, name
    return match.group(1)


def test_the_sheet_states_the_rules_and_links_application_documents_and_explanation(
    under_review: Application, committee_member: User
) -> None:
    body = (
        client_for(committee_member)
        .get(reverse("evaluation:review", args=[under_review.pk]))
        .content.decode()
    )
    assert "다른 위원의 점수는 내 평가를 제출한 뒤에 볼 수 있습니다" in body
    assert "의견 칸에 근거를 적어야 합니다" in body
    assert reverse("certification:edit", args=[under_review.pk]) in body
    assert reverse("certification:explain", args=[under_review.pk]) in body
    # Every upload is listed, opened through the committee's own document view.
    form = Attachment.objects.get(application=under_review, kind="application_form")
    assert reverse("evaluation:document", args=[under_review.pk, form.pk]) in body


def test_a_cited_page_links_the_pdf_at_that_page_and_the_pdf_opens_inline(
    under_review: Application, committee_member: User, applicant_city_a: User
) -> None:
    from smartcity.testing.call_calendar import PDF

    proposal = Attachment.objects.create(
        application=under_review, kind="proposal", original_name="평가제안서.pdf",
        content_type="application/pdf", size=len(PDF), sha256="0" * 64,
        uploaded_by=applicant_city_a,
        file=Attachment.objects.get(application=under_review, kind="application_form").file,
    )  # fmt: skip
    client = client_for(committee_member)
    body = client.get(reverse("evaluation:review", args=[under_review.pk])).content.decode()
    url = reverse("evaluation:document", args=[under_review.pk, proposal.pk])
    assert f'href="{url}#page=3"' in body  # number indicators cite "p.3"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert client_for(applicant_city_a).get(url).status_code == 404  # not the applicant's page


def test_invalid_values_stay_in_their_field_with_the_error_beside_it(
    under_review: Application, committee_member: User
) -> None:
    first, second = [i.code for i in engine_framework(under_review.framework).indicators][:2]
    url = reverse("evaluation:review", args=[under_review.pk])
    response = client_for(committee_member).post(
        url, {f"p-{first}": "열", f"p-{second}": "9999", f"r-{second}": "과대"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert field_value(body, f"p-{first}") == "열"
    assert field_value(body, f"p-{second}") == "9999"
    assert field_value(body, f"r-{second}") == "과대"
    assert f'aria-describedby="e-{first}"' in body
    assert re.search(rf'id="e-{first}">점수는 숫자여야 합니다', body)
    assert re.search(rf'id="e-{second}">점수는 0점부터 배점까지입니다', body)
    assert not Assignment.objects.get(member=committee_member).scores.exists()


def test_an_incomplete_review_is_refused_then_completed_confirmed_and_submitted(
    under_review: Application, committee_member: User, member_two: User
) -> None:
    member_two.display_name = "이미래 교수"
    member_two.save()
    score_everything(under_review, member_two, points=Decimal(0))
    codes = [i.code for i in engine_framework(under_review.framework).indicators]
    url = reverse("evaluation:review", args=[under_review.pk])
    client = client_for(committee_member)
    assert "위원별 점수와 편차" not in client.get(url).content.decode()

    first = application_score(under_review).indicator(codes[0])
    response = client.post(url, {f"p-{codes[0]}": str(first.proposal_points), "submit": "1"})
    assert response.status_code == 400
    body = response.content.decode()
    assert f"점수도 기권 사유도 없는 지표가 {len(codes) - 1}개 있어 제출할 수 없습니다" in body
    assert f'id="e-{codes[1]}">점수를 입력하거나, 기권하고 사유를 적으세요' in body
    assert Assignment.objects.get(member=committee_member).submitted_at is None

    fill_review(under_review, committee_member)
    response = client.post(url, {f"a-{codes[1]}": "on", f"r-{codes[1]}": "이해관계로 기권",
                                 "submit": "1"})  # fmt: skip
    assert response.status_code == 200
    body = response.content.decode()
    assert "평가 제출 확인" in body and "이해관계로 기권" in body
    assert 'data-abstained="1"' in body

    submit = reverse("evaluation:review_submit", args=[under_review.pk])
    response = client.post(submit, {})
    assert response.status_code == 400  # the confirmation must be ticked
    assert Assignment.objects.get(member=committee_member).submitted_at is None
    response = client.post(submit, {"confirm": "on"})
    assert response.status_code == 302
    assert Assignment.objects.get(member=committee_member).submitted_at is not None
    body = client.get(url).content.decode()
    assert "위원별 점수와 편차" in body
    assert "이미래 교수 0.00" in body and "member2 0.00" not in body  # display names
    assert client.post(submit, {"confirm": "on"}).status_code == 404  # submitted: closed


def test_the_consensus_page_names_pending_members_and_the_operating_body_reopens_a_review(
    under_review: Application, committee_member: User, member_two: User, operator_staff: User
) -> None:
    committee_member.display_name = "김한국 교수"
    committee_member.save()
    member_two.display_name = "이미래 교수"
    member_two.save()
    score_everything(under_review, committee_member)
    client = client_for(operator_staff)
    url = reverse("evaluation:consensus", args=[under_review.pk])
    response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 400
    assert "아직 평가를 제출하지 않은 위원이 있어 합의할 수 없습니다: 이미래 교수" in (
        response.content.decode()
    )
    assignment = Assignment.objects.get(member=committee_member)
    reopen = reverse("evaluation:reopen", args=[under_review.pk, assignment.pk])
    response = client.post(reopen, {"reason": ""})
    assert response.status_code == 400
    assert "평가를 다시 여는 사유를 적어야 합니다" in response.content.decode()
    response = client.post(reopen, {"reason": "입력 착오 정정"})
    assert response.status_code == 200 and "평가 다시 열기 확인" in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).submitted_at is not None
    response = client.post(reopen, {"reason": "입력 착오 정정", "confirmed": "yes"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.submitted_at is None and assignment.reopen_reason == "입력 착오 정정"
    assert client_for(member_two).post(reopen, {"reason": "x"}).status_code == 404
    body = (
        client_for(committee_member)
        .get(reverse("evaluation:review", args=[under_review.pk]))
        .content.decode()
    )
    assert "운영기관이" in body and "입력 착오 정정" in body
    assert 'name="p-' in body and " disabled" not in body.split('name="p-', 1)[1][:200]
