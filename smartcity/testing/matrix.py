"""The persona × page matrix tests' shared parts: every persona (and the
anonymous visitor), and the status code each of them gets for a page."""

from __future__ import annotations

import pytest
from django.test import Client

from smartcity.accounts.models import User
from smartcity.testing.personas import PERSONAS as PERSONA_SPECS

#: The anonymous visitor, then every persona of ``personas.PERSONAS``.
PERSONAS = ["anonymous", *PERSONA_SPECS]


def everyone_of(request: pytest.FixtureRequest) -> dict[str, User | None]:
    """Every persona by name, ``None`` for the anonymous visitor."""
    people: dict[str, User | None] = {"anonymous": None}
    for name in PERSONAS[1:]:
        people[name] = request.getfixturevalue(name)
    return people


def statuses(everyone: dict[str, User | None], url: str) -> dict[str, int]:
    """The status code of a GET of ``url`` for each persona."""
    seen = {}
    for persona, user in everyone.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        seen[persona] = client.get(url).status_code
    return seen
