"""A municipality's page (municipalities:detail), which the registry serves:
the register's facts, and a link to the certification record when there is one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.registry.services import import_decisions
from smartcity.registry.tests.conftest import csv_bytes

pytestmark = pytest.mark.django_db

DAEGU = "city,대구광역시,27000,large,new,2021-09-10,,,,2021 press release (001)"


def test_the_page_keeps_its_address_in_the_municipalities_namespace() -> None:
    assert reverse("municipalities:detail", args=["27000"]) == "/municipalities/27000/"


def test_a_certified_city_links_to_its_record(
    municipal_register: None, size_class_rules: None, client: Client
) -> None:
    assert import_decisions(data=csv_bytes(DAEGU), file_name="a.csv").ok
    response = client.get(reverse("municipalities:detail", args=["27000"]))
    assert response.status_code == 200
    assert response.context["municipality"].code == "27000"
    assert [year for year, _ in response.context["classes"]] == [2021, 2024]
    assert reverse("registry:city", args=["27000"]) in response.content.decode()


def test_a_city_without_a_certification_has_no_record_link(
    municipal_register: None, size_class_rules: None, client: Client
) -> None:
    response = client.get(reverse("municipalities:detail", args=["27000"]))
    assert response.status_code == 200
    assert response.context["subject"] is None
    assert reverse("registry:city", args=["27000"]) not in response.content.decode()


def test_an_unknown_code_is_404(client: Client) -> None:
    assert client.get(reverse("municipalities:detail", args=["99999"])).status_code == 404
