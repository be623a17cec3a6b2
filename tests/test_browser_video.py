"""Real video in Chromium (ADR 0021): the operator grants a camera, the police
console plays the simulator's live stream — the video element's clock
advances and its decoded pictures change — through single-use tokens; after
the grant's end the segment URL is refused and the refusal is logged, the
gateway process is gone, and the stream address appeared in no response.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from smartcity.testing.video import process_gone
from tests.test_browser_linkage import _post_robbery, _sign_in, goyang_linkage  # noqa: F401
from tests.test_browser_operations import _seed_event_model, asgi_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.real_video, pytest.mark.django_db(transaction=True)]

# A small picture of the playing video: the sum of its pixels, to tell frames apart.
PICTURE = """() => {
  const video = document.querySelector('.video-tile video');
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 36;
  const g = canvas.getContext('2d');
  g.drawImage(video, 0, 0, 64, 36);
  const data = g.getImageData(0, 0, 64, 36).data;
  let sum = 0, lit = 0;
  for (let i = 0; i < data.length; i += 4) {
    sum += data[i] * 3 + data[i + 1] * 5 + data[i + 2] * 7 + i;
    if (data[i] + data[i + 1] + data[i + 2] > 30) lit++;
  }
  const frames = video.getVideoPlaybackQuality().totalVideoFrames;
  return { sum: sum, lit: lit, time: video.currentTime, frames: frames };
}"""


def test_the_police_console_plays_real_video_until_the_grant_ends(  # type: ignore[no-untyped-def]
    goyang_linkage,  # noqa: F811 - the fixture imported above
    camera_simulator,
    video_gateways,
    clock,
    asgi_server,  # noqa: F811
    browser,
    page,
    artefacts,
) -> None:
    from smartcity.operations.models import VideoAccessEntry, VideoGrant, ViewingSession
    from smartcity.operations.selectors.linkage import verify_access_log
    from smartcity.operations.services.cctv import set_camera_stream_endpoint

    operator, officer, cameras, key = goyang_linkage
    address = camera_simulator.url(f"goyang-{cameras[0].pk}")
    set_camera_stream_endpoint(camera=cameras[0], endpoint=address)

    # The operator grants the nearest camera (only) to the 112 room.
    _sign_in(page, asgi_server, operator.username, "/operations/board/")
    page.locator("#ops-live-status[data-state=live]").wait_for()
    ack = _post_robbery(asgi_server, key)
    page.goto(f"{asgi_server}/operations/incidents/{ack['id']}/")
    page.get_by_label("영상을 받을 기관").select_option(label="경기북부경찰청 112치안종합상황실")
    boxes = page.locator('input[name="cameras"]')
    for i in range(boxes.count()):
        if boxes.nth(i).get_attribute("value") != str(cameras[0].pk):
            boxes.nth(i).uncheck()
    page.get_by_role("button", name="영상 제공하기").click()
    page.get_by_text("CCTV 1대의 영상을 제공했습니다").wait_for()
    grant = VideoGrant.objects.get()

    # The police console plays it: every response is kept to check for the address.
    police = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    console = police.new_page()
    console.set_default_timeout(20_000)
    responses = []
    console.on("response", lambda r: responses.append(r))
    _sign_in(console, asgi_server, officer.username, f"/operations/agency/grants/{grant.pk}/")
    console.locator("#video-console[data-state=active]").wait_for()
    codec = console.locator("#video-console").get_attribute("data-codec")
    assert console.evaluate("c => MediaSource.isTypeSupported(c)", codec)
    console.wait_for_function(
        "() => { const v = document.querySelector('.video-tile video');"
        " return v && v.currentTime > 1.5 && v.videoWidth === 640; }",
        timeout=30_000,
    )
    before = console.evaluate(PICTURE)
    time.sleep(1.5)
    after = console.evaluate(PICTURE)
    assert after["time"] > before["time"] + 0.5, (before, after)  # the video's clock runs
    assert after["frames"] > before["frames"]  # Chromium decoded more frames
    assert after["sum"] != before["sum"] and after["lit"] > 100  # and they differ, not black
    console.screenshot(path=str(artefacts / "video-police-console.png"), full_page=True)
    session = ViewingSession.objects.get(grant=grant, camera_id=cameras[0].pk)
    assert session.frames >= 2  # segments count as frames on the one session
    (running,) = video_gateways.running()
    pid = running.pid

    # Just before the end a token is minted; after the end its segment URL is refused.
    clock.set(grant.expires_at - dt.timedelta(seconds=5))
    csrf = console.locator("#video-console").get_attribute("data-csrf")
    minted = console.request.post(
        f"{asgi_server}/operations/agency/grants/{grant.pk}/cameras/{cameras[0].pk}/token/",
        headers={"X-CSRFToken": csrf or ""},
    )
    assert minted.ok, minted.text()
    segment_url = f"{asgi_server}{minted.json()['url']}"
    clock.set(grant.expires_at + dt.timedelta(seconds=1))
    refused = console.request.get(segment_url)
    assert refused.status == 410 and "영상 제공 시간이" in refused.text()
    assert VideoAccessEntry.objects.filter(
        step="open", granted=False, reason="expired", grant_id=grant.pk, officer=officer
    ).exists()
    assert verify_access_log() is None
    console.locator("#video-console[data-state=ended]").wait_for(timeout=15_000)
    assert console.locator(".video-tile video").count() == 0
    deadline = time.monotonic() + 5
    while not process_gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert process_gone(pid), "the gateway outlived the grant"
    console.screenshot(path=str(artefacts / "video-police-console-ended.png"), full_page=True)

    # The stream address appeared in no response body (pages, JSON, segments).
    seen = 0
    for response in responses:
        try:
            body = response.body()
        except Exception:  # noqa: S112 - redirects and aborted requests have no body
            continue
        seen += 1
        assert address.encode() not in body, response.url
        assert b"127.0.0.1:" + str(camera_simulator.server.server_address[1]).encode() not in body
    assert seen > 5
    police.close()
