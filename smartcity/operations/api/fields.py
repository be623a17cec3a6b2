"""The value types of intake payloads: coordinates, times as the field
protocol writes them, text without control characters, idempotency keys."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field
from ninja.params.functions import Header
from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from smartcity.operations.domain.event_time import (
    BadEventTime,
    check_not_in_future,
    parse_event_time,
)
from smartcity.operations.domain.text_values import first_control_character
from smartcity.operations.messages import intake_error_message

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
IdempotencyKey = Annotated[
    str,
    Header(
        ..., alias="Idempotency-Key", min_length=1, max_length=200, pattern=IDEMPOTENCY_KEY,
        description="요청마다 새로 만든 값; 재전송에는 같은 값 (제어 문자 없이)",
    ),
]  # fmt: skip
"""The ``Idempotency-Key`` header every intake operation requires."""

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
