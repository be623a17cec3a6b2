"""The intake API: 112, 119, disaster rooms and carriers report incidents.

Mounted on the project's one ``NinjaAPI`` (``config/api.py``) under
``/api/operations/``, so it is in ``/api/openapi.json``.

* **Authentication**: each sending system has a key (``X-Api-Key``), issued
  per tenant with ``smartcity operations issue-key``; it decides the tenant
  and which event types the system may send.
* **Idempotency**: ``Idempotency-Key`` is required. The same key with the same
  body returns the same incident (200, ``Idempotent-Replayed: true``); with
  another body, 409. Senders retry safely after a timeout.
* **Acknowledgement after commit**: the response is written after the
  transaction committed; a 2xx means the incident is stored.
* **Errors**: 422 with field paths (``["body", "payload", "latitude"]``) for
  input that cannot be accepted, 409 for a change the incident's state does
  not allow or a reused key, 401 for a missing or wrong key.

The operation is a plain (sync) view: under uvicorn Django runs it in its
sync thread, so the ORM is used the ordinary, thread-safe way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.params.functions import Header
from ninja.security import APIKeyHeader
from pydantic import field_validator

from smartcity.operations.domain.event_time import (
    BadEventTime,
    check_not_in_future,
    parse_event_time,
)
from smartcity.operations.errors import IdempotencyConflict, IntakeInvalid, StateConflict
from smartcity.operations.messages import intake_error_message, refusal_message
from smartcity.operations.models import EventType, IntakeClient
from smartcity.operations.selectors.intake import client_for_key
from smartcity.operations.services.intake import IncidentReport, receive_incident_report


class IntakeKey(APIKeyHeader):
    """``X-Api-Key: sck_<prefix>_<secret>`` of a registered sending system."""

    param_name = "X-Api-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> IntakeClient | None:
        return client_for_key(key) if key else None


router = Router(tags=["operations"], auth=IntakeKey())


class IncidentIn(Schema):
    """An incident report: a new occurrence (status 10) or the next message
    about one (40 information changed, 50 monitoring released, 91 closed)."""

    event_type: str = Field(
        ..., min_length=1, max_length=12, description="상황 유형 코드", examples=["112UC001"]
    )
    status: str = Field("10", pattern=r"^\d{2}$", description="진행 상태 코드 (10, 40, 50, 91)")
    grade: str | None = Field(
        None, pattern=r"^\d{2}$", description="등급 (10 긴급, 20 일반); 생략하면 유형의 기본값"
    )
    external_id: str = Field(
        "", max_length=64, description="보낸 기관의 발생 번호; 이후 메시지가 같은 상황을 찾는 열쇠"
    )
    occurred_at: dt.datetime = Field(
        ...,
        description="발생 일시: ISO 8601, 또는 yyyyMMddHHmmssSSS (시간대가 없으면 한국 시간)",
        examples=["2026-03-01T21:15:00+09:00", "20260301211500000"],
    )
    latitude: Decimal = Field(..., ge=-90, le=90, max_digits=14, decimal_places=10)
    longitude: Decimal = Field(..., ge=-180, le=180, max_digits=14, decimal_places=10)
    address: str = Field("", max_length=300)
    detail: str = Field("", max_length=4000)
    case_type: str = Field(
        "", max_length=100,
        description="112 사건 종별(예: 강도, 절도). 경찰 영상 제공은 7대 강력범죄에만",
        examples=["강도"],
    )  # fmt: skip

    @field_validator("occurred_at", mode="before")
    @classmethod
    def _field_protocol_time(cls, value: Any) -> Any:
        if isinstance(value, str | dt.datetime):
            try:
                return parse_event_time(value)
            except BadEventTime as exc:
                raise ValueError(intake_error_message("invalid_time")) from exc
        return value

    @field_validator("occurred_at")
    @classmethod
    def _not_in_future(cls, value: dt.datetime) -> dt.datetime:
        try:
            check_not_in_future(value, timezone.now())
        except BadEventTime as exc:
            raise ValueError(intake_error_message("time_in_future")) from exc
        return value


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


class FieldError(Schema):
    type: str = Field(description="오류 코드 (pydantic 또는 unknown_event_type 등)")
    loc: list[str | int] = Field(description='문제가 된 위치, 예: ["body", "payload", "latitude"]')
    msg: str


class ValidationProblem(Schema):
    detail: list[FieldError]


class EventTypeOut(Schema):
    code: str
    name_ko: str
    name_en: str
    source: str
    default_grade: str


def _request_hash(payload: IncidentIn) -> str:
    canonical = json.dumps(payload.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@router.post(
    "/incidents",
    response={200: IncidentAck, 201: IncidentAck, 409: Problem, 422: ValidationProblem},
    url_name="incident_intake",
    summary="상황 접수 (Report an incident)",
)
def report_incident(
    request: HttpRequest,
    response: HttpResponse,
    payload: IncidentIn,
    idempotency_key: str = Header(
        ..., alias="Idempotency-Key", min_length=1, max_length=200,
        description="요청마다 새로 만든 값; 재전송에는 같은 값",
    ),
) -> Status[Any]:  # fmt: skip
    client = getattr(request, "auth", None)
    assert isinstance(client, IntakeClient)
    report = IncidentReport(
        event_type=payload.event_type,
        status=payload.status,
        grade=payload.grade,
        external_id=payload.external_id.strip(),
        occurred_at=payload.occurred_at,
        latitude=payload.latitude,
        longitude=payload.longitude,
        address=payload.address.strip(),
        detail=payload.detail.strip(),
        case_type=payload.case_type.strip(),
    )
    try:
        outcome = receive_incident_report(
            client=client,
            idempotency_key=idempotency_key,
            report=report,
            request_hash=_request_hash(payload),
        )
    except IntakeInvalid as exc:
        raise ValidationError(
            [
                {
                    "type": exc.code,
                    "loc": ["body", "payload", exc.field],
                    "msg": intake_error_message(exc.code, exc.params),
                }
            ]
        ) from exc
    except (StateConflict, IdempotencyConflict) as exc:
        return Status(409, Problem(code=exc.code, detail=refusal_message(exc.code)))
    incident = outcome.incident
    if outcome.replayed:
        response["Idempotent-Replayed"] = "true"
    ack = IncidentAck(
        id=incident.pk,
        event_type=incident.event_type_id,
        grade=incident.grade_id,
        status=incident.status_id,
        external_id=incident.external_id,
        occurred_at=incident.occurred_at,
        created=outcome.created,
        replayed=outcome.replayed,
    )
    return Status(201 if outcome.created and not outcome.replayed else 200, ack)


@router.get(
    "/event-types",
    response=list[EventTypeOut],
    url_name="event_types",
    summary="상황 유형 (Event types this system may report)",
)
def event_types(request: HttpRequest) -> list[EventTypeOut]:
    client = getattr(request, "auth", None)
    assert isinstance(client, IntakeClient)
    return [
        EventTypeOut(
            code=t.code,
            name_ko=t.name_ko,
            name_en=t.name_en,
            source=t.source,
            default_grade=t.default_grade_id,
        )
        for t in EventType.objects.filter(is_active=True, source=client.source)
    ]
