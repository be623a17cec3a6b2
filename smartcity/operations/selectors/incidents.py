"""Reads of incidents: the board, lists, timelines, and the workflow's facts."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import get_script_prefix, get_urlconf, reverse

from smartcity.operations.domain.incident_workflow import StatusFacts
from smartcity.operations.models import (
    EventStatus,
    EventType,
    Incident,
    IncidentEvent,
    Tenant,
)

_RELATED = ("event_type", "grade", "status")


def status_facts(status: EventStatus) -> StatusFacts:
    return StatusFacts(
        code=status.code,
        sequence=status.sequence,
        is_initial=status.is_initial,
        is_final=status.is_final,
        is_repeatable=status.is_repeatable,
        settable_by=frozenset(
            actor
            for actor in ("sender", "operator", "system")
            if getattr(status, f"settable_by_{actor}")
        ),
    )


def all_statuses() -> list[EventStatus]:
    return list(EventStatus.objects.order_by("sequence", "code"))


def _utc(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment else None


def board_item(incident: Incident) -> dict[str, Any]:
    """What the situation board shows of one incident (and what its live events
    carry). Names in both languages: one event reaches every subscriber."""
    event_type, grade, status = incident.event_type, incident.grade, incident.status
    acknowledged_by = incident.acknowledged_by if incident.acknowledged_at else None
    return {
        "id": incident.pk,
        "type": event_type.code,
        "type_ko": event_type.name_ko,
        "type_en": event_type.name_en,
        "icon": event_type.icon,
        "grade": grade.code,
        "urgent": grade.is_urgent,
        "status": status.code,
        "status_ko": status.name_ko,
        "status_en": status.name_en,
        "final": status.is_final,
        "lat": float(incident.latitude),
        "lon": float(incident.longitude),
        "address": incident.address,
        "occurred_at": incident.occurred_at.astimezone(dt.UTC).isoformat(),
        "reported_at": _utc(incident.created_at),
        "acknowledged_at": _utc(incident.acknowledged_at),
        "acknowledged_by": str(acknowledged_by) if acknowledged_by else "",
        "acknowledge_url": _incident_url("operations:incident_acknowledge", incident.pk),
        "url": _incident_url("operations:incident", incident.pk),
    }


_SENTINEL = 918273645546372819
"""An id no incident has, replaced in a reversed URL by the real one."""


def _incident_url(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for an incident's pages, reversed once per
    name, script prefix and URLconf: a group commit builds a board item for
    each of hundreds of incidents, and ``reverse`` was a third of it."""
    return _url_template(name, get_script_prefix(), get_urlconf()).replace(str(_SENTINEL), str(pk))


@functools.lru_cache(maxsize=64)
def _url_template(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf, args=[_SENTINEL])


def open_incidents(tenant: Tenant) -> QuerySet[Incident]:
    return (
        Incident.objects.filter(tenant=tenant, status__is_final=False)
        .select_related(*_RELATED, "acknowledged_by")
        .order_by("-occurred_at", "-id")
    )


def board_snapshot(tenant: Tenant, *, limit: int = 500) -> list[dict[str, Any]]:
    return [board_item(i) for i in open_incidents(tenant)[:limit]]


def legend(tenant: Tenant) -> list[EventType]:
    """Event types to explain on the map: the active ones."""
    return list(EventType.objects.filter(is_active=True).order_by("sort_order", "code"))


@dataclass(frozen=True)
class IncidentFilter:
    status: str = ""
    event_type: str = ""
    open_only: bool = False
    query: str = ""


def incident_list(tenant: Tenant, f: IncidentFilter) -> QuerySet[Incident]:
    queryset = (
        Incident.objects.filter(tenant=tenant)
        .select_related(*_RELATED)
        .order_by("-occurred_at", "-id")
    )
    if f.status:
        queryset = queryset.filter(status_id=f.status)
    if f.event_type:
        queryset = queryset.filter(event_type_id=f.event_type)
    if f.open_only:
        queryset = queryset.filter(status__is_final=False)
    if f.query:
        queryset = queryset.filter(
            Q(address__icontains=f.query) | Q(external_id__icontains=f.query)
        )
    return queryset


def incident_timeline(incident: Incident) -> QuerySet[IncidentEvent]:
    return (
        IncidentEvent.objects.filter(incident=incident)
        .select_related("actor", "status", "tenant")
        .order_by("at", "id")
    )


def handover_targets(tenant: Tenant) -> QuerySet[Tenant]:
    """Centres an incident can be handed over to: every other active tenant."""
    return Tenant.objects.filter(is_active=True).exclude(pk=tenant.pk).order_by("name_ko")


def incident_rows(
    *, tenant_code: str = "", status: str = "", open_only: bool = False, limit: int = 1_000
) -> list[dict[str, Any]]:
    """Incidents as plain data for operators' scripts (``smartcity incidents list``)."""
    queryset = Incident.objects.select_related(*_RELATED, "tenant").order_by("-occurred_at", "-id")
    if tenant_code:
        queryset = queryset.filter(tenant__code=tenant_code)
    if status:
        queryset = queryset.filter(status_id=status)
    if open_only:
        queryset = queryset.filter(status__is_final=False)
    return [
        {
            "id": i.pk,
            "tenant": i.tenant.code,
            "event_type": i.event_type_id,
            "event_type_name": i.event_type.name_ko,
            "grade": i.grade_id,
            "status": i.status_id,
            "status_name": i.status.name_ko,
            "sender": i.sender,
            "external_id": i.external_id,
            "occurred_at": i.occurred_at.isoformat(),
            "ended_at": i.ended_at.isoformat() if i.ended_at else None,
            "latitude": str(i.latitude),
            "longitude": str(i.longitude),
            "address": i.address,
        }
        for i in queryset[:limit]
    ]
