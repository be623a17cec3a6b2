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
* **Carriers** (vulnerable people) post to ``/carrier-events``: one request
  opens or updates the incident and its case (photo, guardian contact, trail)
  and alerts 112/119; the personal data is kept only on the case.
* **Errors** (all in the OpenAPI document with their bodies): 422 with field
  paths (``["body", "payload", "latitude"]``) and a code for input that cannot
  be accepted — including times before 1970 or more than five minutes ahead of
  the server's clock (``time_out_of_range``, ``time_in_future``) and control
  characters (``control_character``, with the position); 409 for a change the
  incident's state does not allow or a reused key; 401 for a missing or wrong
  key; 400 for a body that is not JSON.

The operation is a plain (sync) view: under uvicorn Django runs it in its
sync thread, so the ORM is used the ordinary, thread-safe way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.params.functions import Header
from ninja.security import APIKeyHeader
from pydantic import AfterValidator, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from smartcity.core.api import Message, ValidationProblem
from smartcity.operations.domain.carrier import TrailPoint
from smartcity.operations.domain.event_time import (
    BadEventTime,
    check_not_in_future,
    parse_event_time,
)
from smartcity.operations.domain.text_values import first_control_character
from smartcity.operations.errors import IdempotencyConflict, IntakeInvalid, StateConflict
from smartcity.operations.messages import intake_error_message, refusal_message
from smartcity.operations.models import EventType, IntakeClient
from smartcity.operations.selectors.intake import client_for_key
from smartcity.operations.services.intake import (
    IncidentReport,
    IntakeOutcome,
    receive_incident_report,
)
from smartcity.operations.services.situations import CarrierDetails, receive_carrier_event


class IntakeKey(APIKeyHeader):
    """``X-Api-Key: sck_<prefix>_<secret>`` of a registered sending system."""

    param_name = "X-Api-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> IntakeClient | None:
        return client_for_key(key) if key else None


router = Router(tags=["operations"], auth=IntakeKey())


_PLACES = Decimal("1e-10")


def _ten_places(value: Decimal) -> Decimal:
    """A coordinate with more than 10 decimal places (a GPS float) is rounded,
    not refused; the incident keeps 8 anyway."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -10:
        return value.quantize(_PLACES)
    return value


def _coordinate_schema(limit: int, pattern: str, what: str) -> dict[str, Any]:
    # Decimal's own schema says "number or any string", so "" would be
    # schema-valid; say which strings are numbers in range.
    return {
        "anyOf": [
            {"type": "number", "minimum": -limit, "maximum": limit},
            {"type": "string", "pattern": pattern},
        ],
        "description": f"{what} (WGS84, 도; 숫자 또는 숫자 문자열, 소수 10자리 넘으면 반올림)",
    }


LATITUDE_TEXT = r"^-?(90(\.0+)?|[1-8]?[0-9](\.[0-9]+)?)$"
LONGITUDE_TEXT = r"^-?(180(\.0+)?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]+)?)$"
Latitude = Annotated[
    Decimal,
    Field(ge=-90, le=90, allow_inf_nan=False),
    AfterValidator(_ten_places),
    WithJsonSchema(_coordinate_schema(90, LATITUDE_TEXT, "위도")),
]
Longitude = Annotated[
    Decimal,
    Field(ge=-180, le=180, allow_inf_nan=False),
    AfterValidator(_ten_places),
    WithJsonSchema(_coordinate_schema(180, LONGITUDE_TEXT, "경도")),
]
IDEMPOTENCY_KEY = r"^[^\x00-\x1f\x7f]+$"
"""Any text without control characters (a UUID is usual)."""

_TIME_ERRORS = {
    "invalid": "invalid_time",
    "out_of_range": "time_out_of_range",
    "in_future": "time_in_future",
}


def _time_error(exc: BadEventTime) -> PydanticCustomError:
    code = _TIME_ERRORS.get(str(exc), "invalid_time")
    return PydanticCustomError(code, intake_error_message(code))


def field_protocol_time(value: Any) -> Any:
    """A time as the field protocol or ISO 8601 writes it (Korean time when no
    offset is given); other types are left to pydantic, then ``plausible_time``."""
    if isinstance(value, str | dt.datetime):
        try:
            return parse_event_time(value)
        except BadEventTime as exc:
            raise _time_error(exc) from exc
    return value


def plausible_time(value: dt.datetime) -> dt.datetime:
    """Not before 1970, not more than a few minutes after the server's clock."""
    try:
        check_not_in_future(value, timezone.now())
    except BadEventTime as exc:
        raise _time_error(exc) from exc
    return value


def no_control_characters(value: str, *, free_text: bool = False) -> str:
    """Refuse NUL and other control characters (tabs and line breaks are
    allowed in free text) with the position of the first one."""
    position = first_control_character(value, free_text=free_text)
    if position is not None:
        params = {"position": position + 1}
        raise PydanticCustomError(
            "control_character", intake_error_message("control_character", params), params
        )
    return value


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
    latitude: Latitude
    longitude: Longitude
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
        return field_protocol_time(value)

    @field_validator("occurred_at")
    @classmethod
    def _plausible_time(cls, value: dt.datetime) -> dt.datetime:
        return plausible_time(value)

    @field_validator("event_type", "external_id", "address", "case_type")
    @classmethod
    def _no_control_characters(cls, value: str) -> str:
        return no_control_characters(value)

    @field_validator("detail")
    @classmethod
    def _free_text(cls, value: str) -> str:
        return no_control_characters(value, free_text=True)


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


class EventTypeOut(Schema):
    code: str
    name_ko: str
    name_en: str
    source: str
    default_grade: str


def _request_hash(payload: Schema) -> str:
    canonical = json.dumps(payload.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@router.post(
    "/incidents",
    response={200: IncidentAck, 201: IncidentAck, **ERRORS},
    url_name="incident_intake",
    summary="상황 접수 (Report an incident)",
)
def report_incident(
    request: HttpRequest,
    response: HttpResponse,
    payload: IncidentIn,
    idempotency_key: str = Header(
        ..., alias="Idempotency-Key", min_length=1, max_length=200, pattern=IDEMPOTENCY_KEY,
        description="요청마다 새로 만든 값; 재전송에는 같은 값 (제어 문자 없이)",
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
    return _acknowledge(
        response,
        lambda: receive_incident_report(
            client=client,
            idempotency_key=idempotency_key,
            report=report,
            request_hash=_request_hash(payload),
        ),
    )


def _acknowledge(response: HttpResponse, receive: Callable[[], IntakeOutcome]) -> Status[Any]:
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


class PositionIn(Schema):
    latitude: Latitude
    longitude: Longitude
    at: dt.datetime = Field(..., description="측위 일시 (ISO 8601 또는 yyyyMMddHHmmssSSS)")

    @field_validator("at", mode="before")
    @classmethod
    def _field_protocol_time(cls, value: Any) -> Any:
        return field_protocol_time(value)

    @field_validator("at")
    @classmethod
    def _plausible_time(cls, value: dt.datetime) -> dt.datetime:
        return plausible_time(value)


class CarrierEventIn(Schema):
    """A vulnerable person's event from a mobile carrier (사회적 약자 지원):
    an SOS or leaving the safe zone, with the trail of positions. Photo and
    guardian contact are kept only until the case is purged after closing."""

    external_id: str = Field(
        ...,
        min_length=1,
        max_length=64,
        description="이동통신사의 발생 번호(같은 사람의 이후 메시지도 같은 값)",
    )
    event_kind: Literal["sos", "left_safe_zone"] = Field(
        ..., description="sos 긴급 호출, left_safe_zone 안심 구역 이탈"
    )
    event_type: str = Field("WPSSF110", min_length=1, max_length=12)
    status: str = Field("10", pattern=r"^\d{2}$", description="진행 상태 코드 (10, 40, 50, 91)")
    occurred_at: dt.datetime = Field(..., description="발생 일시")
    positions: list[PositionIn] = Field(
        ..., min_length=1, max_length=500, description="위치 이력; 가장 늦은 위치가 현재 위치"
    )
    address: str = Field("", max_length=300)
    photo_ref: str = Field("", max_length=500, description="사진 주소(이동통신사 보관)")
    guardian_name: str = Field("", max_length=100)
    guardian_phone: str = Field("", max_length=40, pattern=r"^[0-9+\- ]*$")

    @field_validator("occurred_at", mode="before")
    @classmethod
    def _field_protocol_time(cls, value: Any) -> Any:
        return field_protocol_time(value)

    @field_validator("occurred_at")
    @classmethod
    def _plausible_time(cls, value: dt.datetime) -> dt.datetime:
        return plausible_time(value)

    @field_validator(
        "external_id", "event_type", "address", "photo_ref", "guardian_name", "guardian_phone"
    )
    @classmethod
    def _no_control_characters(cls, value: str) -> str:
        return no_control_characters(value)


@router.post(
    "/carrier-events",
    response={200: IncidentAck, 201: IncidentAck, **ERRORS},
    url_name="carrier_event_intake",
    summary="사회적 약자 이벤트 접수 (Report a vulnerable person's carrier event)",
)
def report_carrier_event(
    request: HttpRequest,
    response: HttpResponse,
    payload: CarrierEventIn,
    idempotency_key: str = Header(
        ..., alias="Idempotency-Key", min_length=1, max_length=200, pattern=IDEMPOTENCY_KEY,
        description="요청마다 새로 만든 값; 재전송에는 같은 값 (제어 문자 없이)",
    ),
) -> Status[Any]:  # fmt: skip
    client = getattr(request, "auth", None)
    assert isinstance(client, IntakeClient)
    latest = max(payload.positions, key=lambda p: p.at)
    report = IncidentReport(
        event_type=payload.event_type,
        status=payload.status,
        external_id=payload.external_id.strip(),
        occurred_at=payload.occurred_at,
        latitude=latest.latitude,
        longitude=latest.longitude,
        address=payload.address.strip(),
    )
    details = CarrierDetails(
        event_kind=payload.event_kind,
        positions=[
            TrailPoint(lat=float(p.latitude), lon=float(p.longitude), at=p.at)
            for p in payload.positions
        ],
        photo_ref=payload.photo_ref,
        guardian_name=payload.guardian_name,
        guardian_phone=payload.guardian_phone,
    )
    return _acknowledge(
        response,
        lambda: receive_carrier_event(
            client=client, idempotency_key=idempotency_key, report=report, details=details,
            request_hash=_request_hash(payload),
        ),
    )  # fmt: skip


@router.get(
    "/event-types",
    response={200: list[EventTypeOut], 401: Message},
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
