"""The public registry list (issue 13 "registry pages"): the status column
reads the chosen "valid on" date, places and sources are named in the
reader's language, the table scrolls in its own box on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.municipalities.models import Municipality
from smartcity.testing.call_calendar import KST

pytestmark = pytest.mark.django_db


def status_cell(body: str) -> str:
    cell = body[body.index("data-status-cell") :]
    return cell[: cell.index("</td>")]


def test_the_status_column_follows_the_valid_on_date(certificate, clock) -> None:  # type: ignore[no-untyped-def]
    """Valid 2025-06-01 – 2027-05-31; read on 2028-01-01 it has expired,
    but on the chosen day 2026-01-01 it was valid, and the column says so."""
    clock.set(dt.datetime(2028, 1, 1, 10, 0, tzinfo=KST))
    client = Client()
    today = client.get(reverse("registry:list")).content.decode()
    assert 'data-as-of="2028-01-01"' in today and "status-expired" in status_cell(today)
    chosen = client.get(reverse("registry:list"), {"on": "2026-01-01"}).content.decode()
    assert 'data-as-of="2026-01-01"' in chosen and "2026-01-01 현재" in chosen
    assert "status-valid" in status_cell(chosen)
    # The htmx fragment (the filter form's request) says the same.
    fragment = client.get(reverse("registry:list"), {"on": "2026-01-01"}, HTTP_HX_REQUEST="true")
    assert "status-valid" in status_cell(fragment.content.decode())


def test_a_day_before_the_validity_reads_not_yet(certificate, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.datetime(2025, 5, 1, 10, 0, tzinfo=KST))
    body = Client().get(reverse("registry:list")).content.decode()
    assert "status-not_yet" in status_cell(body)


def test_english_readers_get_english_place_names_and_sources(certificate) -> None:  # type: ignore[no-untyped-def]
    Municipality.objects.filter(code="90001").update(name_en="Garam-si")
    client = Client()
    korean = client.get(reverse("registry:list")).content.decode()
    assert ">가람시</a>" in korean and "2025년 국토교통부 보도자료(test)" in korean
    client.cookies["django_language"] = "en"
    english = client.get(reverse("registry:list")).content.decode()
    assert ">Garam-si</a>" in english and "가람시" not in english
    assert "Ministry press release of 2025 (no. test)" in english


def test_press_release_sources_are_named_in_the_readers_language(certificate) -> None:  # type: ignore[no-untyped-def]
    from smartcity.registry.models import Decision

    Decision.objects.update(source="2021 press release (001)")
    client = Client()
    assert (
        "2021년 국토교통부 보도자료(001)" in client.get(reverse("registry:list")).content.decode()
    )
    client.cookies["django_language"] = "en"
    english = client.get(reverse("registry:list")).content.decode()
    assert "Ministry press release of 2021 (no. 001)" in english


def test_the_list_table_sits_in_a_scrolling_box(certificate) -> None:  # type: ignore[no-untyped-def]
    body = Client().get(reverse("registry:list")).content.decode()
    assert '<div class="table-scroll" tabindex="0" role="region"' in body
    assert 'hx-push-url="true"' in body and 'hx-history="false"' in body


def test_the_fragment_and_the_page_are_cached_apart(certificate) -> None:  # type: ignore[no-untyped-def]
    """The filter pushes the fragment's URL; back at it, the browser must load
    the page, not a cached fragment."""
    client = Client()
    page = client.get(reverse("registry:list"), {"kind": "city"})
    fragment = client.get(reverse("registry:list"), {"kind": "city"}, HTTP_HX_REQUEST="true")
    assert "HX-Request" in page["Vary"] and "HX-Request" in fragment["Vary"]
    assert "no-store" in fragment["Cache-Control"]
