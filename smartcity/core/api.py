"""Error bodies every part of the one HTTP API answers with (``config/api.py``),
so the OpenAPI document describes the same shapes wherever they occur."""

from __future__ import annotations

from ninja import Field, Schema


class Message(Schema):
    """django-ninja's own refusals: 400 (a body that is not JSON), 401 (no or
    a wrong key), 404."""

    detail: str


class FieldError(Schema):
    type: str = Field(description="오류 코드 (pydantic 또는 unknown_event_type 등)")
    loc: list[str | int] = Field(description='문제가 된 위치, 예: ["body", "payload", "latitude"]')
    msg: str


class ValidationProblem(Schema):
    """422: every field that cannot be accepted, with its place."""

    detail: list[FieldError]
