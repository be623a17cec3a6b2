"""The viewing session of a grant: its length, the cameras the rules offer,
whether an officer may act on it now, and the access-log line of an attempt."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from smartcity.operations.choices import AccessStep
from smartcity.operations.domain.areas import Area
from smartcity.operations.domain.video_rules import (
    EscapeRoute,
    Session,
    SessionEnd,
    ViewFacts,
    ViewRefusal,
    decide_view,
    session_end,
    session_of,
)
from smartcity.operations.models import Agency, Incident, VideoGrant
from smartcity.operations.selectors.cameras import cameras_along_bearing, nearest_cameras
from smartcity.operations.selectors.linkage import certification_end, certified_until
from smartcity.operations.selectors.situations import area_camera_ids
from smartcity.operations.services.video_log import append_access_entry


def session_seconds() -> int:
    return int(settings.OPERATIONS_VIDEO_SESSION_SECONDS)


def grant_session(grant: VideoGrant, now: dt.datetime | None = None) -> Session:
    """The grant's viewing session on the server's clock (revoked = over)."""
    now = now or timezone.now()
    if grant.revoked_at is not None or grant.incident.status.is_final:
        return session_of(now, now, 0)
    return session_of(now, grant.expires_at, int(settings.OPERATIONS_VIDEO_WARNING_SECONDS))


def grant_end(
    grant: VideoGrant, officer: Any = None, now: dt.datetime | None = None
) -> SessionEnd | None:
    """Why and when the grant's viewing really ended for ``officer`` (the
    grant alone when ``None``): stopped by the centre, incident closed,
    certification expired, or its time ran out; ``None`` while it runs."""
    now = now or timezone.now()
    certified: dt.datetime | None = now + dt.timedelta(days=1)
    if officer is not None:
        certified = certification_end(officer, grant.agency, now)
    return grant_end_with(grant, certified, now)


def grant_end_with(
    grant: VideoGrant, certified: dt.datetime | None, now: dt.datetime
) -> SessionEnd | None:
    """``grant_end`` with the officer's certification end already known
    (a console of many grants reads it once)."""
    return session_end(
        now=now, expires_at=grant.expires_at, revoked_at=grant.revoked_at,
        incident_ended_at=grant.incident.ended_at, incident_final=grant.incident.status.is_final,
        certified_until=certified,
    )  # fmt: skip


def scene_radius_m(incident: Incident) -> float:
    """How far around the scene cameras are offered: the dispatch radius for a
    112 dispatch order (Chungnam: 500 m), the video radius otherwise."""
    if incident.event_type_id == "112UC120":
        return float(settings.OPERATIONS_DISPATCH_RADIUS_M)
    return float(settings.OPERATIONS_VIDEO_RADIUS_M)


def scene_camera_ids(incident: Incident, *, k: int = 10) -> list[int]:
    hits = nearest_cameras(
        tenant=incident.tenant, lat=float(incident.latitude), lon=float(incident.longitude),
        k=k, radius_m=scene_radius_m(incident),
    )  # fmt: skip
    return [hit.camera.pk for hit in hits]


def offered_camera_ids(
    incident: Incident, *, escape: EscapeRoute | None = None, area: Area | None = None
) -> set[int]:
    """The cameras the rules offer for a grant of this incident: those around
    the scene (the incident page's list), those along the escape route the
    operator searched, and those inside a disaster area being shared."""
    offered = set(scene_camera_ids(incident))
    if escape is not None:
        hits = cameras_along_bearing(
            tenant=incident.tenant, lat=float(incident.latitude),
            lon=float(incident.longitude), bearing_deg=escape.bearing_deg,
            length_m=escape.length_m, corridor_m=escape.corridor_m,
        )  # fmt: skip
        offered.update(hit.camera.pk for hit in hits)
    if area is not None:
        offered.update(area_camera_ids(incident.tenant, area))
    return offered


def officer_refusal(
    officer: Any, agency: Agency | None, grant: VideoGrant, now: dt.datetime, *,
    camera_in_grant: bool = True,
) -> ViewRefusal | None:  # fmt: skip
    """Why this officer (of ``agency``) may not act on this grant now, or on
    one of its cameras (``camera_in_grant``); ``None`` when they may."""
    return decide_view(
        ViewFacts(
            now=now,
            officer_agency_id=agency.pk if agency else None,
            certified_until=certified_until(officer, agency, now) if agency else None,
            grant_agency_id=grant.agency_id,
            grant_expires_at=grant.expires_at,
            grant_revoked=grant.revoked_at is not None,
            incident_final=grant.incident.status.is_final,
            camera_in_grant=camera_in_grant,
        )
    )


def log_attempt(
    step: str, officer: Any, agency: Agency | None, grant: VideoGrant | None,
    camera_id: int | None, refusal: str | None, now: dt.datetime,
) -> None:  # fmt: skip
    """An officer's attempt on a grant in the access log, granted or refused
    (an opened stream carries the viewing period)."""
    granted = refusal is None
    append_access_entry(
        step=step, granted=granted, reason=refusal or "", officer=officer, agency=agency,
        tenant=grant.tenant if grant else None, grant=grant, camera_id=camera_id,
        incident_id=grant.incident_id if grant else None,
        legal_ground=grant.legal_ground if grant else "",
        viewed_from=now if granted and step == AccessStep.OPEN else None,
        viewed_until=grant.expires_at if granted and grant and step == AccessStep.OPEN else None,
        break_glass=grant.break_glass if grant else False,
    )  # fmt: skip
