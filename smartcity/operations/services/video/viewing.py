"""Viewing sessions: the access log's one row per officer per camera.

The first frame an officer opens of a camera under a grant opens a session
and appends its chained ``open`` entry; later frames only count (``frames``,
``last_frame_at``) on the session row; the session closes when the grant
ends — at the real end time, with why — or when the console stops asking
for frames (``idle``), and the chained ``close`` entry seals the count
(docs/adr/0017). Everything here runs in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from smartcity.accounts.models import User
from smartcity.operations.choices import AccessStep
from smartcity.operations.domain.video_rules import SessionEnd
from smartcity.operations.models import Agency, VideoGrant, ViewingSession
from smartcity.operations.services.video_log import append_access_entry

IDLE = "idle"
"""Close reason of a session whose console stopped asking for frames."""


def idle_seconds() -> int:
    return int(settings.OPERATIONS_VIDEO_IDLE_SECONDS)


def _open_sessions(grant: VideoGrant, officer: Any = None) -> Any:
    sessions = ViewingSession.objects.select_for_update(of=("self",)).filter(
        grant=grant, closed_at__isnull=True
    )
    if officer is not None:
        sessions = sessions.filter(officer=officer)
    return sessions.order_by("id")


def close_session(session: ViewingSession, *, cause: str, at: dt.datetime) -> ViewingSession:
    """Close one session at ``at`` (never before it opened) and seal its count
    in the chain with a ``close`` entry."""
    grant = session.grant
    at = max(at, session.opened_at)
    entry = append_access_entry(
        step=AccessStep.CLOSE, granted=True, reason=cause, officer=session.officer,
        agency=session.agency, tenant=session.tenant, grant=grant, camera_id=session.camera_id,
        incident_id=grant.incident_id, legal_ground=grant.legal_ground,
        viewed_from=session.opened_at, viewed_until=at, break_glass=grant.break_glass,
        frames=session.frames, last_frame_at=session.last_frame_at,
    )  # fmt: skip
    session.closed_at, session.close_reason, session.closed_entry = at, cause, entry
    session.save(update_fields=["closed_at", "close_reason", "closed_entry"])
    return session


def close_grant_sessions(grant: VideoGrant, end: SessionEnd, *, officer: Any = None) -> int:
    """Close the grant's open sessions (one officer's, when given) at the
    grant's real end, with its cause. Returns how many."""
    sessions = list(_open_sessions(grant, officer).select_related("grant", "agency", "officer"))
    for session in sessions:
        close_session(session, cause=end.cause, at=end.at)
    return len(sessions)


def close_idle_sessions(*, now: dt.datetime) -> int:
    """The sweep: sessions no frame was asked for since the idle limit close
    at their last frame."""
    cutoff = now - dt.timedelta(seconds=idle_seconds())
    due = list(
        ViewingSession.objects.filter(closed_at__isnull=True, last_frame_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    closed = 0
    for pk in due:
        with transaction.atomic():
            session = (
                ViewingSession.objects.select_for_update(of=("self",))
                .select_related("grant", "agency", "officer")
                .filter(pk=pk, closed_at__isnull=True, last_frame_at__lt=cutoff)
                .first()
            )
            if session is not None:
                close_session(session, cause=IDLE, at=session.last_frame_at)
                closed += 1
    return closed


def record_frame(
    *, grant: VideoGrant, camera_id: int, officer: Any, agency: Agency | None, now: dt.datetime
) -> ViewingSession:
    """One frame served: counted on the officer's open session of this
    camera, or a new session (and its chained ``open`` entry) when there is
    none or the last one went idle."""
    user = officer if isinstance(officer, User) else None
    open_now = (
        ViewingSession.objects.select_for_update(of=("self",))
        .select_related("grant", "agency", "officer")
        .filter(grant=grant, camera_id=camera_id, officer=user, closed_at__isnull=True)
        .first()
    )
    if open_now is not None and open_now.last_frame_at < now - dt.timedelta(seconds=idle_seconds()):
        close_session(open_now, cause=IDLE, at=open_now.last_frame_at)
        open_now = None
    if open_now is None:
        try:
            with transaction.atomic():
                return _open_session(grant, camera_id, user, agency, now)
        except IntegrityError:
            # Another frame of the same camera opened it a moment ago.
            open_now = ViewingSession.objects.get(
                grant=grant, camera_id=camera_id, officer=user, closed_at__isnull=True
            )
    ViewingSession.objects.filter(pk=open_now.pk).update(frames=F("frames") + 1, last_frame_at=now)
    open_now.refresh_from_db(fields=["frames", "last_frame_at"])
    return open_now


def _open_session(
    grant: VideoGrant, camera_id: int, user: User | None, agency: Agency | None,
    now: dt.datetime,
) -> ViewingSession:  # fmt: skip
    assert agency is not None  # a frame is served only to an officer of the grant's agency
    entry = append_access_entry(
        step=AccessStep.OPEN, granted=True, officer=user, agency=agency, tenant=grant.tenant,
        grant=grant, camera_id=camera_id, incident_id=grant.incident_id,
        legal_ground=grant.legal_ground, viewed_from=now, viewed_until=grant.expires_at,
        break_glass=grant.break_glass,
    )  # fmt: skip
    return ViewingSession.objects.create(
        tenant=grant.tenant, grant=grant, camera_id=camera_id, officer=user,
        officer_label=user.get_username() if user else "", agency=agency, opened_at=now,
        frames=1, last_frame_at=now, opened_entry=entry,
    )  # fmt: skip
