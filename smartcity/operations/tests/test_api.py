"""The intake API as a sending system sees it: keys, idempotency, errors, OpenAPI."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from smartcity.operations.models import Incident, IntakeClient
from smartcity.operations.services.tenancy import revoke_intake_client
from smartcity.operations.tests.factories import api_key, report_body

# Intake stores through the group writer's own thread and connection
# (ADR 0023): the test's data must be committed for it to see.
pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/operations/incidents"


@pytest.fixture
def key(tenant_a) -> str:  # type: ignore[no-untyped-def]
    return api_key(tenant_a, "112")


def post(client: Client, body: Any, *, key: str | None, idem: str | None = "k-1"):  # type: ignore[no-untyped-def]
    headers = {}
    if key is not None:
        headers["X-Api-Key"] = key
    if idem is not None:
        headers["Idempotency-Key"] = idem
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", headers=headers)


def test_a_report_is_created_then_replayed_then_refused_with_another_body(
    client, key, tenant_a
) -> None:  # type: ignore[no-untyped-def]
    created = post(client, report_body(), key=key)
    assert created.status_code == 201, created.content
    ack = created.json()
    assert ack["status"] == "10" and ack["created"] and not ack["replayed"]
    assert Incident.objects.get(pk=ack["id"]).tenant == tenant_a  # stored before the ack

    replay = post(client, report_body(), key=key)
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == ack["id"] and replay.json()["replayed"]

    conflict = post(client, report_body(detail="다른 내용"), key=key)
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "idempotency_key_reused"
    assert Incident.objects.count() == 1


def test_the_same_body_in_another_time_notation_is_the_same_request(client, key) -> None:  # type: ignore[no-untyped-def]
    first = post(client, report_body(occurred_at="20260301211500000"), key=key)
    again = post(client, report_body(occurred_at="2026-03-01T21:15:00+09:00"), key=key)
    assert first.status_code == 201 and again.status_code == 200


@pytest.mark.parametrize("bad_key", [None, "", "sck_nope_nope", "Bearer x"])
def test_without_a_valid_key_nothing_is_accepted(client, bad_key) -> None:  # type: ignore[no-untyped-def]
    assert post(client, report_body(), key=bad_key).status_code == 401
    assert not Incident.objects.exists()


def test_a_revoked_key_is_refused(client, key) -> None:  # type: ignore[no-untyped-def]
    revoke_intake_client(client=IntakeClient.objects.get())
    assert post(client, report_body(), key=key).status_code == 401


def test_the_idempotency_key_is_required(client, key) -> None:  # type: ignore[no-untyped-def]
    response = post(client, report_body(), key=key, idem=None)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]


@pytest.mark.parametrize(
    ("body", "loc", "type_"),
    [
        (report_body(latitude="95"), ["body", "payload", "latitude"], "less_than_equal"),
        (report_body(latitude=None), ["body", "payload", "latitude"], "decimal_type"),
        (report_body(occurred_at="어제"), ["body", "payload", "occurred_at"], "invalid_time"),
        (report_body(occurred_at="2099-01-01T00:00:00+09:00"), ["body", "payload", "occurred_at"],
         "time_in_future"),
        (report_body(status="close"), ["body", "payload", "status"], "string_pattern_mismatch"),
        ({k: v for k, v in report_body().items() if k != "event_type"},
         ["body", "payload", "event_type"], "missing"),
        (report_body(event_type="XXXX0000"), ["body", "payload", "event_type"],
         "unknown_event_type"),
        (report_body(event_type="119UC001"), ["body", "payload", "event_type"],
         "event_type_not_allowed"),
        (report_body(latitude="35.68", longitude="139.76"), ["body", "payload", "latitude"],
         "out_of_korea"),
    ],
)  # fmt: skip
def test_invalid_reports_get_422_with_the_field_path(client, key, body, loc, type_) -> None:  # type: ignore[no-untyped-def]
    response = post(client, body, key=key)
    assert response.status_code == 422, response.content
    error = response.json()["detail"][0]
    assert (error["loc"], error["type"]) == (loc, type_)
    assert error["msg"]
    assert not Incident.objects.exists()


def test_malformed_json_is_a_client_error(client, key) -> None:  # type: ignore[no-untyped-def]
    assert post(client, "{not json", key=key).status_code == 400


def test_messages_about_a_closed_incident_conflict(client, key) -> None:  # type: ignore[no-untyped-def]
    assert post(client, report_body(status="10"), key=key, idem="a").status_code == 201
    assert post(client, report_body(status="91"), key=key, idem="b").status_code == 200
    late = post(client, report_body(status="50"), key=key, idem="c")
    assert late.status_code == 409 and late.json()["code"] == "already_final"


def test_each_key_reports_into_its_own_tenant(client, key, tenant_b) -> None:  # type: ignore[no-untyped-def]
    other = api_key(tenant_b, "112")
    a = post(client, report_body(), key=key, idem="same").json()
    b = post(client, report_body(), key=other, idem="same").json()
    assert a["id"] != b["id"]
    assert Incident.objects.get(pk=b["id"]).tenant == tenant_b


def test_event_types_lists_what_this_sender_may_report(client, key) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/operations/event-types", headers={"X-Api-Key": key})
    codes = {t["code"] for t in response.json()}
    assert {"112UC001", "112UC120", "112UC110"} == codes


def test_the_api_is_one_openapi_document_with_docs_served_locally(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/openapi.json").json()
    assert spec["info"]["title"] == "smartcity API"
    operation = spec["paths"]["/api/operations/incidents"]["post"]
    assert {p["name"] for p in operation["parameters"]} == {"Idempotency-Key"}
    assert operation["security"] == [{"IntakeKey": []}]
    assert {"200", "201", "409", "422"} <= set(operation["responses"])
    docs = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs
    assert "cdn." not in docs


# --- Hostile input: never a 5xx, always a reason naming the field ---------------------------


@pytest.mark.parametrize(
    ("occurred_at", "type_"),
    [
        ("0001-01-01T00:00:00+09:00", "time_out_of_range"),  # year 0 in UTC
        ("00010101000000000", "time_out_of_range"),
        ("1969-12-31T23:59:59Z", "time_out_of_range"),
        ("9999-12-31T23:59:59-14:00", "time_out_of_range"),  # year 10000 in UTC
        ("2099-01-01T00:00:00+09:00", "time_in_future"),
    ],
)
def test_event_times_out_of_range_get_422_and_retries_too(client, key, occurred_at, type_) -> None:  # type: ignore[no-untyped-def]
    for _attempt in range(2):
        response = post(client, report_body(occurred_at=occurred_at), key=key)
        assert response.status_code == 422, response.content
        error = response.json()["detail"][0]
        assert error["loc"] == ["body", "payload", "occurred_at"]
        assert error["type"] == type_ and error["msg"]
    assert not Incident.objects.exists()


@pytest.mark.parametrize("field", ["detail", "address", "external_id", "case_type", "event_type"])
@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\u0085", "\ud800"])
def test_control_characters_get_422_naming_the_field(client, key, field, char) -> None:  # type: ignore[no-untyped-def]
    body = report_body(**{field: f"가람{char}1"})
    data = json.dumps(body)  # escapes the character as \\uXXXX, as a sender would
    response = post(client, data, key=key)
    assert response.status_code == 422, response.content
    error = response.json()["detail"][0]
    assert error["loc"] == ["body", "payload", field]
    # A lone surrogate is not text at all: pydantic refuses it before we look.
    expected = "string_unicode" if char == "\ud800" else "control_character"
    assert error["type"] == expected and error["msg"]
    assert not Incident.objects.exists()


def test_line_breaks_and_tabs_are_kept_in_the_free_text_detail(client, key) -> None:  # type: ignore[no-untyped-def]
    response = post(client, report_body(detail="1층 화재\n2층 대피\t완료"), key=key)
    assert response.status_code == 201, response.content
    assert Incident.objects.get().detail == "1층 화재\n2층 대피\t완료"
    refused = post(client, report_body(address="가람로\n1"), key=key, idem="k-2")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "payload", "address"]


@pytest.mark.parametrize("idem", ["a\x00b", "a\nb"])
def test_an_idempotency_key_with_control_characters_is_refused(client, key, idem) -> None:  # type: ignore[no-untyped-def]
    response = post(client, report_body(), key=key, idem=idem)
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]


def test_an_api_key_with_a_nul_is_simply_wrong(client) -> None:  # type: ignore[no-untyped-def]
    assert post(client, report_body(), key="sck_ab\x00c_secret").status_code == 401


# --- The OpenAPI document says what the API does ---------------------------------------------


def documented(spec: dict[str, Any], path: str, status: int) -> Any:
    """A validator for the body the document promises for ``status`` at ``path``."""
    import jsonschema_rs

    response = spec["paths"][path]["post"]["responses"][str(status)]
    schema = response["content"]["application/json"]["schema"]
    return jsonschema_rs.Draft202012Validator({**schema, "components": spec["components"]})


def body_schema(spec: dict[str, Any], name: str) -> Any:
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    )


@pytest.mark.parametrize(
    ("latitude", "schema_valid", "status"),
    [
        ("37.5665", True, 201),
        (37.5665, True, 201),
        (37.566512345678901, True, 201),  # a GPS float: rounded, not refused
        ("37.56651234567890123", True, 201),
        ("", False, 422),
        ("abc", False, 422),
        ("95", False, 422),
        (95, False, 422),
        ("NaN", False, 422),
        ("1e400", False, 422),
    ],
)
def test_coordinates_are_documented_as_they_are_accepted(  # type: ignore[no-untyped-def]
    client, key, latitude, schema_valid, status
) -> None:
    spec = client.get("/api/openapi.json").json()
    body = report_body(latitude=latitude)
    assert body_schema(spec, "IncidentIn").is_valid(body) is schema_valid
    assert body_schema(spec, "PositionIn").is_valid(
        {"latitude": latitude, "longitude": "127.0", "at": "20260301211000000"}
    ) is schema_valid  # fmt: skip
    response = post(client, body, key=key)
    assert response.status_code == status, response.content


def test_every_answer_is_documented_with_its_body(client, key) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/openapi.json").json()
    answers = {
        201: post(client, report_body(), key=key),
        200: post(client, report_body(), key=key),
        400: post(client, "{not json", key=key),
        401: post(client, report_body(), key="sck_nope_nope"),
        409: post(client, report_body(detail="다른 내용"), key=key),
        422: post(client, report_body(latitude=""), key=key, idem="k-2"),
    }
    for status, response in answers.items():
        assert response.status_code == status, (status, response.content)
        assert documented(spec, URL, status).is_valid(response.json()), (status, response.json())
    for path in ("/api/operations/incidents", "/api/operations/carrier-events"):
        codes = set(spec["paths"][path]["post"]["responses"])
        assert codes == {"200", "201", "400", "401", "409", "422"}
    event_types = spec["paths"]["/api/operations/event-types"]["get"]["responses"]
    assert set(event_types) == {"200", "401"}


def test_a_body_that_is_not_json_gets_400_saying_where(client, key) -> None:  # type: ignore[no-untyped-def]
    response = post(client, '{"event_type": "112UC001",\n "latitude": 37.5,,}', key=key)
    assert response.status_code == 400
    assert "2행" in response.json()["detail"] and "JSON" in response.json()["detail"]
    binary = client.post(URL, data=b"\xff\xfe{", content_type="application/json",
                         headers={"X-Api-Key": key, "Idempotency-Key": "k-9"})  # fmt: skip
    assert binary.status_code == 400 and "UTF-8" in binary.json()["detail"]
    assert not Incident.objects.exists()


def test_refusals_answer_in_the_senders_language(client, key) -> None:  # type: ignore[no-untyped-def]
    english = {"Accept-Language": "en"}
    unauthorized = client.post(URL, data="{}", content_type="application/json", headers=english)
    assert unauthorized.status_code == 401
    assert unauthorized.json()["detail"] == "The API key (X-Api-Key) is missing or wrong."
    korean = client.post(URL, data="{}", content_type="application/json")
    assert korean.json()["detail"] == "API 키(X-Api-Key)가 없거나 올바르지 않습니다."
    invalid = client.post(
        URL, data=json.dumps(report_body(detail="a\x00b")), content_type="application/json",
        headers={**english, "X-Api-Key": key, "Idempotency-Key": "k-1"},
    )  # fmt: skip
    assert invalid.json()["detail"][0]["msg"] == (
        "Control characters (NUL and the like) are not accepted: character 2."
    )
