"""Video for agencies: grants, break-glass, extensions, stream tokens, the
gateway's checks, and the sweep that ends expired grants.

Every view attempt — granted or refused — is written to the hash-chained
access log in its own transaction before a refusal is raised, so a refusal
is never lost with a rolled-back change.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from smartcity.accounts.models import User
from smartcity.core.services import record_audit
from smartcity.operations.choices import AccessStep, TimelineAction
from smartcity.operations.domain.areas import Area
from smartcity.operations.domain.stream_token import (
    StreamClaims,
    TokenRefused,
    read_token,
    sign_token,
)
from smartcity.operations.domain.video_rules import (
    EscapeRoute,
    ExtendRefusal,
    GrantDecision,
    GrantFacts,
    Session,
    ViewFacts,
    ViewRefusal,
    decide_grant,
    decide_view,
    escape_route_refusal,
    extended_expiry,
    session_of,
)
from smartcity.operations.errors import VideoRefused
from smartcity.operations.models import (
    Agency,
    Camera,
    Incident,
    StreamTokenUse,
    Tenant,
    VideoGrant,
)
from smartcity.operations.selectors.cameras import cameras_along_bearing, nearest_cameras
from smartcity.operations.selectors.linkage import certified_until, officer_agency
from smartcity.operations.selectors.situations import area_camera_ids
from smartcity.operations.services.incidents import lock_incident, record_timeline
from smartcity.operations.services.video_log import append_access_entry
from smartcity.realtime.services import publish


def session_seconds() -> int:
    return int(settings.OPERATIONS_VIDEO_SESSION_SECONDS)


def grant_session(grant: VideoGrant, now: dt.datetime | None = None) -> Session:
    """The grant's viewing session on the server's clock (revoked = over)."""
    now = now or timezone.now()
    if grant.revoked_at is not None or grant.incident.status.is_final:
        return session_of(now, now, 0)
    return session_of(now, grant.expires_at, int(settings.OPERATIONS_VIDEO_WARNING_SECONDS))


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


def _announce_grant(grant: VideoGrant, kind: str) -> None:
    publish(
        channel=grant.agency.channel,
        kind=kind,
        data={"grant": grant.pk, "incident": grant.incident_id,
              "expires_at": grant.expires_at.astimezone(dt.UTC).isoformat()},
    )  # fmt: skip


def _crime_data(decision: GrantDecision) -> dict[str, str]:
    """For police grants: which of the seven types, as which variant, under which statute."""
    if decision.crime is None:
        return {}
    crime = decision.crime
    return {"crime_type": crime.crime_type.value, "crime": crime.variant, "law": crime.law}


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
        agency = Agency.objects.filter(pk=agency_id, is_active=True, tenants=tenant).first()
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
    record_timeline(
        incident, TimelineAction.VIDEO_GRANTED, actor=actor,
        data={"grant": grant.pk, "agency": agency.name_ko, "cameras": len(cameras),
              "ground": grant.legal_ground, "until": grant.expires_at.isoformat(),
              **_crime_data(decision)},
    )  # fmt: skip
    _announce_grant(grant, "grant")
    record_audit(
        actor=actor,
        action="operations.video_granted",
        object_type="operations.videogrant",
        object_id=grant.pk,
        data={"incident": incident.pk, "agency": agency.code, "cameras": len(cameras),
              "ground": grant.legal_ground},
    )  # fmt: skip
    return grant


def _break_glass_incident(
    agency: Agency, *, sender: str, external_id: str, incident_id: int | None
) -> tuple[Incident | None, str]:
    """The one incident of the agency's linked centres the officer named, or
    the refusal: ``not_found``, or ``incident_ambiguous`` when the number is
    not unique (two centres received the same 112 number), so the officer
    must name the incident by its id rather than get the wrong one."""
    linked = Incident.objects.select_related("status", "tenant", "event_type").filter(
        tenant__in=agency.tenants.all()
    )
    if incident_id is not None:
        found = list(linked.filter(pk=incident_id)[:1])
    else:
        number = external_id.strip()
        if not sender or not number:
            return None, ViewRefusal.NOT_FOUND
        # An occurrence number is the sender's: a 119 report may reuse a 112 number.
        found = list(linked.filter(sender=sender, external_id=number).order_by("id")[:2])
    if not found:
        return None, ViewRefusal.NOT_FOUND
    if len(found) > 1:
        return None, ViewRefusal.INCIDENT_AMBIGUOUS
    return found[0], ""


def break_glass_grant(
    *, officer: Any, justification: str, sender: str = "", external_id: str = "",
    incident_id: int | None = None,
) -> VideoGrant:  # fmt: skip
    """An officer takes video of an incident the centre has not shared yet,
    giving a justification. The video rules still apply (police: the seven
    crime types; certified officers only). Recorded on the incident's
    timeline, in the access log (flagged) and in the monthly review.

    The incident is named unambiguously: by its sender (112, 119, ...) and
    that sender's occurrence number, or by its id.
    """
    agency = officer_agency(officer)
    now = timezone.now()
    refusal: str = ""
    grant: VideoGrant | None = None
    incident: Incident | None = None
    with transaction.atomic():
        if agency is None:
            refusal = ViewRefusal.NOT_AN_OFFICER
        elif certified_until(officer, agency, now) is None:
            refusal = ViewRefusal.NOT_CERTIFIED
        else:
            incident, refusal = _break_glass_incident(
                agency, sender=sender, external_id=external_id, incident_id=incident_id
            )
        if not refusal and incident is not None and agency is not None:
            incident = lock_incident(incident.pk, incident.tenant)
            cameras = scene_camera_ids(incident)
            decision = decide_grant(
                GrantFacts(
                    agency_kind=agency.kind,
                    sender=incident.sender,
                    case_type=incident.case_type,
                    incident_final=incident.status.is_final,
                    camera_count=len(cameras),
                    break_glass=True,
                    justification=justification,
                )
            )
            if decision.ground is None:
                refusal = str(decision.refusal)
            else:
                grant = VideoGrant.objects.create(
                    tenant=incident.tenant, incident=incident, agency=agency,
                    legal_ground=decision.ground.value, granted_by=officer,
                    granted_by_label=str(officer), break_glass=True,
                    justification=justification.strip(), created_at=now,
                    expires_at=now + dt.timedelta(seconds=session_seconds()),
                )  # fmt: skip
                grant.cameras.set(cameras)
                record_timeline(
                    incident, TimelineAction.VIDEO_BREAK_GLASS, actor=officer,
                    note=justification.strip(),
                    data={"grant": grant.pk, "agency": agency.name_ko, "cameras": len(cameras),
                          **_crime_data(decision)},
                )  # fmt: skip
                _announce_grant(grant, "grant")
        append_access_entry(
            step=AccessStep.BREAK_GLASS, granted=grant is not None, reason=refusal,
            officer=officer, agency=agency, tenant=incident.tenant if incident else None,
            incident_id=incident.pk if incident else None, grant=grant,
            legal_ground=grant.legal_ground if grant else "", break_glass=True,
            justification=justification.strip(), viewed_from=now if grant else None,
            viewed_until=grant.expires_at if grant else None,
        )  # fmt: skip
        record_audit(
            actor=officer,
            action="operations.video_break_glass",
            object_type="operations.videogrant",
            object_id=grant.pk if grant else "",
            data={"sender": sender, "external_id": external_id, "incident_id": incident_id,
                  "refusal": refusal, "agency": agency.code if agency else ""},
        )  # fmt: skip
    if grant is None:
        raise VideoRefused(refusal)
    return grant


def _officer_refusal(officer: Any, grant: VideoGrant, now: dt.datetime) -> ViewRefusal | None:
    """Why this officer may not act on this grant now (camera aside)."""
    agency = officer_agency(officer)
    return decide_view(
        ViewFacts(
            now=now,
            officer_agency_id=agency.pk if agency else None,
            certified_until=certified_until(officer, agency, now) if agency else None,
            grant_agency_id=grant.agency_id,
            grant_expires_at=grant.expires_at,
            grant_revoked=grant.revoked_at is not None,
            incident_final=grant.incident.status.is_final,
            camera_in_grant=True,
        )
    )


def extend_grant(*, officer: Any, grant_id: int) -> VideoGrant:
    """The officer extends the running session by a fresh session length."""
    now = timezone.now()
    with transaction.atomic():
        grant = (
            VideoGrant.objects.select_for_update(of=("self",))
            .select_related("incident__status", "agency")
            .filter(pk=grant_id)
            .first()
        )
        if grant is None:
            raise VideoRefused(ViewRefusal.NOT_FOUND)
        refusal = _officer_refusal(officer, grant, now)
        if refusal is not None:
            raise VideoRefused(refusal)
        outcome = extended_expiry(
            now=now, expires_at=grant.expires_at, session_s=session_seconds(),
            extensions=grant.extensions,
            max_extensions=int(settings.OPERATIONS_VIDEO_MAX_EXTENSIONS),
        )  # fmt: skip
        if isinstance(outcome, ExtendRefusal):
            raise VideoRefused(outcome.value)
        previous = grant.expires_at
        grant.expires_at = outcome
        grant.extensions += 1
        grant.save(update_fields=["expires_at", "extensions"])
        record_timeline(
            grant.incident, TimelineAction.VIDEO_EXTENDED, actor=officer,
            data={"grant": grant.pk, "from": previous.isoformat(),
                  "until": grant.expires_at.isoformat()},
        )  # fmt: skip
        _announce_grant(grant, "grant")
        record_audit(
            actor=officer,
            action="operations.video_extended",
            object_type="operations.videogrant",
            object_id=grant.pk,
            data={"until": grant.expires_at.isoformat(), "extensions": grant.extensions},
        )
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
            record_timeline(
                grant.incident, TimelineAction.VIDEO_REVOKED, actor=actor, note=reason.strip(),
                data={"grant": grant.pk, "agency": grant.agency.name_ko},
            )  # fmt: skip
            _announce_grant(grant, "grant_ended")
            record_audit(
                actor=actor,
                action="operations.video_revoked",
                object_type="operations.videogrant",
                object_id=grant.pk,
            )
    return grant


def _token_key() -> bytes:
    return salted_hmac("smartcity.operations.stream-token", "v1").digest()


@dataclass(frozen=True)
class StreamTicket:
    token: str
    expires_at: dt.datetime
    session: Session


def _load_grant(grant_id: int) -> VideoGrant | None:
    return (
        VideoGrant.objects.select_related("incident__status", "agency", "tenant")
        .filter(pk=grant_id)
        .first()
    )


def _judge(
    officer: Any, grant: VideoGrant | None, camera_id: int, now: dt.datetime
) -> tuple[ViewRefusal | None, Agency | None, bool]:
    """(refusal, the officer's agency, whether the camera id exists)."""
    agency = officer_agency(officer)
    camera_exists = Camera.objects.filter(pk=camera_id).exists()
    if grant is None:
        missing = ViewRefusal.NOT_FOUND if agency else ViewRefusal.NOT_AN_OFFICER
        return missing, agency, camera_exists
    refusal = decide_view(
        ViewFacts(
            now=now,
            officer_agency_id=agency.pk if agency else None,
            certified_until=certified_until(officer, agency, now) if agency else None,
            grant_agency_id=grant.agency_id,
            grant_expires_at=grant.expires_at,
            grant_revoked=grant.revoked_at is not None,
            incident_final=grant.incident.status.is_final,
            camera_in_grant=grant.cameras.filter(pk=camera_id).exists(),
        )
    )
    return refusal, agency, camera_exists


def _log_view(
    step: str, officer: Any, agency: Agency | None, grant: VideoGrant | None,
    camera_id: int | None, refusal: str | None, now: dt.datetime,
) -> None:  # fmt: skip
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


def request_stream(*, officer: Any, grant_id: int, camera_id: int) -> StreamTicket:
    """A signed token to open one camera of one grant, valid a few seconds.

    Logged either way; raises ``VideoRefused`` with the rule's reason.
    """
    now = timezone.now()
    with transaction.atomic():
        grant = _load_grant(grant_id)
        refusal, agency, camera_exists = _judge(officer, grant, camera_id, now)
        _log_view(
            AccessStep.REQUEST, officer, agency, grant, camera_id if camera_exists else None,
            refusal, now,
        )  # fmt: skip
    if refusal is not None or grant is None:
        raise VideoRefused(str(refusal))
    expires = now + dt.timedelta(seconds=int(settings.OPERATIONS_STREAM_TOKEN_SECONDS))
    claims = StreamClaims(
        officer_id=int(officer.pk), camera_id=camera_id, grant_id=grant.pk,
        nonce=secrets.token_urlsafe(18), expires_at=int(expires.timestamp()),
    )  # fmt: skip
    return StreamTicket(sign_token(_token_key(), claims), expires, grant_session(grant, now))


@dataclass(frozen=True)
class OpenedStream:
    camera: Camera
    grant: VideoGrant
    viewer: str


def open_stream(*, token: str, viewer: Any) -> OpenedStream:
    """The gateway's check on every open: a genuine, unexpired token of this
    very viewer, never opened before, under a grant that still allows the
    camera now. Logged either way; raises ``VideoRefused``."""
    now = timezone.now()
    refusal: str | None = None
    grant: VideoGrant | None = None
    camera_id: int | None = None
    agency = officer_agency(viewer)
    try:
        claims: StreamClaims | None = read_token(_token_key(), token, now.timestamp())
    except TokenRefused as exc:
        claims, refusal = None, exc.problem.value
    with transaction.atomic():
        if claims is not None:
            grant = _load_grant(claims.grant_id)
            if not getattr(viewer, "is_authenticated", False) or viewer.pk != claims.officer_id:
                refusal = ViewRefusal.TOKEN_MISMATCH
            else:
                try:
                    with transaction.atomic():
                        StreamTokenUse.objects.create(
                            nonce=claims.nonce, grant_id=claims.grant_id, used_at=now
                        )
                except IntegrityError:
                    refusal = ViewRefusal.TOKEN_REPLAYED
            if refusal is None:
                refusal, agency, exists = _judge(viewer, grant, claims.camera_id, now)
                camera_id = claims.camera_id if exists else None
            elif Camera.objects.filter(pk=claims.camera_id).exists():
                camera_id = claims.camera_id
        _log_view(AccessStep.OPEN, viewer, agency, grant, camera_id, refusal, now)
    if refusal is not None or grant is None or camera_id is None:
        raise VideoRefused(str(refusal or ViewRefusal.NOT_FOUND))
    camera = Camera.objects.get(pk=camera_id)  # with its stream endpoint, for the VMS only
    return OpenedStream(camera=camera, grant=grant, viewer=viewer.get_username())


def expire_grants(*, now: dt.datetime | None = None) -> int:
    """The sweep: stamp ``ended_at`` on grants whose session ran out or whose
    incident closed, and forget old token nonces. Access never waits for it:
    every view checks the clock itself."""
    now = now or timezone.now()
    due = list(
        VideoGrant.objects.filter(ended_at__isnull=True)
        .filter(Q(expires_at__lte=now) | Q(incident__status__is_final=True))
        .values_list("pk", flat=True)
    )
    ended = 0
    for grant_id in due:
        with transaction.atomic():
            grant = (
                VideoGrant.objects.select_for_update(of=("self",))
                .select_related("incident__status", "agency")
                .filter(pk=grant_id, ended_at__isnull=True)
                .first()
            )
            if grant is None:
                continue
            grant.ended_at = now
            grant.save(update_fields=["ended_at"])
            cause = "incident_closed" if grant.incident.status.is_final else "expired"
            record_timeline(
                grant.incident, TimelineAction.VIDEO_ENDED, label="system",
                data={"grant": grant.pk, "agency": grant.agency.name_ko, "cause": cause},
            )  # fmt: skip
            _announce_grant(grant, "grant_ended")
            record_audit(
                actor=None,
                actor_label="system",
                action="operations.video_ended",
                object_type="operations.videogrant",
                object_id=grant.pk,
                data={"cause": cause},
            )
            ended += 1
    cutoff = now - dt.timedelta(hours=1)
    StreamTokenUse.objects.filter(used_at__lt=cutoff).delete()
    return ended
