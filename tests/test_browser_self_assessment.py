"""A city tries the certification between calls: it starts a self-assessment
(모의인증), sees the provisional score move as it types, saves, reads how every
point arises, and asks what it would take to be certified."""

from __future__ import annotations

import datetime as dt

import pytest

from smartcity.frameworks.services import load_shipped_frameworks
from smartcity.municipalities.models import PopulationCount
from smartcity.testing.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_self_assessment_journey(applicant_city_a, live_server, page, artefacts) -> None:  # type: ignore[no-untyped-def]
    load_shipped_frameworks()
    organisation = applicant_city_a.organisation
    PopulationCount.objects.create(
        municipality=organisation.municipality,
        reference_date=dt.date(2025, 11, 1),
        population=320_000,
        source="test",
    )
    page.goto(f"{live_server.url}/accounts/login/?next=/applications/new/")
    page.get_by_label("아이디").fill(applicant_city_a.username)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()

    page.get_by_label("지표 체계").select_option(label="2023년 스마트도시 인증 평가체계(재구성)")
    page.get_by_label("제목").fill("2026 모의인증")
    page.get_by_role("button", name="시작").click()

    page.get_by_role("heading", name="2026 모의인증").wait_for()
    total = page.get_by_test_id("total")
    assert total.inner_text().startswith("0.00")
    page.get_by_label("행정구역 면적(㎢)").fill("120")
    first_stage = page.locator("select[name^='s-']").first
    first_stage.select_option("5")
    page.locator("#score-summary.provisional").wait_for()
    assert not page.get_by_test_id("total").inner_text().startswith("0.00")
    page.screenshot(path=str(artefacts / "self-assessment-live.png"), full_page=False)

    page.get_by_role("button", name="저장").click()
    page.get_by_role("status").filter(has_text="저장했습니다").wait_for()
    page.get_by_role("link", name="점수 설명").first.click()
    page.get_by_role("heading", name="점수 설명").wait_for()
    assert page.locator("table.explain tbody tr").count() == 53

    page.get_by_role("link", name="다음 등급까지").first.click()
    page.get_by_label("목표", exact=True).select_option("certification")
    page.get_by_role("button", name="계산").click()
    plan = page.locator("#plan")
    plan.wait_for()
    assert plan.get_attribute("data-status") in {"reachable", "unreachable"}
    page.screenshot(path=str(artefacts / "self-assessment-what-if.png"), full_page=True)
