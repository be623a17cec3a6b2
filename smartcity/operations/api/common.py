"""What every intake operation shares: the sending system's key, the one
router, the acknowledgement and the error answers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.security import APIKeyHeader

from smartcity.core.api import Message, ValidationProblem
from smartcity.operations.errors import IdempotencyConflict, IntakeInvalid, StateConflict
from smartcity.operations.messages import intake_error_message, refusal_message
from smartcity.operations.models import Incident, IntakeClient
from smartcity.operations.selectors.intake import client_for_key
from smartcity.operations.services.intake import IntakeOutcome
from smartcity.operations.services.tenancy import note_intake_key_used


class IntakeKey(APIKeyHeader):
    """``X-Api-Key: sck_<prefix>_<secret>`` of a registered sending system."""

    param_name = "X-Api-Key"

    def __init__(self, *, checked_by_writer: bool = False) -> None:
        super().__init__()
        # ``is_async`` makes ninja await the call instead of a thread hop.
        self.is_async = checked_by_writer

    def __call__(self, request: HttpRequest) -> Any:
        if self.is_async:
            return self._given(request)
        return super().__call__(request)

    async def _given(self, request: HttpRequest) -> str | None:
        """With ``checked_by_writer``: only that a key was given, before the
        body is read (a 401 first, as for the other operations); the group
        writer checks it in the group's transaction (ADR 0023)."""
        return request.headers.get(self.param_name) or None

    def authenticate(self, request: HttpRequest, key: str | None) -> IntakeClient | None:
        client = client_for_key(key) if key else None
        if client is not None:
            note_intake_key_used(client=client)
        return client


router = Router(tags=["operations"], auth=IntakeKey())


class IncidentAck(Schema):
    id: int
    event_type: str
    grade: str
    status: str
    external_id: str
    occurred_at: dt.datetime
    created: bool = Field(description="이 요청으로 새 상황이 생겼는지")
    replayed: bool = Field(description="같은 Idempotency-Key의 앞선 응답을 되돌려 준 것인지")


class Problem(Schema):
    code: str
    detail: str


ERRORS: dict[int, Any] = {400: Message, 401: Message, 409: Problem, 422: ValidationProblem}
"""What an intake operation may answer besides its acknowledgement (400: the
body is not JSON; 401: no key or a wrong one; 409: a state conflict or a reused
idempotency key; 422: which field, and why)."""


def request_hash(payload: Schema, *, exclude: set[str] | None = None) -> str:
    canonical = json.dumps(
        payload.model_dump(mode="json", exclude=exclude), sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def acknowledge(response: HttpResponse, receive: Callable[[], IntakeOutcome]) -> Status[Any]:
    """Run an intake service and answer as the API promises: 201 for a new
    incident, 200 for a next message or a replay, 422 / 409 with reasons."""
    try:
        outcome = receive()
    except IntakeInvalid as exc:
        raise ValidationError(
            [
                {
                    "type": exc.code,
                    "loc": ["body", "payload", *exc.field.split(".")],
                    "msg": intake_error_message(exc.code, exc.params),
                }
            ]
        ) from exc
    except (StateConflict, IdempotencyConflict) as exc:
        return Status(409, Problem(code=exc.code, detail=refusal_message(exc.code)))
    if outcome.replayed:
        response["Idempotent-Replayed"] = "true"
    ack = incident_ack(outcome.incident, created=outcome.created, replayed=outcome.replayed)
    return Status(201 if outcome.created and not outcome.replayed else 200, ack)


def incident_ack(incident: Incident, *, created: bool, replayed: bool) -> IncidentAck:
    return IncidentAck(
        id=incident.pk,
        event_type=incident.event_type_id,
        grade=incident.grade_id,
        status=incident.status_id,
        external_id=incident.external_id,
        occurred_at=incident.occurred_at,
        created=created,
        replayed=replayed,
    )
