"""The national platform page in Chromium, from the demo (``smartcity demo
load`` + ``smartcity operations demo``): the public sees the 2018 call's 12
selections, the map and the coverage derived from the demo traffic; the
Ministry sees the outcome charts. Screenshots under var/test-artefacts/."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from smartcity.operations.models import VideoGrant
from tests.test_browser_ministry import login
from tests.test_browser_operations import _seed_event_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KST = dt.timezone(dt.timedelta(hours=9))


def test_the_national_page_shows_the_2018_selections_and_derived_coverage(  # type: ignore[no-untyped-def]
    municipal_register, size_class_rules, clock, live_server, page, artefacts
) -> None:
    clock.set(dt.datetime(2026, 12, 7, 10, 0, tzinfo=KST))
    _seed_event_model()
    call_command("demo", "load", stdout=io.StringIO())
    call_command("operations", "demo", stdout=io.StringIO())
    base = live_server.url

    page.goto(f"{base}/analytics/platform/")
    page.get_by_role("heading", name="스마트시티 통합플랫폼 전국 현황").wait_for()
    assert page.locator("#selected-count-2018").inner_text() == "12"
    assert page.locator("#table-applicants-2018 tbody tr").count() == 12
    assert "21" in page.locator("#unnamed-2018").inner_text()
    row = page.locator("#table-coverage tbody tr").first
    assert row.locator("td").last.text_content() == "3"  # 112 video, 119, vulnerable people
    page.locator("#analytics-map[data-features]").wait_for(state="attached", timeout=60_000)
    assert page.locator("#outcomes-restricted").is_visible()
    page.screenshot(path=str(artefacts / "national-public.png"), full_page=True)

    login(page, base, "ministry")
    page.goto(f"{base}/analytics/platform/")
    canvas = page.locator("#chart-provisions-by-month")
    canvas.wait_for()
    assert canvas.get_attribute("data-drawn") not in (None, "0")
    cells = page.locator("#table-provisions-by-month tbody tr td")
    # Goyang's two demo grants and the Daejeon centre's police and fire grants.
    assert int(cells.first.text_content() or 0) == VideoGrant.objects.count() == 4
    page.screenshot(path=str(artefacts / "national-ministry.png"), full_page=True)


def test_the_applicant_uses_its_platform_record_as_evidence(  # type: ignore[no-untyped-def]
    municipal_register, size_class_rules, clock, live_server, page, artefacts
) -> None:
    from smartcity.accounts.models import User
    from smartcity.certification.services.applications import start_self_assessment
    from smartcity.frameworks.models import FrameworkVersion

    clock.set(dt.datetime(2026, 12, 7, 10, 0, tzinfo=KST))
    _seed_event_model()
    call_command("demo", "load", stdout=io.StringIO())
    call_command("operations", "demo", stdout=io.StringIO())
    goyang = User.objects.get(username="goyang")
    application = start_self_assessment(
        actor=goyang, framework=FrameworkVersion.objects.get(code="city-2023"), title="모의인증"
    )
    base = live_server.url
    login(page, base, "goyang")
    page.goto(f"{base}/applications/{application.pk}/")
    offer = page.locator("#platform-evidence-A1\\.4\\.Q3")
    offer.get_by_role("button", name="이 기록 사용").wait_for()
    assert "연계 서비스 3개" in offer.inner_text()
    offer.get_by_role("button", name="이 기록 사용").click()
    assert page.locator("#v-A1\\.4\\.Q3").input_value() == "3"
    assert "통합플랫폼 운영 기록" in page.locator("#e-A1\\.4\\.Q3").input_value()
    assert not application.claims.exists()  # the applicant has not saved yet
    offer.scroll_into_view_if_needed()
    page.screenshot(path=str(artefacts / "national-evidence.png"))
