"""A newcomer opens the registry, reads it in Korean, switches to English,
and verifies a certificate; a ministry officer signs in and sees the audit log."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from smartcity.registry.models import Certificate
from smartcity.registry.services import import_decisions
from smartcity.testing.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HISTORY = Path(__file__).resolve().parent.parent / "smartcity" / "site" / "demo"


@pytest.fixture
def seeded(municipal_register) -> None:  # type: ignore[no-untyped-def]
    data = (HISTORY / "certification_history.csv").read_bytes()
    assert import_decisions(data=data, file_name="certification_history.csv").ok


def test_registry_in_korean_then_english(seeded, live_server, page, artefacts) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/registry/")
    assert page.locator("html").get_attribute("lang") == "ko"
    page.get_by_role("heading", name="스마트도시 인증 현황").wait_for()
    assert page.get_by_role("link", name="대구광역시").first.is_visible()
    caption = page.locator("caption").first.inner_text()
    assert "56" in caption or "인증" in caption
    page.screenshot(path=str(artefacts / "registry-ko.png"), full_page=True)

    page.select_option("#lang-select", "en")
    page.get_by_role("button", name="변경").click()
    page.get_by_role("heading", name="Smart city certification registry").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=str(artefacts / "registry-en.png"), full_page=True)


def test_filter_by_date_and_verify_a_certificate(seeded, clock, live_server, page) -> None:  # type: ignore[no-untyped-def]
    # 김해시's extension runs 2024-11-25 – 2026-11-24: verify it on a day inside.
    clock.set(dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC))
    page.goto(f"{live_server.url}/registry/?on=2025-12-31")
    page.locator("caption", has_text=re.compile("31")).wait_for()
    number = Certificate.objects.get(subject__name="김해시", granted_by="extension").number
    page.goto(f"{live_server.url}/registry/verify/")
    page.get_by_label("인증번호").fill(number)
    page.get_by_role("button", name="확인").click()
    verdict = page.locator("#verdict")
    verdict.wait_for()
    assert verdict.get_attribute("data-status") == "valid"


def test_keyboard_user_can_skip_to_content(live_server, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "본문 바로가기" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_ministry_officer_signs_in_and_reads_the_audit_log(
    ministry_officer,
    live_server,
    page,  # type: ignore[no-untyped-def]
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("아이디").fill("ministry")
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.get_by_role("link", name="감사 기록").click()
    page.get_by_role("heading", name="감사 기록").wait_for()
    # The sign-in just made, in words (the audit log shows labels, not codes).
    assert page.get_by_test_id("audit-table").get_by_text("로그인").first.is_visible()
