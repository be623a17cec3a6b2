"""Self-assessment with live scoring, explain-my-score and the what-if page,
and who may see what inside an application."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.certification.domain.claims import ClaimInput, indicator_kind
from smartcity.certification.evaluation.models import Assignment
from smartcity.certification.evaluation.services import (
    assign_member,
    record_member_score,
    submit_review,
)
from smartcity.certification.models import Application
from smartcity.certification.services import save_claims, set_area, start_self_assessment
from smartcity.core.models import AuditEvent
from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.selectors import engine_framework

pytestmark = pytest.mark.django_db


def full_marks(framework: FrameworkVersion) -> list[ClaimInput]:
    inputs = []
    for area in engine_framework(framework).areas:
        for item in area.items:
            for indicator in item.indicators:
                kind = indicator_kind(indicator)
                if kind == "maturity":
                    inputs.append(ClaimInput(indicator.code, stage="3", evidence_reference="p.1"))
                elif kind == "yes_no":
                    inputs.append(ClaimInput(indicator.code, flag="yes", evidence_reference="p.2"))
                else:
                    inputs.append(
                        ClaimInput(indicator.code, value="1000000", evidence_reference="p.3")
                    )
    return inputs


def test_self_assessment_is_private_to_the_applicant(
    city_2023,
    applicant_city_a,
    applicant_city_b,
    ministry_officer,  # type: ignore[no-untyped-def]
) -> None:
    mine = start_self_assessment(actor=applicant_city_a, framework=city_2023, title="모의")
    for user, expected in [
        (applicant_city_a, 200),
        (applicant_city_b, 404),
        (ministry_officer, 404),
    ]:
        client = Client()
        client.force_login(user)
        for name in ("edit", "explain", "what_if"):
            assert (
                client.get(reverse(f"certification:{name}", args=[mine.pk])).status_code == expected
            )


def test_form_saves_good_claims_and_reports_bad_ones(
    city_2023, applicant_city_a, client: Client
) -> None:  # type: ignore[no-untyped-def]
    app = start_self_assessment(actor=applicant_city_a, framework=city_2023, title="모의")
    framework = engine_framework(city_2023)
    number = next(
        i
        for a in framework.areas
        for it in a.items
        for i in it.indicators
        if indicator_kind(i) == "number"
    )
    maturity = next(
        i
        for a in framework.areas
        for it in a.items
        for i in it.indicators
        if indicator_kind(i) == "maturity"
    )
    client.force_login(applicant_city_a)
    response = client.post(
        reverse("certification:edit", args=[app.pk]),
        {f"v-{number.code}": "abc", f"s-{maturity.code}": "4", f"e-{maturity.code}": "부록 2쪽"},
    )
    assert response.status_code == 400
    assert "숫자를 입력하세요" in response.content.decode()
    claim = app.claims.get(indicator_code=maturity.code)
    assert claim.stage == 4 and claim.evidence_reference == "부록 2쪽"
    assert AuditEvent.objects.filter(action="certification.claims_saved").exists()


def test_live_preview_scores_without_saving(city_2023, applicant_city_a, client: Client) -> None:  # type: ignore[no-untyped-def]
    app = start_self_assessment(actor=applicant_city_a, framework=city_2023, title="모의")
    maturity = next(
        i
        for a in engine_framework(city_2023).areas
        for it in a.items
        for i in it.indicators
        if indicator_kind(i) == "maturity"
    )
    client.force_login(applicant_city_a)
    response = client.post(
        reverse("certification:preview", args=[app.pk]), {f"s-{maturity.code}": "5"}
    )
    body = response.content.decode()
    assert "가채점" in body
    assert f"{maturity.points.quantize(Decimal('0.01'))}" in body
    assert app.claims.count() == 0


def test_what_if_reaches_certification_from_a_weak_self_assessment(
    city_2023,
    applicant_city_a,
    client: Client,  # type: ignore[no-untyped-def]
) -> None:
    app = start_self_assessment(actor=applicant_city_a, framework=city_2023, title="모의")
    save_claims(actor=applicant_city_a, application=app, inputs=full_marks(city_2023))
    client.force_login(applicant_city_a)
    response = client.get(reverse("certification:what_if", args=[app.pk]))
    assert "면적" in response.content.decode()  # the missing denominator is explained
    set_area(actor=applicant_city_a, application=app, area_km2=Decimal("120.5"))
    response = client.get(
        reverse("certification:what_if", args=[app.pk]), {"target": "certification"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="reachable"' in body or 'data-status="already_met"' in body
    assert "위원 점수 범위" in body


def test_member_scores_hidden_until_the_member_submits(
    application_of_a: Application,
    ministry_officer: User,
    committee_member: User,
    applicant_city_a: User,
    applicant_city_b: User,
) -> None:
    other = User.objects.create_user(username="member2", role="committee_member")
    assign_member(actor=ministry_officer, application=application_of_a, member=committee_member)
    assign_member(actor=ministry_officer, application=application_of_a, member=other)
    # A review is submitted only complete: every indicator scored.
    for indicator in engine_framework(application_of_a.framework).indicators:
        for member in (other, committee_member):
            record_member_score(actor=member, application=application_of_a,
                                indicator_code=indicator.code,
                                points=min(Decimal("5"), indicator.points),
                                rationale="근거 부족")  # fmt: skip
    submit_review(actor=other, application=application_of_a)

    def explain_as(user: User) -> str:
        client = Client()
        client.force_login(user)
        response = client.get(reverse("certification:explain", args=[application_of_a.pk]))
        assert response.status_code == 200
        return response.content.decode()

    assert "member2 5.00" not in explain_as(committee_member)  # not yet submitted
    assert "member2 5.00" not in explain_as(applicant_city_a)  # applicants never see members
    assert "member2 5.00" in explain_as(ministry_officer)
    submit_review(actor=committee_member, application=application_of_a)
    assert "member2 5.00" in explain_as(committee_member)
    client = Client()
    client.force_login(applicant_city_b)
    assert (
        client.get(reverse("certification:explain", args=[application_of_a.pk])).status_code == 404
    )


def test_every_score_change_is_audited_and_out_of_range_refused(
    application_of_a: Application, ministry_officer: User, committee_member: User
) -> None:
    from django.core.exceptions import ValidationError

    assign_member(actor=ministry_officer, application=application_of_a, member=committee_member)
    code = next(
        i
        for a in engine_framework(application_of_a.framework).areas
        for it in a.items
        for i in it.indicators
    )
    record_member_score(actor=committee_member, application=application_of_a,
                        indicator_code=code.code, points=Decimal("1"))  # fmt: skip
    record_member_score(actor=committee_member, application=application_of_a,
                        indicator_code=code.code, points=Decimal("2"))  # fmt: skip
    changes = AuditEvent.objects.filter(action="evaluation.score_changed").order_by("id")
    assert [(e.data["from"], e.data["to"]) for e in changes] == [(None, "1.00"), ("1.00", "2.00")]
    with pytest.raises(ValidationError):
        record_member_score(actor=committee_member, application=application_of_a,
                            indicator_code=code.code, points=code.points + 1)  # fmt: skip
    assert Assignment.objects.get(member=committee_member).scores.get().points == Decimal("2")


def test_review_page_requires_a_rationale_when_departing_from_the_proposal(
    application_of_a: Application,
    ministry_officer: User,
    committee_member: User,
    applicant_city_a: User,
    client: Client,
) -> None:
    from smartcity.certification.models import Claim

    framework = engine_framework(application_of_a.framework)
    yes_no = next(i for a in framework.areas for it in a.items for i in it.indicators
                  if indicator_kind(i) == "yes_no")  # fmt: skip
    Claim.objects.create(application=application_of_a, indicator_code=yes_no.code, flag=True)
    assign_member(actor=ministry_officer, application=application_of_a, member=committee_member)
    client.force_login(committee_member)
    url = reverse("evaluation:review", args=[application_of_a.pk])
    response = client.post(url, {f"p-{yes_no.code}": "0"})
    assert response.status_code == 400
    assert "의견을 적어야" in response.content.decode()
    response = client.post(url, {f"p-{yes_no.code}": "0", f"r-{yes_no.code}": "증빙 불충분"})
    assert response.status_code == 302
    score = Assignment.objects.get(member=committee_member).scores.get()
    assert (score.points, score.rationale) == (Decimal("0"), "증빙 불충분")
