"""Tenant isolation: an operator of tenant A never sees tenant B's cameras or
incidents — through the access functions, every page, every action (404,
exactly as for an id that does not exist)."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.operations.access import access_camera, access_incident, operator_tenant
from smartcity.operations.models import Incident, IncidentEvent
from smartcity.operations.tests.factories import CameraFactory, IncidentFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "ministry_officer",
    "operator_staff",
    "committee_member",
    "applicant_city_a",
    "company_applicant",
    "platform_operator",
    "police_officer",
]


@pytest.fixture
def world(tenant_a, tenant_b):  # type: ignore[no-untyped-def]
    return {
        "incident_a": IncidentFactory(tenant=tenant_a),
        "incident_b": IncidentFactory(tenant=tenant_b),
        "camera_a": CameraFactory(tenant=tenant_a),
        "camera_b": CameraFactory(tenant=tenant_b),
    }


def test_operators_map_to_their_centres_tenant_and_nobody_else_does(  # type: ignore[no-untyped-def]
    tenant_a, tenant_b, platform_operator, operator_b, police_officer, ministry_officer,
    applicant_city_a, anonymous,
) -> None:  # fmt: skip
    assert operator_tenant(platform_operator) == tenant_a
    assert operator_tenant(operator_b) == tenant_b
    for outsider in (police_officer, ministry_officer, applicant_city_a, anonymous):
        assert operator_tenant(outsider) is None  # a city's applicant is not its centre
    superuser = User.objects.create_superuser("root", "root@example.org", "x" * 12)
    assert operator_tenant(superuser) is None
    tenant_a.is_active = False
    tenant_a.save()
    assert operator_tenant(platform_operator) is None


def test_access_functions_refuse_the_other_tenant_like_a_missing_id(  # type: ignore[no-untyped-def]
    world, platform_operator, operator_b
) -> None:
    assert access_incident(platform_operator, world["incident_a"].pk) == world["incident_a"]
    assert access_camera(operator_b, world["camera_b"].pk) == world["camera_b"]
    for call, arg in [
        (access_incident, world["incident_b"].pk),
        (access_incident, 10**9),
        (access_camera, world["camera_b"].pk),
        (access_camera, 10**9),
    ]:
        with pytest.raises(Http404):
            call(platform_operator, arg)


def _pages(world: dict[str, object]) -> dict[str, str]:
    a, camera = world["incident_a"], world["camera_a"]
    return {
        "home": reverse("operations:home"),
        "board": reverse("operations:board"),
        "board incidents": reverse("operations:board_incidents"),
        "boundaries": reverse("operations:board_boundaries"),
        "board cameras": reverse("operations:board_cameras"),
        "incidents": reverse("operations:incidents"),
        "incident A": reverse("operations:incident", args=[a.pk]),  # type: ignore[attr-defined]
        "cameras": reverse("operations:cameras"),
        "camera A": reverse("operations:camera", args=[camera.pk]),  # type: ignore[attr-defined]
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_page_matrix(world, persona, request) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    for name, url in _pages(world).items():
        status = client.get(url).status_code
        if persona == "anonymous":
            assert status == 302, name
        elif persona == "platform_operator":
            assert status == (302 if name == "home" else 200), name
        else:
            assert status == 404, (persona, name)


def test_operator_of_b_gets_404_for_everything_of_a(world, operator_b, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(operator_b)
    a, camera = world["incident_a"], world["camera_a"]
    for url in (
        reverse("operations:incident", args=[a.pk]),
        reverse("operations:camera", args=[camera.pk]),
    ):
        assert client.get(url).status_code == 404
    before = IncidentEvent.objects.count()
    own_tenant = operator_b.organisation.municipality.operations_tenant
    for name, data in [
        ("operations:incident_status", {"status": "91"}),
        ("operations:incident_note", {"note": "엿보기"}),
        ("operations:incident_acknowledge", {}),
        ("operations:incident_handover", {"to_tenant": own_tenant.pk}),
    ]:
        assert client.post(reverse(name, args=[a.pk]), data).status_code == 404
    assert IncidentEvent.objects.count() == before
    assert Incident.objects.get(pk=a.pk).status_id == "10"
    assert Incident.objects.get(pk=a.pk).acknowledged_at is None
    listing = client.get(reverse("operations:incidents")).content.decode()
    assert f'data-incident-id="{world["incident_b"].pk}"' in listing
    assert f'data-incident-id="{a.pk}"' not in listing
    board = client.get(reverse("operations:board_incidents")).json()
    assert [i["id"] for i in board["incidents"]] == [world["incident_b"].pk]
    cameras = client.get(reverse("operations:cameras")).content.decode()
    assert f'data-camera-id="{camera.pk}"' not in cameras


def test_the_live_stream_is_refused_to_non_operators(world, police_officer, client: Client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("operations:board_stream")).status_code == 404
    client.force_login(police_officer)
    assert client.get(reverse("operations:board_stream")).status_code == 404
