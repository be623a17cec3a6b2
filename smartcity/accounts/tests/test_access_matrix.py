"""Who may see what: every persona against every page (role × page matrix).

200 = may see; 404 = refused exactly as if the page did not exist; 302 = asked
to sign in first.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.testing.matrix import PERSONAS, everyone_of, statuses

pytestmark = pytest.mark.django_db


PUBLIC = dict.fromkeys(PERSONAS, 200)
OVERSIGHT_ONLY = dict.fromkeys(PERSONAS, 404) | {
    "anonymous": 302,
    "ministry_officer": 200,
    "operator_staff": 200,
    "service_operator_staff": 200,
}
# Importing registry decisions: the Ministry and the city track's operating body.
REGISTRY_MANAGERS = dict.fromkeys(PERSONAS, 404) | {
    "anonymous": 302,
    "ministry_officer": 200,
    "operator_staff": 200,
}
SIGNED_IN = dict.fromkeys(PERSONAS, 200) | {"anonymous": 302}
CITY_A_ORGANISATION = dict.fromkeys(PERSONAS, 404) | {
    "anonymous": 302,
    "ministry_officer": 200,
    "operator_staff": 200,
    "service_operator_staff": 200,
    "applicant_city_a": 200,
}
# The platform's outcome figures (ADR 0022): the Ministry alone; no login prompt.
MINISTRY_ONLY = dict.fromkeys(PERSONAS, 404) | {"ministry_officer": 200}

PAGES = {
    "home": (lambda ctx: reverse("core:home"), PUBLIC),
    "registry list": (lambda ctx: reverse("registry:list"), PUBLIC),
    "verify": (lambda ctx: reverse("registry:verify"), PUBLIC),
    "municipalities": (lambda ctx: reverse("municipalities:list"), PUBLIC),
    "audit log": (lambda ctx: reverse("core:audit_log"), OVERSIGHT_ONLY),
    "registry import": (lambda ctx: reverse("registry:import"), REGISTRY_MANAGERS),
    "my account": (lambda ctx: reverse("accounts:me"), SIGNED_IN),
    "people": (lambda ctx: reverse("accounts:people"), OVERSIGHT_ONLY),
    "invite a person": (lambda ctx: reverse("accounts:invite"), OVERSIGHT_ONLY),
    "register an organisation": (lambda ctx: reverse("accounts:organisation_new"), OVERSIGHT_ONLY),
    "password reset": (lambda ctx: reverse("accounts:password_reset"), PUBLIC),
    "platform national view": (lambda ctx: reverse("analytics:national"), PUBLIC),
    "platform coverage csv": (lambda ctx: reverse("analytics:national") + "?csv=coverage", PUBLIC),
    "platform programme import": (
        lambda ctx: reverse("operations:programme_import"),
        MINISTRY_ONLY,
    ),
    "platform figures csv": (
        lambda ctx: reverse("analytics:national") + "?csv=provisions-by-month",
        MINISTRY_ONLY,
    ),
    "city A's organisation": (
        lambda ctx: reverse("accounts:organisation", args=[ctx["city_a_org"]]),
        CITY_A_ORGANISATION,
    ),
}


@pytest.fixture
def everyone(request: pytest.FixtureRequest) -> dict[str, User | None]:
    return everyone_of(request)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_role_page_matrix(page: str, everyone: dict[str, User | None]) -> None:
    url_for, expected = PAGES[page]
    city_a = everyone["applicant_city_a"]
    assert city_a is not None
    url = url_for({"city_a_org": city_a.organisation_id})
    assert statuses(everyone, url) == expected


def test_applicant_b_cannot_reach_a_by_guessing_ids(
    applicant_city_a: User, applicant_city_b: User, client: Client
) -> None:
    client.force_login(applicant_city_b)
    own = client.get(reverse("accounts:organisation", args=[applicant_city_b.organisation_id]))
    other = client.get(reverse("accounts:organisation", args=[applicant_city_a.organisation_id]))
    missing = client.get(reverse("accounts:organisation", args=[999_999]))
    assert own.status_code == 200
    assert other.status_code == missing.status_code == 404
    assert applicant_city_a.username not in other.content.decode()
