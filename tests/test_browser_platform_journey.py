"""Issue 15's journey in Chromium, from the state ``scripts/serve`` leaves
(``smartcity demo load``, ``smartcity operations demo --issue-key``, the
camera simulator and the demo centres' cameras pointed at it):

the Daejeon centre's administrator issues a 112 key on the set-up page → a
sending system POSTs a robbery with that key, 25 m from the demo's robbery →
the operator's open board alerts it and clusters the two → the operator
grants three cameras → the police officer's console, open all along,
receives the grant without a reload and plays real video (H.264 from the
simulator, the video's clock advancing) → the operator stops the grant
(with its confirmation) → the console says the centre stopped it, and when →
the access log shows one viewing session per camera with its frame count.

Only the sending system's POST is not a page action: a real HTTP POST with
the key the page showed, to the live server. The database is read only to
assert. Screenshots under ``var/test-artefacts/platform-journey-*.png``.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request

import pytest

from smartcity.testing.serve_state import DEMO_PASSWORD, lay_serve_state
from tests.test_browser_operations import asgi_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.real_video, pytest.mark.django_db(transaction=True)]

KST = dt.timezone(dt.timedelta(hours=9))
# 25 m north-east of the demo robbery (DEMO-DJ-112-1, 대전광역시 중구 중앙로 160).
SCENE = ("36.32925", "127.42730")
POLICE_ROOM = "대전경찰청 112치안종합상황실"


@pytest.fixture
def served(municipal_register, size_class_rules, camera_simulator, video_gateways):  # type: ignore[no-untyped-def]
    """The database as ``scripts/serve`` leaves it, cameras on the simulator."""
    lay_serve_state(simulator_base_url=camera_simulator.base_url)


def _sign_in(page, base: str, username: str, next_url: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="로그인").click()


def _post_robbery(base: str, key: str) -> dict[str, object]:
    """The 112 system's report, as it would send it: JSON with the key."""
    body = {
        "event_type": "112UC001", "external_id": "112-DJ-LIVE-1",
        "occurred_at": dt.datetime.now(dt.UTC).isoformat(), "case_type": "강도",
        "address": "대전광역시 중구 중앙로 164", "latitude": SCENE[0], "longitude": SCENE[1],
        "detail": "편의점 강도 추가 신고, 용의자 2명",
    }  # fmt: skip
    request = urllib.request.Request(  # noqa: S310 - the live test server
        f"{base}/api/operations/incidents", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "X-Api-Key": key,
                 "Idempotency-Key": "dj-live-1"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 201
        return json.loads(response.read())


PLAYING = """() => {
  const videos = [...document.querySelectorAll('.video-tile video')];
  return videos.length === 3 && videos.every(v => v.currentTime > 1 && v.videoWidth > 0);
}"""
CLOCKS = "() => [...document.querySelectorAll('.video-tile video')].map(v => v.currentTime)"


def test_a_key_issued_in_the_browser_brings_a_robbery_to_live_police_video_and_its_log(  # type: ignore[no-untyped-def]
    served,
    asgi_server,  # noqa: F811 - the fixture imported above
    browser,
    page,
    artefacts,
) -> None:
    from smartcity.operations.models import Incident, VideoAccessEntry, VideoGrant, ViewingSession

    # The police officer's console is open before anything happens.
    police = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    console = police.new_page()
    console.set_default_timeout(20_000)
    _sign_in(console, asgi_server, "police-daejeon", "/operations/agency/")
    console.locator("#agency-live-status[data-state=live]").wait_for()
    console.evaluate("window.consoleNotReloaded = true")

    # The centre administrator issues the 112 system's key; it is shown once.
    _sign_in(page, asgi_server, "centre-admin", "/operations/setup/")
    page.get_by_role("link", name="연계 시스템·API 키").first.click()
    page.get_by_label("연계 시스템 이름").fill("대전경찰청 112 신고 시스템")
    page.get_by_label("보내는 기관").select_option("112")
    page.get_by_role("button", name="키 발급").click()
    key = page.locator("#api-key").inner_text().strip()
    assert key.startswith("sck_")

    # The operator's board is open; the 112 system reports a robbery with the key.
    _sign_in(page, asgi_server, "daejeon", "/operations/board/")
    page.locator("#ops-live-status[data-state=live]").wait_for()
    demo_robbery = Incident.objects.get(external_id="DEMO-DJ-112-1")
    page.locator(f'#ops-list li[data-incident-id="{demo_robbery.pk}"]').wait_for()
    page.evaluate("window.boardNotReloaded = true")
    ack = _post_robbery(asgi_server, key)
    banner = page.locator(f'#ops-alert[data-incident-id="{ack["id"]}"]')
    banner.wait_for(timeout=10_000)
    assert "새 긴급 상황" in banner.inner_text()
    # The two robberies 25 m apart are one red cluster at the centre's zoom.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.ops-cluster.urgent')]"
        ".some(c => c.textContent.trim() === '2')"
    )
    assert page.evaluate("window.boardNotReloaded === true")
    page.screenshot(path=str(artefacts / "platform-journey-board-alert.png"), full_page=True)

    # The operator grants three of the scene's cameras to the 112 room.
    page.locator(f'#ops-list li[data-incident-id="{ack["id"]}"]').get_by_role("link").first.click()
    page.get_by_role("heading", name="유관기관 영상 제공").wait_for()
    page.get_by_label("영상을 받을 기관").select_option(label=POLICE_ROOM)
    boxes = page.locator('input[name="cameras"]')
    assert boxes.count() >= 3
    for i in range(boxes.count()):
        boxes.nth(i).set_checked(i < 3)
    page.get_by_role("button", name="영상 제공하기").click()
    page.get_by_text(f"{POLICE_ROOM}에 CCTV 3대의 영상을 제공했습니다").wait_for()
    grant = VideoGrant.objects.get(incident_id=ack["id"])

    # The console receives it live (SSE), without a reload, and plays it.
    link = console.get_by_role("link", name="112 긴급영상 지원 112-DJ-LIVE-1")
    link.wait_for(timeout=10_000)
    assert console.evaluate("window.consoleNotReloaded === true")
    assert "새 영상 제공을 받았습니다." in console.locator("#agency-announce").inner_text()
    link.click()
    console.locator("#video-console[data-state=active]").wait_for()
    console.wait_for_function(PLAYING, timeout=40_000)
    before = console.evaluate(CLOCKS)
    console.wait_for_function(
        f"() => {json.dumps(before)}.every((t, i) =>"
        " document.querySelectorAll('.video-tile video')[i].currentTime > t + 0.5)"
    )  # every camera's video clock advances
    console.screenshot(path=str(artefacts / "platform-journey-console-playing.png"), full_page=True)

    # The operator stops the grant, confirming it; the console says why and when.
    page.locator(f'tr[data-grant-id="{grant.pk}"]').get_by_role("button", name="제공 중단").click()
    page.get_by_role("heading", name="영상 제공 중단 확인").wait_for()
    page.get_by_role("button", name="영상 제공 중단 확정").click()
    page.get_by_text(f"{POLICE_ROOM}에 대한 영상 제공을 중단했습니다").wait_for()
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    console.locator("#video-console[data-state=ended]").wait_for(timeout=15_000)
    stopped = grant.revoked_at.astimezone(KST)
    assert (
        f"센터가 {stopped:%Y-%m-%d %H:%M:%S}에 영상 제공을 중단했습니다."
        in console.locator("#video-session").inner_text()
    )
    assert console.locator(".video-tile video").count() == 0  # no broken pictures
    assert console.locator(".video-tile .video-message").first.inner_text() == "센터가 중단"
    console.screenshot(path=str(artefacts / "platform-journey-console-ended.png"), full_page=True)
    police.close()

    # The access log: one session row per granted camera, each with its frames.
    page.goto(f"{asgi_server}/operations/video/log/")
    rows = page.locator(
        "#viewing-sessions tr[data-session-id]", has=page.locator(f'a[href$="/{ack["id"]}/"]')
    )
    granted = set(grant.cameras.values_list("pk", flat=True))
    logged = list(
        ViewingSession.objects.filter(grant=grant).values_list(
            "camera_id", "frames", "close_reason", "opened_at", "closed_at"
        )
    )
    refusals = list(
        VideoAccessEntry.objects.filter(grant_id=grant.pk, granted=False).values_list(
            "camera_id", "reason", "at"
        )
    )
    assert rows.count() == 3, (logged, refusals)
    assert {int(rows.nth(i).get_attribute("data-camera-id") or 0) for i in range(3)} == granted
    sessions = {s.pk: s for s in ViewingSession.objects.filter(grant=grant)}
    assert len(sessions) == 3
    for i in range(3):
        session = sessions[int(rows.nth(i).get_attribute("data-session-id") or 0)]
        assert session.frames > 0
        assert rows.nth(i).get_attribute("data-frames") == str(session.frames)
        assert (session.close_reason, session.closed_at) == ("revoked", grant.revoked_at)
        assert "센터가 중단" in rows.nth(i).inner_text()
    page.screenshot(path=str(artefacts / "platform-journey-access-log.png"), full_page=True)
