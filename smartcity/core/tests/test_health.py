"""Health endpoints, and a database outage answered as 503 rather than 500."""

from __future__ import annotations

import json

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client, RequestFactory

from smartcity.core.middleware import DatabaseUnavailableMiddleware


def test_healthz_answers_without_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_the_database(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["vendor"] in {"sqlite", "postgresql"}


def _middleware() -> DatabaseUnavailableMiddleware:
    return DatabaseUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type, return-value]


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"),
                                   InterfaceError("connection already closed")])  # fmt: skip
def test_a_lost_database_connection_is_a_503_problem_for_the_api(error: Exception) -> None:
    request = RequestFactory().post("/api/operations/incidents")
    response = _middleware().process_exception(request, error)
    assert response is not None
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/json"
    problem = json.loads(response.content)
    assert problem["code"] == "database_unavailable"
    assert problem["detail"]


def test_a_lost_database_connection_is_a_503_page_elsewhere() -> None:
    request = RequestFactory().get("/operations/")
    response = _middleware().process_exception(request, OperationalError("gone"))
    assert response is not None
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")


def test_other_errors_are_left_alone() -> None:
    request = RequestFactory().get("/api/operations/incidents")
    assert _middleware().process_exception(request, ValueError("bug")) is None
