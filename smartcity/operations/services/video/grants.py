"""Grants of video: the centre grants some cameras of an incident to a
linked agency, an officer extends the running session, the centre revokes.

A refused grant or extension is written to the access log (and the audit
log) and committed before the refusal is raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from smartcity.accounts.models import User
from smartcity.core.services import record_audit
from smartcity.operations.choices import AccessStep, TimelineAction
from smartcity.operations.domain.areas import Area
from smartcity.operations.domain.video_rules import (
    EscapeRoute,
    ExtendRefusal,
    GrantDecision,
    GrantFacts,
    SessionEnd,
    ViewRefusal,
    decide_grant,
    escape_route_refusal,
    extended_expiry,
)
from smartcity.operations.errors import VideoRefused
from smartcity.operations.media.supervisor import stop_grant_gateways
from smartcity.operations.models import Agency, Camera, Incident, Tenant, VideoGrant
from smartcity.operations.selectors.crime_rules import video_crime_table
from smartcity.operations.selectors.linkage import linked_agencies, officer_agency
from smartcity.operations.services.incidents import lock_incident, record_timeline
from smartcity.operations.services.video.sessions import (
    log_attempt,
    offered_camera_ids,
    officer_refusal,
    session_seconds,
)
from smartcity.operations.services.video.viewing import close_grant_sessions
from smartcity.operations.services.video_log import append_access_entry
from smartcity.realtime.services import publish


def announce_grant(grant: VideoGrant, kind: str) -> None:
    publish(
        channel=grant.agency.channel,
        kind=kind,
        data={"grant": grant.pk, "incident": grant.incident_id,
              "expires_at": grant.expires_at.astimezone(dt.UTC).isoformat()},
    )  # fmt: skip


def crime_data(decision: GrantDecision) -> dict[str, str]:
    """For police grants: which of the seven types, as which variant, under which statute."""
    if decision.crime is None:
        return {}
    crime = decision.crime
    return {"crime_type": str(crime.crime_type), "crime": crime.variant, "law": crime.law}


_MAX_ID = 2**63 - 1
_LISTED = 20
"""How many refused camera ids a message or an audit row names."""


def record_grant_refusal(
    *, tenant: Tenant, incident: Incident, agency: Agency | None, actor: Any, refusal: str,
    agency_id: int, unoffered: Sequence[int] = (),
) -> None:  # fmt: skip
    """A refused grant in the access log (and the audit log), in the caller's
    transaction: the caller commits it, then raises the refusal."""
    sane = [c for c in unoffered if isinstance(c, int) and 0 < c <= _MAX_ID]
    camera_id = (
        Camera.objects.filter(pk__in=sane, tenant=tenant).order_by("pk")
        .values_list("pk", flat=True).first()
    )  # fmt: skip
    append_access_entry(
        step=AccessStep.GRANT, granted=False, reason=refusal, officer=actor, agency=agency,
        tenant=tenant, incident_id=incident.pk, camera_id=camera_id,
    )  # fmt: skip
    record_audit(
        actor=actor,
        action="operations.video_grant_refused",
        object_type="operations.incident",
        object_id=incident.pk,
        data={"agency": agency.code if agency else agency_id, "refusal": refusal,
              "not_offered": sane[:_LISTED], "not_offered_count": len(unoffered)},
    )  # fmt: skip


def grant_video(
    *, tenant: Tenant, incident_id: int, agency_id: int, camera_ids: Sequence[int], actor: Any,
    escape: EscapeRoute | None = None, area: Area | None = None,
) -> VideoGrant:  # fmt: skip
    """The centre shares the video of some of its cameras with a linked agency.

    Refused (``VideoRefused``) unless ``decide_grant`` allows it: police only
    for the seven crime types, fire and disaster rooms only for their
    incidents, and only cameras the rules offered (``offered_camera_ids``:
    around the scene, along ``escape``, inside ``area``) — a crafted request
    for any other camera of the centre refuses the whole grant. Every refusal
    is written to the access log before it is raised.
    """
    refusal = ""
    unoffered: list[int] = []
    with transaction.atomic():
        incident = lock_incident(incident_id, tenant)
        agency = linked_agencies(tenant).filter(pk=agency_id).first()
        requested = list(dict.fromkeys(camera_ids))
        route_refusal = escape_route_refusal(escape) if escape is not None else None
        decision: GrantDecision | None = None
        if agency is None:
            refusal = "agency_not_linked"
        elif route_refusal is not None:
            refusal = route_refusal.value
        else:
            offered = offered_camera_ids(incident, escape=escape, area=area)
            unoffered = [c for c in requested if c not in offered]
            decision = decide_grant(
                GrantFacts(
                    agency_kind=agency.kind,
                    sender=incident.sender,
                    case_type=incident.case_type,
                    incident_final=incident.status.is_final,
                    camera_count=len(requested) - len(unoffered),
                    cameras_not_offered=len(unoffered),
                    crimes=video_crime_table(),
                )
            )
            if decision.ground is None:
                refusal = str(decision.refusal)
        grant: VideoGrant | None = None
        if not refusal and agency is not None and decision is not None:
            grant = _create_grant(tenant, incident, agency, decision, requested, actor)
        else:
            record_grant_refusal(
                tenant=tenant, incident=incident, agency=agency, actor=actor, refusal=refusal,
                unoffered=unoffered, agency_id=agency_id,
            )  # fmt: skip
    if grant is None:
        listed = ", ".join(str(c) for c in unoffered[:_LISTED])
        raise VideoRefused(refusal, cameras=listed + (" …" if len(unoffered) > _LISTED else ""))
    return grant


def _create_grant(
    tenant: Tenant, incident: Incident, agency: Agency, decision: GrantDecision,
    camera_ids: list[int], actor: Any,
) -> VideoGrant:  # fmt: skip
    assert decision.ground is not None
    now = timezone.now()
    cameras = list(Camera.objects.filter(pk__in=camera_ids, tenant=tenant).only("pk"))
    grant = VideoGrant.objects.create(
        tenant=tenant, incident=incident, agency=agency, legal_ground=decision.ground.value,
        granted_by=actor if isinstance(actor, User) else None,
        granted_by_label=str(actor) if isinstance(actor, User) else "system",
        created_at=now, expires_at=now + dt.timedelta(seconds=session_seconds()),
    )  # fmt: skip
    grant.cameras.set(cameras)
    _record_grant_change(
        grant, TimelineAction.VIDEO_GRANTED, actor=actor,
        timeline={"agency": agency.name_ko, "cameras": len(cameras),
                  "ground": grant.legal_ground, "until": grant.expires_at.isoformat(),
                  **crime_data(decision)},
        audit_action="operations.video_granted",
        audit={"incident": incident.pk, "agency": agency.code, "cameras": len(cameras),
               "ground": grant.legal_ground},
    )  # fmt: skip
    return grant


def _record_grant_change(
    grant: VideoGrant, action: TimelineAction, *, actor: Any, timeline: Mapping[str, Any],
    audit_action: str, audit: Mapping[str, Any] | None = None, note: str = "",
    kind: str = "grant",
) -> None:  # fmt: skip
    """A grant given, extended or revoked: on the incident's timeline, to the
    agency's channel (``kind``) and in the audit log, in the caller's transaction."""
    record_timeline(
        grant.incident, action, actor=actor, note=note, data={"grant": grant.pk, **timeline}
    )
    announce_grant(grant, kind)
    record_audit(
        actor=actor,
        action=audit_action,
        object_type="operations.videogrant",
        object_id=grant.pk,
        data=audit,
    )


def record_extend_refusal(
    *, officer: Any, agency: Agency | None, grant: VideoGrant | None, grant_id: int,
    refusal: str, now: dt.datetime,
) -> None:  # fmt: skip
    """A refused extension in the access log (and the audit log), in the
    caller's transaction: the caller commits it, then raises the refusal."""
    log_attempt(AccessStep.EXTEND, officer, agency, grant, None, refusal, now)
    record_audit(
        actor=officer,
        action="operations.video_extend_refused",
        object_type="operations.videogrant",
        object_id=grant_id,
        data={"agency": agency.code if agency else "", "refusal": refusal},
    )


def extend_grant(*, officer: Any, grant_id: int) -> VideoGrant:
    """The officer extends the running session by a fresh session length.

    Refused (``VideoRefused``) for a grant the officer may not act on, a
    session that has ended, or one extended too often. Like a refused grant,
    every refusal is written to the access log before it is raised.
    """
    now = timezone.now()
    refusal = ""
    with transaction.atomic():
        grant = (
            VideoGrant.objects.select_for_update(of=("self",))
            .select_related("incident__status", "agency", "tenant")
            .filter(pk=grant_id)
            .first()
        )
        agency = officer_agency(officer)
        if grant is None:
            refusal = ViewRefusal.NOT_FOUND.value
        else:
            refusal = str(officer_refusal(officer, agency, grant, now) or "")
        until: dt.datetime | None = None
        if not refusal and grant is not None:
            outcome = extended_expiry(
                now=now, expires_at=grant.expires_at, session_s=session_seconds(),
                extensions=grant.extensions,
                max_extensions=int(settings.OPERATIONS_VIDEO_MAX_EXTENSIONS),
            )  # fmt: skip
            if isinstance(outcome, ExtendRefusal):
                refusal = outcome.value
            else:
                until = outcome
        if grant is None or until is None:
            record_extend_refusal(
                officer=officer, agency=agency, grant=grant, grant_id=grant_id, refusal=refusal,
                now=now,
            )  # fmt: skip
        else:
            previous = grant.expires_at
            grant.expires_at = until
            grant.extensions += 1
            grant.save(update_fields=["expires_at", "extensions"])
            _record_grant_change(
                grant, TimelineAction.VIDEO_EXTENDED, actor=officer,
                timeline={"from": previous.isoformat(), "until": grant.expires_at.isoformat()},
                audit_action="operations.video_extended",
                audit={"until": grant.expires_at.isoformat(), "extensions": grant.extensions},
                kind="grant_extended",
            )  # fmt: skip
    if grant is None or until is None:
        raise VideoRefused(refusal)
    return grant


def revoke_grant(*, tenant: Tenant, grant_id: int, actor: Any, reason: str = "") -> VideoGrant:
    """The centre stops sharing before the session ends."""
    now = timezone.now()
    with transaction.atomic():
        grant = (
            VideoGrant.objects.select_for_update(of=("self",))
            .select_related("incident", "agency")
            .filter(pk=grant_id, tenant=tenant)
            .first()
        )
        if grant is None:
            raise VideoRefused(ViewRefusal.NOT_FOUND)
        if grant.revoked_at is None:
            grant.revoked_at = now
            grant.revoked_by = actor if isinstance(actor, User) else None
            grant.ended_at = grant.ended_at or now
            grant.save(update_fields=["revoked_at", "revoked_by", "ended_at"])
            close_grant_sessions(grant, SessionEnd(ViewRefusal.REVOKED.value, now))
            grant_pk = grant.pk
            transaction.on_commit(lambda: stop_grant_gateways(grant_pk))
            _record_grant_change(
                grant, TimelineAction.VIDEO_REVOKED, actor=actor, note=reason.strip(),
                timeline={"agency": grant.agency.name_ko},
                audit_action="operations.video_revoked", kind="grant_ended",
            )  # fmt: skip
    return grant
