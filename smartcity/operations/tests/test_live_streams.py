"""The board stream as uvicorn serves it (``config.asgi``): answered beside
Django's stack (``realtime.streams``), refused by Django as before."""

from __future__ import annotations

import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.test import Client, RequestFactory
from django.urls import reverse

from smartcity.operations.tests.test_views import _intake
from smartcity.realtime.sse import resume_point as sse_resume_point

pytestmark = pytest.mark.django_db(transaction=True)


def _scope(cookie: str = "", *, path: str = "", headers: tuple = ()) -> dict:  # type: ignore[type-arg]
    sent = [(b"host", b"testserver"), *headers]
    if cookie:
        sent.append((b"cookie", cookie.encode()))  # as a client sends it: any bytes
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": path or reverse("operations:board_stream"), "raw_path": b"",
        "query_string": b"", "root_path": "", "headers": sent,
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }  # fmt: skip


def _session_cookie(user) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


async def _until(app: ApplicationCommunicator, marker: bytes) -> bytes:
    seen = b""
    while marker not in seen:
        message = await app.receive_output(10)
        assert message["type"] == "http.response.body"
        seen += message["body"]
    return seen


def test_a_signed_in_operator_gets_the_tenants_events_without_djangos_stack(  # type: ignore[no-untyped-def]
    platform_operator, tenant_a, tenant_b, settings
) -> None:
    from config.asgi import application

    settings.REALTIME_POLL_MS = 10
    cookie = _session_cookie(platform_operator)

    async def scenario() -> tuple[dict, bytes, int, int]:  # type: ignore[type-arg]
        app = ApplicationCommunicator(application, _scope(cookie))
        await app.send_input({"type": "http.request", "body": b""})
        start = await app.receive_output(10)
        await _until(app, b": connected")
        other = await sync_to_async(_intake)(tenant_b, "B-1")
        mine = await sync_to_async(_intake)(tenant_a, "A-1")
        seen = await _until(app, b"event: incident")
        await app.send_input({"type": "http.disconnect"})
        await app.wait(10)  # the stream ends when the client leaves
        return start, seen, mine, other

    start, seen, mine, other = async_to_sync(scenario)()
    assert start["status"] == 200
    headers = dict(start["headers"])
    assert headers[b"content-type"].startswith(b"text/event-stream")
    assert headers[b"x-content-type-options"] == b"nosniff"
    frame = seen.split(b"event: incident\ndata: ")[1].split(b"\n\n")[0]
    assert json.loads(frame)["id"] == mine != other


@pytest.mark.parametrize(
    "cookie",
    ["", "sessionid=not-a-session", 'sessionid="\x00"; x', "sessionid=" + "가" * 300, "a=b=c;;"],
)
def test_a_stream_it_cannot_serve_is_refused_by_django(cookie: str, platform_operator) -> None:  # type: ignore[no-untyped-def]
    from config.asgi import application

    async def answer() -> tuple[int, bytes]:
        app = ApplicationCommunicator(application, _scope(cookie))
        await app.send_input({"type": "http.request", "body": b""})
        start = await app.receive_output(10)
        body = await app.receive_output(10)
        return start["status"], body.get("body", b"")

    status, body = async_to_sync(answer)()
    assert status == 404
    assert "페이지" in body.decode()  # Django's own 404 page, in Korean


@pytest.mark.parametrize("resume", ["9" * 5000, "²", "-1", "\x00"])
def test_a_hostile_resume_point_is_ignored(resume: str, platform_operator, tenant_a) -> None:  # type: ignore[no-untyped-def]
    from config.asgi import application

    cookie = _session_cookie(platform_operator)
    header = ((b"last-event-id", resume.encode()),)

    async def opened() -> bytes:
        app = ApplicationCommunicator(application, _scope(cookie, headers=header))
        await app.send_input({"type": "http.request", "body": b""})
        assert (await app.receive_output(10))["status"] == 200
        seen = await _until(app, b": connected")
        await app.send_input({"type": "http.disconnect"})
        await app.wait(10)
        return seen

    assert b": connected" in async_to_sync(opened)()
    # The view's reading (Django's handlers) ignores it the same way.
    assert sse_resume_point(RequestFactory().get("/", HTTP_LAST_EVENT_ID=resume)) is None
    assert sse_resume_point(RequestFactory().get("/", {"after": resume})) is None


def test_a_user_without_a_board_is_refused_by_django(ministry_officer) -> None:  # type: ignore[no-untyped-def]
    from config.asgi import application

    async def status(path: str) -> int:
        app = ApplicationCommunicator(application, _scope(_cookie, path=path))
        await app.send_input({"type": "http.request", "body": b""})
        return int((await app.receive_output(10))["status"])

    _cookie = _session_cookie(ministry_officer)
    assert async_to_sync(status)(reverse("operations:board_stream")) == 404
    assert async_to_sync(status)(reverse("operations:agency_stream")) == 404
