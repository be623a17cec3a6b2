"""The demo's Daejeon cloud centre: 300 real cameras out of the box, a 112
robbery with its crime type, and a police and a fire officer who reach video
from their console (``smartcity operations demo``); ``--issue-key`` prints a
working key once."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.operations.demo.daejeon import CAMERAS
from smartcity.operations.models import Camera, Incident, VideoGrant
from smartcity.operations.selectors.crime_rules import video_crime_table
from smartcity.operations.selectors.intake import client_for_key
from smartcity.testing.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _demo(*args: str) -> str:
    out = io.StringIO()
    call_command("operations", "demo", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def demo_people(municipal_register, event_model):  # type: ignore[no-untyped-def]
    """The demo logins the Daejeon centre uses (``smartcity demo load`` makes them)."""
    from smartcity.operations.services.tenancy import create_centre
    from smartcity.operations.tests.factories import operator_for

    centre = create_centre(seat_code="30000", member_codes=[], code="daejeon")
    police = OrganisationFactory(
        name_ko="대전경찰청 112치안종합상황실", kind=OrganisationKind.POLICE
    )
    fire = OrganisationFactory(name_ko="대전소방본부 119종합상황실", kind=OrganisationKind.FIRE)
    return {
        "daejeon": operator_for(centre, "daejeon"),
        "police": UserFactory(
            username="police-daejeon", role=Role.AGENCY_OFFICER, organisation=police
        ),
        "fire": UserFactory(username="fire", role=Role.AGENCY_OFFICER, organisation=fire),
    }  # fmt: skip


def test_the_demo_centre_has_the_shipped_real_cameras_and_a_robbery_with_its_type(  # type: ignore[no-untyped-def]
    demo_people,
) -> None:
    first = _demo()
    second = _demo()  # idempotent: no second import, incident or grant
    shipped = CAMERAS.read_text(encoding="utf-8").count("\n") - 1
    assert shipped == 300
    assert Camera.objects.filter(tenant__code="daejeon").count() == 300
    assert "300 real camera(s)" in first and "300 real camera(s)" in second
    robbery = Incident.objects.get(external_id="DEMO-DJ-112-1")
    assert robbery.case_type == "강도"
    match = video_crime_table().match(robbery.case_type)
    assert match is not None and match.crime_type == "robbery"
    assert VideoGrant.objects.filter(tenant__code="daejeon").count() == 2


@pytest.mark.parametrize("officer", ["police", "fire"])
def test_each_officer_reaches_the_video_from_the_console(demo_people, officer) -> None:  # type: ignore[no-untyped-def]
    _demo()
    user = demo_people[officer]
    web = Client()
    web.force_login(user)
    console = web.get(reverse("operations:agency"))
    grant = VideoGrant.objects.get(agency__organisation=user.organisation)
    assert console.status_code == 200
    assert reverse("operations:agency_grant", args=[grant.pk]) in console.content.decode()
    assert web.get(reverse("operations:agency_grant", args=[grant.pk])).status_code == 200
    camera = grant.cameras.first()
    token = web.post(reverse("operations:stream_token", args=[grant.pk, camera.pk])).json()
    frame = web.get(token["url"])
    assert frame.status_code == 200 and frame.content.startswith(b"\x89PNG")


def test_the_issue_key_option_prints_a_working_key_once(demo_people) -> None:  # type: ignore[no-untyped-def]
    first = re.search(r"sck_\S+", _demo("--issue-key"))
    second = re.search(r"sck_\S+", _demo("--issue-key"))
    assert first and second and first.group() != second.group()
    assert client_for_key(first.group()) is None  # rotated by the next serve
    client = client_for_key(second.group())
    assert client is not None and client.tenant.code == "daejeon" and client.source == "112"
