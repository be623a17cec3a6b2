"""The 112 emergency-video journey in Chromium, end to end:

a 112 request arrives (POST to the API) → the operator's board shows it live →
the operator grants the scene cameras to the police 112 room → the police
console sees the cameras and the fake backend's frames (chosen explicitly;
real video: ``test_browser_video.py``) through single-use tokens →
the grant expires on the server clock → the next access is refused, the
console says so, and the refusal is in the hash-chained access log.

Served by uvicorn in a thread (the board's SSE needs ASGI), as in
``test_browser_operations.py``; the server clock is frozen at the real time
and advanced past the 20-minute session instead of waiting.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.request
from decimal import Decimal

import pytest

from smartcity.operations.tests.factories import api_key, report_body
from smartcity.testing.factories import TEST_PASSWORD
from tests.test_browser_operations import _seed_event_model, asgi_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCENE = (Decimal("37.6584"), Decimal("126.7698"))


@pytest.fixture
def goyang_linkage(clock, municipal_register):  # type: ignore[no-untyped-def]
    """고양시's centre with an operator, three cameras at the scene, the 112
    system's API key, and 경기북부경찰청's 112 room with a certified officer —
    all on the server clock, frozen at the real time."""
    from smartcity.accounts.choices import OrganisationKind, Role
    from smartcity.accounts.models import Organisation
    from smartcity.operations.selectors.cameras import clear_camera_indexes
    from smartcity.operations.services.agencies import certify_officer, create_agency
    from smartcity.operations.services.tenancy import create_tenant
    from smartcity.operations.tests.factories import CameraFactory, operator_for
    from smartcity.testing.factories import UserFactory

    clock.set(dt.datetime.now(dt.UTC))
    clear_camera_indexes()  # ids repeat across transactional tests
    _seed_event_model()
    tenant = create_tenant(municipality_code="41280")
    operator = operator_for(tenant, "goyang_operator")
    room = Organisation.objects.create(
        name_ko="경기북부경찰청 112치안종합상황실", kind=OrganisationKind.POLICE
    )
    officer = UserFactory(username="gyeonggi_112", role=Role.AGENCY_OFFICER, organisation=room)
    agency = create_agency(code="gb-112", name_ko=room.name_ko, kind="police",
                           organisation=room, tenants=[tenant])  # fmt: skip
    certify_officer(agency=agency, officer=officer)
    lat, lon = SCENE
    cameras = [
        CameraFactory(
            tenant=tenant, latitude=lat + Decimal(d), longitude=lon, road_address=f"중앙로 {n}"
        )
        for n, d in enumerate(("0.0002", "0.0010", "-0.0015"), start=1)
    ]
    return operator, officer, cameras, api_key(tenant, "112", "경기북부경찰청 112")


def _post_robbery(base: str, key: str) -> dict[str, object]:
    body = report_body(
        external_id="112-LIVE-7", address="고양시 일산동구 중앙로 1286", case_type="강도",
        latitude=str(SCENE[0]), longitude=str(SCENE[1]),
    )  # fmt: skip
    request = urllib.request.Request(  # noqa: S310 - a local test server
        f"{base}/api/operations/incidents",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Api-Key": key, "Idempotency-Key": "v-7"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 201
        return json.loads(response.read())


def _sign_in(page, base: str, username: str, next_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()


# Every control a screen reader reaches has a name (axe-core is not vendored here).
UNLABELLED = """() => [...document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !(el.textContent || '').trim())
  .map(el => el.outerHTML)"""


def test_a_112_robbery_reaches_the_police_console_until_the_grant_expires(  # type: ignore[no-untyped-def]
    goyang_linkage,
    clock,
    settings,
    asgi_server,  # noqa: F811 - the fixture imported above
    browser,
    page,
    artefacts,
) -> None:
    from smartcity.operations.models import VideoAccessEntry, VideoGrant, ViewingSession
    from smartcity.operations.selectors.linkage import verify_access_log

    settings.OPERATIONS_VIDEO_REFRESH_SECONDS = 1
    # The fallback, chosen explicitly: this journey counts PNG frames per
    # session; real video has its own test (test_browser_video.py).
    settings.OPERATIONS_VMS_BACKEND = "fake"
    operator, officer, cameras, key = goyang_linkage

    # The police officer's console is open before anything happens.
    police = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    console = police.new_page()
    console.set_default_timeout(15_000)
    _sign_in(console, asgi_server, officer.username, "/operations/agency/")
    console.locator("#agency-live-status[data-state=live]").wait_for()
    assert console.evaluate(UNLABELLED) == []
    nav = console.get_by_role("navigation", name="주 메뉴")
    assert nav.get_by_role("link", name="인증 현황").count() == 0  # only the console's menu
    console.evaluate("window.consoleNotReloaded = true")

    # The operator watches the board; the 112 system reports a robbery.
    _sign_in(page, asgi_server, operator.username, "/operations/board/")
    page.locator("#ops-live-status[data-state=live]").wait_for()
    ack = _post_robbery(asgi_server, key)
    row = page.locator(f'#ops-list li[data-incident-id="{ack["id"]}"]')
    row.wait_for(timeout=10_000)

    # The operator opens it and grants the scene cameras to the 112 room.
    row.get_by_role("link").first.click()
    page.get_by_role("heading", name="유관기관 영상 제공").wait_for()
    assert page.locator("[data-case-type]").inner_text() == "강도"
    page.get_by_label("영상을 받을 기관").select_option(label="경기북부경찰청 112치안종합상황실")
    assert page.locator('input[name="cameras"]:checked').count() == 3
    page.get_by_role("button", name="영상 제공하기").click()
    page.get_by_text("CCTV 3대의 영상을 제공했습니다").wait_for()
    grant = VideoGrant.objects.get()

    # The console receives the grant live (SSE), without a reload.
    link = console.get_by_role("link", name="112 긴급영상 지원 112-LIVE-7")
    link.wait_for(timeout=10_000)
    assert console.evaluate("window.consoleNotReloaded === true")
    assert "새 영상 제공을 받았습니다." in console.locator("#agency-announce").inner_text()

    # It plays: the grant's cameras, live frames through single-use tokens, a map.
    link.click()
    console.locator("#video-console[data-state=active]").wait_for()
    tiles = console.locator(".video-tile")
    assert tiles.count() == 3
    console.wait_for_function(
        "() => [...document.querySelectorAll('.video-tile img')]"
        ".every(img => img.complete && img.naturalWidth === 320)"
    )
    assert "/operations/video/" in (tiles.first.locator("img").get_attribute("src") or "")
    assert console.locator("#grant-map .leaflet-marker-icon").count() == 4  # scene + 3 cameras
    assert console.evaluate(UNLABELLED) == []
    console.screenshot(path=str(artefacts / "linkage-police-console.png"), full_page=True)
    # Frames keep coming (one a second here) and count on one session per camera.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        counts = list(ViewingSession.objects.values_list("frames", flat=True))
        if len(counts) == 3 and min(counts) >= 3:
            break
        time.sleep(0.25)
    assert len(counts) == 3 and min(counts) >= 3, counts
    opened = VideoAccessEntry.objects.filter(step="open", granted=True, officer=officer)
    assert opened.count() == 3 and {e.grant_id for e in opened} == {grant.pk}

    # Twenty minutes later on the server clock: the console says why and when.
    clock.set(grant.expires_at + dt.timedelta(seconds=1))
    console.locator("#video-console[data-state=ended]").wait_for(timeout=10_000)
    ended_at = grant.expires_at.astimezone(dt.timezone(dt.timedelta(hours=9)))
    expected = f"영상 제공 시간이 {ended_at:%Y-%m-%d %H:%M:%S}에 끝났습니다."
    assert expected in console.locator("#video-session").inner_text()
    assert console.locator(".video-tile img").count() == 0  # no broken pictures
    assert console.locator(".video-tile .video-message").first.inner_text() == "열람 시간 종료"
    # The console may have learned of the end from a frame whose token was
    # minted before the jump (refused as token_expired) rather than from a
    # new token request; one more request, as a stale tab would make, is
    # refused as the grant's end (410) and logged as such.
    answer = console.evaluate(
        """async () => {
          const root = document.getElementById("video-console");
          const tile = document.querySelector(".video-tile");
          const response = await fetch(tile.dataset.tokenUrl, {
            method: "POST", credentials: "same-origin",
            headers: {"X-CSRFToken": root.dataset.csrf, "Accept": "application/json"}});
          return [response.status, (await response.json()).code];
        }"""
    )
    assert answer == [410, "expired"]
    refused = VideoAccessEntry.objects.filter(granted=False, officer=officer)
    assert refused.filter(reason="expired", grant_id=grant.pk).exists()
    assert set(refused.values_list("reason", flat=True)) <= {"expired", "token_expired"}
    assert verify_access_log() is None
    console.screenshot(path=str(artefacts / "linkage-police-console-expired.png"), full_page=True)

    # Break-glass: one form (crime type, justification), labelled, one message per problem.
    console.goto(f"{asgi_server}/operations/agency/break-glass/")
    assert console.evaluate(UNLABELLED) == []
    console.get_by_label("범죄 유형").select_option(label="강도")
    console.get_by_label("긴급 열람 사유").fill("용의자 도주 중, 센터 응답 없음")
    console.get_by_label("사건 번호(발생 번호)").fill("NO-SUCH-1")
    console.get_by_role("button", name="긴급 열람").click()
    assert console.get_by_text("연계된 센터에 이 번호의 상황이 없습니다.").count() == 1
    police.close()

    # The access log: one session row per camera, with its frame count.
    page.goto(f"{asgi_server}/operations/video/log/")
    rows = page.locator("#viewing-sessions tr[data-session-id]")
    assert rows.count() == 3
    assert {int(rows.nth(i).get_attribute("data-camera-id") or 0) for i in range(3)} == {
        c.pk for c in cameras
    }
    sessions = {s.pk: s for s in ViewingSession.objects.all()}
    for i in range(3):
        session = sessions[int(rows.nth(i).get_attribute("data-session-id") or 0)]
        assert session.frames >= 1 and rows.nth(i).get_attribute("data-frames") == str(
            session.frames
        )
        assert (session.close_reason, session.closed_at) == ("expired", grant.expires_at)
        assert "열람 시간 종료" in rows.nth(i).inner_text()
    closes = VideoAccessEntry.objects.filter(step="close", grant_id=grant.pk)
    assert sorted(closes.values_list("frames", flat=True)) == sorted(
        s.frames for s in sessions.values()
    )
    page.screenshot(path=str(artefacts / "linkage-access-log.png"), full_page=True)
