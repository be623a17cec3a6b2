"""Registry pages: content, filters, translations, pinned query counts."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.registry.models import Certificate
from smartcity.registry.services import import_decisions
from smartcity.registry.tests.conftest import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(shared_data, municipal_register) -> None:  # type: ignore[no-untyped-def]
    data = (shared_data / "domain" / "certification_history.csv").read_bytes()
    assert import_decisions(data=data, file_name="certification_history.csv").ok


def test_list_shows_the_record_in_korean(seeded, client: Client) -> None:  # type: ignore[no-untyped-def]
    body = client.get(reverse("registry:list")).content.decode()
    assert "스마트도시 인증 현황" in body
    assert "대구광역시" in body
    assert "2021년 국토교통부 보도자료(001)" in body  # the source, named in Korean


def test_list_filters_by_validity_date(seeded, client: Client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("registry:list"), {"on": "2025-12-31"})
    assert response.context["page"].paginator.count == 31


def test_list_page_query_count_is_pinned(
    seeded,  # type: ignore[no-untyped-def]
    client: Client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    with django_assert_max_num_queries(6):
        client.get(reverse("registry:list"), {"on": "2025-12-31"})


def test_english_switch(seeded, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.post(reverse("set_language"), {"language": "en", "next": "/registry/"})
    body = client.get(reverse("registry:list")).content.decode()
    assert "Smart city certification registry" in body
    assert '<html lang="en">' in body


def test_htmx_request_gets_only_the_results(seeded, client: Client) -> None:  # type: ignore[no-untyped-def]
    body = client.get(reverse("registry:list"), HTTP_HX_REQUEST="true").content.decode()
    assert '<table class="registry-list">' in body and "<html" not in body


def test_bad_filter_value_is_explained_not_a_crash(seeded, client: Client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("registry:list"), {"on": "2025-13-45"})
    assert response.status_code == 200
    assert "errors" in response.content.decode()


def test_city_page_shows_timeline(seeded, client: Client) -> None:  # type: ignore[no-untyped-def]
    body = client.get(reverse("registry:city", args=["48250"])).content.decode()
    assert body.count("2024 press release (000)") >= 2
    assert "인증 연장" in body


def test_sejong_page_is_reachable_by_either_code(seeded, client: Client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("registry:city", args=["36110"])).status_code == 200
    assert client.get(reverse("registry:city", args=["36000"])).status_code == 200


def test_verify_valid_and_unknown_numbers(seeded, client: Client) -> None:  # type: ignore[no-untyped-def]
    number = Certificate.objects.get(subject__name="김해시", granted_by="new").number
    response = client.get(reverse("registry:verify_number", args=[number]))
    assert 'data-status="extended"' in response.content.decode()
    missing = client.get(reverse("registry:verify_number", args=["1999-C-9999"]))
    assert missing.status_code == 404
    assert "1999-C-9999" in missing.content.decode()


def test_revoked_certificate_shows_revoked(municipal_register, client: Client) -> None:  # type: ignore[no-untyped-def]
    data = csv_bytes(
        "city,대구광역시,27000,large,new,2021-09-10,,,,",
        "city,대구광역시,27000,large,revocation,2022-03-02,,,,",
    )
    assert import_decisions(data=data, file_name="r.csv").ok
    number = Certificate.objects.get().number
    body = client.get(reverse("registry:verify_number", args=[number])).content.decode()
    assert 'data-status="revoked"' in body


def test_oversight_can_import_through_the_page(
    ministry_officer,  # type: ignore[no-untyped-def]
    municipal_register,
    client: Client,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(ministry_officer)
    bad = SimpleUploadedFile(
        "bad.csv", csv_bytes("city,김해시,48250,large,extension,2024-11-25,,,,"), "text/csv"
    )
    response = client.post(reverse("registry:import"), {"file": bad})
    assert response.status_code == 400
    assert "2행" in response.content.decode()
    good = SimpleUploadedFile(
        "good.csv", csv_bytes("city,김해시,48250,large,new,2022-09-29,,,,"), "text/csv"
    )
    checked = client.post(reverse("registry:import"), {"file": good})
    assert checked.status_code == 200 and "결정 1건" in checked.content.decode()
    assert Certificate.objects.count() == 0  # checked, not yet imported
    token = re.search(r'name="token" value="([0-9a-f]{64})"', checked.content.decode())
    assert token is not None
    confirmed = {"token": token[1], "file_name": "good.csv", "confirmed": "yes"}
    done = client.post(reverse("registry:import"), confirmed)
    assert done.status_code == 200 and "결정 1건을 추가했습니다" in done.content.decode()
    assert Certificate.objects.count() == 1
