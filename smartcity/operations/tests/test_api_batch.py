"""The batch endpoint as a sending system sees it: a JSON array or NDJSON, one
result per event, acknowledged by the group writer after its commit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils.dateparse import parse_datetime

from smartcity.core.models import AuditEvent
from smartcity.core.selectors import verify_audit_chain
from smartcity.operations.api.batch import BatchAck
from smartcity.operations.intake_writer import group_writer
from smartcity.operations.models import IdempotencyRecord, Incident
from smartcity.operations.services.intake_group import GROUP_ACTION
from smartcity.operations.tests.factories import api_key, report_body

# The group writer commits on its own thread and connection: the test's data
# must be committed for it to see (and its commits are real).
pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/operations/incidents/batch"


@pytest.fixture(autouse=True)
def writer() -> Iterator[None]:
    yield
    group_writer().stop()  # close its connection before the test database goes


@pytest.fixture
def key(tenant_a) -> str:  # type: ignore[no-untyped-def]
    return api_key(tenant_a, "112")


def item(n: int, **overrides: Any) -> dict[str, Any]:
    return report_body(**({"external_id": f"B-{n}", "idempotency_key": f"k-{n}"} | overrides))


def post(client: Client, data: str, key: str, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    return client.post(URL, data=data, content_type=content_type, headers={"X-Api-Key": key})


def test_a_json_array_is_stored_in_one_group_with_a_result_per_event(client, key) -> None:  # type: ignore[no-untyped-def]
    events = [item(n) for n in range(5)]
    events.append(item(5, latitude="999"))  # refused at the edge
    events.append(item(6, idempotency_key="k-0"))  # k-0 again, another body
    events.append(item(0))  # k-0 again, the same body
    answer = post(client, json.dumps(events), key)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [r["status"] for r in body["results"]] == [201] * 5 + [422, 409, 200]
    assert (body["stored"], body["refused"]) == (6, 2)
    assert body["results"][5]["errors"][0]["loc"] == ["body", 5, "latitude"]
    assert body["results"][6]["code"] == "idempotency_key_reused"
    assert body["results"][7]["incident"]["id"] == body["results"][0]["incident"]["id"]
    assert body["results"][7]["incident"]["replayed"]
    BatchAck.model_validate(body)
    # Acknowledged means committed: visible to this (another) connection now.
    assert Incident.objects.count() == 5 and IdempotencyRecord.objects.count() == 5
    assert AuditEvent.objects.filter(action=GROUP_ACTION).count() == 1
    assert verify_audit_chain() is None


def test_ndjson_and_the_single_path_share_idempotency(client, key) -> None:  # type: ignore[no-untyped-def]
    single = client.post(
        "/api/operations/incidents", data=json.dumps(report_body(external_id="S-1")),
        content_type="application/json", headers={"X-Api-Key": key, "Idempotency-Key": "s-1"},
    )  # fmt: skip
    assert single.status_code == 201
    lines = [
        json.dumps(report_body(external_id="S-1", idempotency_key="s-1")),
        "",
        json.dumps(report_body(external_id="S-1", status="91", idempotency_key="s-2")),
    ]
    answer = post(client, "\n".join(lines), key, "application/x-ndjson")
    assert answer.status_code == 200, answer.content
    results = answer.json()["results"]
    assert [r["status"] for r in results] == [200, 200]
    # The batch answer is rendered by hand: the same fields and formats as
    # the single path's (ninja's) and valid against its declared schema.
    first, alone = results[0]["incident"], single.json()
    assert first | {"occurred_at": ""} == alone | {"replayed": True, "occurred_at": ""}
    assert parse_datetime(first["occurred_at"]) == parse_datetime(alone["occurred_at"])
    BatchAck.model_validate(answer.json())
    assert results[1]["incident"]["status"] == "91"
    assert Incident.objects.get().status_id == "91"


@pytest.mark.parametrize(
    ("data", "content_type", "status", "words"),
    [
        ("{not json", "application/json", 400, "JSON"),
        ('{"event_type": "112UC001"}', "application/json", 400, "배열"),
        ("[]", "application/json", 400, "사건"),
        ('{"a": 1}\n{oops', "application/x-ndjson", 400, "2"),
    ],
)
def test_a_body_that_is_no_batch_is_refused_saying_where(
    client, key, data, content_type, status, words
) -> None:  # type: ignore[no-untyped-def]
    answer = post(client, data, key, content_type)
    assert answer.status_code == status, answer.content
    assert words in answer.json()["detail"]
    assert not Incident.objects.exists()


def test_too_many_events_and_no_key_are_refused(client, key, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OPERATIONS_INTAKE_BATCH_MAX = 3
    assert post(client, json.dumps([item(n) for n in range(4)]), key).status_code == 413
    assert post(client, json.dumps([item(1)]), "sck_nope_nope").status_code == 401
    control = post(client, json.dumps([item(1, idempotency_key="a\x00b")]), key)
    assert control.json()["results"][0]["errors"][0]["loc"] == ["body", 0, "idempotency_key"]
    assert not Incident.objects.exists()
