"""The open-data API: published data only; schemathesis finds no server error."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from smartcity.certification.models import Application

pytestmark = pytest.mark.django_db


def test_results_api_serves_published_results_only(results, client) -> None:
    hidden = results[0]
    Application.objects.filter(pk=hidden.pk).update(status="approved")
    body = client.get("/api/results", {"limit": 500}).json()
    assert body["count"] == len(results) - 1
    assert hidden.pk not in {r["application_id"] for r in body["items"]}
    assert client.get(f"/api/results/{hidden.pk}").status_code == 404
    shown = results[1]
    detail = client.get(f"/api/results/{shown.pk}").json()
    assert [a["code"] for a in detail["areas"]] == ["A1", "A2", "A3"]
    assert len(detail["indicators"]) in (53, 63)


def test_registry_api_filters_by_validity_date_and_class(history, client) -> None:
    body = client.get(
        "/api/registry/certificates", {"valid_on": "2022-01-01", "size_class": "large"}
    ).json()
    assert body["count"] == 5  # the 2021 large cities
    assert {c["granted_by"] for c in body["items"]} == {"new"}
    number = body["items"][0]["number"]
    assert client.get(f"/api/registry/certificates/{number}").json()["number"] == number
    subjects = client.get("/api/registry/subjects", {"kind": "service"}).json()
    assert subjects["count"] == 5 or subjects["count"] > 0
    schema = client.get("/api/openapi.json").json()
    assert {"/api/results", "/api/registry/certificates", "/api/registry/subjects"} <= set(
        schema["paths"]
    )


@pytest.fixture
def open_data_schema(results, history):  # type: ignore[no-untyped-def]
    """The API through Django's WSGI handler, in the test's transaction: the
    handler's end-of-request hook would close the test database connection,
    so it is detached for the test (as Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
        yield schema.include(tag="open data")
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.slow
def test_schemathesis_finds_no_server_error_in_the_open_data_api(open_data_schema) -> None:  # type: ignore[no-untyped-def]
    failures = []
    calls: list[str] = []
    for result in open_data_schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=40,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        @given(case=operation.as_strategy())
        def check(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call()
            calls.append(case.formatted_path)
            if response.status_code >= 500:
                failures.append(
                    (case.method, case.formatted_path, case.query, response.status_code)
                )
            case.validate_response(response)

        check()
    assert not failures
    assert {p.split("/")[2] for p in calls} == {"registry", "results"}
    assert len(calls) > 100


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/results", {"limit": 0}),
        ("/api/results", {"municipality_code": "abc"}),
        ("/api/registry/certificates", {"valid_on": "yesterday"}),
        ("/api/registry/subjects", {"kind": "planet"}),
        ("/api/results/abc", {}),
    ],
)
def test_bad_query_parameters_get_the_documented_422(client, path, query) -> None:  # type: ignore[no-untyped-def]
    import jsonschema_rs

    spec = client.get("/api/openapi.json").json()
    response = client.get(path, query)
    assert response.status_code == 422, response.content
    template = "/api/results/{application_id}" if path.endswith("abc") else path
    documented = spec["paths"][template]["get"]["responses"]["422"]["content"]["application/json"]
    validator = jsonschema_rs.Draft202012Validator(
        {**documented["schema"], "components": spec["components"]}
    )
    assert validator.is_valid(response.json()), response.json()
    assert response.json()["detail"][0]["loc"][0] in ("query", "path")
