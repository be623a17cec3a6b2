"""Operator pages: the board and its live stream, incidents, cameras; pinned
query counts; the stream endpoint of a camera never reaches a page."""

from __future__ import annotations

import asyncio
import json
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient, Client
from django.urls import reverse

from smartcity.operations.models import Camera, Incident, IncidentEvent
from smartcity.operations.selectors.intake import client_for_key
from smartcity.operations.services.intake import receive_incident_report
from smartcity.operations.services.tenancy import create_tenant
from smartcity.operations.tests.factories import (
    CameraFactory,
    IncidentFactory,
    api_key,
    operator_for,
)
from smartcity.operations.tests.test_services_incidents import report

pytestmark = pytest.mark.django_db

SECRET = "rtsp://vms.example:554/live/0001?token=TOPSECRET"


@pytest.fixture
def operator(platform_operator, tenant_a, client: Client):  # type: ignore[no-untyped-def]
    client.force_login(platform_operator)
    return platform_operator


def test_board_shows_open_incidents_symbols_and_needs_no_cdn(operator, tenant_a, client) -> None:  # type: ignore[no-untyped-def]
    open_one = IncidentFactory(tenant=tenant_a, event_type_id="119UC001", sender="119")
    IncidentFactory(tenant=tenant_a, status_id="91")
    body = client.get(reverse("operations:board")).content.decode()
    snapshot = json.loads(
        body.split('id="ops-incidents" type="application/json">')[1].split("<")[0]
    )
    assert [i["id"] for i in snapshot] == [open_one.pk]
    assert snapshot[0]["icon"] == "fire" and snapshot[0]["type_ko"] == "119 긴급출동 지원"
    assert 'id="ops-icon-fire"' in body and "vendor/leaflet/leaflet.js" in body
    assert "국토지리정보원" in body
    assert "https://" not in body.replace('href="https://leafletjs.com"', "")


def test_boundaries_are_the_tenants_municipality(municipal_register, client) -> None:  # type: ignore[no-untyped-def]
    busan = create_tenant(municipality_code="26000")
    client.force_login(operator_for(busan, "busan_operator"))
    response = client.get(reverse("operations:board_boundaries"))
    geojson = response.json()
    assert len(geojson["features"]) == 16
    assert "private" in response["Cache-Control"]


def test_incident_list_filters_and_pins_its_queries(  # type: ignore[no-untyped-def]
    operator, tenant_a, client, django_assert_max_num_queries
) -> None:
    for _ in range(30):
        IncidentFactory(tenant=tenant_a)
    closed = IncidentFactory(tenant=tenant_a, status_id="91", address="닫힌 곳")
    with django_assert_max_num_queries(9):
        response = client.get(reverse("operations:incidents"))
    assert response.context["page"].paginator.count == 31
    open_only = client.get(reverse("operations:incidents"), {"open": "on"})
    assert open_only.context["page"].paginator.count == 30
    partial = client.get(reverse("operations:incidents"), {"q": "닫힌"}, HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert "<html" not in text and f'data-incident-id="{closed.pk}"' in text


def test_incident_page_lists_nearby_cameras_without_their_stream(
    operator, tenant_a, client
) -> None:  # type: ignore[no-untyped-def]
    near = CameraFactory(tenant=tenant_a, latitude=Decimal("37.5001"), stream_endpoint=SECRET)
    CameraFactory(tenant=tenant_a, latitude=Decimal("37.6"))  # 11 km away
    incident = IncidentFactory(tenant=tenant_a)
    body = client.get(reverse("operations:incident", args=[incident.pk])).content.decode()
    assert f'data-camera-id="{near.pk}"' in body
    assert body.count("data-camera-id=") == 1
    assert "TOPSECRET" not in body and "vms.example" not in body
    camera_page = client.get(reverse("operations:camera", args=[near.pk])).content.decode()
    assert "TOPSECRET" not in camera_page
    listing = client.get(reverse("operations:cameras")).content.decode()
    assert "TOPSECRET" not in listing


def test_escape_route_form_finds_cameras_along_the_direction(operator, tenant_a, client) -> None:  # type: ignore[no-untyped-def]
    north = CameraFactory(tenant=tenant_a, latitude=Decimal("37.503"))
    CameraFactory(tenant=tenant_a, latitude=Decimal("37.497"))  # south
    incident = IncidentFactory(tenant=tenant_a)
    url = reverse("operations:incident", args=[incident.pk])
    response = client.get(url, {"direction": "북쪽", "length_m": 500, "corridor_m": 30})
    escape = response.context["escape"]
    assert [h.camera.pk for h in escape] == [north.pk]
    unknown = client.get(url, {"direction": "주택 앞 삼거리"})
    assert unknown.context["escape"] is None
    assert "방향을 알 수 없습니다" in unknown.content.decode()


def test_operator_changes_status_writes_notes_and_hands_over(  # type: ignore[no-untyped-def]
    operator, tenant_a, tenant_b, client
) -> None:
    incident = IncidentFactory(tenant=tenant_a)
    url = reverse("operations:incident", args=[incident.pk])
    client.post(reverse("operations:incident_status", args=[incident.pk]), {"status": "50"})
    assert Incident.objects.get(pk=incident.pk).status_id == "50"
    refused = client.post(
        reverse("operations:incident_status", args=[incident.pk]), {"status": "40"}, follow=True
    )
    assert "이전 단계로 되돌릴 수 없습니다" in refused.content.decode()
    client.post(reverse("operations:incident_note", args=[incident.pk]), {"note": "현장 확인"})
    body = client.get(url).content.decode()
    assert "현장 확인" in body and 'data-action="note_added"' in body
    moved = client.post(
        reverse("operations:incident_handover", args=[incident.pk]),
        {"to_tenant": tenant_b.pk, "reason": "관할 밖"},
    )
    assert moved.status_code == 200 and "상황 이관 확인" in moved.content.decode()
    assert Incident.objects.get(pk=incident.pk).tenant == tenant_a
    moved = client.post(
        reverse("operations:incident_handover", args=[incident.pk]),
        {"to_tenant": tenant_b.pk, "reason": "관할 밖", "confirmed": "yes"},
    )
    assert moved.status_code == 302 and moved["Location"] == reverse("operations:incidents")
    assert Incident.objects.get(pk=incident.pk).tenant == tenant_b
    assert client.get(url).status_code == 404
    assert IncidentEvent.objects.filter(incident=incident).count() == 3


def test_camera_register_page_pins_its_queries(  # type: ignore[no-untyped-def]
    operator, tenant_a, client, django_assert_max_num_queries
) -> None:
    for _ in range(60):
        CameraFactory(tenant=tenant_a)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("operations:cameras"))
    assert response.context["stats"]["sites"] == 60
    assert response.context["page"].paginator.count == 60


def test_english_switch(operator, client) -> None:  # type: ignore[no-untyped-def]
    client.post(reverse("set_language"), {"language": "en", "next": "/operations/board/"})
    body = client.get(reverse("operations:board")).content.decode()
    assert '<html lang="en">' in body


# -- the live stream ----------------------------------------------------------


async def _read_until(response, marker: bytes, timeout: float = 10.0) -> bytes:  # type: ignore[no-untyped-def]
    seen = b""

    async def read() -> None:
        nonlocal seen
        async for chunk in response.streaming_content:
            seen += chunk
            if marker in seen:
                return

    await asyncio.wait_for(read(), timeout)
    return seen


def _intake(tenant, external_id: str) -> int:  # type: ignore[no-untyped-def]
    client = client_for_key(api_key(tenant, "112"))
    assert client is not None
    outcome = receive_incident_report(
        client=client, idempotency_key=external_id, report=report(external_id=external_id),
        request_hash=external_id,
    )  # fmt: skip
    return outcome.incident.pk


@pytest.mark.django_db(transaction=True)
def test_the_board_stream_delivers_this_tenants_incidents_live(  # type: ignore[no-untyped-def]
    platform_operator, tenant_a, tenant_b, settings
) -> None:
    settings.REALTIME_POLL_MS = 10

    async def scenario() -> tuple[bytes, int, int]:
        client = AsyncClient()
        await client.aforce_login(platform_operator)
        response = await client.get(reverse("operations:board_stream"))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/event-stream")
        first = await _read_until(response, b"retry:")
        assert first.startswith(b"retry: ") and b": connected" in first
        other = await sync_to_async(_intake)(tenant_b, "B-1")
        mine = await sync_to_async(_intake)(tenant_a, "A-1")
        seen = await _read_until(response, b"event: incident")
        await response.streaming_content.aclose()
        return seen, mine, other

    seen, mine, other = async_to_sync(scenario)()
    frame = seen.split(b"event: incident\ndata: ")[1].split(b"\n\n")[0]
    payload = json.loads(frame)
    assert payload["id"] == mine and payload["id"] != other
    assert b"stream" not in frame.lower()
    assert Camera.objects.count() == 0  # (nothing else was created on the way)
