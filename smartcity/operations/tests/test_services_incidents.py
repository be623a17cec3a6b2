"""Incident intake and handling: workflow, timeline, audit, live events, hand-over."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from smartcity.core.models import AuditEvent
from smartcity.operations.errors import IdempotencyConflict, IntakeInvalid, StateConflict
from smartcity.operations.models import IdempotencyRecord, Incident, IncidentEvent, IntakeClient
from smartcity.operations.selectors.intake import client_for_key
from smartcity.operations.services.incidents import (
    add_incident_note,
    auto_close_idle_incidents,
    change_incident_status,
    hand_over_incident,
)
from smartcity.operations.services.intake import IncidentReport, receive_incident_report
from smartcity.operations.tests.factories import api_key
from smartcity.realtime.models import OutboxEvent

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def report(**changes: object) -> IncidentReport:
    values: dict[str, object] = {
        "event_type": "112UC001",
        "external_id": "C-1",
        "occurred_at": NOW - dt.timedelta(minutes=3),
        "latitude": Decimal("37.5665"),
        "longitude": Decimal("126.978"),
        "address": "세종대로 110",
    }
    values.update(changes)
    return IncidentReport(**values)  # type: ignore[arg-type]


@pytest.fixture
def police(tenant_a) -> IntakeClient:  # type: ignore[no-untyped-def]
    client = client_for_key(api_key(tenant_a, "112", "가람경찰서 112"))
    assert client is not None
    return client


def send(client: IntakeClient, key: str, r: IncidentReport, digest: str = "") -> Incident:
    return receive_incident_report(
        client=client, idempotency_key=key, report=r, request_hash=digest or key
    ).incident


def test_a_report_opens_an_incident_with_timeline_audit_and_a_live_event(police, tenant_a) -> None:  # type: ignore[no-untyped-def]
    outcome = receive_incident_report(client=police, idempotency_key="k1", report=report(),
                                      request_hash="h")  # fmt: skip
    incident = outcome.incident
    assert outcome.created and not outcome.replayed
    assert (incident.tenant, incident.status_id, incident.grade_id) == (tenant_a, "10", "10")
    assert [e.action for e in incident.timeline.all()] == ["reported"]
    assert incident.timeline.get().actor_label == "가람경찰서 112"
    assert AuditEvent.objects.filter(action="operations.incident_reported").count() == 1
    event = OutboxEvent.objects.get()
    assert (event.channel, event.kind) == (tenant_a.channel, "incident")
    assert event.payload["id"] == incident.pk and event.payload["icon"] == "police"


def test_the_same_key_and_body_returns_the_same_incident_and_changes_nothing(police) -> None:  # type: ignore[no-untyped-def]
    first = receive_incident_report(client=police, idempotency_key="k", report=report(),
                                    request_hash="h")  # fmt: skip
    again = receive_incident_report(client=police, idempotency_key="k", report=report(),
                                    request_hash="h")  # fmt: skip
    assert again.incident.pk == first.incident.pk and again.replayed and again.created
    assert Incident.objects.count() == 1 and IncidentEvent.objects.count() == 1
    with pytest.raises(IdempotencyConflict):
        receive_incident_report(client=police, idempotency_key="k", report=report(),
                                request_hash="other")  # fmt: skip


def test_later_messages_change_release_and_close_the_same_incident(police) -> None:  # type: ignore[no-untyped-def]
    incident = send(police, "1", report())
    moved = send(police, "2", report(address="세종대로 112", latitude=Decimal("37.5667")))
    assert moved.pk == incident.pk and moved.status_id == "40"
    released = send(police, "3", report(address="세종대로 112", latitude=Decimal("37.5667"),
                                       status="50"))  # fmt: skip
    closed = send(police, "4", report(address="세종대로 112", latitude=Decimal("37.5667"),
                                     status="91"))  # fmt: skip
    assert (released.status_id, closed.status_id) == ("50", "91")
    assert closed.ended_at is not None
    timeline = list(closed.timeline.values_list("action", "status_id"))
    assert timeline == [("reported", "10"), ("updated", "40"), ("status_changed", "50"),
                        ("status_changed", "91")]  # fmt: skip
    changes = closed.timeline.get(action="updated").data["changes"]
    assert set(changes) == {"address", "latitude"}
    with pytest.raises(StateConflict, match="already_final"):
        send(police, "5", report(status="40"))


def test_a_repeated_first_message_is_a_duplicate_not_a_change(police) -> None:  # type: ignore[no-untyped-def]
    send(police, "1", report())
    send(police, "2", report())
    assert IncidentEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"event_type": "NOPE0000"}, "event_type", "unknown_event_type"),
        ({"event_type": "119UC001"}, "event_type", "event_type_not_allowed"),
        ({"grade": "30"}, "grade", "unknown_grade"),
        ({"status": "77"}, "status", "unknown_status"),
        (
            {"latitude": Decimal("35.68"), "longitude": Decimal("139.76")},
            "latitude",
            "out_of_korea",
        ),
        ({"status": "91", "external_id": "NEVER-SEEN"}, "external_id", "unknown_incident"),
    ],
)
def test_bad_reports_name_the_field(police, changes, field, code) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntakeInvalid) as caught:
        send(police, "k", report(**changes))
    assert (caught.value.field, caught.value.code) == (field, code)
    assert not Incident.objects.exists() and not IdempotencyRecord.objects.exists()
    assert not OutboxEvent.objects.exists()


def test_operator_moves_the_status_forward_only(police, tenant_a, platform_operator) -> None:  # type: ignore[no-untyped-def]
    incident = send(police, "1", report())
    change_incident_status(incident_id=incident.pk, tenant=tenant_a, status_code="50",
                           actor=platform_operator, note="영상 확인 후 관제 해제")  # fmt: skip
    with pytest.raises(StateConflict, match="backwards"):
        change_incident_status(incident_id=incident.pk, tenant=tenant_a, status_code="40",
                               actor=platform_operator)  # fmt: skip
    with pytest.raises(StateConflict, match="not_allowed_for_actor"):
        change_incident_status(incident_id=incident.pk, tenant=tenant_a, status_code="92",
                               actor=platform_operator)  # fmt: skip
    last = IncidentEvent.objects.filter(incident=incident).last()
    assert last is not None and last.actor == platform_operator and last.note.startswith("영상")
    assert AuditEvent.objects.filter(action="operations.incident_status_changed").count() == 1


def test_notes_are_timeline_rows(police, tenant_a, platform_operator) -> None:  # type: ignore[no-untyped-def]
    incident = send(police, "1", report())
    add_incident_note(incident_id=incident.pk, tenant=tenant_a, actor=platform_operator,
                      note="  용의자 북쪽으로 도주  ")  # fmt: skip
    note = IncidentEvent.objects.get(action="note_added")
    assert note.note == "용의자 북쪽으로 도주" and note.actor == platform_operator


def test_hand_over_moves_responsibility_and_both_boards_hear_of_it(  # type: ignore[no-untyped-def]
    police, tenant_a, tenant_b, platform_operator
) -> None:
    incident = send(police, "1", report())
    hand_over_incident(incident_id=incident.pk, tenant=tenant_a, to_tenant=tenant_b,
                       actor=platform_operator, reason="관할 밖")  # fmt: skip
    incident.refresh_from_db()
    assert (incident.tenant, incident.origin_tenant) == (tenant_b, tenant_a)
    handover = IncidentEvent.objects.get(action="handed_over")
    assert handover.tenant == tenant_a and handover.data["to"] == tenant_b.code
    kinds = list(OutboxEvent.objects.order_by("id").values_list("channel", "kind"))
    assert kinds[-2:] == [(tenant_a.channel, "incident_removed"), (tenant_b.channel, "incident")]
    with pytest.raises(StateConflict, match="moved"):
        add_incident_note(incident_id=incident.pk, tenant=tenant_a, actor=platform_operator,
                          note="x")  # fmt: skip
    # The sender's next message still finds it (by origin), now on B's board.
    updated = send(police, "2", report(status="50"))
    assert updated.pk == incident.pk and updated.tenant == tenant_b
    with pytest.raises(StateConflict, match="same_tenant"):
        hand_over_incident(incident_id=incident.pk, tenant=tenant_b, to_tenant=tenant_b,
                           actor=platform_operator)  # fmt: skip


def test_idle_incidents_are_auto_closed_by_the_system(police) -> None:  # type: ignore[no-untyped-def]
    stale = send(police, "1", report(external_id="OLD"))
    fresh = send(police, "2", report(external_id="NEW"))
    Incident.objects.filter(pk=stale.pk).update(updated_at=NOW - dt.timedelta(hours=30))
    assert auto_close_idle_incidents(idle_for=dt.timedelta(hours=24)) == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status_id, fresh.status_id) == ("92", "10")
    assert stale.timeline.last().actor_label == "system"
