"""The site's pages: the home page and the audit log, and the menu links the
navigation context processor turns on."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.core.services import record_audit

pytestmark = pytest.mark.django_db


def test_the_home_page_is_public_and_counts_valid_certifications(client: Client) -> None:
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert response.context["valid_cities"] == 0
    assert 'data-testid="valid-cities"' in response.content.decode()


def test_the_audit_log_lists_the_newest_rows_for_the_ministry(
    ministry_officer: User, client: Client
) -> None:
    record_audit(actor=ministry_officer, action="test.first")
    record_audit(actor=ministry_officer, action="test.second")
    client.force_login(ministry_officer)
    response = client.get(reverse("core:audit_log"))
    assert response.status_code == 200
    actions = [event.action for event in response.context["page"]]
    assert actions.index("test.second") < actions.index("test.first")


def test_the_audit_log_is_404_for_an_applicant_and_asks_a_stranger_to_sign_in(
    applicant_city_a: User, client: Client
) -> None:
    assert client.get(reverse("core:audit_log")).status_code == 302
    client.force_login(applicant_city_a)
    assert client.get(reverse("core:audit_log")).status_code == 404


def test_the_menu_links_the_audit_log_and_the_import_for_oversight_only(
    ministry_officer: User, applicant_city_a: User, client: Client
) -> None:
    client.force_login(ministry_officer)
    page = client.get(reverse("core:home")).content.decode()
    assert reverse("core:audit_log") in page and reverse("registry:import") in page

    client.force_login(applicant_city_a)
    page = client.get(reverse("core:home")).content.decode()
    assert reverse("core:audit_log") not in page and reverse("registry:import") not in page
