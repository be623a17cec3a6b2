"""Real video through the token gate (ADR 0021), with real ffmpeg processes:
the simulator's stream becomes fMP4 segments for the granted officer only;
one gateway per (camera, viewer); the gateway is gone within seconds of the
grant's end, its stop by the centre, or its viewer's silence; a centre's
limit holds; the stream address never reaches the browser."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.operations.models import Camera, VideoAccessEntry, VideoGrant, ViewingSession
from smartcity.operations.services.cctv import set_camera_stream_endpoint
from smartcity.operations.services.video.grants import revoke_grant
from smartcity.testing.video import process_gone

pytestmark = [pytest.mark.django_db, pytest.mark.real_video, pytest.mark.slow]


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def wait_until(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


@pytest.fixture
def streaming(granted, camera_simulator):  # type: ignore[no-untyped-def]
    """The grant's cameras stream from the simulator; returns their addresses."""
    addresses = {}
    for camera in granted.cameras.all():
        address = camera_simulator.url(f"cam{camera.pk}")
        set_camera_stream_endpoint(camera=camera, endpoint=address)
        addresses[camera.pk] = address
    return addresses


def first_piece(client: Client, grant: VideoGrant, camera: Camera, query: str = "") -> object:
    """A token, then the gateway until it answers with video (204: not yet)."""
    for _ in range(4):
        issued = client.post(reverse("operations:stream_token", args=[grant.pk, camera.pk]))
        assert issued.status_code == 200, issued.content
        response = client.get(issued.json()["url"] + query)
        if response.status_code != 204:
            return response
    raise AssertionError("no segment within four waits")


def test_a_granted_officer_gets_real_segments_and_the_gateway_stops_with_the_grant(  # type: ignore[no-untyped-def]
    granted,
    streaming,
    police_officer,
    platform_operator,
    video_gateways,
    django_capture_on_commit_callbacks,
) -> None:
    client = signed_in(police_officer)
    camera = granted.cameras.order_by("pk").first()
    response = first_piece(client, granted, camera)
    assert response.status_code == 200 and response["Content-Type"] == "video/mp4"
    body = response.content
    assert body[4:8] == b"ftyp" and b"moof" in body and b"mdat" in body  # init + a media segment
    assert streaming[camera.pk].encode() not in body
    assert b"127.0.0.1" not in body and "no-store" in response["Cache-Control"]
    first, generation = int(response["X-Segment"]), response["X-Generation"]

    # The next piece continues the same gateway run, without the init segment.
    following = first_piece(client, granted, camera, f"?after={first}&gen={generation}")
    assert following.status_code == 200 and int(following["X-Segment"]) > first
    assert following.content[4:8] != b"ftyp"
    running = video_gateways.running()
    assert [(g.key, g.grant_id) for g in running] == [((camera.pk, police_officer.pk), granted.pk)]
    pid = running[0].pid
    # Segments count as frames on the officer's one viewing session.
    session = ViewingSession.objects.get(grant=granted, camera_id=camera.pk)
    assert session.frames >= 2

    with django_capture_on_commit_callbacks(execute=True):  # the stop runs after the commit
        revoke_grant(tenant=granted.tenant, grant_id=granted.pk, actor=platform_operator)
    assert wait_until(lambda: process_gone(pid), 3), "the gateway outlived the stopped grant"
    assert video_gateways.running() == []
    assert not running[0].directory.exists()  # its segments went with it


def test_the_gateway_is_gone_within_seconds_of_the_grants_end(  # type: ignore[no-untyped-def]
    granted, streaming, police_officer, video_gateways, clock, django_capture_on_commit_callbacks
) -> None:
    clock.set(dt.datetime.now(dt.UTC))
    client = signed_in(police_officer)
    camera = granted.cameras.order_by("pk").first()
    assert first_piece(client, granted, camera).status_code == 200
    pid = video_gateways.running()[0].pid

    clock.set(granted.expires_at + dt.timedelta(seconds=1))
    assert wait_until(lambda: process_gone(pid), 5), "the gateway outlived the grant's end"
    # And the next token is refused, and logged.
    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(reverse("operations:stream_token", args=[granted.pk, camera.pk]))
    assert refused.status_code == 410
    assert VideoAccessEntry.objects.filter(granted=False, reason="expired").exists()


def test_one_gateway_per_camera_and_viewer_and_a_limit_per_centre(  # type: ignore[no-untyped-def]
    granted, streaming, police_officer, video_gateways, settings
) -> None:
    settings.OPERATIONS_VIDEO_GATEWAYS_PER_CENTRE = 1
    client = signed_in(police_officer)
    first, second = list(granted.cameras.order_by("pk"))[:2]
    assert first_piece(client, granted, first).status_code == 200
    assert first_piece(client, granted, first).status_code == 200  # the same gateway again
    assert len(video_gateways.running()) == 1

    busy = first_piece(client, granted, second)
    assert busy.status_code == 503
    assert "동시 영상 수가 한도에" in busy.content.decode()
    assert streaming[second.pk] not in busy.content.decode()


def test_an_idle_gateway_is_torn_down(  # type: ignore[no-untyped-def]
    granted, streaming, police_officer, video_gateways, settings
) -> None:
    settings.OPERATIONS_VIDEO_GATEWAY_IDLE_SECONDS = 1
    client = signed_in(police_officer)
    camera = granted.cameras.order_by("pk").first()
    assert first_piece(client, granted, camera).status_code == 200
    pid = video_gateways.running()[0].pid
    assert wait_until(lambda: process_gone(pid), 5), "an idle gateway kept running"


def test_a_camera_without_a_stream_address_says_so_without_a_5xx_page(  # type: ignore[no-untyped-def]
    granted, police_officer, video_gateways
) -> None:
    client = signed_in(police_officer)
    camera = granted.cameras.order_by("pk").first()
    response = first_piece(client, granted, camera)
    assert response.status_code == 503
    assert "스트림 주소가 등록되어 있지 않습니다" in response.content.decode()
    assert video_gateways.running() == []


def test_use_simulator_points_only_cameras_without_a_stream_and_never_in_production(  # type: ignore[no-untyped-def]
    scene, settings
) -> None:
    import io

    from django.core.management import CommandError, call_command

    from smartcity.core.models import AuditEvent

    tenant = scene["incident"].tenant
    kept = scene["far"]
    set_camera_stream_endpoint(camera=kept, endpoint="rtsp://vms.example/kept")
    out = io.StringIO()
    call_command("cctv", "use-simulator", "--tenant", tenant.code, "--base", "http://127.0.0.1:9/",
                 stdout=out)  # fmt: skip
    assert "3 camera(s)" in out.getvalue()
    for camera in scene["cameras"]:
        camera.refresh_from_db()
        assert camera.stream_endpoint == f"http://127.0.0.1:9/cameras/{camera.pk}.ts"
    kept.refresh_from_db()
    assert kept.stream_endpoint == "rtsp://vms.example/kept"
    # Audited as any stream change, with a digest, never the address.
    assert AuditEvent.objects.filter(action="operations.camera_stream_set").count() == 4
    with pytest.raises(CommandError, match="http://"):
        call_command("cctv", "use-simulator", "--tenant", tenant.code, "--base", "ftp://x")
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("cctv", "use-simulator", "--tenant", tenant.code)


def test_the_simulator_serves_a_live_mpeg_ts_stream_per_camera(camera_simulator) -> None:  # type: ignore[no-untyped-def]
    import urllib.error
    import urllib.request

    with urllib.request.urlopen(camera_simulator.url("cam-7"), timeout=10) as stream:  # noqa: S310
        assert stream.headers["Content-Type"] == "video/mp2t"
        data = stream.read(188 * 200)
    assert data[0] == 0x47 and data[188] == 0x47  # MPEG-TS sync bytes
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(camera_simulator.base_url + "/cameras/../x.ts", timeout=5)  # noqa: S310
