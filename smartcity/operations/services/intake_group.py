"""Group commit of incident reports: many events, one transaction, one audit row.

The batch endpoint and the broker path hand their events to the group writer
(``operations.intake_writer``), which calls :func:`receive_incident_group`
once per group. Each event is judged exactly as a single report is
(``services.intake``: idempotency per sending system and key, vocabulary,
workflow, the centre's area and routing) and gets its own result; the new
incidents, their timeline rows, outbox events and idempotency records are
inserted several rows per statement, and the audit chain gets one row for the
whole group, carrying each event with its own MAC (ADR 0023).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from smartcity.core.bulk import fetch_later, insert_rows, pipeline, reserve_ids
from smartcity.core.services import append_audit_group, lock_audit_head
from smartcity.municipalities.models import Municipality
from smartcity.operations.choices import ActorKind, TimelineAction
from smartcity.operations.domain.centre_area import Verdict
from smartcity.operations.domain.incident_workflow import Refusal, decide_opening
from smartcity.operations.errors import (
    IdempotencyConflict,
    IntakeInvalid,
    OperationsError,
    OutsideCentre,
    StateConflict,
)
from smartcity.operations.models import (
    IdempotencyRecord,
    Incident,
    IncidentEvent,
    IntakeClient,
    Tenant,
)
from smartcity.operations.selectors.centres import CentreFacts, GroupPoints, centre_facts_later
from smartcity.operations.selectors.incidents import board_item, status_facts
from smartcity.operations.services.incidents import lock_incident_row
from smartcity.operations.services.intake import (
    _COORDINATE,
    MAX_ATTEMPTS,
    IncidentReport,
    _placement,
    _update,
    _vocabulary,
)
from smartcity.operations.services.intake_rows import (
    audit_entry,
    incident_row,
    new_incident,
    timeline_row,
)
from smartcity.realtime.services import publish_many

logger = logging.getLogger("smartcity.operations.intake")

GROUP_ACTION = "operations.incidents_received"
"""The audit row of one group commit; its events keep their own actions."""


@dataclass(frozen=True)
class GroupEvent:
    """One event of a group: who sent it, its key, the validated report and
    the hash of its body (the same body under the same key is a replay)."""

    client: IntakeClient
    idempotency_key: str
    report: IncidentReport
    request_hash: str


@dataclass(frozen=True)
class EventResult:
    """What one event of a group came to: 201 a new incident, 200 the next
    message of one (or a replay), 409 a conflict, 422 refused (``field``)."""

    status: int
    incident: Incident | None = None
    created: bool = False
    replayed: bool = False
    code: str = ""
    field: str = ""
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


def receive_incident_group(*, events: Sequence[GroupEvent]) -> list[EventResult]:
    """Store ``events`` in one transaction and return one result per event, in
    order, once it committed. A refused event changes nothing and does not
    stop the others. A race with a concurrent writer over a key or an
    external id (a unique constraint) retries the whole group, which then
    finds the winner's rows."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            with transaction.atomic():
                return _Group(events).run()
        except IntegrityError:
            if attempt == MAX_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class _New:
    index: int
    event: GroupEvent
    incident: Incident
    routing: dict[str, Any] | None


class _Group:
    def __init__(self, events: Sequence[GroupEvent]) -> None:
        self.events = events
        self.results: list[EventResult | None] = [None] * len(events)
        self.audit: list[tuple[int, dict[str, Any]]] = []
        self.pending: list[_New] = []
        self.pending_external: set[tuple[int, str, str]] = set()
        self.records: list[tuple[GroupEvent, int]] = []  # event, index of its result
        self.stored: dict[tuple[int, str], tuple[str, int]] = {}  # key → hash, result index
        self.facts: dict[int, CentreFacts] = {}
        self.tenants: dict[int, Tenant] = {}
        self.municipality_ids: dict[str, int] = {}
        self.points = GroupPoints([(e.report.latitude, e.report.longitude) for e in events])

    def run(self) -> list[EventResult]:
        # The group's reads in one round trip (PostgreSQL): which keys are
        # known, which external ids exist, the centres' areas.
        with pipeline():
            keys = self._known_keys()
            external = self._existing_external_ids()
            facts = centre_facts_later({e.client.tenant_id for e in self.events})
        self.facts, self.municipality_ids = facts()
        known = self._known_records() if keys() else {}
        existing = external()
        for index, event in enumerate(self.events):
            key = (event.client.pk, event.idempotency_key)
            if key in self.stored:
                self.results[index] = self._replay_in_group(event, *self.stored[key])
                continue
            if key in known:
                self.results[index] = self._replay(event, known[key])
                continue
            try:
                result = self._receive(index, event, existing)
            except (IntakeInvalid, StateConflict) as exc:
                result = self._refusal(index, event, exc)
            self.results[index] = result
            if result.status in (200, 201):
                self.stored[key] = (event.request_hash, index)
                self.records.append((event, index))
        self._flush(final=True)
        return [self._result(index) for index in range(len(self.events))]

    def _record(self, event: GroupEvent, index: int) -> dict[str, Any]:
        result = self._result(index)
        assert result.incident is not None
        return {
            "client_id": event.client.pk, "key": event.idempotency_key,
            "request_hash": event.request_hash, "incident_id": result.incident.pk,
            "created": result.created, "created_at": timezone.now(),
        }  # fmt: skip

    def _result(self, index: int) -> EventResult:
        result = self.results[index]
        assert result is not None
        return result

    # --- idempotency --------------------------------------------------------

    def _known_records(self) -> dict[tuple[int, str], IdempotencyRecord]:
        rows = IdempotencyRecord.objects.select_related(
            "incident", "incident__event_type", "incident__grade", "incident__status"
        ).filter(**self._key_filter())
        return {(r.client_id, r.key): r for r in rows}

    def _known_keys(self) -> Callable[[], list[tuple[Any, ...]]]:
        """Whether any key is known (the records are read only then)."""
        return fetch_later(
            IdempotencyRecord.objects.filter(**self._key_filter()).values_list("id")[:1]
        )

    def _key_filter(self) -> dict[str, Any]:
        return {
            "client_id__in": {e.client.pk for e in self.events},
            "key__in": {e.idempotency_key for e in self.events},
        }

    def _replay(self, event: GroupEvent, record: IdempotencyRecord) -> EventResult:
        if record.request_hash != event.request_hash:
            return _conflict(IdempotencyConflict())
        return EventResult(200, record.incident, created=record.created, replayed=True)

    def _replay_in_group(self, event: GroupEvent, request_hash: str, first: int) -> EventResult:
        if request_hash != event.request_hash:
            return _conflict(IdempotencyConflict())
        earlier = self._result(first)
        return EventResult(200, earlier.incident, created=earlier.created, replayed=True)

    # --- one event ------------------------------------------------------------

    def _existing_external_ids(self) -> Callable[[], set[tuple[int, str, str]]]:
        wanted = {e.report.external_id for e in self.events if e.report.external_id}
        if not wanted:
            return set
        fetch = fetch_later(
            Incident.objects.filter(
                origin_tenant_id__in={e.client.tenant_id for e in self.events},
                sender__in={e.client.source for e in self.events},
                external_id__in=wanted,
            ).values_list("origin_tenant_id", "sender", "external_id")
        )
        return lambda: {(int(t), str(s), str(x)) for t, s, x in fetch()}

    def _receive(
        self, index: int, event: GroupEvent, existing: set[tuple[int, str, str]]
    ) -> EventResult:
        client, report = event.client, event.report
        event_type, status, grade = _vocabulary(client, report)
        external = (client.tenant_id, client.source, report.external_id)
        if report.external_id and (external in existing or external in self.pending_external):
            self._flush()  # the incident a next message updates may be one of this group's
            incident = lock_incident_row(
                origin_tenant=client.tenant, sender=client.source,
                external_id=report.external_id,
            )  # fmt: skip
            if incident is not None:
                outcome = _update(client, incident, report, event_type, grade, status)
                if outcome.audit is not None:
                    self._audit(index, outcome.audit, outcome.incident.pk)
                return EventResult(200, outcome.incident, created=False)
        decision = decide_opening(status_facts(status), ActorKind.SENDER)
        if not decision.allowed:
            if decision.refusal is Refusal.NOT_INITIAL and report.external_id:
                raise IntakeInvalid("external_id", "unknown_incident", value=report.external_id)
            raise IntakeInvalid("status", "unknown_status", value=report.status)
        origin = client.tenant
        placement = _placement(
            origin, report, policy=None, facts=self.facts[origin.pk],
            inside=self.points.inside(index),
        )  # fmt: skip
        tenant, routing = origin, None
        if placement.verdict is Verdict.ROUTED and placement.target is not None:
            tenant = self._tenant(placement.target)
            routing = {
                "from_tenant": origin.code, "to_tenant": tenant.code, "reason": placement.reason,
                "municipality": placement.municipality,
            }  # fmt: skip
        incident = new_incident(
            {
                "id": None, "tenant_id": tenant.pk, "origin_tenant_id": origin.pk,
                "municipality_id": self._municipality(placement.municipality),
                "event_type_id": event_type.pk, "grade_id": grade.pk, "status_id": status.pk,
                "sender": client.source, "intake_client_id": client.pk,
                "external_id": report.external_id,
                "latitude": report.latitude.quantize(_COORDINATE),
                "longitude": report.longitude.quantize(_COORDINATE),
                "address": report.address, "detail": report.detail,
                "case_type": report.case_type, "occurred_at": report.occurred_at,
                "ended_at": None, "acknowledged_at": None, "acknowledged_by_id": None,
                "created_at": None, "updated_at": None,
            },
            {"tenant": tenant, "origin_tenant": origin, "event_type": event_type,
             "grade": grade, "status": status, "intake_client": client},
        )  # fmt: skip
        self.pending.append(_New(index, event, incident, routing))
        if report.external_id:
            self.pending_external.add(external)
        return EventResult(201, incident, created=True)

    def _refusal(self, index: int, event: GroupEvent, exc: Exception) -> EventResult:
        if isinstance(exc, OutsideCentre):
            client, report = event.client, event.report
            logger.warning(
                "incident refused for centre %s from %s (%s): %s at (%s, %s), area code %r",
                client.tenant.code, client.name, client.source, exc.code, report.latitude,
                report.longitude, report.area_code,
            )  # fmt: skip
            refused = {
                "reason": exc.code, "tenant": client.tenant.code, "sender": client.source,
                "external_id": report.external_id, "latitude": str(report.latitude),
                "longitude": str(report.longitude), "area_code": report.area_code,
            }  # fmt: skip
            self.audit.append((index, audit_entry(
                "operations.incident_refused", "operations.tenant", client.tenant_id, refused
            )))  # fmt: skip
        if isinstance(exc, IntakeInvalid):
            return EventResult(422, code=exc.code, field=exc.field, params=dict(exc.params))
        assert isinstance(exc, StateConflict)
        return _conflict(exc)

    def _tenant(self, pk: int) -> Tenant:
        if pk not in self.tenants:
            self.tenants[pk] = Tenant.objects.get(pk=pk)
        return self.tenants[pk]

    def _municipality(self, code: str) -> int | None:
        """The id of the local government ``code`` (a centre's member, read
        with the centres' areas, or else looked up once per group)."""
        if not code:
            return None
        if code not in self.municipality_ids:
            found = Municipality.objects.filter(code=code).values_list("id", flat=True).first()
            if found is None:
                return None
            self.municipality_ids[code] = found
        return self.municipality_ids[code]

    def _audit(self, index: int, audit: tuple[str, dict[str, Any]], incident_id: int) -> None:
        action, data = audit
        self.audit.append((index, audit_entry(action, "operations.incident", incident_id, data)))

    # --- the new incidents, several rows per statement ---------------------------

    def _flush(self, *, final: bool = False) -> None:
        """Insert the pending new incidents, and at the end of the group its
        idempotency records and audit row too: on PostgreSQL one round trip
        to lock the audit head and reserve the ids, one for every insert and
        the head's move (``core.bulk.pipeline``), then the commit."""
        pending, self.pending = self.pending, []
        if not pending and not final:
            return
        audited = final and bool(pending or self.audit)
        with pipeline():
            locked = lock_audit_head() if audited else None
            reserved = reserve_ids(Incident, len(pending))
        ids = reserved()
        head = locked() if locked is not None else None
        now = timezone.now()
        timeline: list[dict[str, Any]] = []
        for new, pk in zip(pending, ids, strict=True):
            incident, client = new.incident, new.event.client
            incident.pk, incident.created_at, incident.updated_at = pk, now, now
            incident._state.adding, incident._state.db = False, "default"
            origin = client.tenant
            timeline.append(timeline_row(incident, origin, now, TimelineAction.REPORTED,
                                          client.name, status_id=incident.status_id))  # fmt: skip
            audit = {
                "tenant": incident.tenant.code, "event_type": incident.event_type_id,
                "external_id": incident.external_id,
            }  # fmt: skip
            if new.routing is not None:
                timeline.append(timeline_row(incident, origin, now, TimelineAction.ROUTED,
                                              client.name, data=new.routing))  # fmt: skip
                audit |= {"routed_from": origin.code}
            self._audit(new.index, ("operations.incident_reported", audit), incident.pk)
        board = [(new.incident.tenant.channel, "incident", board_item(new.incident))
                 for new in pending]  # fmt: skip
        records = [self._record(e, i) for e, i in self.records] if final else []
        with pipeline():
            insert_rows(Incident, [incident_row(new.incident, now) for new in pending],
                        returning=False)  # fmt: skip
            insert_rows(IncidentEvent, timeline, returning=False)
            publish_many(board)
            insert_rows(IdempotencyRecord, records, returning=False)
            if head is not None:
                self.audit.sort(key=lambda item: item[0])
                append_audit_group(
                    prev_hash=head[0], row_id=head[1], action=GROUP_ACTION,
                    actor_label=", ".join(sorted({e.client.name for e in self.events})),
                    events=[entry for _, entry in self.audit],
                    object_type="operations.intake_group",
                )  # fmt: skip


def _conflict(exc: OperationsError) -> EventResult:
    return EventResult(409, code=exc.code)
