"""The disaster situation service and the vulnerable-person service: an area's
cameras shared with the disaster room; a carrier event's trail, cameras and
alerts; its personal data deleted after the case closed and the retention."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from smartcity.core.models import AuditEvent
from smartcity.operations.domain.areas import circle, polygon_from_geojson
from smartcity.operations.domain.carrier import TrailPoint
from smartcity.operations.errors import StateConflict, VideoRefused
from smartcity.operations.models import (
    CarrierAlert,
    CarrierCase,
    CarrierPosition,
    DisasterArea,
    Incident,
    IncidentEvent,
    VideoAccessEntry,
)
from smartcity.operations.services.disaster import share_disaster_area
from smartcity.operations.services.incidents import change_incident_status
from smartcity.operations.services.situations import (
    purge_carrier_data,
    record_carrier_event,
)
from smartcity.operations.tests.factories import CameraFactory, IncidentFactory

pytestmark = pytest.mark.django_db

LAT, LON = Decimal("37.50000000"), Decimal("127.00000000")
T0 = dt.datetime(2026, 11, 1, 3, 0, tzinfo=dt.UTC)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def flood(tenant_a, tenant_b):  # type: ignore[no-untyped-def]
    """A flood reported by the disaster room in 가람시: two cameras within
    ~220 m, one 1.1 km north, and 나래시's camera standing inside the area."""
    incident = IncidentFactory(
        tenant=tenant_a, event_type_id="DUCDP110", sender="disaster", latitude=LAT, longitude=LON
    )
    inside = [
        CameraFactory(tenant=tenant_a, latitude=LAT + Decimal("0.001"), longitude=LON),
        CameraFactory(tenant=tenant_a, latitude=LAT, longitude=LON + Decimal("0.0025")),
    ]
    outside = CameraFactory(tenant=tenant_a, latitude=LAT + Decimal("0.01"), longitude=LON)
    foreign = CameraFactory(tenant=tenant_b, latitude=LAT, longitude=LON + Decimal("0.0005"))
    return {"incident": incident, "inside": inside, "outside": outside, "foreign": foreign}


def _square(half_deg: float) -> str:
    lat, lon = float(LAT), float(LON)
    ring = [[lon - half_deg, lat - half_deg], [lon + half_deg, lat - half_deg],
            [lon + half_deg, lat + half_deg], [lon - half_deg, lat + half_deg]]  # fmt: skip
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


# --- Disaster situation --------------------------------------------------------------------


def test_a_circle_shares_the_tenants_cameras_inside_it_with_the_disaster_room(  # type: ignore[no-untyped-def]
    flood, disaster_agency, platform_operator
) -> None:
    incident = flood["incident"]
    area = share_disaster_area(
        tenant=incident.tenant, incident_id=incident.pk, agency_id=disaster_agency.pk,
        area=circle(float(LAT), float(LON), 500), warning="호우경보", actor=platform_operator,
    )  # fmt: skip
    assert area.grant is not None and area.grant.agency == disaster_agency
    assert area.grant.legal_ground == "disaster_safety_act"
    granted = set(area.grant.cameras.values_list("pk", flat=True))
    assert granted == {c.pk for c in flood["inside"]}
    assert flood["outside"].pk not in granted and flood["foreign"].pk not in granted
    assert area.camera_count == 2 and area.warning == "호우경보" and area.radius_m == 500
    assert AuditEvent.objects.filter(action="operations.disaster_area_shared").exists()


def test_a_polygon_shares_only_the_cameras_inside_it_and_never_another_tenants(  # type: ignore[no-untyped-def]
    flood, disaster_agency, platform_operator
) -> None:
    incident = flood["incident"]
    area = share_disaster_area(
        tenant=incident.tenant, incident_id=incident.pk, agency_id=disaster_agency.pk,
        area=polygon_from_geojson(_square(0.003)), actor=platform_operator,
    )  # fmt: skip
    assert area.grant is not None
    granted = set(area.grant.cameras.values_list("pk", flat=True))
    assert granted == {c.pk for c in flood["inside"]}
    assert area.kind == "polygon" and area.polygon["type"] == "Polygon"


def test_an_area_without_cameras_or_an_agency_other_than_a_disaster_room_gets_nothing(  # type: ignore[no-untyped-def]
    flood, disaster_agency, fire_agency, platform_operator
) -> None:
    incident = flood["incident"]
    far = circle(float(LAT) - 0.5, float(LON), 100)
    with pytest.raises(VideoRefused) as refused:
        share_disaster_area(
            tenant=incident.tenant, incident_id=incident.pk, agency_id=disaster_agency.pk,
            area=far, actor=platform_operator,
        )  # fmt: skip
    assert refused.value.code == "no_cameras"
    with pytest.raises(VideoRefused) as refused:
        share_disaster_area(
            tenant=incident.tenant, incident_id=incident.pk, agency_id=fire_agency.pk,
            area=circle(float(LAT), float(LON), 500), actor=platform_operator,
        )  # fmt: skip
    assert refused.value.code == "agency_not_eligible"
    assert not DisasterArea.objects.exists()
    # Both refusals are in the access log: the share's transaction does not swallow them.
    entries = VideoAccessEntry.objects.order_by("id").values_list("step", "reason", "agency")
    assert list(entries) == [
        ("grant", "no_cameras", disaster_agency.pk),
        ("grant", "agency_not_eligible", fire_agency.pk),
    ]


def test_a_crime_incident_cannot_be_shared_with_the_disaster_room(  # type: ignore[no-untyped-def]
    scene, disaster_agency, platform_operator
) -> None:
    incident = scene["incident"]
    with pytest.raises(VideoRefused) as refused:
        share_disaster_area(
            tenant=incident.tenant, incident_id=incident.pk, agency_id=disaster_agency.pk,
            area=circle(float(LAT), float(LON), 500), actor=platform_operator,
        )  # fmt: skip
    assert refused.value.code == "agency_not_eligible"


def test_the_operator_shares_an_area_from_the_incident_page_and_the_disaster_console_shows_it(  # type: ignore[no-untyped-def]
    flood, disaster_agency, platform_operator, disaster_officer
) -> None:
    incident = flood["incident"]
    operator = signed_in(platform_operator)
    page = operator.get(reverse("operations:incident", args=[incident.pk])).content.decode()
    assert 'id="disaster-area-heading"' in page
    response = operator.post(
        reverse("operations:incident_disaster_area", args=[incident.pk]),
        {"agency": disaster_agency.pk, "shape": "circle", "centre_lat": str(LAT),
         "centre_lon": str(LON), "radius_m": "500", "warning": "태풍경보"},
    )  # fmt: skip
    assert response.status_code == 302
    area = DisasterArea.objects.get()
    assert area.camera_count == 2
    page = operator.get(reverse("operations:incident", args=[incident.pk])).content.decode()
    assert "태풍경보" in page

    officer = signed_in(disaster_officer)
    console = officer.get(reverse("operations:agency")).content.decode()
    assert incident.address in console
    assert area.grant is not None
    grant_page = officer.get(reverse("operations:agency_grant", args=[area.grant.pk])).content
    text = grant_page.decode()
    assert "태풍경보" in text
    for camera in flood["inside"]:
        assert f'data-camera-id="{camera.pk}"' in text
    assert f'data-camera-id="{flood["outside"].pk}"' not in text


def test_a_bad_polygon_on_the_form_is_refused_without_a_grant(  # type: ignore[no-untyped-def]
    flood, disaster_agency, platform_operator
) -> None:
    incident = flood["incident"]
    response = signed_in(platform_operator).post(
        reverse("operations:incident_disaster_area", args=[incident.pk]),
        {"agency": disaster_agency.pk, "shape": "polygon", "polygon": "{not json"},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert not DisasterArea.objects.exists()


def test_another_centres_operator_cannot_share_an_area_of_this_incident(  # type: ignore[no-untyped-def]
    flood, disaster_agency, operator_b
) -> None:
    response = signed_in(operator_b).post(
        reverse("operations:incident_disaster_area", args=[flood["incident"].pk]),
        {"agency": disaster_agency.pk, "shape": "circle", "centre_lat": str(LAT),
         "centre_lon": str(LON), "radius_m": "500"},
    )  # fmt: skip
    assert response.status_code == 404
    assert not DisasterArea.objects.exists()


# --- Vulnerable people ---------------------------------------------------------------------

GUARDIAN_PHONE = "010-1234-5678"
PHOTO = "carrier://wp1/photo/A-77"


@pytest.fixture
def wandering(tenant_a, tenant_b, police_agency, fire_agency, disaster_agency, clock):  # type: ignore[no-untyped-def]
    """An elderly person with dementia left the safe zone in 가람시 (carrier
    event); cameras near the latest position, one far from the trail, and
    나래시's camera next to it."""
    clock.set(T0)
    incident = IncidentFactory(
        tenant=tenant_a, event_type_id="WPSSF110", sender="WP1", latitude=LAT, longitude=LON,
        detail="김○○(82) 치매, 파란 점퍼", occurred_at=T0 - dt.timedelta(minutes=3),
    )  # fmt: skip
    latest = (LAT + Decimal("0.004"), LON)
    near = CameraFactory(tenant=tenant_a, latitude=latest[0] + Decimal("0.0005"), longitude=LON)
    far = CameraFactory(tenant=tenant_a, latitude=LAT - Decimal("0.02"), longitude=LON)
    foreign = CameraFactory(tenant=tenant_b, latitude=latest[0], longitude=LON)
    trail = [
        TrailPoint(float(LAT) + i * 0.001, float(LON), T0 - dt.timedelta(minutes=4 - i))
        for i in range(5)
    ]
    return {"incident": incident, "near": near, "far": far, "foreign": foreign, "trail": trail}


def _report(wandering, actor=None, **overrides):  # type: ignore[no-untyped-def]
    incident = wandering["incident"]
    values: dict[str, Any] = {
        "event_kind": "left_safe_zone", "positions": wandering["trail"], "photo_ref": PHOTO,
        "guardian_name": "김보호", "guardian_phone": GUARDIAN_PHONE,
    }  # fmt: skip
    values.update(overrides)
    return record_carrier_event(
        tenant=incident.tenant, incident_id=incident.pk, actor=actor, actor_label="WP1", **values
    )


def test_a_carrier_event_keeps_the_trail_and_alerts_the_linked_112_and_119_once(  # type: ignore[no-untyped-def]
    wandering, police_agency, fire_agency, disaster_agency
) -> None:
    case = _report(wandering)
    assert case.positions.count() == 5 and case.guardian_phone == GUARDIAN_PHONE
    alerted = set(CarrierAlert.objects.values_list("agency_id", flat=True))
    assert alerted == {police_agency.pk, fire_agency.pk}  # not the disaster room
    again = _report(wandering, positions=[*wandering["trail"],
                    TrailPoint(37.506, 127.0, T0 + dt.timedelta(minutes=1))])  # fmt: skip
    assert again.pk == case.pk and again.positions.count() == 6
    assert CarrierAlert.objects.count() == 2
    # The personal data stays out of the timeline and the audit log.
    logged = json.dumps(
        [list(IncidentEvent.objects.values_list("data", "note")),
         list(AuditEvent.objects.values_list("data", flat=True))],
        ensure_ascii=False, default=str,
    )  # fmt: skip
    assert GUARDIAN_PHONE not in logged and PHOTO not in logged and "김보호" not in logged


def test_carrier_data_is_refused_for_an_incident_the_carrier_did_not_report(  # type: ignore[no-untyped-def]
    scene, clock
) -> None:
    incident = scene["incident"]
    with pytest.raises(StateConflict) as refused:
        record_carrier_event(
            tenant=incident.tenant, incident_id=incident.pk, event_kind="sos", positions=[]
        )
    assert refused.value.code == "not_a_carrier_incident"


def test_the_incident_page_shows_the_trail_and_the_cameras_near_the_latest_positions(  # type: ignore[no-untyped-def]
    wandering, platform_operator
) -> None:
    _report(wandering)
    page = (
        signed_in(platform_operator)
        .get(reverse("operations:incident", args=[wandering["incident"].pk]))
        .content.decode()
    )
    assert 'id="carrier-heading"' in page and page.count("data-trail-point") == 5
    assert f'data-trail-camera-id="{wandering["near"].pk}"' in page
    assert f'data-trail-camera-id="{wandering["far"].pk}"' not in page
    assert f'data-trail-camera-id="{wandering["foreign"].pk}"' not in page
    # The guardian's number is masked until the operator asks for it.
    assert GUARDIAN_PHONE not in page and "***-****-" + GUARDIAN_PHONE[-4:] in page


def test_revealing_the_guardian_contact_is_audited_and_other_centres_cannot(  # type: ignore[no-untyped-def]
    wandering, platform_operator, operator_b
) -> None:
    _report(wandering)
    url = reverse("operations:incident_guardian_contact", args=[wandering["incident"].pk])
    assert signed_in(operator_b).post(url).status_code == 404
    assert not AuditEvent.objects.filter(action="operations.guardian_contact_viewed").exists()
    response = signed_in(platform_operator).post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200 and GUARDIAN_PHONE in response.content.decode()
    viewed = AuditEvent.objects.get(action="operations.guardian_contact_viewed")
    assert viewed.actor_id == platform_operator.pk
    assert GUARDIAN_PHONE not in json.dumps(viewed.data, ensure_ascii=False)


def test_the_police_console_lists_the_carrier_alert(  # type: ignore[no-untyped-def]
    wandering, police_officer
) -> None:
    _report(wandering)
    console = signed_in(police_officer).get(reverse("operations:agency")).content.decode()
    assert f'data-carrier-alert="{wandering["incident"].pk}"' in console
    assert GUARDIAN_PHONE not in console


def _close(incident: Incident, actor: Any) -> None:
    change_incident_status(
        incident_id=incident.pk, tenant=incident.tenant, status_code="91", actor=actor
    )


def test_nothing_is_purged_while_the_case_is_open_or_before_the_retention_ran_out(  # type: ignore[no-untyped-def]
    wandering, platform_operator, clock, settings
) -> None:
    settings.OPERATIONS_CARRIER_RETENTION_HOURS = 72
    case = _report(wandering)
    clock.set(T0 + dt.timedelta(days=30))
    assert purge_carrier_data() == 0  # still open, however old
    _close(wandering["incident"], platform_operator)
    clock.set(T0 + dt.timedelta(days=30, hours=71, minutes=59))
    assert purge_carrier_data() == 0
    case.refresh_from_db()
    assert case.purged_at is None and case.guardian_phone == GUARDIAN_PHONE
    assert case.photo_ref == PHOTO and case.positions.count() == 5


def test_the_purge_removes_the_personal_data_after_close_and_retention_and_keeps_the_incident(  # type: ignore[no-untyped-def]
    wandering, platform_operator, clock, settings
) -> None:
    settings.OPERATIONS_CARRIER_RETENTION_HOURS = 72
    case = _report(wandering)
    incident = wandering["incident"]
    clock.set(T0 + dt.timedelta(hours=1))
    _close(incident, platform_operator)
    clock.set(T0 + dt.timedelta(hours=73))
    out = io.StringIO()
    call_command("linkage", "purge-carrier", stdout=out)
    assert json.loads(out.getvalue()) == {"purged": 1}
    case.refresh_from_db()
    assert case.purged_at == T0 + dt.timedelta(hours=73)
    assert (case.photo_ref, case.guardian_name, case.guardian_phone) == ("", "", "")
    assert not CarrierPosition.objects.exists()
    kept = Incident.objects.get(pk=incident.pk)
    assert kept.detail == "" and kept.event_type_id == "WPSSF110" and kept.status.is_final
    assert CarrierCase.objects.filter(pk=case.pk).exists() and CarrierAlert.objects.count() == 2
    assert AuditEvent.objects.filter(action="operations.carrier_data_purged").count() == 1
    assert purge_carrier_data() == 0  # once only
    page = (
        signed_in(platform_operator)
        .get(reverse("operations:incident", args=[incident.pk]))
        .content.decode()
    )
    assert "data-carrier-purged" in page and GUARDIAN_PHONE not in page and PHOTO not in page


def test_a_purged_case_accepts_no_more_personal_data(  # type: ignore[no-untyped-def]
    wandering, platform_operator, clock, settings
) -> None:
    settings.OPERATIONS_CARRIER_RETENTION_HOURS = 0
    _report(wandering)
    _close(wandering["incident"], platform_operator)
    assert purge_carrier_data() == 1
    with pytest.raises(StateConflict):
        _report(wandering)
