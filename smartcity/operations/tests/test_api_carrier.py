"""The vulnerable-person service's intake as a carrier sends it: one request
opens the incident and the case (photo, guardian, trail), alerts 112/119, and
is acknowledged only with both stored; replays change nothing; bad input gets
reasons by field; personal data never reaches the timeline or the audit log."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from smartcity.core.models import AuditEvent
from smartcity.operations.models import CarrierAlert, CarrierCase, Incident, IncidentEvent
from smartcity.operations.tests.factories import api_key

pytestmark = pytest.mark.django_db

URL = "/api/operations/carrier-events"
GUARDIAN_PHONE = "010-1234-5678"


def carrier_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "external_id": "WP-2026-0007",
        "event_kind": "left_safe_zone",
        "occurred_at": "2026-03-01T21:15:00+09:00",
        "positions": [
            {"latitude": "37.5000", "longitude": "127.0000", "at": "20260301211000000"},
            {"latitude": "37.5010", "longitude": "127.0010", "at": "20260301211400000"},
        ],
        "address": "가람시 가람로 1",
        "photo_ref": "https://carrier.example/photo/7",
        "guardian_name": "김보호",
        "guardian_phone": GUARDIAN_PHONE,
    }
    body.update(overrides)
    return body


def post(client: Client, body: Any, *, key: str, idem: str = "c-1"):  # type: ignore[no-untyped-def]
    return client.post(
        URL, data=json.dumps(body), content_type="application/json",
        headers={"X-Api-Key": key, "Idempotency-Key": idem},
    )  # fmt: skip


@pytest.fixture
def carrier_key(tenant_a) -> str:  # type: ignore[no-untyped-def]
    return api_key(tenant_a, "WP1")


def test_one_request_opens_the_incident_and_the_case_and_alerts_112_and_119(  # type: ignore[no-untyped-def]
    client, carrier_key, police_agency, fire_agency
) -> None:
    response = post(client, carrier_body(), key=carrier_key)
    assert response.status_code == 201, response.content
    incident = Incident.objects.get(pk=response.json()["id"])
    # The incident is where the person was last seen, not where the trail began.
    assert (str(incident.latitude), str(incident.longitude)) == ("37.50100000", "127.00100000")
    assert incident.event_type_id == "WPSSF110" and incident.sender == "WP1"
    case = CarrierCase.objects.get(incident=incident)
    assert (case.event_kind, case.guardian_phone) == ("left_safe_zone", GUARDIAN_PHONE)
    assert case.positions.count() == 2
    assert set(CarrierAlert.objects.values_list("agency_id", flat=True)) == {
        police_agency.pk, fire_agency.pk,
    }  # fmt: skip
    # Personal data stays on the case: the timeline and the audit outlive the purge.
    leaked = [
        *IncidentEvent.objects.filter(incident=incident).values_list("data", flat=True),
        *AuditEvent.objects.values_list("data", flat=True),
    ]
    assert not any(GUARDIAN_PHONE in json.dumps(data, ensure_ascii=False) for data in leaked)


def test_a_replay_changes_nothing_and_a_later_message_adds_only_new_positions(  # type: ignore[no-untyped-def]
    client, carrier_key, police_agency
) -> None:
    first = post(client, carrier_body(), key=carrier_key)
    events = IncidentEvent.objects.count()
    replay = post(client, carrier_body(), key=carrier_key)
    assert replay.status_code == 200 and replay.json()["replayed"]
    assert IncidentEvent.objects.count() == events

    later = carrier_body(
        status="40", event_kind="sos",
        positions=[*carrier_body()["positions"],
                   {"latitude": "37.5020", "longitude": "127.0020", "at": "20260301211800000"}],
    )  # fmt: skip
    update = post(client, later, key=carrier_key, idem="c-2")
    assert update.status_code == 200 and update.json()["id"] == first.json()["id"]
    case = CarrierCase.objects.get()
    assert case.event_kind == "sos" and case.positions.count() == 3
    assert CarrierAlert.objects.count() == 1  # alerted once per case


@pytest.mark.parametrize(
    ("overrides", "loc"),
    [
        ({"positions": []}, ["body", "payload", "positions"]),
        ({"event_kind": "fell_asleep"}, ["body", "payload", "event_kind"]),
        ({"guardian_phone": "call me"}, ["body", "payload", "guardian_phone"]),
        (
            {"positions": [{"latitude": "37.5", "longitude": "127.0", "at": "20260301211000000"},
                           {"latitude": "35.0", "longitude": "140.0", "at": "20260301211100000"}]},
            ["body", "payload", "positions", "1"],
        ),
    ],
)  # fmt: skip
def test_bad_input_is_refused_by_field_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    client, carrier_key, overrides, loc
) -> None:
    response = post(client, carrier_body(**overrides), key=carrier_key)
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][: len(loc)] == loc
    assert not Incident.objects.exists() and not CarrierCase.objects.exists()


def test_only_a_carrier_may_send_carrier_events(client, tenant_a) -> None:  # type: ignore[no-untyped-def]
    response = post(client, carrier_body(), key=api_key(tenant_a, "112"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "event_type_not_allowed"
    assert not Incident.objects.exists()


def test_the_closing_message_closes_without_storing_more_personal_data(  # type: ignore[no-untyped-def]
    client, carrier_key
) -> None:
    post(client, carrier_body(), key=carrier_key)
    closing = carrier_body(status="91", guardian_phone="010-9999-9999")
    response = post(client, closing, key=carrier_key, idem="c-3")
    assert response.status_code == 200 and response.json()["status"] == "91"
    assert CarrierCase.objects.get().guardian_phone == GUARDIAN_PHONE


def test_the_endpoint_is_in_the_openapi_document(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "post" in paths[URL]


@pytest.mark.parametrize(
    ("overrides", "loc", "type_"),
    [
        ({"guardian_name": "김\x00보호"}, ["body", "payload", "guardian_name"],
         "control_character"),
        ({"external_id": "WP\x00-7"}, ["body", "payload", "external_id"], "control_character"),
        ({"address": "가람로\x1b[2J"}, ["body", "payload", "address"], "control_character"),
        ({"photo_ref": "photo\x00.jpg"}, ["body", "payload", "photo_ref"], "control_character"),
        ({"occurred_at": "0001-01-01T00:00:00+09:00"}, ["body", "payload", "occurred_at"],
         "time_out_of_range"),
        ({"positions": [{"latitude": "37.5", "longitude": "127.0",
                         "at": "0001-01-01T00:00:00+09:00"}]},
         ["body", "payload", "positions", 0, "at"], "time_out_of_range"),
        ({"positions": [{"latitude": "37.5", "longitude": "127.0",
                         "at": "2999-01-01T00:00:00+09:00"}]},
         ["body", "payload", "positions", 0, "at"], "time_in_future"),
    ],
)  # fmt: skip
def test_control_characters_and_impossible_times_get_422_every_time(  # type: ignore[no-untyped-def]
    client, carrier_key, overrides, loc, type_
) -> None:
    for idem in ("c-1", "c-1", "c-2"):  # the retries too
        response = post(client, carrier_body(**overrides), key=carrier_key, idem=idem)
        assert response.status_code == 422, response.content
        error = response.json()["detail"][0]
        assert (error["loc"], error["type"]) == (loc, type_) and error["msg"]
    assert not Incident.objects.exists() and not CarrierCase.objects.exists()
