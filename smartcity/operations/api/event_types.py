"""The event types a sending system may report."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Schema

from smartcity.core.api import Message
from smartcity.operations.api.common import router
from smartcity.operations.models import EventType, IntakeClient


class EventTypeOut(Schema):
    code: str
    name_ko: str
    name_en: str
    source: str
    default_grade: str


@router.get(
    "/event-types",
    response={200: list[EventTypeOut], 401: Message},
    url_name="event_types",
    operation_id="smartcity_operations_api_event_types",  # as before the split (clients)
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
