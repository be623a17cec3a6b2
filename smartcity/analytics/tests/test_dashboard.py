"""The dashboard's numbers are the registry's, and the public sees published data only."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from smartcity.analytics.selectors.dashboard import count_table, dashboard
from smartcity.analytics.selectors.results import result_rows
from smartcity.certification.models import Application
from smartcity.certification.services.summary import sync_result_summary
from smartcity.registry.models import Certificate, Decision

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 1, 1)


def test_dashboard_counts_equal_counts_computed_directly_from_the_registry(history) -> None:
    table = count_table(full=True, today=TODAY)
    assert table.years() == [2021, 2022, 2023, 2024, 2025]
    for row in table.rows:
        decisions = Decision.objects.filter(decided_on__year=row.year)
        if row.group == "service":
            decisions = decisions.filter(subject__kind="service")
            certificates = Certificate.objects.filter(kind="service")
        else:
            decisions = decisions.filter(subject__kind="city", size_class=row.group)
            certificates = Certificate.objects.filter(kind="city", size_class=row.group)
        assert row.certified == decisions.filter(decision="new").count()
        assert row.extended == decisions.filter(decision="extension").count()
        assert row.revoked == decisions.filter(decision="revocation").count()
        assert (
            row.lapsed
            == certificates.filter(
                ended_by="", valid_until__year=row.year, valid_until__lt=TODAY
            ).count()
        )
        end = min(dt.date(row.year, 12, 31), TODAY)
        assert (
            row.valid_at_year_end
            == certificates.filter(valid_from__lte=end, valid_until__gte=end).count()
        )
    # The record itself: 8 cities in 2021 (5 large, 3 districts), 7 extended in 2024.
    assert table.row(2021, "large").certified == 5  # type: ignore[union-attr]
    assert table.row(2021, "small_medium").certified == 3  # type: ignore[union-attr]
    assert sum(r.extended for r in table.rows if r.year == 2024 and r.group != "service") == 7


def test_dashboard_page_shows_the_registry_counts_in_its_table_and_csv(history, client) -> None:
    response = client.get("/analytics/", {"year": 2021})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="table-lifecycle"' in content and 'data-audience="public"' in content
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/analytics/?year=2021&csv=lifecycle").content.decode("utf-8-sig")
            )
        )
    )
    large = next(r for r in rows[1:] if r[1] == "대도시")
    assert large[0] == "2021" and large[3] == str(
        Decision.objects.filter(decided_on__year=2021, decision="new", size_class="large").count()
    )


def test_public_dashboard_counts_published_results_only(results, client, ministry_officer) -> None:
    hidden = results[0]
    Application.objects.filter(pk=hidden.pk).update(status="approved")
    sync_result_summary(application_id=hidden.pk)  # as the workflow's write service does
    public = dashboard(full=False, today=TODAY)
    full = dashboard(full=True, today=TODAY)
    assert full.result_count == public.result_count + 1 == len(results)
    assert hidden.pk not in {r.application_id for r in result_rows(full=False)}
    client.force_login(ministry_officer)
    assert 'data-audience="full"' in client.get("/analytics/").content.decode()


def test_weakest_area_and_discrimination_come_from_the_results(results) -> None:
    d = dashboard(full=False, today=TODAY, year=2024)
    assert d.framework_code == "city-2023" and d.result_count == 16
    overall = d.panels[0]
    assert overall.weakest is not None and overall.weakest.code == "A1"  # generated bias
    assert len(d.discrimination) == 53
    assert all(x.count == 16 for x in d.discrimination)


def test_every_chart_has_its_table_and_csv(results, client) -> None:
    content = client.get("/analytics/").content.decode()
    for slug in ("lifecycle", "areas", "distribution", "discrimination"):
        assert f'data-chart="chart-data-{slug}"' in content
        assert f'id="table-{slug}"' in content
        response = client.get("/analytics/", {"csv": slug})
        assert response["Content-Type"].startswith("text/csv")
        assert len(response.content.decode("utf-8-sig").splitlines()) > 1
    assert client.get("/analytics/", {"csv": "nope"}).status_code == 404


def test_the_filters_swap_the_results_and_the_page_and_fragment_vary_on_htmx(
    history, client
) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/analytics/", {"year": 2021})
    body = page.content.decode()
    assert 'hx-push-url="true"' in body and 'id="dashboard-results"' in body
    assert "HX-Request" in page["Vary"]
    fragment = client.get("/analytics/", {"year": 2021}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert "<html" not in text and 'id="table-lifecycle"' in text and "<form" not in text
    assert "HX-Request" in fragment["Vary"] and "no-cache" in fragment["Cache-Control"]
    # Each table scrolls in its own box, which a keyboard can reach.
    assert text.count('class="table-scroll" tabindex="0" role="region"') == text.count("<table")
