"""Viewing sessions: one access-log row per officer per camera, the frames
counted on it, closed at the grant's real end with why, sealed in the chain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from smartcity.operations.errors import VideoRefused
from smartcity.operations.models import OfficerCertification, VideoAccessEntry, ViewingSession
from smartcity.operations.selectors.linkage import verify_access_log
from smartcity.operations.services.video.expiry import expire_grants
from smartcity.operations.services.video.grants import revoke_grant
from smartcity.operations.services.video.sessions import grant_end
from smartcity.operations.services.video.streams import open_stream, request_stream

pytestmark = pytest.mark.django_db


def _frame(officer, grant, camera) -> None:  # type: ignore[no-untyped-def]
    ticket = request_stream(officer=officer, grant_id=grant.pk, camera_id=camera.pk)
    open_stream(token=ticket.token, viewer=officer)


def _frames(clock, officer, grant, camera, n: int, every_s: int = 5) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        _frame(officer, grant, camera)
        clock.set(clock.now + dt.timedelta(seconds=every_s))


def test_frames_of_one_camera_count_on_one_session_with_one_chained_row(  # type: ignore[no-untyped-def]
    clock, granted, scene, police_officer
) -> None:
    first, second = scene["cameras"][:2]
    _frames(clock, police_officer, granted, first, 48)  # four minutes at 5 s a frame
    _frames(clock, police_officer, granted, second, 3)
    sessions = {s.camera_id: s for s in ViewingSession.objects.all()}
    assert sessions[first.pk].frames == 48 and sessions[second.pk].frames == 3
    assert sessions[first.pk].closed_at is None
    steps = list(VideoAccessEntry.objects.order_by("id").values_list("step", "camera_id"))
    assert steps == [("open", first.pk), ("open", second.pk)]  # not 2 rows per frame
    assert verify_access_log() is None


def test_the_session_closes_at_the_real_end_time_and_the_close_seals_the_count(  # type: ignore[no-untyped-def]
    clock, granted, scene, police_officer
) -> None:
    camera = scene["cameras"][0]
    _frames(clock, police_officer, granted, camera, 6)
    last_frame = clock.now - dt.timedelta(seconds=5)
    clock.set(granted.expires_at + dt.timedelta(minutes=3))  # the console asks again, late
    with pytest.raises(VideoRefused):
        request_stream(officer=police_officer, grant_id=granted.pk, camera_id=camera.pk)
    session = ViewingSession.objects.get()
    assert (session.close_reason, session.closed_at) == ("expired", granted.expires_at)
    close = VideoAccessEntry.objects.get(step="close")
    assert (close.frames, close.reason, close.viewed_until) == (6, "expired", granted.expires_at)
    assert close.last_frame_at == last_frame.replace(microsecond=0)
    assert session.closed_entry == close and verify_access_log() is None
    with connection.cursor() as cursor:  # the sealed count rewritten behind the ORM's back
        cursor.execute(
            f"UPDATE {VideoAccessEntry._meta.db_table} SET frames = 1 WHERE id = %s",  # noqa: S608
            [close.pk],
        )
    broken = verify_access_log()
    assert broken is not None and broken.row_id == close.pk


def test_the_centre_stopping_a_grant_closes_its_sessions_at_the_stop_time(  # type: ignore[no-untyped-def]
    clock, granted, scene, police_officer, platform_operator
) -> None:
    for camera in scene["cameras"]:
        _frame(police_officer, granted, camera)
    clock.set(clock.now + dt.timedelta(minutes=2))
    revoke_grant(tenant=granted.tenant, grant_id=granted.pk, actor=platform_operator)
    sessions = ViewingSession.objects.all()
    assert {(s.close_reason, s.closed_at) for s in sessions} == {("revoked", clock.now)}
    assert VideoAccessEntry.objects.filter(step="close").count() == 3
    end = grant_end(granted.__class__.objects.get(pk=granted.pk), police_officer, clock.now)
    assert end is not None and (end.cause, end.at) == ("revoked", clock.now)


def test_a_console_left_idle_closes_its_session_at_the_last_frame(  # type: ignore[no-untyped-def]
    clock, settings, granted, scene, police_officer
) -> None:
    settings.OPERATIONS_VIDEO_IDLE_SECONDS = 60
    camera = scene["cameras"][0]
    _frames(clock, police_officer, granted, camera, 2)
    last = clock.now - dt.timedelta(seconds=5)
    clock.set(clock.now + dt.timedelta(minutes=3))
    _frame(police_officer, granted, camera)  # back after three minutes: a new session
    old, new = ViewingSession.objects.order_by("id")
    assert (old.close_reason, old.closed_at, old.frames) == ("idle", last, 2)
    assert new.closed_at is None and new.frames == 1
    clock.set(clock.now + dt.timedelta(minutes=2))
    assert expire_grants() == 0  # the grant runs on; the sweep closes the idle session
    new.refresh_from_db()
    assert new.close_reason == "idle" and verify_access_log() is None


def test_the_sweep_closes_the_sessions_of_an_expired_grant_at_its_end(  # type: ignore[no-untyped-def]
    clock, granted, scene, police_officer
) -> None:
    _frame(police_officer, granted, scene["cameras"][0])
    clock.set(granted.expires_at + dt.timedelta(seconds=30))
    assert expire_grants() == 1
    session = ViewingSession.objects.get()
    assert (session.close_reason, session.closed_at) == ("expired", granted.expires_at)


def test_an_expired_certification_ends_the_viewing_at_its_expiry(  # type: ignore[no-untyped-def]
    clock, granted, scene, police_officer
) -> None:
    camera = scene["cameras"][0]
    _frame(police_officer, granted, camera)
    expiry = clock.now + dt.timedelta(minutes=1)
    OfficerCertification.objects.filter(officer=police_officer).update(expires_at=expiry)
    clock.set(expiry + dt.timedelta(seconds=10))
    with pytest.raises(VideoRefused) as refused:
        request_stream(officer=police_officer, grant_id=granted.pk, camera_id=camera.pk)
    assert refused.value.code == "not_certified"
    session = ViewingSession.objects.get()
    assert (session.close_reason, session.closed_at) == ("not_certified", expiry)


@pytest.mark.django_db(transaction=True)
def test_a_frame_racing_the_centres_stop_is_refused_not_counted_on_a_new_session(  # type: ignore[no-untyped-def]
    granted, scene, police_officer, platform_operator
) -> None:
    """A frame whose token is checked while the centre's stop is being
    written waits for it and is refused; it never opens a session after the
    stop closed the last one (seen on PostgreSQL by the platform journey)."""
    import threading
    import time

    from django.db import connections, transaction

    camera = scene["cameras"][0]
    _frame(police_officer, granted, camera)
    ticket = request_stream(officer=police_officer, grant_id=granted.pk, camera_id=camera.pk)
    outcome: list[object] = []

    def the_console_asks() -> None:
        try:
            open_stream(token=ticket.token, viewer=police_officer)
            outcome.append("served")
        except VideoRefused as exc:
            outcome.append(exc.code)
        finally:
            connections.close_all()

    asking = threading.Thread(target=the_console_asks)
    with transaction.atomic():
        revoke_grant(tenant=granted.tenant, grant_id=granted.pk, actor=platform_operator)
        asking.start()
        # The frame's check waits on the stop (a lock on PostgreSQL, the one
        # writer on SQLite) until the stop commits.
        if connection.vendor == "postgresql":
            watcher = connections.create_connection("default")
            deadline = time.monotonic() + 10
            with watcher.cursor() as cursor:
                while time.monotonic() < deadline:
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        " AND datname = current_database()"
                    )
                    if cursor.fetchone()[0]:
                        break
                    time.sleep(0.02)
            watcher.close()
        else:
            time.sleep(0.3)  # SQLite: the thread is at BEGIN IMMEDIATE by now
        assert not outcome
    asking.join(10)
    assert outcome == ["revoked"]
    [session] = ViewingSession.objects.filter(grant=granted)
    assert (session.frames, session.close_reason) == (1, "revoked")
    assert verify_access_log() is None
