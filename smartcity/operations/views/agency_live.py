"""The agency consoles' live side: the agency's event stream (SSE), the
grants table the console swaps in when a grant arrives or changes, and one
grant's state (why and when it ended) for the video console."""

from __future__ import annotations

import datetime as dt
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from smartcity.accounts.access import AnyUser
from smartcity.operations.access import access_agency, access_agency_grant
from smartcity.operations.domain.video_rules import SessionEnd
from smartcity.operations.messages import close_reason_label, session_end_message
from smartcity.operations.models import Agency, VideoGrant
from smartcity.operations.selectors.linkage import agency_grants, certification_end, officer_agency
from smartcity.operations.services.video.sessions import grant_end, grant_end_with, grant_session
from smartcity.realtime.sse import release_connections, resume_point, setup_slot, sse_response

GRANT_ROWS = 200


def agency_channels(user: AnyUser) -> list[str] | None:
    """The channels of ``user``'s agency stream, or ``None`` (no agency)."""
    agency = officer_agency(user)
    return None if agency is None else [agency.channel]


async def agency_stream(request: HttpRequest) -> StreamingHttpResponse:
    """The officer's agency's grant events (SSE): new grants, extensions,
    ends. Serve under ASGI (uvicorn), where ``config.asgi`` answers it
    beside Django's stack (``realtime.streams``)."""
    async with setup_slot():
        user = await request.auser()
        channels = await sync_to_async(agency_channels)(user)
        await sync_to_async(release_connections)()
    if channels is None:
        raise Http404
    return sse_response(channels, after=resume_point(request))


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def grant_state(grant: VideoGrant, end: SessionEnd | None, now: dt.datetime) -> dict[str, Any]:
    """What the console shows of a grant: running (seconds left, the end
    time) or ended (why, when, in a sentence, with the real end time)."""
    if end is None:
        session = grant_session(grant, now)
        until = timezone.localtime(grant.expires_at)
        return {"grant": grant.pk, "ended": False, "state": session.state.value,
                "remaining": session.remaining_s, "ends_at": _iso(grant.expires_at),
                "ends_at_local": until.strftime("%Y-%m-%d %H:%M:%S")}  # fmt: skip
    return {"grant": grant.pk, "ended": True, "state": "ended", "remaining": 0,
            "cause": end.cause, "cause_label": close_reason_label(end.cause),
            "ended_at": _iso(end.at), "ended_at_local": timezone.localtime(end.at),
            "message": session_end_message(end.cause, end.at)}  # fmt: skip


def console_rows(agency: Agency, officer: Any, now: dt.datetime) -> dict[str, list[Any]]:
    """The console's grants, running and ended, each with its state."""
    certified = certification_end(officer, agency, now)
    active: list[Any] = []
    past: list[Any] = []
    for grant in agency_grants(agency)[:GRANT_ROWS]:
        state = grant_state(grant, grant_end_with(grant, certified, now), now)
        (past if state["ended"] else active).append((grant, state))
    return {"active": active, "past": past}


@login_required
@never_cache
def agency_grants_fragment(request: HttpRequest) -> HttpResponse:
    """The console's two tables, swapped in live when a grant event arrives."""
    agency = access_agency(request.user)
    return render(
        request,
        "operations/partials/_agency_console_grants.html",
        {"agency": agency, **console_rows(agency, request.user, timezone.now())},
    )


@login_required
@never_cache
def agency_grant_state(request: HttpRequest, grant_id: int) -> JsonResponse:
    grant = access_agency_grant(request.user, grant_id)
    now = timezone.now()
    state = grant_state(grant, grant_end(grant, request.user, now), now)
    state.pop("ended_at_local", None)  # a datetime, for templates
    return JsonResponse(state)
