"""No input in a URL or a form produces a 5xx (issue 13, "Everyone").

Every URL pattern of the URL map is crawled from the state ``scripts/serve``
leaves (the demo data), with real and hostile path values, hostile query
strings and hostile form bodies, by the anonymous visitor and by each persona.
The list of crawled patterns is printed (``-s``) and checked to be the whole map.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from smartcity.accounts.models import User
from smartcity.testing.crawl import HOSTILE_VALUES, crawl, routes
from smartcity.testing.matrix import PERSONAS, everyone_of

pytestmark = pytest.mark.django_db

#: The live stream never ends; the crawl would wait on it for ever.
SKIP = ("operations:board_stream",)


def real_values() -> dict[str, str]:
    """A real value for each path parameter name, from the demo data."""
    from smartcity.analytics.models import GoodPractice
    from smartcity.certification.models import Application, Attachment, Call
    from smartcity.frameworks.models import FrameworkVersion
    from smartcity.operations.models import Camera, Incident
    from smartcity.registry.models import Certificate, Subject

    def first(model: type, field: str = "pk") -> str:
        value = model.objects.order_by("pk").values_list(field, flat=True).first()  # type: ignore[attr-defined]
        return str(value) if value is not None else "1"

    number = first(Certificate, "number")
    return {
        "application_id": first(Application),
        "call_id": first(Call),
        "attachment_id": first(Attachment),
        "incident_id": first(Incident),
        "camera_id": first(Camera),
        "subject_id": first(Subject),
        "code": "41280",
        "number": number,
        "year": "2025",
        "pk": first(GoodPractice),
        "fmt": "csv",
        "slug": "certificates",
        "action": "submit",
        "track": "city",
        "a": "1",
        "b": "2",
        "frameworks:detail.code": first(FrameworkVersion, "code"),
        "frameworks:export.code": first(FrameworkVersion, "code"),
        "frameworks:export.fmt": "xlsx",
    }


@pytest.fixture
def everyone(
    request: pytest.FixtureRequest,
    municipal_register: None,
    clock,  # type: ignore[no-untyped-def]
) -> dict[str, User | None]:
    """The personas (made first: the demo keeps logins that exist), the demo
    data ``scripts/serve`` loads, and a self-assessment of city A's."""
    import datetime as dt

    from smartcity.certification.services.applications import start_self_assessment
    from smartcity.frameworks.models import FrameworkVersion

    clock.set(dt.datetime(2026, 3, 10, 3, tzinfo=dt.UTC))
    people = everyone_of(request)
    call_command("demo", "load", stdout=io.StringIO())
    call_command("operations", "demo", stdout=io.StringIO())
    city_a = people["applicant_city_a"]
    assert city_a is not None
    start_self_assessment(
        actor=city_a, framework=FrameworkVersion.objects.get(code="city-2023"), title="모의인증"
    )
    return people


@pytest.mark.parametrize(("index", "persona"), list(enumerate(PERSONAS)), ids=PERSONAS)
def test_no_hostile_url_or_form_answers_5xx(
    index: int, persona: str, everyone: dict[str, User | None]
) -> None:
    """Each login (one test per persona, so the workers share the crawl)
    crawls every route with real and hostile path values. The hostile
    query/form values are dealt out in turn (login *i* sends
    ``HOSTILE_VALUES[i % 5]``), so each value reaches every route as at least
    two logins: ~5,600 requests in all instead of 14,000 (the whole matrix
    cost minutes of CI per pass, issue 11)."""
    assert len(PERSONAS) >= 2 * len(HOSTILE_VALUES)
    client = Client()
    user = everyone[persona]
    if user is not None:
        client.force_login(user)
    value = HOSTILE_VALUES[index % len(HOSTILE_VALUES)]
    crawled, found = crawl(client, real_values(), skip=SKIP, values=(value,))
    print(f"\n{persona}: {len(crawled)} URL patterns crawled:\n  " + "\n  ".join(crawled))
    assert len(crawled) == len(routes()) - len(SKIP)
    failures = [f"[{persona}] {failure}" for failure in found]
    assert not failures, f"{len(failures)} 5xx answers:\n" + "\n\n".join(failures[:40])
