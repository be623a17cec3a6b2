"""Acknowledging an incident (the operator who takes it on), and the board's
camera layer: service, views and the data the board reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.core.models import AuditEvent
from smartcity.operations.errors import StateConflict
from smartcity.operations.models import Incident, IncidentEvent
from smartcity.operations.services.incidents import acknowledge_incident, change_incident_status
from smartcity.operations.tests.factories import CameraFactory, IncidentFactory, operator_for
from smartcity.realtime.models import OutboxEvent

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(minutes=4)


@pytest.fixture
def incident(tenant_a, clock):  # type: ignore[no-untyped-def]
    clock.set(dt.datetime.now(dt.UTC).replace(microsecond=0))
    return IncidentFactory(tenant=tenant_a)


def test_acknowledging_records_who_and_when_with_timeline_audit_and_live_event(  # type: ignore[no-untyped-def]
    incident, tenant_a, platform_operator, clock
) -> None:
    at = clock.set(clock.now + LATER)
    outbox_before = OutboxEvent.objects.count()

    acknowledge_incident(incident_id=incident.pk, tenant=tenant_a, actor=platform_operator)

    incident.refresh_from_db()
    assert (incident.acknowledged_by, incident.acknowledged_at) == (platform_operator, at)
    row = IncidentEvent.objects.get(incident=incident, action="acknowledged")
    assert (row.actor, row.at, row.status_id) == (platform_operator, at, incident.status_id)
    audit = AuditEvent.objects.get(action="operations.incident_acknowledged")
    assert (audit.actor, audit.object_id) == (platform_operator, str(incident.pk))
    event = OutboxEvent.objects.order_by("-id").first()
    assert OutboxEvent.objects.count() == outbox_before + 1 and event is not None
    assert event.channel == tenant_a.channel and event.kind == "incident"
    assert event.payload["acknowledged_by"] == str(platform_operator)
    assert event.payload["acknowledged_at"] == at.isoformat()


def test_a_second_acknowledgement_is_refused_and_keeps_the_first(  # type: ignore[no-untyped-def]
    incident, tenant_a, platform_operator, clock
) -> None:
    other = operator_for(tenant_a, "second_operator")
    acknowledge_incident(incident_id=incident.pk, tenant=tenant_a, actor=platform_operator)
    clock.set(clock.now + LATER)
    with pytest.raises(StateConflict) as refused:
        acknowledge_incident(incident_id=incident.pk, tenant=tenant_a, actor=other)
    assert refused.value.code == "already_acknowledged"
    incident.refresh_from_db()
    assert incident.acknowledged_by == platform_operator
    assert IncidentEvent.objects.filter(incident=incident, action="acknowledged").count() == 1
    assert AuditEvent.objects.filter(action="operations.incident_acknowledged").count() == 1


def test_a_closed_or_handed_over_incident_cannot_be_acknowledged(  # type: ignore[no-untyped-def]
    incident, tenant_a, tenant_b, platform_operator, operator_b
) -> None:
    with pytest.raises(StateConflict) as moved:
        acknowledge_incident(incident_id=incident.pk, tenant=tenant_b, actor=operator_b)
    assert moved.value.code == "moved"
    change_incident_status(
        incident_id=incident.pk, tenant=tenant_a, status_code="91", actor=platform_operator
    )
    with pytest.raises(StateConflict) as final:
        acknowledge_incident(incident_id=incident.pk, tenant=tenant_a, actor=platform_operator)
    assert final.value.code == "already_final"
    assert Incident.objects.get(pk=incident.pk).acknowledged_at is None


def test_the_board_acknowledges_by_fetch_and_hears_a_refusal_as_a_sentence(  # type: ignore[no-untyped-def]
    incident, tenant_a, platform_operator
) -> None:
    client = Client()
    client.force_login(platform_operator)
    url = reverse("operations:incident_acknowledge", args=[incident.pk])
    first = client.post(url, headers={"Accept": "application/json"})
    assert first.status_code == 200
    assert first.json()["incident"]["acknowledged_by"] == str(platform_operator)
    again = client.post(url, headers={"Accept": "application/json"})
    assert again.status_code == 409
    assert again.json() == {
        "code": "already_acknowledged", "message": "다른 운영자가 이미 확인한 상황입니다."
    }  # fmt: skip
    assert client.get(url).status_code == 405


def test_the_incident_page_acknowledges_by_form_and_then_says_who(  # type: ignore[no-untyped-def]
    incident, platform_operator
) -> None:
    client = Client()
    client.force_login(platform_operator)
    page = client.get(reverse("operations:incident", args=[incident.pk])).content.decode()
    assert reverse("operations:incident_acknowledge", args=[incident.pk]) in page
    response = client.post(
        reverse("operations:incident_acknowledge", args=[incident.pk]), follow=True
    )
    body = response.content.decode()
    assert "상황을 확인했습니다." in body
    assert f"{platform_operator} · " in body
    assert 'id="incident-map-data"' in body  # the page's own map


def test_the_board_snapshot_carries_report_time_and_acknowledgement(  # type: ignore[no-untyped-def]
    incident, tenant_a, platform_operator
) -> None:
    client = Client()
    client.force_login(platform_operator)
    item = client.get(reverse("operations:board_incidents")).json()["incidents"][0]
    assert item["reported_at"] == incident.created_at.astimezone(dt.UTC).isoformat()
    assert (item["acknowledged_at"], item["acknowledged_by"]) == (None, "")


def test_the_camera_layer_has_sectors_where_a_direction_is_known_and_no_stream(  # type: ignore[no-untyped-def]
    tenant_a, tenant_b, platform_operator
) -> None:
    facing = CameraFactory(tenant=tenant_a, bearing_deg=90.0, fov_deg=60.0,
                           stream_endpoint="rtsp://vms.internal/secret")  # fmt: skip
    round_ = CameraFactory(tenant=tenant_a, latitude=Decimal("37.501"))
    CameraFactory(tenant=tenant_b)
    client = Client()
    client.force_login(platform_operator)
    response = client.get(reverse("operations:board_cameras"))
    assert "secret" not in response.content.decode()
    cameras = {c["id"]: c for c in response.json()["cameras"]}
    assert set(cameras) == {facing.pk, round_.pk}
    assert cameras[round_.pk]["sector"] is None
    sector = cameras[facing.pk]["sector"]
    assert len(sector) == 9 and sector[0] == sector[-1] == [37.5, 127.0]
    assert cameras[facing.pk]["label"] == facing.road_address
