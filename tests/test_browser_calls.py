"""An operating body's call, in Chromium: KRIHS creates a city call from the
navigation (dates to the second in KST), sees it as a private draft, opens
it after a confirmation and gets a success message; the public finds it on
the home page, reads the notice and the schedule, and the Apply button leads
a city's applicant through the login to a new application for that call.

Screenshots: ``var/test-artefacts/calls-form.png``, ``calls-publish-confirm.png``,
``calls-published.png`` and ``calls-public-page.png``.
"""

from __future__ import annotations

from typing import Any

import pytest

from smartcity.accounts.models import User
from smartcity.certification.models import Application, Call
from smartcity.frameworks.models import FrameworkVersion
from smartcity.testing.call_calendar import at
from smartcity.testing.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICE = "2026년 스마트도시 인증 대상 지방자치단체를 공모합니다."
DATES = {
    "announced_at": "2026-06-01T09:00:00",
    "submission_opens_at": "2026-10-24T09:00:00",
    "submission_closes_at": "2026-10-26T18:00:00",
    "written_review_starts_at": "2026-11-02T09:00:00",
    "site_inspection_starts_at": "2026-11-16T09:00:00",
    "decision_starts_at": "2026-11-30T09:00:00",
    "approval_due_at": "2026-12-10T18:00:00",
    "results_announced_at": "2026-12-21T10:00:00",
}


def sign_in(page: Any, user: User) -> None:
    page.get_by_label("아이디").fill(user.username)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state()


def test_an_operating_body_opens_a_call_and_the_public_applies(  # type: ignore[no-untyped-def]
    city_2023: FrameworkVersion, operator_staff, applicant_city_a, persona_city_population, clock,
    live_server, page, artefacts,
) -> None:  # fmt: skip
    clock.set(at(2026, 5, 20, 10))
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    sign_in(page, operator_staff)

    # From the navigation to the form of a new city call.
    page.get_by_role("navigation").get_by_role("link", name="공모 관리").click()
    page.get_by_role("link", name="스마트도시 공모 만들기").click()
    page.locator("#id_title_ko").fill("2026년 스마트도시 인증 공모")
    page.locator("#id_notice").fill(NOTICE)
    page.locator("#id_population_reference_date").fill("2025-12-31")
    for name, value in DATES.items():
        page.locator(f"#id_{name}").fill(value)
    page.screenshot(path=str(artefacts / "calls-form.png"), full_page=True)
    page.get_by_role("button", name="초안으로 저장").click()
    page.wait_for_load_state()
    assert "공모를 초안으로 저장했습니다." in page.locator(".messages").inner_text()
    call = Call.objects.get()
    assert call.status == "draft" and call.submission_closes_at == at(2026, 10, 26, 18)

    # Opening it asks first, then says what happened.
    page.get_by_role("link", name="공고하기").click()
    assert page.get_by_role("heading", name="공모 공고 확인").is_visible()
    page.screenshot(path=str(artefacts / "calls-publish-confirm.png"), full_page=True)
    call.refresh_from_db()
    assert call.status == "draft"
    page.get_by_role("button", name="공고 확정").click()
    page.wait_for_load_state()
    assert "공모를 공고했습니다." in page.locator(".messages").inner_text()
    page.screenshot(path=str(artefacts / "calls-published.png"), full_page=True)
    call.refresh_from_db()
    assert call.status == "published"

    # Submissions open: the public finds it on the home page, with Apply.
    clock.set(at(2026, 10, 25, 10))
    page.context.clear_cookies()
    page.goto(f"{base}/")
    page.get_by_role("link", name="2026년 스마트도시 인증 공모").click()
    page.wait_for_load_state()
    assert NOTICE in page.inner_text("main")
    schedule = page.locator("table.schedule")
    assert "2026-10-26 18:00:00 KST" in schedule.inner_text()
    assert "현재 단계" in schedule.locator("tr[data-milestone='submission']").inner_text()
    assert "2025-12-31 기준 주민등록인구" in page.inner_text("main")
    page.screenshot(path=str(artefacts / "calls-public-page.png"), full_page=True)

    # Apply: the login first, then the call's application.
    page.get_by_role("link", name="신청하기").click()
    page.wait_for_load_state()
    sign_in(page, applicant_city_a)
    assert page.get_by_role("heading", name="공모 신청").is_visible()
    page.locator("#id_title").fill("가람시 2026 스마트도시 인증 신청")
    page.get_by_role("button", name="신청서 만들기").click()
    page.wait_for_load_state()
    application = Application.objects.get(call=call)
    assert application.kind == "application"
    assert application.organisation == applicant_city_a.organisation
    assert page.url.endswith(f"/applications/{application.pk}/")
