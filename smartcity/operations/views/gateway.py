"""The video gateway: a single-use stream token for one camera of a grant,
and the only way video reaches a browser. The service judges and logs every
attempt (``services.video.streams``); a token opens one piece of video — the
next segment of the viewer's gateway (ADR 0021), or a PNG frame of the
``fake`` backend."""

from __future__ import annotations

import asyncio
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from smartcity.operations.domain.media_segments import parse_after
from smartcity.operations.errors import VideoRefused
from smartcity.operations.media.segments import wait_for_piece
from smartcity.operations.media.supervisor import GatewayBusy, GatewayUnavailable, supervisor
from smartcity.operations.messages import gateway_message, video_refusal_message
from smartcity.operations.services.video.streams import OpenedStream, open_stream, request_stream
from smartcity.operations.vms import video_backend, video_source

# Refusals that end the officer's session on the page (the others concern one camera).
SESSION_ENDING = frozenset(
    {"expired", "revoked", "incident_closed", "not_certified", "not_found", "other_agency"}
)


def refusal_status(code: str) -> int:
    if code in {"not_found", "other_agency", "not_an_officer"}:
        return 404  # another agency's id looks exactly like a missing one
    if code in {"expired", "revoked", "incident_closed"}:
        return 410
    return 403


@login_required
@require_POST
@never_cache
def stream_token(request: HttpRequest, grant_id: int, camera_id: int) -> JsonResponse:
    """A single-use, seconds-long URL for one frame of one camera.

    Not loaded through ``access_agency_grant``: the service judges (and logs)
    every attempt, including another agency's ids, which get the same 404.
    """
    try:
        ticket = request_stream(officer=request.user, grant_id=grant_id, camera_id=camera_id)
    except VideoRefused as exc:
        return JsonResponse(
            {"code": exc.code, "message": video_refusal_message(exc.code),
             "ends_session": exc.code in SESSION_ENDING},
            status=refusal_status(exc.code),
        )  # fmt: skip
    return JsonResponse(
        {
            "url": reverse("operations:video_gateway", args=[ticket.token]),
            "remaining": ticket.session.remaining_s,
            "state": ticket.session.state.value,
        }
    )


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@login_required
@never_cache
async def video_gateway(request: HttpRequest, token: str) -> HttpResponse:
    """The only way video reaches a browser: token checked, attempt logged,
    then one piece of video fetched server-side (the stream address stays here)."""
    viewer = await request.auser()
    try:
        opened = await sync_to_async(open_stream)(token=token, viewer=viewer)
    except VideoRefused as exc:
        return _text(video_refusal_message(exc.code), refusal_status(exc.code))
    if video_backend() == "fake":
        frame = await sync_to_async(video_source().frame)(
            opened.camera, viewer=opened.viewer, at=timezone.now()
        )
        response = HttpResponse(frame.body, content_type=frame.content_type)
    else:
        response = await _segment(request, opened, viewer)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


async def _segment(request: HttpRequest, opened: OpenedStream, viewer: Any) -> HttpResponse:
    """The next segment of the viewer's gateway for this camera (started if
    needed); 204 when none came within the wait, 503 when none can."""
    try:
        gateway = await asyncio.to_thread(
            supervisor().acquire, camera_id=opened.camera.pk, viewer_id=int(viewer.pk),
            source=opened.camera.stream_endpoint, grant_id=opened.grant.pk,
            tenant_id=opened.grant.tenant_id, ends_at=opened.grant.expires_at,
        )  # fmt: skip
        piece = await wait_for_piece(
            gateway, parse_after(request.GET.get("after")), request.GET.get("gen", "")[:32],
            timeout_s=float(settings.OPERATIONS_VIDEO_SEGMENT_WAIT_SECONDS),
        )  # fmt: skip
    except GatewayBusy:
        return _text(gateway_message("centre_limit"), 503)
    except GatewayUnavailable as exc:
        return _text(gateway_message(str(exc)), 503)
    if piece is None:
        return HttpResponse(status=204)
    response = HttpResponse(piece.body, content_type="video/mp4")
    response["X-Segment"] = str(piece.sequence)
    response["X-Generation"] = piece.generation
    return response
