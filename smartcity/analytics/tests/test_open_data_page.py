"""The open-data page (issue 13): the licence, a data dictionary that names
every column of every file in both languages, and the last update time."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.analytics.data_dictionary import FIELDS, dictionary
from smartcity.analytics.exports import DATASETS
from smartcity.core.models import AuditEvent
from smartcity.core.templatetags.smartcity import kst

pytestmark = pytest.mark.django_db


def columns_of(client: Client, slug: str) -> list[str]:
    body = client.get(reverse("analytics:open_data_file", args=[slug, "csv"])).content
    return next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_dictionary_names_every_column_of_every_file(results, history) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    assert set(FIELDS) == set(DATASETS)
    for slug in DATASETS:
        named = set(FIELDS[slug])
        for column in columns_of(client, slug):
            area = column.rsplit("_", 1)
            covered = column in named or (
                len(area) == 2 and f"<area>_{area[1]}" in named and area[1] in ("points", "max")
            )
            assert covered, (slug, column)
        assert all(meaning and kind for _name, kind, meaning in dictionary(slug))


def test_the_page_states_the_licence_the_dictionary_and_the_last_update(history) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    body = client.get(reverse("analytics:open_data")).content.decode()
    assert "공공누리 제1유형(출처표시)" in body and 'rel="license"' in body
    assert 'id="dictionary-certificates"' in body and 'data-field="valid_until"' in body
    # Both languages side by side, whatever the reader's language.
    assert "유효기간 종료일" in body and "Last day of validity" in body
    latest = AuditEvent.objects.filter(action="registry.decisions_imported").latest("occurred_at")
    assert f"마지막 갱신: {kst(latest.occurred_at)}" in body
    client.cookies["django_language"] = "en"
    english = client.get(reverse("analytics:open_data")).content.decode()
    assert "Korea Open Government License (KOGL) Type 1" in english and "Last updated" in english


def test_an_empty_record_says_there_is_no_data_yet() -> None:
    body = Client().get(reverse("analytics:open_data")).content.decode()
    assert "아직 자료가 없습니다." in body
