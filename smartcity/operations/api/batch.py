"""Reporting many incidents in one request: a JSON array or NDJSON, each event
with its own idempotency key and its own result (ADR 0023).

The events go to the process's group writer, which stores them in one
transaction with whatever else is queued and answers once it committed; so
every 200/201 in the answer means that event is stored. Each event is judged
as a single report is (``incidents.report_incident``), and the same key with
the same body is the same request on either path.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.responses import NinjaJSONEncoder
from pydantic import ModelWrapValidatorHandler, ValidationError, model_validator

from smartcity.core.api import FieldError, Message
from smartcity.operations.api.common import (
    IncidentAck,
    request_hash,
    router,
)
from smartcity.operations.api.fields import IDEMPOTENCY_KEY
from smartcity.operations.api.incidents import IncidentIn, report_from
from smartcity.operations.intake_writer import PendingReport, group_writer
from smartcity.operations.messages import intake_error_message, refusal_message
from smartcity.operations.services.intake_group import EventResult

NDJSON_TYPES = ("application/x-ndjson", "application/jsonl", "application/ndjson")


class EventOutcome(Schema):
    index: int = Field(description="요청 안에서 사건의 순서 (0부터)")
    idempotency_key: str
    status: int = Field(description="201 새 상황, 200 다음 메시지·재전송, 409 충돌, 422 거부")
    incident: IncidentAck | None = None
    code: str = Field(default="", description="409의 거부 코드")
    detail: str = ""
    errors: list[FieldError] = Field(default_factory=list, description="422: 어느 필드가 왜")


class BatchAck(Schema):
    stored: int = Field(description="저장된(또는 이미 저장되어 있던) 사건 수")
    refused: int
    results: list[EventOutcome]


class BatchItem(IncidentIn):
    idempotency_key: str = Field(
        ..., min_length=1, max_length=200, pattern=IDEMPOTENCY_KEY,
        description="사건마다 새로 만든 값; 재전송에는 같은 값",
    )  # fmt: skip

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        # Overrides ninja's: an item is a JSON object, never an ORM row, so it
        # needs no ``DjangoGetter`` wrapping, which was most of the cost of
        # validating a batch (profiled: ~70 % of the request's own time).
        return handler(values)


@router.post(
    "/incidents/batch",
    response={200: BatchAck, 400: Message, 401: Message, 413: Message},
    url_name="incident_batch",
    # The key is checked by the group writer, in the group's transaction (one
    # query per key and group, not a thread hop and a connection per request).
    auth=None,
    operation_id="smartcity_operations_api_report_incidents",
    summary="상황 일괄 접수 (Report incidents in a batch)",
    openapi_extra={
        "security": [{"IntakeKey": []}],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"type": "array", "items": BatchItem.model_json_schema()}
                },
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        },
    },
)
async def report_incidents(request: HttpRequest) -> HttpResponse:
    api_key = request.headers.get("X-Api-Key", "")
    if not api_key:
        raise AuthenticationError()
    items = parse_batch(request.body, request.content_type or "")
    prepared = prepare_batch(items)
    future = group_writer().submit(api_key=api_key, events=prepared.events)
    results = await asyncio.wrap_future(future)
    if results is None:
        raise AuthenticationError()
    answer = batch_ack(prepared, results)
    return HttpResponse(json.dumps(answer, cls=NinjaJSONEncoder), content_type="application/json")


@dataclass
class PreparedBatch:
    """A batch's events after validation at the edge: the refusals in place,
    the valid events for the group writer and where their results go."""

    outcomes: list[dict[str, Any] | None]
    events: list[PendingReport]
    positions: list[int]


def prepare_batch(items: list[Any]) -> PreparedBatch:
    """Validate each event as the single path does (the broker path too)."""
    prepared = PreparedBatch([], [], [])
    for index, item in enumerate(items):
        key = item.get("idempotency_key") if isinstance(item, dict) else None
        try:
            batch_item = BatchItem.model_validate(item)
        except ValidationError as exc:
            prepared.outcomes.append(_invalid(index, key, exc))
            continue
        # The hash of the report alone: the same key and body is the same request
        # on the single-report path too.
        digest = request_hash(batch_item, exclude={"idempotency_key"})
        prepared.events.append(
            PendingReport(batch_item.idempotency_key, report_from(batch_item), digest)
        )
        prepared.positions.append(index)
        prepared.outcomes.append(None)
    return prepared


def batch_ack(prepared: PreparedBatch, results: list[EventResult]) -> dict[str, Any]:
    """One result per event, in order, once the group writer answered: a
    ``BatchAck`` as plain data (the tests check it against the schema)."""
    outcomes = list(prepared.outcomes)
    for index, event, result in zip(prepared.positions, prepared.events, results, strict=True):
        outcomes[index] = _outcome(index, event.idempotency_key, result)
    done = [o for o in outcomes if o is not None]
    stored = sum(1 for o in done if o["status"] in (200, 201))
    # Plain data, serialised once: validating a thousand nested schemas again
    # on the way out cost more than storing the events.
    return {"stored": stored, "refused": len(done) - stored, "results": done}


def parse_batch(body: bytes, content_type: str) -> list[Any]:
    """The events of a batch body: a JSON array, or one JSON object per line
    (NDJSON); a body that is neither is a 400 naming the place."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        unreadable = _("요청 본문을 읽을 수 없습니다. UTF-8로 쓴 JSON이어야 합니다.")
        raise HttpError(400, unreadable) from exc
    if content_type in NDJSON_TYPES:
        items = []
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    items.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    message = _(
                        "NDJSON %(line)s행이 올바른 JSON이 아닙니다: %(column)s열, %(reason)s."
                    ) % {"line": number, "column": exc.colno, "reason": exc.msg}
                    raise HttpError(400, message) from exc
    else:
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise HttpError(400, _(
                "요청 본문이 올바른 JSON이 아닙니다: %(line)s행 %(column)s열, %(reason)s."
            ) % {"line": exc.lineno, "column": exc.colno, "reason": exc.msg}) from exc  # fmt: skip
        if not isinstance(items, list):
            raise HttpError(400, _("요청 본문은 사건의 JSON 배열이어야 합니다."))
    if not items:
        raise HttpError(400, _("보낸 사건이 없습니다."))
    limit = int(settings.OPERATIONS_INTAKE_BATCH_MAX)
    if len(items) > limit:
        raise HttpError(413, _(
            "한 번에 %(limit)s건까지 보낼 수 있습니다(보낸 건수: %(count)s)."
        ) % {"limit": limit, "count": len(items)})  # fmt: skip
    return items


def _invalid(index: int, key: object, exc: ValidationError) -> dict[str, Any]:
    errors = [
        {"type": e["type"], "loc": ["body", index, *e["loc"]], "msg": str(e["msg"])}
        for e in exc.errors(include_url=False)
    ]
    key = key if isinstance(key, str) else ""
    return _result(index, key, 422, errors=errors)


def _outcome(index: int, key: str, result: EventResult) -> dict[str, Any]:
    if result.status == 422:
        error = {
            "type": result.code, "loc": ["body", index, *result.field.split(".")],
            "msg": intake_error_message(result.code, result.params),
        }  # fmt: skip
        return _result(index, key, 422, errors=[error])
    if result.status == 409:
        return _result(index, key, 409, code=result.code, detail=refusal_message(result.code))
    incident = result.incident
    assert incident is not None
    ack = {
        "id": incident.pk, "event_type": incident.event_type_id, "grade": incident.grade_id,
        "status": incident.status_id, "external_id": incident.external_id,
        "occurred_at": incident.occurred_at, "created": result.created,
        "replayed": result.replayed,
    }  # fmt: skip
    return _result(index, key, result.status, incident=ack)


def _result(
    index: int, key: str, status: int, *, incident: dict[str, Any] | None = None,
    code: str = "", detail: str = "", errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """One ``EventOutcome``, every field present as the schema renders it."""
    return {
        "index": index, "idempotency_key": key, "status": status, "incident": incident,
        "code": code, "detail": detail, "errors": errors or [],
    }  # fmt: skip
