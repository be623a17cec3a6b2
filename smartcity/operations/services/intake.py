"""Incident intake from sending systems: open or update an incident, at most
once per idempotency key (the API's write path)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from smartcity.core.services import record_audit
from smartcity.municipalities.models import Municipality
from smartcity.operations.choices import ActorKind, TimelineAction
from smartcity.operations.domain.cctv_values import KOREA_TERRITORY
from smartcity.operations.domain.centre_area import OutsidePolicy, Placement, Verdict
from smartcity.operations.domain.incident_workflow import (
    Refusal,
    decide_opening,
    decide_status_change,
)
from smartcity.operations.errors import (
    IdempotencyConflict,
    IntakeInvalid,
    OutsideCentre,
    StateConflict,
)
from smartcity.operations.models import (
    EventGrade,
    EventStatus,
    EventType,
    IdempotencyRecord,
    Incident,
    IntakeClient,
    Tenant,
)
from smartcity.operations.selectors.centres import (
    CentreFacts,
    current_member_codes,
    place_incident,
)
from smartcity.operations.selectors.incidents import status_facts
from smartcity.operations.selectors.vocabulary import vocabulary
from smartcity.operations.services.incidents import (
    announce_incident,
    apply_status,
    lock_incident_row,
    record_timeline,
)

logger = logging.getLogger("smartcity.operations.intake")

_COORDINATE = Decimal("0.00000001")
MAX_ATTEMPTS = 3
"""A request that lost a race retries: losing the first report of an
occurrence costs one attempt (the next one finds the winner's incident and
updates it), losing the same idempotency key one more (the next one replays)."""


@dataclass(frozen=True)
class IncidentReport:
    """A validated report from a sending system (the API's body, typed)."""

    event_type: str
    occurred_at: dt.datetime
    latitude: Decimal
    longitude: Decimal
    status: str = "10"
    grade: str | None = None
    external_id: str = ""
    address: str = ""
    detail: str = ""
    case_type: str = ""
    area_code: str = ""
    """The sender's area code (legacy frames): 5-digit 시군구 or 10-digit 법정동."""


@dataclass(frozen=True)
class IntakeOutcome:
    incident: Incident
    created: bool
    replayed: bool = False
    audit: tuple[str, dict[str, Any]] | None = None
    """The audit row to append: written last in the transaction, because the
    audit chain's head row stays locked from then until commit."""


def _related(incident_id: int) -> Incident:
    return Incident.objects.select_related("event_type", "grade", "status", "tenant").get(
        pk=incident_id
    )


def receive_incident_report(
    *, client: IntakeClient, idempotency_key: str, report: IncidentReport, request_hash: str
) -> IntakeOutcome:
    """Open or update an incident from a sending system, at most once per key.

    The same key with the same body (``request_hash``) returns the incident it
    produced the first time, changing nothing; with another body it raises
    :class:`IdempotencyConflict`. A report carrying an ``external_id`` the
    sender used before is that incident's next message (information change,
    monitoring release, close). Returns only after the transaction committed,
    so an acknowledgement means the incident is stored.
    """
    try:
        return _receive(client, idempotency_key, report, request_hash)
    except OutsideCentre as exc:
        # Refused, and nothing of the report stored: say so in the log and
        # the audit trail (its own transaction, as the report's rolled back).
        logger.warning(
            "incident refused for centre %s from %s (%s): %s at (%s, %s), area code %r",
            client.tenant.code, client.name, client.source, exc.code, report.latitude,
            report.longitude, report.area_code,
        )  # fmt: skip
        record_audit(
            actor=None, actor_label=client.name, action="operations.incident_refused",
            object_type="operations.tenant", object_id=client.tenant_id,
            data={
                "reason": exc.code, "tenant": client.tenant.code, "sender": client.source,
                "external_id": report.external_id, "latitude": str(report.latitude),
                "longitude": str(report.longitude), "area_code": report.area_code,
            },
        )  # fmt: skip
        raise


def _receive(
    client: IntakeClient, idempotency_key: str, report: IncidentReport, request_hash: str
) -> IntakeOutcome:
    for attempt in range(MAX_ATTEMPTS):
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.filter(
                    client=client, key=idempotency_key
                ).first()
                if record is not None:
                    return _replay(record, request_hash)
                outcome = _apply(client, report)
                IdempotencyRecord.objects.create(
                    client=client,
                    key=idempotency_key,
                    request_hash=request_hash,
                    incident=outcome.incident,
                    created=outcome.created,
                )
                if outcome.audit is not None:
                    action, data = outcome.audit
                    record_audit(
                        actor=None, actor_label=client.name, action=action,
                        object_type="operations.incident", object_id=outcome.incident.pk,
                        data=data,
                    )  # fmt: skip
                return outcome
        except IntegrityError:
            # A concurrent request won the race for this key or this external
            # id: PostgreSQL raised only once the winner committed, so the
            # next pass (its own savepoint when an outer transaction is open;
            # READ COMMITTED, so it sees the winner) finds it and updates or
            # replays. SQLite (BEGIN IMMEDIATE) serialises writers: no race.
            if attempt == MAX_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _replay(record: IdempotencyRecord, request_hash: str) -> IntakeOutcome:
    if record.request_hash != request_hash:
        raise IdempotencyConflict()
    return IntakeOutcome(_related(record.incident_id), record.created, replayed=True)


def _vocabulary(
    client: IntakeClient, report: IncidentReport
) -> tuple[EventType, EventStatus, EventGrade]:
    words = vocabulary()
    event_type = words.types.get(report.event_type)
    if event_type is None or not event_type.is_active:
        raise IntakeInvalid("event_type", "unknown_event_type", value=report.event_type)
    if event_type.source != client.source:
        raise IntakeInvalid("event_type", "event_type_not_allowed", value=report.event_type)
    status = words.statuses.get(report.status)
    if status is None:
        raise IntakeInvalid("status", "unknown_status", value=report.status)
    grade_code = report.grade or event_type.default_grade_id
    grade = words.grades.get(grade_code)
    if grade is None:
        raise IntakeInvalid("grade", "unknown_grade", value=grade_code)
    if not any(box.contains(report.latitude, report.longitude) for box in KOREA_TERRITORY):
        raise IntakeInvalid("latitude", "out_of_korea")
    return event_type, status, grade


def _apply(client: IntakeClient, report: IncidentReport) -> IntakeOutcome:
    event_type, status, grade = _vocabulary(client, report)
    existing = None
    if report.external_id:
        existing = lock_incident_row(
            origin_tenant=client.tenant, sender=client.source, external_id=report.external_id
        )
    if existing is None:
        return _open(client, report, event_type, grade, status)
    return _update(client, existing, report, event_type, grade, status)


def _open(
    client: IntakeClient, report: IncidentReport, event_type: EventType, grade: EventGrade,
    status: EventStatus,
) -> IntakeOutcome:  # fmt: skip
    decision = decide_opening(status_facts(status), ActorKind.SENDER)
    if not decision.allowed:
        if decision.refusal is Refusal.NOT_INITIAL and report.external_id:
            raise IntakeInvalid("external_id", "unknown_incident", value=report.external_id)
        raise IntakeInvalid("status", "unknown_status", value=report.status)
    origin = client.tenant
    placement = _placement(origin, report, policy=None)
    tenant = origin
    if placement.verdict is Verdict.ROUTED and placement.target is not None:
        tenant = Tenant.objects.get(pk=placement.target)
    incident = Incident.objects.create(
        tenant=tenant,
        origin_tenant=origin,
        municipality=Municipality.objects.filter(code=placement.municipality).first()
        if placement.municipality
        else None,
        event_type=event_type,
        grade=grade,
        status=status,
        sender=client.source,
        intake_client=client,
        external_id=report.external_id,
        latitude=report.latitude.quantize(_COORDINATE),
        longitude=report.longitude.quantize(_COORDINATE),
        address=report.address,
        detail=report.detail,
        case_type=report.case_type,
        occurred_at=report.occurred_at,
    )
    record_timeline(
        incident, TimelineAction.REPORTED, label=client.name, status=status, tenant=origin
    )
    audit = {
        "tenant": tenant.code,
        "event_type": event_type.code,
        "external_id": incident.external_id,
    }
    if tenant != origin:
        routing = {
            "from_tenant": origin.code, "to_tenant": tenant.code, "reason": placement.reason,
            "municipality": placement.municipality,
        }  # fmt: skip
        record_timeline(
            incident, TimelineAction.ROUTED, label=client.name, tenant=origin, data=routing
        )
        audit |= {"routed_from": origin.code}
        logger.info(
            "incident from %s for centre %s routed to %s (%s, %s)",
            client.name, origin.code, tenant.code, placement.reason, placement.municipality,
        )  # fmt: skip
    announce_incident(incident)
    return IntakeOutcome(incident, created=True, audit=("operations.incident_reported", audit))


def _update(
    client: IntakeClient, incident: Incident, report: IncidentReport, event_type: EventType,
    grade: EventGrade, status: EventStatus,
) -> IntakeOutcome:  # fmt: skip
    proposed: dict[str, Any] = {
        "event_type_id": event_type.code,
        "grade_id": grade.code,
        "latitude": report.latitude.quantize(_COORDINATE),
        "longitude": report.longitude.quantize(_COORDINATE),
        "address": report.address,
        "detail": report.detail,
        # Later messages often omit the case type; keep the known one.
        "case_type": report.case_type or incident.case_type,
        "occurred_at": report.occurred_at,
    }
    if (proposed["latitude"], proposed["longitude"]) != (incident.latitude, incident.longitude):
        # A new place must still be the owning centre's: never routed here,
        # as the sender's next messages keep finding the incident where it is.
        _placement(incident.tenant, report, policy=OutsidePolicy.REFUSE)
    changes = {
        name: [str(getattr(incident, name)), str(value)]
        for name, value in proposed.items()
        if getattr(incident, name) != value
    }
    target = status
    if status.is_initial:
        # The sender repeated its first message: new facts are an information
        # change, the same facts are a duplicate and change nothing.
        changed_status = vocabulary().information_changed
        if not changes or changed_status is None:
            return IntakeOutcome(incident, created=False)
        target = changed_status
    decision = decide_status_change(status_facts(incident.status), status_facts(target), "sender")
    if not decision.allowed:
        raise StateConflict(str(decision.refusal))
    previous = incident.status_id
    for name, value in proposed.items():
        setattr(incident, name, value)
    incident.event_type, incident.grade = event_type, grade
    apply_status(incident, target)
    incident.save()
    action = TimelineAction.UPDATED if target.is_repeatable else TimelineAction.STATUS_CHANGED
    record_timeline(
        incident, action, label=client.name, status=target,
        data={"changes": changes, "from_status": previous},
    )  # fmt: skip
    announce_incident(incident)
    audit = {"status": target.code, "changes": sorted(changes)}
    return IntakeOutcome(incident, created=False, audit=("operations.incident_updated", audit))


def _placement(
    tenant: Tenant, report: IncidentReport, policy: OutsidePolicy | None,
    facts: CentreFacts | None = None, inside: Callable[[str], bool | None] | None = None,
) -> Placement:  # fmt: skip
    """Where the report belongs; raises :class:`OutsideCentre` when refused."""
    placement = place_incident(
        tenant=tenant, latitude=report.latitude, longitude=report.longitude,
        area_code=report.area_code, policy=policy, facts=facts, inside=inside,
    )  # fmt: skip
    if placement.verdict is Verdict.REFUSED:
        members = Municipality.objects.filter(code__in=current_member_codes(tenant.pk))
        area = ", ".join(m.full_name_ko for m in members.order_by("code")) or "-"
        raise OutsideCentre(
            placement.reason, centre=tenant.name_ko, area=area, value=report.area_code,
            latitude=str(report.latitude), longitude=str(report.longitude),
        )  # fmt: skip
    return placement
