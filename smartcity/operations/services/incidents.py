"""Handling incidents: the operators' actions (acknowledge, status, notes,
hand-over), the system's auto-close, and the timeline and live-event helpers
every incident write shares (intake in ``services.intake`` uses them too).

Every action is one transaction, one timeline row, one audit row and one live
event (delivered after commit).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from smartcity.core.services import record_audit
from smartcity.operations.choices import ActorKind, TimelineAction
from smartcity.operations.domain.incident_workflow import Refusal, decide_status_change
from smartcity.operations.errors import StateConflict
from smartcity.operations.models import EventStatus, Incident, IncidentEvent, Tenant
from smartcity.operations.selectors.incidents import board_item, status_facts
from smartcity.realtime.services import publish


def apply_status(incident: Incident, status: EventStatus, now: dt.datetime | None = None) -> None:
    """Set the status (unsaved); entering a final status stamps the end time once."""
    incident.status = status
    if status.is_final and incident.ended_at is None:
        incident.ended_at = now or timezone.now()


def record_timeline(
    incident: Incident, action: str, *, actor: Any = None, label: str = "",
    status: EventStatus | None = None, note: str = "", data: dict[str, Any] | None = None,
    tenant: Tenant | None = None,
) -> IncidentEvent:  # fmt: skip
    """Append one timeline row; ``tenant`` is the acting centre (default: the owner)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = IncidentEvent(
        incident=incident,
        tenant=tenant or incident.tenant,
        at=timezone.now(),
        action=action,
        actor=user,
        actor_label=label or (str(user) if user else ""),
        status=status,
        note=note,
        data=data or {},
    )
    event.save(force_insert=True)
    return event


def announce_incident(incident: Incident) -> None:
    """Queue the board update for the owner's channel (delivered after commit)."""
    publish(channel=incident.tenant.channel, kind="incident", data=board_item(incident))


def lock_incident_row(**lookup: Any) -> Incident | None:
    """Lock the one incident matching ``lookup`` and return it with its
    vocabulary and tenant, or ``None``.

    The lock is taken by a query on the incident table alone, the related rows
    read after it. With the related tables joined into the locking query,
    PostgreSQL (READ COMMITTED) re-checks a row that the transaction it waited
    for has changed against the *old* joined rows: an incident whose status,
    grade, type or tenant just changed would seem to have vanished.
    """
    pk = Incident.objects.select_for_update().filter(**lookup).values_list("pk", flat=True).first()
    if pk is None:
        return None
    return Incident.objects.select_related("event_type", "grade", "status", "tenant").get(pk=pk)


def lock_incident(incident_id: int, tenant: Tenant) -> Incident:
    """Lock the incident for a change by ``tenant``; refuse if it moved meanwhile."""
    incident = lock_incident_row(pk=incident_id)
    if incident is None:
        raise StateConflict("not_found")
    if incident.tenant_id != tenant.pk:
        raise StateConflict("moved")
    return incident


def change_incident_status(
    *, incident_id: int, tenant: Tenant, status_code: str, actor: Any, note: str = ""
) -> Incident:
    """An operator moves an incident on (release monitoring, close)."""
    with transaction.atomic():
        incident = lock_incident(incident_id, tenant)
        target = EventStatus.objects.filter(code=status_code).first()
        if target is None:
            raise StateConflict("unknown_status")
        decision = decide_status_change(
            status_facts(incident.status), status_facts(target), ActorKind.OPERATOR
        )
        if not decision.allowed:
            raise StateConflict(str(decision.refusal))
        previous = incident.status_id
        apply_status(incident, target)
        incident.save(update_fields=["status", "ended_at", "updated_at"])
        record_timeline(
            incident, TimelineAction.STATUS_CHANGED, actor=actor, status=target, note=note,
            data={"from_status": previous},
        )  # fmt: skip
        announce_incident(incident)
        record_audit(
            actor=actor,
            action="operations.incident_status_changed",
            object_type="operations.incident",
            object_id=incident.pk,
            data={"from": previous, "to": target.code},
        )
    return incident


def acknowledge_incident(*, incident_id: int, tenant: Tenant, actor: Any) -> Incident:
    """An operator takes an open incident on: who and when, once.

    The board shows it on every operator's screen (live event), so two
    operators do not both answer it; a second acknowledgement is refused
    with the first one's name, not silently overwritten.
    """
    with transaction.atomic():
        incident = lock_incident(incident_id, tenant)
        if incident.status.is_final:
            raise StateConflict(Refusal.ALREADY_FINAL.value)
        if incident.acknowledged_at is not None:
            raise StateConflict("already_acknowledged")
        incident.acknowledged_at = timezone.now()
        incident.acknowledged_by = actor
        incident.save(update_fields=["acknowledged_at", "acknowledged_by", "updated_at"])
        record_timeline(incident, TimelineAction.ACKNOWLEDGED, actor=actor, status=incident.status)
        announce_incident(incident)
        record_audit(
            actor=actor,
            action="operations.incident_acknowledged",
            object_type="operations.incident",
            object_id=incident.pk,
        )
    return incident


def add_incident_note(*, incident_id: int, tenant: Tenant, actor: Any, note: str) -> IncidentEvent:
    """An operator writes what was seen or done (kept in the timeline)."""
    with transaction.atomic():
        incident = lock_incident(incident_id, tenant)
        event = record_timeline(incident, TimelineAction.NOTE_ADDED, actor=actor, note=note.strip())
        record_audit(
            actor=actor,
            action="operations.incident_note_added",
            object_type="operations.incident",
            object_id=incident.pk,
        )
    return event


def hand_over_incident(
    *, incident_id: int, tenant: Tenant, to_tenant: Tenant, actor: Any, reason: str = ""
) -> Incident:
    """Hand an open incident to another centre of the installation.

    Responsibility — and with it visibility — moves: the receiving centre sees
    the incident and its whole timeline, the handing-over centre no longer
    does (its audit log keeps the fact). Both boards update live.
    """
    if to_tenant.pk == tenant.pk:
        raise StateConflict("same_tenant")
    with transaction.atomic():
        incident = lock_incident(incident_id, tenant)
        if incident.status.is_final:
            raise StateConflict(Refusal.ALREADY_FINAL.value)
        target = Tenant.objects.filter(pk=to_tenant.pk, is_active=True).first()
        if target is None:
            raise StateConflict("unknown_tenant")
        incident.tenant = target
        incident.save(update_fields=["tenant", "updated_at"])
        record_timeline(
            incident, TimelineAction.HANDED_OVER, actor=actor, status=incident.status,
            note=reason.strip(), tenant=tenant,
            data={"from": tenant.code, "from_name": tenant.name_ko, "to": target.code,
                  "to_name": target.name_ko},
        )  # fmt: skip
        publish(channel=tenant.channel, kind="incident_removed", data={"id": incident.pk})
        announce_incident(incident)
        record_audit(
            actor=actor,
            action="operations.incident_handed_over",
            object_type="operations.incident",
            object_id=incident.pk,
            data={"from": tenant.code, "to": target.code},
        )
    return incident


def auto_close_idle_incidents(*, idle_for: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Close (``92``) open incidents nobody touched for ``idle_for``; returns how many."""
    now = now or timezone.now()
    target = EventStatus.objects.filter(settable_by_system=True, is_final=True).first()
    if target is None:
        return 0
    candidates = list(
        Incident.objects.filter(status__is_final=False, updated_at__lt=now - idle_for)
        .order_by("pk")
        .values_list("pk", "tenant_id")
    )
    closed = 0
    for incident_id, tenant_id in candidates:
        with transaction.atomic():
            incident = lock_incident(incident_id, Tenant.objects.get(pk=tenant_id))
            current = status_facts(incident.status)
            if not decide_status_change(current, status_facts(target), "system").allowed:
                continue
            previous = incident.status_id
            apply_status(incident, target, now)
            incident.save(update_fields=["status", "ended_at", "updated_at"])
            record_timeline(
                incident, TimelineAction.STATUS_CHANGED, label="system", status=target,
                data={"from_status": previous, "idle_hours": idle_for.total_seconds() / 3600},
            )  # fmt: skip
            announce_incident(incident)
            record_audit(
                actor=None,
                actor_label="system",
                action="operations.incident_auto_closed",
                object_type="operations.incident",
                object_id=incident.pk,
            )
            closed += 1
    return closed
