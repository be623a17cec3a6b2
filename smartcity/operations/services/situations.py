"""The vulnerable-person service (사회적 약자 지원): a carrier's event, its
alert to 112/119, its photo, and the deletion of its personal data after the
case closed. The disaster situation service is ``services.disaster``."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from smartcity.core.services import record_audit
from smartcity.operations.choices import TimelineAction
from smartcity.operations.domain.carrier import CarrierEventKind, TrailPoint, purge_due
from smartcity.operations.domain.cctv_values import KOREA_TERRITORY
from smartcity.operations.domain.stream_token import MAX_ID
from smartcity.operations.domain.video_rules import AgencyKind
from smartcity.operations.errors import IntakeInvalid, StateConflict
from smartcity.operations.models import (
    Agency,
    CarrierAlert,
    CarrierCase,
    CarrierPosition,
    Incident,
    IntakeClient,
    Tenant,
)
from smartcity.operations.selectors.linkage import linked_agencies
from smartcity.operations.services.carrier_photos import check_photo, delete_photo, store_photo
from smartcity.operations.services.incidents import lock_incident, record_timeline
from smartcity.operations.services.intake import (
    IncidentReport,
    IntakeOutcome,
    receive_incident_report,
)
from smartcity.realtime.services import publish

CARRIER_SENDER = "WP1"
_COORDINATE = Decimal("0.00000001")
_ALERTED_KINDS = frozenset({AgencyKind.POLICE.value, AgencyKind.FIRE.value})


# --- Vulnerable people (사회적 약자 지원) ----------------------------------------------------


def _point(value: float) -> Decimal:
    return Decimal(str(value)).quantize(_COORDINATE)


def record_carrier_event(
    *, tenant: Tenant, incident_id: int, event_kind: str, positions: Sequence[TrailPoint],
    photo_ref: str = "", guardian_name: str = "", guardian_phone: str = "", actor: Any = None,
    actor_label: str = "", photo: bytes = b"",
) -> CarrierCase:  # fmt: skip
    """Attach a carrier's event to its vulnerable-person incident: the photo
    reference, the guardian's contact (kept until the purge) and new trail
    positions; alert every linked police and fire agency once per case.

    Personal data goes to this case only — never to the timeline, the audit
    log or the realtime messages, which outlive the purge. A ``photo`` (JPEG
    or PNG bytes) replaces the case's stored photo file.
    """
    kind = CarrierEventKind(event_kind)
    now = timezone.now()
    stored = store_photo(photo) if photo else ""
    try:
        return _record_carrier_event(
            tenant, incident_id, kind, positions, photo_ref, guardian_name, guardian_phone,
            actor, actor_label, stored, now,
        )  # fmt: skip
    except BaseException:
        delete_photo(stored)  # the change did not happen: neither does the file
        raise


def _record_carrier_event(
    tenant: Tenant, incident_id: int, kind: CarrierEventKind, positions: Sequence[TrailPoint],
    photo_ref: str, guardian_name: str, guardian_phone: str, actor: Any, actor_label: str,
    stored: str, now: dt.datetime,
) -> CarrierCase:  # fmt: skip
    with transaction.atomic():
        incident = lock_incident(incident_id, tenant)
        if incident.sender != CARRIER_SENDER:
            raise StateConflict("not_a_carrier_incident")
        if incident.status.is_final:
            raise StateConflict("incident_closed")
        case, created = CarrierCase.objects.select_for_update().get_or_create(
            incident=incident, defaults={"event_kind": kind.value, "created_at": now}
        )
        if case.purged_at is not None:
            raise StateConflict("incident_closed")
        case.event_kind = kind.value
        case.photo_ref = photo_ref.strip()[:500] or case.photo_ref
        case.guardian_name = guardian_name.strip()[:100] or case.guardian_name
        case.guardian_phone = guardian_phone.strip()[:40] or case.guardian_phone
        if stored:
            transaction.on_commit(partial(delete_photo, case.photo_file))
            case.photo_file = stored
        case.save(
            update_fields=[
                "event_kind",
                "photo_ref",
                "photo_file",
                "guardian_name",
                "guardian_phone",
            ]
        )
        known = set(case.positions.values_list("at", flat=True))
        fresh = [p for p in positions if p.at not in known]
        CarrierPosition.objects.bulk_create(
            CarrierPosition(case=case, latitude=_point(p.lat), longitude=_point(p.lon), at=p.at)
            for p in fresh
        )
        alerted = _alert_agencies(case, incident, now)
        record_timeline(
            incident, TimelineAction.UPDATED, actor=actor, label=actor_label,
            data={"carrier_event": kind.value, "positions": len(fresh),
                  "alerted": [a.name_ko for a in alerted]},
        )  # fmt: skip
        record_audit(
            actor=actor,
            actor_label=actor_label,
            action="operations.carrier_event",
            object_type="operations.carriercase",
            object_id=case.pk,
            data={"incident": incident.pk, "kind": kind.value, "created": created,
                  "positions": len(fresh), "alerted": sorted(a.code for a in alerted)},
        )  # fmt: skip
    return case


@dataclass(frozen=True)
class CarrierDetails:
    """What a carrier's event carries beyond the incident report: personal data
    kept only on the case (deleted by the purge) and the trail."""

    event_kind: str
    positions: Sequence[TrailPoint]
    photo_ref: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""
    photo_base64: str = ""


def _decoded_photo(text: str) -> bytes:
    """The photo's bytes from the API's base64, checked (``IntakeInvalid`` on ``photo``)."""
    if not text:
        return b""
    try:
        data = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise IntakeInvalid("photo", "photo_not_an_image") from exc
    check_photo(data)
    return data


def receive_carrier_event(
    *, client: IntakeClient, idempotency_key: str, report: IncidentReport,
    details: CarrierDetails, request_hash: str,
) -> IntakeOutcome:  # fmt: skip
    """A carrier's SOS or safe-zone exit, whole: the incident is opened or
    updated (at most once per key, as any intake) and the case gets the
    photo, guardian contact and positions, and the 112/119 alert — in one
    transaction, so an acknowledgement means both are stored.

    A replayed key changes nothing; a closing message (91) closes the
    incident without storing more personal data.
    """
    if client.source != CARRIER_SENDER:
        raise IntakeInvalid("event_type", "event_type_not_allowed", value=report.event_type)
    try:
        CarrierEventKind(details.event_kind)
    except ValueError as exc:
        raise IntakeInvalid("event_kind", "unknown_event_kind", value=details.event_kind) from exc
    for index, point in enumerate(details.positions):
        lat, lon = _point(point.lat), _point(point.lon)
        if not any(box.contains(lat, lon) for box in KOREA_TERRITORY):
            raise IntakeInvalid(f"positions.{index}", "out_of_korea")
    photo = _decoded_photo(details.photo_base64)
    with transaction.atomic():
        outcome = receive_incident_report(
            client=client, idempotency_key=idempotency_key, report=report,
            request_hash=request_hash,
        )  # fmt: skip
        incident = outcome.incident
        if not outcome.replayed and not incident.status.is_final:
            record_carrier_event(
                tenant=incident.tenant, incident_id=incident.pk, event_kind=details.event_kind,
                positions=details.positions, photo_ref=details.photo_ref,
                guardian_name=details.guardian_name, guardian_phone=details.guardian_phone,
                actor_label=client.name, photo=photo,
            )  # fmt: skip
    return outcome


def reveal_guardian_contact(*, tenant: Tenant, incident_id: int, actor: Any) -> CarrierCase:
    """The guardian's full contact, for an operator who must call them: the
    page shows it masked, and every reveal is on the audit log (who, when,
    which case) — the number itself never is."""
    with transaction.atomic():
        case = (
            CarrierCase.objects.select_related("incident")
            .filter(incident_id=incident_id, incident__tenant=tenant, purged_at__isnull=True)
            .first()
        )
        if case is None:
            raise StateConflict("not_found")
        record_audit(
            actor=actor,
            action="operations.guardian_contact_viewed",
            object_type="operations.carriercase",
            object_id=case.pk,
            data={"incident": incident_id},
        )
    return case


def record_carrier_photo_viewed(*, case: CarrierCase, actor: Any) -> None:
    """A vulnerable person's photo was shown to ``actor`` (who ``access_carrier_photo``
    let through): every view is on the audit log — who, which case, when."""
    record_audit(
        actor=actor,
        action="operations.carrier_photo_viewed",
        object_type="operations.incident",
        object_id=case.incident_id,
        data={"case": case.pk},
    )


def record_carrier_photo_refused(*, incident_id: int, actor: Any) -> str:
    """A request for a photo that ``access_carrier_photo`` refused, on the audit
    log with why: ``not_allowed`` (a live photo, not for this user) or
    ``no_photo`` (none, or purged with the case). The user sees a 404 either way."""
    if not 0 < incident_id <= MAX_ID:  # no incident can have it: kept short, as text
        record_audit(
            actor=actor,
            action="operations.carrier_photo_refused",
            data={"case": None, "reason": "no_photo", "requested": str(incident_id)[:40]},
        )
        return "no_photo"
    live = (
        CarrierCase.objects.filter(incident_id=incident_id, purged_at__isnull=True)
        .exclude(photo_file="")
        .values_list("pk", flat=True)
        .first()
    )
    reason = "not_allowed" if live is not None else "no_photo"
    record_audit(
        actor=actor,
        action="operations.carrier_photo_refused",
        object_type="operations.incident",
        object_id=incident_id,
        data={"case": live, "reason": reason},
    )
    return reason


def _alert_agencies(case: CarrierCase, incident: Incident, now: dt.datetime) -> list[Agency]:
    """Alert the linked 112/119 agencies not alerted for this case yet."""
    already = set(case.alerts.values_list("agency_id", flat=True))
    agencies = [
        agency
        for agency in linked_agencies(incident.tenant)
        .filter(kind__in=_ALERTED_KINDS)
        .order_by("code")
        if agency.pk not in already
    ]
    for agency in agencies:
        CarrierAlert.objects.create(case=case, agency=agency, sent_at=now)
        publish(
            channel=agency.channel,
            kind="carrier_alert",
            data={"incident": incident.pk, "external_id": incident.external_id,
                  "kind": case.event_kind, "tenant": incident.tenant.code},
        )  # fmt: skip
    return agencies


def retention_hours() -> int:
    return int(settings.OPERATIONS_CARRIER_RETENTION_HOURS)


def purge_carrier_data(*, now: dt.datetime | None = None) -> int:
    """Delete the personal data of closed vulnerable-person cases once the
    retention period after the close has passed: the photo reference, the
    guardian's contact, the trail and the incident's free-text detail. The
    incident, its timeline and the alerts stay (anonymised). Returns how many
    cases were purged."""
    now = now or timezone.now()
    hours = retention_hours()
    candidates = CarrierCase.objects.filter(
        purged_at__isnull=True, incident__status__is_final=True, incident__ended_at__isnull=False
    ).values_list("pk", "incident__ended_at")
    due = [
        pk for pk, ended in candidates if purge_due(closed_at=ended, now=now, retention_hours=hours)
    ]
    purged = 0
    for case_id in due:
        with transaction.atomic():
            case = (
                CarrierCase.objects.select_for_update(of=("self",))
                .select_related("incident__status", "incident__tenant")
                .filter(pk=case_id, purged_at__isnull=True)
                .first()
            )
            if case is None or not purge_due(
                closed_at=case.incident.ended_at, now=now, retention_hours=hours
            ):
                continue
            positions, _detail = case.positions.all().delete()
            transaction.on_commit(partial(delete_photo, case.photo_file))  # the file goes too
            case.photo_ref = ""
            case.photo_file = ""
            case.guardian_name = ""
            case.guardian_phone = ""
            case.purged_at = now
            case.save(
                update_fields=[
                    "photo_ref", "photo_file", "guardian_name", "guardian_phone", "purged_at"
                ]
            )  # fmt: skip
            incident = case.incident
            if incident.detail:
                incident.detail = ""
                incident.save(update_fields=["detail", "updated_at"])
            record_timeline(
                incident, TimelineAction.UPDATED, label="system",
                data={"carrier_data_purged": True, "positions": positions},
            )  # fmt: skip
            record_audit(
                actor=None,
                actor_label="system",
                action="operations.carrier_data_purged",
                object_type="operations.carriercase",
                object_id=case.pk,
                data={"incident": incident.pk, "positions": positions, "retention_hours": hours},
            )
            purged += 1
    return purged
