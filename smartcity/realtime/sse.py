"""Server-sent events over Django's async streaming responses.

SSE rather than WebSockets: updates flow one way (server → board), SSE works
through ordinary HTTP proxies and the session cookie, and the browser
reconnects by itself, sending ``Last-Event-ID`` so the stream resumes from the
outbox (docs/adr/0003-realtime-outbox-sse.md).

Serve it under ASGI (uvicorn): under WSGI Django would try to consume the
endless stream into a list before sending it.
"""

from __future__ import annotations

import asyncio
import random
import re
import weakref
from collections.abc import AsyncIterator, Collection

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.http import HttpRequest, StreamingHttpResponse

from smartcity.realtime.hub import subscribe

KEEP_ALIVE = b": keep-alive\n\n"
OUTBOX_ID = re.compile(r"[0-9]{1,18}")
"""A resume point as a client may send it (``str.isdigit`` also takes "²",
and ``int`` refuses more than 4,300 digits): anything else is ignored."""


def connected_frame() -> bytes:
    """The first bytes of a stream: the browser's reconnection delay, 2–5 s at
    random so that boards cut off together do not all come back together."""
    return f"retry: {random.randint(2_000, 5_000)}\n: connected\n\n".encode()


SETUP_CONCURRENCY = 16
"""Streams being set up at once per process. Under ASGI every request's sync
work gets its own thread and database connection; a thousand boards
reconnecting together after a restart would otherwise open a thousand
connections at once (PostgreSQL's default limit is 100)."""

_slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def setup_slot() -> asyncio.Semaphore:
    """``async with setup_slot():`` around a stream view's session and access checks."""
    loop = asyncio.get_running_loop()
    slot = _slots.get(loop)
    if slot is None:
        slot = _slots[loop] = asyncio.Semaphore(SETUP_CONCURRENCY)
    return slot


def release_connections() -> None:
    """Close this thread's database connections unless a transaction uses them."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


def resume_point(request: HttpRequest) -> int | None:
    """Where a stream resumes: the ``Last-Event-ID`` header (set by the browser
    on reconnect) or the page's ``?after=`` (the outbox id it was rendered at)."""
    for raw in (request.headers.get("Last-Event-ID"), request.GET.get("after")):
        if raw and OUTBOX_ID.fullmatch(raw.strip()):
            return int(raw.strip())
    return None


def sse_response(
    channels: Collection[str], *, after: int | None, heartbeat_s: float | None = None
) -> StreamingHttpResponse:
    """An endless ``text/event-stream`` of the channels' events."""
    beat = heartbeat_s if heartbeat_s is not None else float(settings.REALTIME_HEARTBEAT_SECONDS)

    async def stream() -> AsyncIterator[bytes]:
        # The request's sync work (session, access check) ran on its own thread
        # and opened a database connection there; an open stream would hold it
        # for hours — a thousand boards, a thousand PostgreSQL connections.
        await sync_to_async(release_connections)()
        connected = False
        async for event in subscribe(channels, after=after, heartbeat_s=beat):
            if event is not None:
                yield event.frame
            elif not connected:
                connected = True
                yield connected_frame()  # sent once the subscription is live
            else:
                yield KEEP_ALIVE

    response = StreamingHttpResponse(stream(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-transform"
    response["X-Accel-Buffering"] = "no"  # nginx: do not buffer the stream
    return response
