"""Reporting an incident: a new occurrence or the next message about one."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema, Status
from ninja.errors import AuthenticationError, ValidationError
from pydantic import field_validator

from smartcity.operations.api.common import (
    ERRORS,
    IncidentAck,
    IntakeKey,
    Problem,
    incident_ack,
    request_hash,
    router,
)
from smartcity.operations.api.fields import (
    IdempotencyKey,
    Latitude,
    Longitude,
    field_protocol_time,
    no_control_characters,
    plausible_time,
)
from smartcity.operations.intake_writer import PendingReport, group_writer
from smartcity.operations.messages import intake_error_message, refusal_message
from smartcity.operations.services.intake import IncidentReport


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


@router.post(
    "/incidents",
    response={200: IncidentAck, 201: IncidentAck, **ERRORS},
    url_name="incident_intake",
    operation_id="smartcity_operations_api_report_incident",  # as before the split (clients)
    summary="상황 접수 (Report an incident)",
    # The key is checked by the group writer, in the group's transaction, as
    # for a batch (ADR 0023): no thread hop and no connection per request.
    auth=IntakeKey(checked_by_writer=True),
)
async def report_incident(
    request: HttpRequest,
    response: HttpResponse,
    payload: IncidentIn,
    idempotency_key: IdempotencyKey,
) -> Status[Any]:
    """One report, stored by the process's group writer with whatever else is
    queued (a batch, other single reports) and answered once that committed:
    concurrent senders share a transaction instead of queueing on the audit
    chain's head one by one."""
    api_key = str(request.auth)  # type: ignore[attr-defined]
    event = PendingReport(idempotency_key, report_from(payload), request_hash(payload))
    results = await asyncio.wrap_future(group_writer().submit(api_key=api_key, events=[event]))
    if results is None:
        raise AuthenticationError()
    (result,) = results
    if result.status == 422:
        raise ValidationError([{
            "type": result.code, "loc": ["body", "payload", *result.field.split(".")],
            "msg": intake_error_message(result.code, result.params),
        }])  # fmt: skip
    if result.status == 409:
        return Status(409, Problem(code=result.code, detail=refusal_message(result.code)))
    assert result.incident is not None
    if result.replayed:
        response["Idempotent-Replayed"] = "true"
    ack = incident_ack(result.incident, created=result.created, replayed=result.replayed)
    return Status(201 if result.created and not result.replayed else 200, ack)


def report_from(payload: IncidentIn) -> IncidentReport:
    """The service's report from a validated body (the batch path too)."""
    return IncidentReport(
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
