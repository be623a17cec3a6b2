"""What every visitor meets (issue 13, "Everyone"): the product's own 404 in
the site layout, styled, in Korean; and the audit log as a person reads it,
filtered, with a refused date named on its field. Screenshots of both go to
var/test-artefacts/."""

from __future__ import annotations

import pytest

from smartcity.core.services import record_audit
from smartcity.testing.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_missing_page_is_the_products_own_404(live_server, page, artefacts) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(f"{live_server.url}/registry/no-such-page/")
    assert response is not None and response.status == 404
    page.get_by_role("heading", name="페이지를 찾을 수 없습니다").wait_for()
    # Inside the site layout, with its style sheet applied (not a bare page).
    assert page.get_by_role("navigation", name="주 메뉴").is_visible()
    size = page.evaluate("getComputedStyle(document.querySelector('.error-code')).fontSize")
    assert size == "48px"  # .error-page .error-code in site.css
    page.get_by_role("link", name="처음 화면으로").wait_for()
    page.screenshot(path=str(artefacts / "everyone-404.png"), full_page=True)


def test_the_audit_log_reads_as_words_and_filters(  # type: ignore[no-untyped-def]
    ministry_officer, operator_staff, live_server, page, artefacts
) -> None:
    record_audit(
        actor=operator_staff, action="certification.call_created",
        object_type="certification.call", object_id=1,
    )  # fmt: skip
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("아이디").fill("ministry")
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.get_by_role("link", name="감사 기록").click()
    table = page.get_by_test_id("audit-table")
    assert table.get_by_role("link", name="공모 1").is_visible()
    assert table.get_by_text("공모 생성").is_visible()

    page.get_by_label("행위자").fill("krihs")
    page.get_by_role("button", name="검색").click()
    page.wait_for_url("**actor=krihs**")
    assert table.get_by_text("공모 생성").is_visible()
    assert table.get_by_text("로그인").count() == 0  # the ministry's own sign-in is filtered out
    page.screenshot(path=str(artefacts / "everyone-audit-log.png"), full_page=True)

    page.goto(f"{live_server.url}/audit/?since=2026-03-10&until=2026-03-01")
    assert page.get_by_text("종료일은 시작일과 같거나 그 뒤여야 합니다.").is_visible()
    assert page.get_by_text(
        "검색 조건 중 사용할 수 없는 값이 있어 전체 기록을 보여 줍니다."
    ).is_visible()
