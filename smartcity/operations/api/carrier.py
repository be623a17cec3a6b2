"""A vulnerable person's event from a mobile carrier (사회적 약자 지원)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema, Status
from pydantic import field_validator

from smartcity.operations.api.common import ERRORS, IncidentAck, acknowledge, request_hash, router
from smartcity.operations.api.fields import (
    IdempotencyKey,
    Latitude,
    Longitude,
    field_protocol_time,
    no_control_characters,
    plausible_time,
)
from smartcity.operations.domain.carrier import TrailPoint
from smartcity.operations.models import IntakeClient
from smartcity.operations.services.intake import IncidentReport
from smartcity.operations.services.situations import CarrierDetails, receive_carrier_event


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
    photo: str = Field(
        "", max_length=2_900_000,
        description="사진(JPEG 또는 PNG, base64, 최대 2 MiB): 사건이 끝나 삭제될 때까지 센터와 "
        "통보받은 기관에 보입니다",
    )  # fmt: skip
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
    operation_id="smartcity_operations_api_report_carrier_event",  # as before the split (clients)
    summary="사회적 약자 이벤트 접수 (Report a vulnerable person's carrier event)",
)
def report_carrier_event(
    request: HttpRequest,
    response: HttpResponse,
    payload: CarrierEventIn,
    idempotency_key: IdempotencyKey,
) -> Status[Any]:
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
        photo_base64=payload.photo,
        guardian_name=payload.guardian_name,
        guardian_phone=payload.guardian_phone,
    )
    return acknowledge(
        response,
        lambda: receive_carrier_event(
            client=client, idempotency_key=idempotency_key, report=report, details=details,
            request_hash=request_hash(payload),
        ),
    )  # fmt: skip
