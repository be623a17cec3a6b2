"""An operator watches the situation board; a 112 system POSTs an incident to
the API; the incident appears on the board live, without a reload.

The board's stream is an async SSE view, so this test serves the real ASGI
application with uvicorn (in a thread, on the test database) instead of
pytest-django's WSGI ``live_server``, which cannot stream.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest

from smartcity.operations.tests.factories import api_key, report_body
from smartcity.testing.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def asgi_server(settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    import uvicorn

    from config.asgi import application

    settings.REALTIME_POLL_MS = 50
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning",
                       lifespan="off")
    )  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    server.force_exit = True  # open SSE streams would otherwise hold the shutdown
    thread.join(10)


@pytest.fixture
def goyang(municipal_register):  # type: ignore[no-untyped-def]
    """고양시's centre (a real municipality, so the board draws its boundary),
    an operator, and the API key of the police 112 system."""
    from smartcity.operations.services.tenancy import create_tenant
    from smartcity.operations.tests.factories import operator_for

    _seed_event_model()
    tenant = create_tenant(municipality_code="41280")
    operator = operator_for(tenant, "goyang_operator")
    return operator, api_key(tenant, "112", "경기북부경찰청 112")


def _seed_event_model() -> None:
    import importlib

    from django.apps import apps

    from smartcity.operations.models import EventStatus

    if not EventStatus.objects.exists():
        importlib.import_module("smartcity.operations.migrations.0002_event_model").seed(apps, None)


def _post_incident(base: str, key: str) -> dict[str, object]:
    body = report_body(external_id="LIVE-1", address="고양시 일산동구 중앙로 1286",
                       latitude="37.6584", longitude="126.7698")  # fmt: skip
    request = urllib.request.Request(  # noqa: S310 - a local test server
        f"{base}/api/operations/incidents",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Api-Key": key, "Idempotency-Key": "live-1"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 201
        return json.loads(response.read())


def test_an_incident_posted_to_the_api_appears_on_the_board_live(  # type: ignore[no-untyped-def]
    goyang, asgi_server, page, artefacts
) -> None:
    operator, key = goyang
    page.goto(f"{asgi_server}/accounts/login/?next=/operations/board/")
    page.get_by_label("아이디").fill(operator.username)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.get_by_role("heading", name="실시간 상황판").wait_for()
    page.locator("#ops-live-status[data-state=live]").wait_for()
    page.locator(".leaflet-overlay-pane path").first.wait_for(state="attached")  # 고양시's 3 구
    assert page.locator("#ops-list li").count() == 0
    url_before = page.url

    ack = _post_incident(asgi_server, key)

    row = page.locator(f'#ops-list li[data-incident-id="{ack["id"]}"]')
    row.wait_for(timeout=10_000)
    assert "112 긴급영상 지원" in row.inner_text()
    marker = page.locator(f'.ops-marker [data-incident-id="{ack["id"]}"]')
    marker.wait_for(state="attached")
    assert page.locator("#ops-count").inner_text() == "1"
    assert "112 긴급영상 지원" in page.locator("#ops-announce").inner_text()
    assert page.url == url_before  # no reload, no navigation
    page.screenshot(path=str(artefacts / "operations-board.png"), full_page=True)
