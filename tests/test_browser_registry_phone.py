"""The public registry on a 390 px phone (issue 13 "registry pages"): the
page never scrolls sideways (the table scrolls in its own box), Korean
breaks between words only, and the filters survive the back button."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartcity.registry.services import import_decisions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HISTORY = Path(__file__).resolve().parent.parent / "smartcity" / "site" / "demo"


@pytest.fixture
def seeded(municipal_register) -> None:  # type: ignore[no-untyped-def]
    data = (HISTORY / "certification_history.csv").read_bytes()
    assert import_decisions(data=data, file_name="certification_history.csv").ok


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        locale="ko-KR", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_registry_fits_a_390_px_phone(seeded, clock, live_server, phone, artefacts) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC))
    phone.goto(f"{live_server.url}/registry/")
    phone.get_by_role("heading", name="스마트도시 인증 현황").wait_for()
    page_width = phone.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390, f"the page scrolls sideways: {page_width} px"
    box = phone.locator(".table-scroll").first
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table scrolls in its box
    assert phone.evaluate("getComputedStyle(document.body).wordBreak") == "keep-all"
    phone.screenshot(path=str(artefacts / "registry-phone-390.png"), full_page=False)
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    phone.screenshot(path=str(artefacts / "registry-phone-390-scrolled.png"), full_page=False)


def test_filters_survive_the_back_button(seeded, clock, live_server, page) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC))
    page.goto(f"{live_server.url}/registry/")
    page.select_option("#id_kind", "service")
    page.wait_for_url("**/registry/?*kind=service*")
    page.get_by_label("이 날짜에 유효한 인증만").fill("2025-06-30")
    page.get_by_label("이 날짜에 유효한 인증만").dispatch_event("change")
    page.wait_for_url("**on=2025-06-30*")
    page.locator("#results th[data-as-of='2025-06-30']").wait_for()
    caption = page.locator("#results caption").inner_text()
    first = page.locator("#results tbody a").first
    first.click()
    page.wait_for_load_state()
    assert "/registry/" in page.url and "kind=service" not in page.url
    page.go_back()
    page.wait_for_url("**kind=service*")
    page.locator("#results th[data-as-of='2025-06-30']").wait_for()
    assert page.locator("#id_kind").input_value() == "service"
    assert page.locator("#id_on").input_value() == "2025-06-30"
    assert page.locator("#results caption").inner_text() == caption
