"""The video gateway: a single-use stream token for one camera of a grant,
and the only way video reaches a browser. The service judges and logs every
attempt (``services.video.streams``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from smartcity.operations.errors import VideoRefused
from smartcity.operations.messages import video_refusal_message
from smartcity.operations.services.video.streams import open_stream, request_stream
from smartcity.operations.vms import video_source

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


@login_required
@never_cache
def video_gateway(request: HttpRequest, token: str) -> HttpResponse:
    """The only way video reaches a browser: token checked, attempt logged,
    frame fetched server-side from the VMS."""
    try:
        opened = open_stream(token=token, viewer=request.user)
    except VideoRefused as exc:
        return HttpResponse(
            video_refusal_message(exc.code), status=refusal_status(exc.code),
            content_type="text/plain; charset=utf-8",
        )  # fmt: skip
    frame = video_source().frame(opened.camera, viewer=opened.viewer, at=timezone.now())
    response = HttpResponse(frame.body, content_type=frame.content_type)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
