"""Group commit of intake (ADR 0023): many events in one transaction, each with
its own result, one audit row for the group that still names an altered event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from smartcity.core.models import AuditEvent
from smartcity.core.selectors import verify_audit_chain
from smartcity.operations.models import IdempotencyRecord, Incident, IncidentEvent, IntakeClient
from smartcity.operations.services.intake import IncidentReport, receive_incident_report
from smartcity.operations.services.intake_group import (
    GROUP_ACTION,
    GroupEvent,
    receive_incident_group,
)
from smartcity.operations.services.tenancy import create_centre
from smartcity.operations.tests.factories import api_key
from smartcity.operations.tests.test_centres import BUSAN, GOYANG
from smartcity.realtime.models import OutboxEvent

pytestmark = pytest.mark.django_db

OCCURRED = dt.datetime(2026, 3, 1, 12, 15, tzinfo=dt.UTC)


@pytest.fixture
def client_112(tenant_a) -> IntakeClient:  # type: ignore[no-untyped-def]
    api_key(tenant_a, "112")
    return IntakeClient.objects.select_related("tenant").get(tenant=tenant_a, source="112")


def report(external_id: str, **overrides: Any) -> IncidentReport:
    values: dict[str, Any] = {
        "event_type": "112UC001", "occurred_at": OCCURRED, "latitude": Decimal("37.5665"),
        "longitude": Decimal("126.9780"), "external_id": external_id,
        "address": "서울특별시 중구 세종대로 110", "detail": f"{external_id} 신고",
    }  # fmt: skip
    values.update(overrides)
    return IncidentReport(**values)


def event(client: IntakeClient, key: str, body: IncidentReport, digest: str = "") -> GroupEvent:
    return GroupEvent(client, key, body, digest or f"hash-{key}-{body.detail}")


def test_a_group_stores_every_event_and_appends_one_audit_row(client_112) -> None:  # type: ignore[no-untyped-def]
    receive_incident_group(events=[event(client_112, "warm", report("W"))])  # caches filled
    with CaptureQueriesContext(connection) as few:
        receive_incident_group(
            events=[event(client_112, f"f-{n}", report(f"F-{n}")) for n in range(2)]
        )
    events = [event(client_112, f"k-{n}", report(f"G-{n}")) for n in range(20)]
    with CaptureQueriesContext(connection) as queries:
        results = receive_incident_group(events=events)
    assert [r.status for r in results] == [201] * 20
    assert Incident.objects.count() == 23
    assert IncidentEvent.objects.filter(action="reported").count() == 23
    assert IdempotencyRecord.objects.count() == 23
    assert OutboxEvent.objects.filter(kind="incident").count() == 23
    # Several rows per statement: far fewer queries than events.
    assert len(queries) == len(few), "\n".join(q["sql"][:150] for q in queries)
    row = AuditEvent.objects.filter(action=GROUP_ACTION).latest("id")
    members = row.data["chained_events"]
    assert row.data["count"] == 20
    assert [m["action"] for m in members] == ["operations.incident_reported"] * 20
    assert [int(m["object_id"]) for m in members] == [r.incident.pk for r in results]  # type: ignore[union-attr]
    assert verify_audit_chain() is None


def test_each_event_gets_its_own_result_and_a_refusal_stops_no_other(client_112) -> None:  # type: ignore[no-untyped-def]
    first = event(client_112, "k-1", report("E-1"))
    results = receive_incident_group(
        events=[
            first,
            event(client_112, "k-2", report("E-2", event_type="119UC001")),  # not 112's type
            event(client_112, "k-1", report("E-1")),  # the same key and body: a replay
            event(client_112, "k-1", report("E-1"), digest="other body"),  # the key reused
            event(client_112, "k-3", report("E-1", status="40", detail="범인 도주")),  # next
            event(client_112, "k-5", report("E-5", status="40")),  # no such incident
        ]
    )
    assert [r.status for r in results] == [201, 422, 200, 409, 200, 422]
    assert results[1].code == "event_type_not_allowed" and results[1].field == "event_type"
    assert results[2].replayed and results[2].incident == results[0].incident
    assert results[3].code == "idempotency_key_reused"
    assert results[5].code == "unknown_incident"
    incident = Incident.objects.get()
    assert incident.detail == "범인 도주" and incident.status_id == "40"
    assert list(incident.timeline.order_by("id").values_list("action", flat=True)) == [
        "reported", "updated",
    ]  # fmt: skip
    assert set(IdempotencyRecord.objects.values_list("key", flat=True)) == {"k-1", "k-3"}
    (row,) = AuditEvent.objects.filter(action=GROUP_ACTION)
    assert [m["action"] for m in row.data["chained_events"]] == [
        "operations.incident_reported", "operations.incident_updated",
    ]  # fmt: skip
    assert verify_audit_chain() is None


def test_a_place_outside_the_centre_is_refused_and_audited_in_the_group(event_model) -> None:  # type: ignore[no-untyped-def]
    centre = create_centre(seat_code="41280", member_codes=["41280"], code="nw", name_ko="고양")
    api_key(centre, "112")
    client = IntakeClient.objects.select_related("tenant").get(tenant=centre)
    inside = report("O-1", latitude=Decimal(GOYANG[0]), longitude=Decimal(GOYANG[1]))
    outside = report("O-2", latitude=Decimal(BUSAN[0]), longitude=Decimal(BUSAN[1]))
    results = receive_incident_group(
        events=[event(client, "a", inside), event(client, "b", outside)]
    )
    assert [r.status for r in results] == [201, 422]
    assert (results[1].code, results[1].field) == ("outside_centre", "latitude")
    (row,) = AuditEvent.objects.filter(action=GROUP_ACTION)
    refused = row.data["chained_events"][1]
    assert refused["action"] == "operations.incident_refused"
    assert refused["data"]["reason"] == "outside_centre" and refused["data"]["tenant"] == "nw"


def test_each_event_of_a_group_is_placed_by_its_own_point(event_model) -> None:  # type: ignore[no-untyped-def]
    # The group measures every area once for all its points (GroupPoints):
    # each answer must still be its own event's, whatever the order.
    centre = create_centre(seat_code="41280", member_codes=["41280"], code="nw", name_ko="고양")
    api_key(centre, "112")
    client = IntakeClient.objects.select_related("tenant").get(tenant=centre)
    here = {"latitude": Decimal(GOYANG[0]), "longitude": Decimal(GOYANG[1])}
    away = {"latitude": Decimal(BUSAN[0]), "longitude": Decimal(BUSAN[1])}
    places = [away, here, away, away, here]
    results = receive_incident_group(
        events=[event(client, f"k{n}", report(f"P-{n}", **p)) for n, p in enumerate(places)]
    )
    assert [r.status for r in results] == [422, 201, 422, 422, 201]
    assert [i.external_id for i in Incident.objects.order_by("id")] == ["P-1", "P-4"]


def test_idempotency_holds_across_the_single_and_the_group_path(client_112) -> None:  # type: ignore[no-untyped-def]
    body = report("X-1")
    single = receive_incident_report(
        client=client_112, idempotency_key="shared", report=body, request_hash="h1"
    )
    again, conflict = receive_incident_group(
        events=[event(client_112, "shared", body, "h1"), event(client_112, "shared", body, "h2")]
    )
    assert again.status == 200 and again.replayed and again.incident == single.incident
    assert conflict.status == 409
    grouped = receive_incident_group(events=[event(client_112, "grouped", report("X-2"), "h3")])
    replay = receive_incident_report(
        client=client_112, idempotency_key="grouped", report=report("X-2"), request_hash="h3"
    )
    assert replay.replayed and replay.incident == grouped[0].incident
    assert Incident.objects.count() == 2


def test_verify_names_the_first_altered_event_of_a_group_row(client_112) -> None:  # type: ignore[no-untyped-def]
    receive_incident_group(events=[event(client_112, f"k-{n}", report(f"V-{n}")) for n in range(5)])
    row = AuditEvent.objects.get(action=GROUP_ACTION)
    data = row.data
    data["chained_events"][2]["data"]["external_id"] = "V-forged"
    AuditEvent.objects.filter(pk=row.pk).update(data=data)  # behind the ORM's back
    broken = verify_audit_chain()
    assert broken is not None
    assert (broken.row_id, broken.reason, broken.member) == (row.pk, "event_hash_mismatch", 2)
    assert "event 3 of row" in broken.describe()

    data["chained_events"][2]["data"]["external_id"] = "V-2"  # restored
    del data["chained_events"][4]  # the last event removed
    AuditEvent.objects.filter(pk=row.pk).update(data=data)
    broken = verify_audit_chain()
    assert broken is not None and (broken.reason, broken.member) == ("event_hash_mismatch", 4)


def test_audit_verify_names_the_broken_event_on_the_console(client_112, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from django.core.management import CommandError, call_command

    receive_incident_group(events=[event(client_112, f"c-{n}", report(f"C-{n}")) for n in range(3)])
    row = AuditEvent.objects.get(action=GROUP_ACTION)
    data = row.data
    data["chained_events"][1]["object_id"] = "999999"
    AuditEvent.objects.filter(pk=row.pk).update(data=data)
    with pytest.raises(CommandError, match=f"event 2 of row #{row.pk}"):
        call_command("audit", "verify", "--format", "json")
    answer = json.loads(capsys.readouterr().out)
    assert (answer["first_broken_row"], answer["first_broken_event"]) == (row.pk, 2)
    assert answer["reason"] == "event_hash_mismatch"


def test_the_audit_page_finds_an_incident_inside_a_group_row(  # type: ignore[no-untyped-def]
    client_112, ministry_officer, client
) -> None:
    """Filtering the audit log by an incident (or by the event) finds the group
    row holding it and shows that event in words, linked to the incident."""
    from django.urls import reverse

    receive_incident_group(events=[event(client_112, "solo", report("A-0"))])
    results = receive_incident_group(
        events=[event(client_112, f"k-{n}", report(f"A-{n + 1}")) for n in range(3)]
    )
    wanted = results[1].incident
    assert wanted is not None
    client.force_login(ministry_officer)

    def found(**query: str) -> list:  # type: ignore[type-arg]
        response = client.get("/audit/", query)
        assert response.status_code == 200
        return list(response.context["rows"])

    (row,) = found(object_type="operations.incident", object_id=str(wanted.pk))
    assert row.event.action == GROUP_ACTION and row.event.data["count"] == 3
    (member,) = row.members
    assert (member.label, member.object_id) == ("상황 접수", str(wanted.pk))
    assert member.object_url == reverse("operations:incident", args=[wanted.pk])
    page = client.get(
        "/audit/", {"object_type": "operations.incident", "object_id": wanted.pk}
    ).content.decode()
    assert f'<a href="{member.object_url}">상황 {wanted.pk}</a>' in page
    assert found(object_id=str(wanted.pk))[0].members == (member,)  # by id alone too
    assert found(object_type="operations.incident", object_id="999999") == []
    assert found(object_type="operations.camera", object_id=str(wanted.pk)) == []
    # By the event: both group rows, each listing its incidents.
    rows = found(action="operations.incident_reported")
    assert [len(r.members) for r in rows] == [3, 1]
    # The row's own fields still match as before, listing no events.
    (group,) = found(action=GROUP_ACTION, since="2000-01-01")[:1]
    assert group.members == ()
