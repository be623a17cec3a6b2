"""Live streams served beside Django's request stack, not through it (issue 17).

An open situation board holds its stream for hours. Through Django's ASGI
handler every request runs its ``request_started`` receivers and each
``MiddlewareMixin`` hook through ``sync_to_async``, which gives the request a
thread of its own for as long as the response lasts: a thousand boards were a
thousand idle threads (≈ 0.2 MB each) and some twenty thread hops each to set
up. :class:`LiveStreams` answers the stream URLs it is given itself:

- the session cookie is checked as ``AuthenticationMiddleware`` checks it
  (``django.contrib.auth.get_user``: the session, the user, the session's
  password hash) and the route's access function names the channels, all in
  one call on a few setup threads (``SETUP_THREADS``) that keep their
  database connection while streams are being set up, and close it after a
  second without one;
- a request it cannot serve — no session cookie, no access, anything but a
  plain GET — goes to Django unchanged, which refuses it as before (the same
  404 page, in the client's language, with every middleware's headers);
- an accepted stream is a coroutine writing the hub's frames (``hub.subscribe``:
  one outbox reader per process), with a task that notices the client leaving.

Everything else, and the same URLs under WSGI or Django's test client, goes
through Django (``realtime.sse.sse_response``).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import re
import threading
from collections.abc import Awaitable, Callable, Collection, Mapping
from http.cookies import CookieError, SimpleCookie
from importlib import import_module
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
from django.contrib.auth import get_user
from django.db import DatabaseError, connections
from django.http import HttpRequest
from django.urls import reverse

from smartcity.realtime.hub import subscribe
from smartcity.realtime.sse import KEEP_ALIVE, OUTBOX_ID, connected_frame

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[Mapping[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Access = Callable[[Any], Collection[str] | None]
"""Given the signed-in user (or an anonymous one), the channels the stream
carries, or ``None`` to refuse it. Runs on a setup thread (it may query)."""

SETUP_THREADS = 4
"""Threads (and so database connections) per process setting streams up; a
thousand boards reconnecting together queue for them. Several, so that one
waits on the database while another runs Python."""

IDLE_CLOSE_S = 1.0
"""A setup thread closes its database connection after this long without work."""

HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-transform"),
    (b"x-accel-buffering", b"no"),  # nginx: do not buffer the stream
    (b"x-content-type-options", b"nosniff"),
    (b"vary", b"Cookie"),
]

_Job = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Collection[str] | None]", str, Access]


class _Setup:
    """The setup threads: each keeps its database connection while streams
    queue for it, and lets it go after ``IDLE_CLOSE_S`` without one."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._started = False

    async def channels(self, session_key: str, access: Access) -> Collection[str] | None:
        with self._lock:
            if not self._started:
                self._started = True
                for n in range(SETUP_THREADS):
                    name = f"stream-setup-{n}"
                    threading.Thread(target=self._work, name=name, daemon=True).start()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Collection[str] | None] = loop.create_future()
        self._jobs.put((loop, future, session_key, access))
        return await future

    def _work(self) -> None:
        while True:
            try:
                loop, future, key, access = self._jobs.get(timeout=IDLE_CLOSE_S)
            except queue.Empty:
                connections.close_all()
                continue
            try:
                result = _checked(key, access)
            except BaseException as exc:  # handed to the waiting coroutine
                loop.call_soon_threadsafe(_settle, future, None, exc)
            else:
                loop.call_soon_threadsafe(_settle, future, result, None)


def _settle(
    future: asyncio.Future[Collection[str] | None],
    result: Collection[str] | None,
    error: BaseException | None,
) -> None:
    if future.done():  # the client left while it waited
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def _checked(session_key: str, access: Access) -> Collection[str] | None:
    try:
        return _channels(session_key, access)
    except DatabaseError:
        # A connection kept from an earlier setup may have been cut (a
        # database restart): once more on a fresh one.
        connections.close_all()
        return _channels(session_key, access)


def _channels(session_key: str, access: Access) -> Collection[str] | None:
    engine = import_module(settings.SESSION_ENGINE)
    request = HttpRequest()
    request.session = engine.SessionStore(session_key)
    return access(get_user(request))


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return ""


_SESSION_KEY = re.compile(r"[a-z0-9]{8,64}")
"""What Django's session keys look like; anything else goes to Django."""


def session_key(scope: Scope) -> str:
    try:
        cookie = SimpleCookie(_header(scope, b"cookie"))
    except CookieError:
        return ""
    morsel = cookie.get(settings.SESSION_COOKIE_NAME)
    value = morsel.value if morsel is not None else ""
    return value if _SESSION_KEY.fullmatch(value) else ""


def resume_point(scope: Scope) -> int | None:
    """``Last-Event-ID`` (the browser reconnecting) or ``?after=`` (the page's
    outbox position), as ``realtime.sse.resume_point`` reads them."""
    query = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1"))
    for raw in (_header(scope, b"last-event-id"), *query.get("after", [])[:1]):
        if raw and OUTBOX_ID.fullmatch(raw.strip()):
            return int(raw.strip())
    return None


class LiveStreams:
    """An ASGI app: the stream URLs of ``routes`` (URL name → access function)
    served here, every other request passed to ``django``."""

    def __init__(self, django: ASGIApp, routes: Mapping[str, Access]) -> None:
        self.django = django
        self._routes = dict(routes)
        self._paths: dict[str, Access] | None = None
        self._setup = _Setup()

    def _route(self, path: str) -> Access | None:
        if self._paths is None:  # URLconf is ready only once Django is set up
            self._paths = {reverse(name): access for name, access in self._routes.items()}
        return self._paths.get(path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        access = None
        if scope["type"] == "http" and scope.get("method") == "GET":
            access = self._route(scope["path"])
        key = session_key(scope) if access is not None else ""
        channels = None
        if access is not None and key:
            try:
                channels = await self._setup.channels(key, access)
            except DatabaseError:
                logger.warning("live stream: the access check failed; Django answers")
        if not channels:  # Django refuses it as before (404; 503 with the database down)
            await self.django(scope, receive, send)
            return
        await _serve(channels, resume_point(scope), receive, send)


async def _serve(
    channels: Collection[str], after: int | None, receive: Receive, send: Send
) -> None:
    beat = float(settings.REALTIME_HEARTBEAT_SECONDS)
    writer = asyncio.current_task()
    assert writer is not None

    async def watch() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        writer.cancel()

    watcher = asyncio.create_task(watch())
    try:
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        connected = False
        async for event in subscribe(channels, after=after, heartbeat_s=beat):
            if event is not None:
                body = event.frame
            elif not connected:
                connected = True
                body = connected_frame()  # sent once the subscription is live
            else:
                body = KEEP_ALIVE
            await send({"type": "http.response.body", "body": body, "more_body": True})
        # The subscriber fell too far behind: end the response; the browser
        # reconnects with Last-Event-ID and catches up from the outbox.
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except asyncio.CancelledError:
        if watcher.done():
            return  # the client left
        raise
    except OSError:
        return  # the connection broke while writing
    finally:
        watcher.cancel()
