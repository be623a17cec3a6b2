"""First reports of one occurrence racing each other (PostgreSQL, real threads,
one connection each): every request gets a 2xx, exactly one opens the
incident, the others become its next messages; nothing is lost or doubled."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from smartcity.operations.models import CarrierAlert, CarrierCase, IdempotencyRecord, Incident
from smartcity.operations.tests.factories import api_key, report_body

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/operations/incidents"
SENDERS = 5
ROUNDS = 6


def race(calls: list[Any]) -> list[Any]:
    """Run ``calls`` at once, each in its own thread (and database connection)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait(10)
            results[index] = calls[index]()
        except Exception as exc:  # reported by the assertions of the caller
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes the write lock at BEGIN (IMMEDIATE): its writers queue and cannot race",
)


def poster(url: str, body: dict[str, Any], *, key: str, idem: str):  # type: ignore[no-untyped-def]
    def call() -> tuple[int, bytes]:
        response = Client(raise_request_exception=False).post(
            url, data=body, content_type="application/json",
            headers={"X-Api-Key": key, "Idempotency-Key": idem},
        )  # fmt: skip
        return response.status_code, response.content

    return call


@only_postgresql
def test_concurrent_first_reports_of_one_occurrence_all_get_2xx(tenant_a) -> None:  # type: ignore[no-untyped-def]
    key = api_key(tenant_a, "112")

    def send(occurrence: str, sender: int):  # type: ignore[no-untyped-def]
        body = report_body(external_id=occurrence, detail=f"신고 {sender}")
        return poster(URL, body, key=key, idem=f"{occurrence}-{sender}")

    for round_ in range(ROUNDS):
        occurrence = f"2026-0301-{round_:04d}"
        results = race([send(occurrence, sender) for sender in range(SENDERS)])
        assert all(isinstance(r, tuple) for r in results), results
        codes = [status for status, _content in results]
        assert all(code in (200, 201) for code in codes), results
        assert codes.count(201) == 1, results
    assert Incident.objects.count() == ROUNDS
    assert IdempotencyRecord.objects.count() == ROUNDS * SENDERS
    # Every body arrived: the first opened the incident, each other one is an
    # information change on its timeline.
    incident = Incident.objects.get(external_id="2026-0301-0000")
    assert incident.timeline.exclude(action="reported").count() == SENDERS - 1


@only_postgresql
def test_concurrent_first_carrier_events_of_one_person_open_one_incident_and_case(  # type: ignore[no-untyped-def]
    tenant_a, police_agency
) -> None:
    key = api_key(tenant_a, "WP1")

    def send(sender: int):  # type: ignore[no-untyped-def]
        body = {
            "external_id": "WP-2026-0042", "event_kind": "sos",
            "occurred_at": "2026-03-01T21:15:00+09:00",
            "positions": [{"latitude": "37.5000", "longitude": f"127.00{sender}0",
                           "at": f"2026030121{10 + sender}00000"}],
            "guardian_name": "김보호", "guardian_phone": "010-1234-5678",
        }  # fmt: skip
        return poster("/api/operations/carrier-events", body, key=key, idem=f"wp-{sender}")

    results = race([send(sender) for sender in range(SENDERS)])
    codes = [r[0] if isinstance(r, tuple) else r for r in results]
    assert sorted(codes) == [200] * (SENDERS - 1) + [201], results
    incident = Incident.objects.get()
    assert CarrierCase.objects.get(incident=incident).positions.count() == SENDERS
    assert CarrierAlert.objects.count() == 1  # alerted once, whoever won
