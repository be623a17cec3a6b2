"""Stream tokens and the gateway: an officer asks for one camera of one
grant, the gateway checks the token on every open. Logged either way."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from smartcity.operations.choices import AccessStep
from smartcity.operations.domain.stream_token import (
    StreamClaims,
    TokenRefused,
    read_token,
    sign_token,
)
from smartcity.operations.domain.video_rules import Session, ViewRefusal
from smartcity.operations.errors import VideoRefused
from smartcity.operations.media.supervisor import stop_grant_gateways
from smartcity.operations.models import Agency, Camera, StreamTokenUse, VideoGrant
from smartcity.operations.selectors.linkage import officer_agency
from smartcity.operations.services.video.sessions import (
    grant_end,
    grant_session,
    log_attempt,
    officer_refusal,
)
from smartcity.operations.services.video.viewing import close_grant_sessions, record_frame

# Refusals that end an officer's viewing of the grant: their open sessions close.
_ENDS_VIEWING = frozenset(
    {ViewRefusal.EXPIRED, ViewRefusal.REVOKED, ViewRefusal.INCIDENT_CLOSED,
     ViewRefusal.NOT_CERTIFIED}
)  # fmt: skip


def _close_if_ended(
    grant: VideoGrant | None, officer: Any, refusal: str | None, now: dt.datetime
) -> None:
    """The officer's open sessions of the grant close at its real end."""
    if grant is None or refusal not in _ENDS_VIEWING:
        return
    end = grant_end(grant, officer, now)
    if end is not None:
        close_grant_sessions(grant, end, officer=officer)
    # The viewer's gateways of the grant stop too (ADR 0021).
    grant_pk, viewer_pk = grant.pk, getattr(officer, "pk", None)
    transaction.on_commit(lambda: stop_grant_gateways(grant_pk, viewer_id=viewer_pk))


def _token_key() -> bytes:
    return salted_hmac("smartcity.operations.stream-token", "v1").digest()


@dataclass(frozen=True)
class StreamTicket:
    token: str
    expires_at: dt.datetime
    session: Session


def _load_grant(grant_id: int, *, lock: bool = False) -> VideoGrant | None:
    grants = VideoGrant.objects.select_related("incident__status", "agency", "tenant")
    if lock:
        grants = grants.select_for_update(of=("self",))
    return grants.filter(pk=grant_id).first()


def _judge(
    officer: Any, grant: VideoGrant | None, camera_id: int, now: dt.datetime
) -> tuple[ViewRefusal | None, Agency | None, bool]:
    """(refusal, the officer's agency, whether the camera id exists)."""
    agency = officer_agency(officer)
    camera_exists = Camera.objects.filter(pk=camera_id).exists()
    if grant is None:
        missing = ViewRefusal.NOT_FOUND if agency else ViewRefusal.NOT_AN_OFFICER
        return missing, agency, camera_exists
    in_grant = grant.cameras.filter(pk=camera_id).exists()
    refusal = officer_refusal(officer, agency, grant, now, camera_in_grant=in_grant)
    return refusal, agency, camera_exists


def request_stream(*, officer: Any, grant_id: int, camera_id: int) -> StreamTicket:
    """A signed token to open one camera of one grant, valid a few seconds.

    A refusal is logged (and ends the officer's sessions of the grant when
    the grant is over); raises ``VideoRefused`` with the rule's reason. A
    token issued is not a view: the frame it opens is (``open_stream``).
    """
    now = timezone.now()
    with transaction.atomic():
        grant = _load_grant(grant_id)
        refusal, agency, camera_exists = _judge(officer, grant, camera_id, now)
        if refusal is not None:
            log_attempt(
                AccessStep.REQUEST, officer, agency, grant,
                camera_id if camera_exists else None, refusal, now,
            )  # fmt: skip
            _close_if_ended(grant, officer, refusal, now)
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
    camera now. A frame served counts on the viewer's session of the camera
    (``viewing.record_frame``: the first one opens it in the chained log); a
    refusal is logged on its own. Raises ``VideoRefused``."""
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
            # Locked like the centre's stop, the sweep and an extension lock
            # it: a frame is judged and counted wholly before or after a
            # stop, never judged live and then counted on a new session
            # after the stop closed the old one (PostgreSQL; SQLite's
            # IMMEDIATE transactions serialise the two anyway).
            grant = _load_grant(claims.grant_id, lock=True)
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
        if refusal is None and grant is not None and camera_id is not None:
            record_frame(grant=grant, camera_id=camera_id, officer=viewer, agency=agency, now=now)
        else:
            log_attempt(AccessStep.OPEN, viewer, agency, grant, camera_id, refusal, now)
            _close_if_ended(grant, viewer, refusal, now)
    if refusal is not None or grant is None or camera_id is None:
        raise VideoRefused(str(refusal or ViewRefusal.NOT_FOUND))
    camera = Camera.objects.get(pk=camera_id)  # with its stream endpoint, for the VMS only
    return OpenedStream(camera=camera, grant=grant, viewer=viewer.get_username())
