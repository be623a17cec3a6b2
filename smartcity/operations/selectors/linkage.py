"""Reads of the linkage services: agencies and their officers, grants, the
video access log and its monthly review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone

from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.core.domain.hash_chain import GENESIS_HASH, Anchor, ChainBreak, Head, Link
from smartcity.core.domain.spreadsheet import csv_row
from smartcity.core.models import AuditEvent
from smartcity.core.selectors import chain_anchor, verify_chain
from smartcity.municipalities.domain.geodesy import haversine_m
from smartcity.operations.domain.access_review import (
    AccessEntry,
    MonthlyReview,
    month_bounds,
    monthly_review,
)
from smartcity.operations.domain.video_rules import AgencyKind
from smartcity.operations.models import (
    Agency,
    Camera,
    Incident,
    OfficerCertification,
    Tenant,
    VideoAccessEntry,
    VideoAccessHead,
    VideoGrant,
)

_AGENCY_KINDS = frozenset(k.value for k in AgencyKind)


def officer_agency(user: Any) -> Agency | None:
    """The agency ``user`` is an officer of — decided by the account's
    organisation, never by anything a request carries."""
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return None
    if user.role != Role.AGENCY_OFFICER or user.organisation_id is None:
        return None
    return (
        Agency.objects.filter(
            organisation_id=user.organisation_id,
            organisation__kind__in=_AGENCY_KINDS,
            is_active=True,
        )
        .select_related("organisation")
        .first()
    )


def certified_until(
    officer: Any, agency: Agency, now: dt.datetime | None = None
) -> dt.datetime | None:
    """The end of the officer's current video certification for ``agency``, or ``None``."""
    if not isinstance(officer, User):
        return None
    now = now or timezone.now()
    latest: dt.datetime | None = OfficerCertification.objects.filter(
        officer=officer, agency=agency, revoked_at__isnull=True, certified_at__lte=now,
        expires_at__gt=now,
    ).aggregate(until=Max("expires_at"))["until"]  # fmt: skip
    return latest


def certification_end(officer: Any, agency: Agency, now: dt.datetime) -> dt.datetime | None:
    """When the officer's video certification for ``agency`` ends (or ended):
    the current one's end, else the latest past one's (its revocation if
    earlier); ``None`` if the officer was never certified."""
    current = certified_until(officer, agency, now)
    if current is not None or not isinstance(officer, User):
        return current
    ends = [
        min(c.expires_at, c.revoked_at) if c.revoked_at else c.expires_at
        for c in OfficerCertification.objects.filter(
            officer=officer, agency=agency, certified_at__lte=now
        ).only("expires_at", "revoked_at")
    ]
    past = [end for end in ends if end <= now]
    return max(past) if past else None


def agency_grants(agency: Agency) -> QuerySet[VideoGrant]:
    """Grants to one agency, newest first, with what the console shows."""
    return (
        VideoGrant.objects.filter(agency=agency)
        .select_related("incident__event_type", "incident__status", "incident__grade", "tenant")
        .order_by("-created_at", "-id")
    )


def incident_grants(incident: Incident) -> QuerySet[VideoGrant]:
    return (
        VideoGrant.objects.filter(incident=incident)
        .select_related("agency")
        .order_by("-created_at", "-id")
    )


def linked_agencies(tenant: Tenant) -> QuerySet[Agency]:
    """Agencies the centre may grant video to: linked to it, the link not
    stopped by the centre, the agency not stopped everywhere."""
    return Agency.objects.filter(
        links__tenant=tenant, links__stopped_at__isnull=True, is_active=True
    ).order_by("kind", "name_ko")


@dataclass(frozen=True, slots=True)
class GrantCamera:
    camera: Camera
    distance_m: float


def grant_cameras(grant: VideoGrant) -> list[GrantCamera]:
    """The grant's cameras, nearest to the scene first (stream addresses not loaded)."""
    incident = grant.incident
    lat, lon = float(incident.latitude), float(incident.longitude)
    cameras = grant.cameras.defer("stream_endpoint").order_by("pk")
    rows = [
        GrantCamera(c, haversine_m(lat, lon, float(c.latitude), float(c.longitude)))
        for c in cameras
    ]
    return sorted(rows, key=lambda row: (row.distance_m, row.camera.pk))


def access_entries(
    *, tenant: Tenant | None = None, start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> QuerySet[VideoAccessEntry]:  # fmt: skip
    """Access-log entries, oldest first; a tenant's own when ``tenant`` is given."""
    queryset = VideoAccessEntry.objects.order_by("id")
    if tenant is not None:
        queryset = queryset.filter(tenant=tenant)
    if start is not None:
        queryset = queryset.filter(at__gte=start)
    if end is not None:
        queryset = queryset.filter(at__lt=end)
    return queryset


CSV_HEADER = [
    "id", "at", "tenant", "officer", "agency", "step", "granted", "reason", "camera",
    "incident", "grant", "legal_ground", "viewed_from", "viewed_until", "break_glass",
    "justification", "hash", "frames", "last_frame_at",
]  # fmt: skip
"""The columns before ``hash`` are unchanged since the first export; a
closing entry (``step`` = ``close``) adds the frames its session served and
the last frame's time (ADR 0017), empty on every other row."""


def _iso(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).isoformat() if value else ""


def csv_rows(entries: QuerySet[VideoAccessEntry]) -> Iterator[list[object]]:
    """The export: one row per entry, UTC times, with the chain hash for checking.

    Free text (break-glass justifications, labels) is opened by the operator in a
    spreadsheet for the monthly review, so a cell that looks like a formula gets
    a leading apostrophe (``core.domain.spreadsheet.restore_csv_cell`` undoes it
    before re-hashing)."""
    for e in entries.select_related("tenant").iterator(chunk_size=2_000):
        yield csv_row([
            str(e.pk), _iso(e.at), e.tenant.code if e.tenant else "", e.officer_label,
            e.agency_label, e.step, "1" if e.granted else "0", e.reason,
            str(e.camera_id or ""), str(e.incident_id or ""), str(e.grant_id or ""),
            e.legal_ground, _iso(e.viewed_from), _iso(e.viewed_until),
            "1" if e.break_glass else "0", e.justification, e.hash,
            "" if e.frames is None else str(e.frames), _iso(e.last_frame_at),
        ])  # fmt: skip


def review_for_month(
    month: str, *, tenant: Tenant | None = None, agency: Agency | None = None, officer: str = ""
) -> MonthlyReview:
    """The monthly review of a tenant's (or the whole installation's) access
    log, of one agency or one officer when given."""
    start, end = month_bounds(month, timezone.get_current_timezone())
    entries = access_entries(tenant=tenant, start=start, end=end)
    if agency is not None:
        entries = entries.filter(agency=agency)
    if officer:
        entries = entries.filter(officer_label=officer)
    return monthly_review(
        month,
        (
            AccessEntry(
                id=e.pk,
                at=e.at,
                officer=e.officer_label,
                agency=e.agency_label,
                camera_id=e.camera_id,
                incident_id=e.incident_id,
                grant_id=e.grant_id,
                step=e.step,
                granted=e.granted,
                reason=e.reason,
                break_glass=e.break_glass,
                frames=e.frames,
            )
            for e in entries.iterator(chunk_size=2_000)
        ),
    )


def chain_fields(entry: VideoAccessEntry) -> dict[str, Any]:
    """What the chain covers of one entry (also what ``append`` hashed).

    A closing entry also covers its session's frame count and last frame;
    entries without them hash exactly as before those columns existed."""
    fields: dict[str, Any] = {
        "at": _iso(entry.at),
        "tenant": entry.tenant_id,
        "officer": entry.officer_id,
        "officer_label": entry.officer_label,
        "agency": entry.agency_id,
        "agency_label": entry.agency_label,
        "camera": entry.camera_id,
        "incident": entry.incident_id,
        "grant": entry.grant_id,
        "step": entry.step,
        "granted": entry.granted,
        "reason": entry.reason,
        "legal_ground": entry.legal_ground,
        "viewed_from": _iso(entry.viewed_from),
        "viewed_until": _iso(entry.viewed_until),
        "break_glass": entry.break_glass,
        "justification": entry.justification,
    }
    if entry.frames is not None:
        fields["frames"] = entry.frames
        fields["last_frame_at"] = _iso(entry.last_frame_at)
    return fields


ACCESS_CHAIN = "video-access"
PRUNED_ACTION = "operations.video_log_pruned"


def access_log_anchor(*, at: dt.datetime) -> Anchor | None:
    """The head to publish outside the database; ``None`` while the log is empty."""
    return chain_anchor(VideoAccessHead, chain=ACCESS_CHAIN, at=at)


def verify_access_log(*, anchor: Anchor | None = None) -> ChainBreak | None:
    """The first problem in the access log's chain (a changed entry, missing
    newest entries, a pruning anchor the audit log does not confirm, the
    published ``anchor``'s entry gone), or ``None``."""
    row = VideoAccessHead.objects.filter(pk=1).first()
    head = None if row is None else Head(last_id=row.last_id, last_hash=row.last_hash)
    start = GENESIS_HASH if row is None else row.anchor_hash
    if start != GENESIS_HASH:
        # Pruning records its start hash in the (keyed) audit chain: a start
        # moved in the head row alone would hide entries deleted from the front.
        recorded = (
            AuditEvent.objects.filter(action=PRUNED_ACTION)
            .order_by("-id")
            .values_list("data", flat=True)
            .first()
        )
        if not recorded or recorded.get("anchor") != start:
            return ChainBreak(None, "start_unrecorded")
    entries = (
        Link(e.pk, chain_fields(e), e.prev_hash, e.hash)
        for e in VideoAccessEntry.objects.order_by("id").iterator(chunk_size=2_000)
    )
    return verify_chain(entries, head=head, start=start, anchor=anchor)
