"""A camera upload's progress covers the database write, and an upload
whose process died is shown as interrupted with a retry from the kept file
(``services.camera_jobs``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from smartcity.core.models import AuditEvent
from smartcity.operations.domain.import_jobs import READ_SHARE, Owner
from smartcity.operations.models import Camera, CameraImport
from smartcity.operations.services import camera_jobs
from smartcity.operations.services.camera_jobs import (
    import_status,
    run_camera_import,
    start_camera_import,
    this_process,
    wait_for_import,
)

HEADER = "관리번호,관리기관명,소재지도로명주소,설치목적구분,WGS84위도,WGS84경도\n"


def _cameras(n: int, prefix: str = "M") -> bytes:
    rows = "".join(
        f"{prefix}{i},가람시청,가람로 {i},생활방범,{37.5 + i * 0.00001:.5f},127.0\n"
        for i in range(n)
    )
    return (HEADER + rows).encode()


def _login(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_the_bar_moves_while_the_register_is_written_not_stuck_at_99(  # type: ignore[no-untyped-def]
    tenant_a, centre_admin, monkeypatch
) -> None:
    """What the page would show at each of the write's progress reports:
    the writing phase, a bar that climbs from the read share, and (on
    PostgreSQL) the same counts seen from another connection mid-transaction."""
    data = _cameras(2_000)  # four chunks of 500
    batch = CameraImport.objects.create(
        tenant=tenant_a, file_name="w.csv", sha256="0", encoding="", state="queued",
        progress_total=2_001, owner=this_process().label(), heartbeat_at=timezone.now(),
    )  # fmt: skip
    seen: list[tuple[bool, int, bool]] = []
    from_elsewhere: list[int] = []
    report = camera_jobs._Progress.writing

    def observed(self, written: int, to_write: int) -> None:  # type: ignore[no-untyped-def]
        report(self, written, to_write)
        status = import_status(CameraImport.objects.get(pk=batch.pk))
        seen.append((connection.in_atomic_block, status.percent, status.writing))
        if connection.in_atomic_block and connection.vendor == "postgresql":
            other = connections.create_connection("default")
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT progress_written FROM operations_cameraimport WHERE id = %s",
                    [batch.pk],
                )
                from_elsewhere.append(cursor.fetchone()[0])
            other.close()

    monkeypatch.setattr(camera_jobs._Progress, "writing", observed)
    done = run_camera_import(import_id=batch.pk, data=data, actor=centre_admin)

    assert done.state == "done" and done.accepted == 2_000
    assert import_status(done).percent == 100
    before, *inside = seen
    assert before == (False, READ_SHARE, True)  # read, committed; the write about to begin
    assert [percent for _in, percent, _w in inside] == [40, 60, 80, 99]
    assert all(atomic and writing for atomic, _p, writing in inside)
    if connection.vendor == "postgresql":
        assert from_elsewhere == [500, 1_000, 1_500, 2_000]
    assert not camera_jobs._live  # nothing left behind in this process


@pytest.mark.django_db(transaction=True)
def test_an_upload_polls_to_done_and_its_kept_file_is_removed(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    data = _cameras(3)
    web = _login(centre_admin)
    batch = start_camera_import(tenant=tenant_a, data=data, file_name="k.csv", actor=centre_admin)
    wait_for_import(batch.pk)
    batch.refresh_from_db()
    assert batch.state == "done" and batch.owner == this_process().label()
    assert not default_storage.exists(f"camera-imports/{batch.sha256}.csv")
    page = web.get(reverse("operations:setup_camera_import", args=[batch.pk])).content.decode()
    assert 'data-state="done"' in page and "다시 시도" not in page


def _dead_owner() -> Owner:
    """A real process of this host that has exited: the owner of a stale import."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        owner = Owner(this_process().host, child.pid, camera_jobs._process_start(child.pid))
        assert camera_jobs.process_alive(owner)
    finally:
        child.kill()
        child.wait()
    assert not camera_jobs.process_alive(owner)
    return owner


@pytest.mark.django_db(transaction=True)
def test_an_import_whose_process_died_is_interrupted_and_retried_from_the_kept_file(  # type: ignore[no-untyped-def]
    tenant_a, centre_admin
) -> None:
    data = _cameras(5, prefix="R")
    # The upload was kept and its import had begun when its process was killed.
    batch = CameraImport.objects.create(
        tenant=tenant_a, file_name="r.csv", sha256=hashlib.sha256(data).hexdigest(), encoding="",
        state="running", owner=_dead_owner().label(), progress_rows=3, progress_total=6,
        heartbeat_at=timezone.now() - dt.timedelta(minutes=1), imported_by=centre_admin,
    )  # fmt: skip
    default_storage.save(f"camera-imports/{batch.sha256}.csv", ContentFile(data))
    batch.refresh_from_db()
    status = import_status(batch)
    assert status.interrupted and status.retryable

    web = _login(centre_admin)
    listing = web.get(reverse("operations:setup_cameras")).content.decode()
    assert "중단됨" in listing
    page = web.get(reverse("operations:setup_camera_import", args=[batch.pk])).content.decode()
    assert 'data-state="interrupted"' in page and "hx-trigger" not in page  # no endless polling
    assert "서버 프로세스가 멈췄습니다" in page and "같은 파일로 다시 시도" in page

    retry = reverse("operations:setup_camera_import_retry", args=[batch.pk])
    response = web.post(retry)
    again = CameraImport.objects.exclude(pk=batch.pk).get(retry_of=batch)
    assert response.status_code == 302 and response["Location"].endswith(f"/{again.pk}/")
    wait_for_import(again.pk)
    again.refresh_from_db()
    batch.refresh_from_db()
    assert (again.state, again.accepted) == ("done", 5)
    assert Camera.objects.filter(tenant=tenant_a).count() == 5
    assert (batch.state, batch.failure) == ("failed", "interrupted")
    assert not import_status(batch).retryable
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"operations.cctv_import_interrupted", "operations.cctv_import_retried"} <= actions
    # A second retry of the same import is refused with a sentence.
    refused = web.post(retry, follow=True).content.decode()
    assert "다시 시도할 수 없습니다" in refused
    assert CameraImport.objects.filter(retry_of=batch).count() == 1


@pytest.mark.django_db
def test_a_running_import_of_a_live_process_is_not_interrupted_nor_retryable(  # type: ignore[no-untyped-def]
    tenant_a, centre_admin
) -> None:
    old = timezone.now() - dt.timedelta(hours=1)
    batch = CameraImport.objects.create(
        tenant=tenant_a, file_name="l.csv", sha256="0", encoding="", state="running",
        owner=Owner(this_process().host, 1, camera_jobs._process_start(1)).label(),
        heartbeat_at=old,
    )  # fmt: skip
    assert not import_status(batch).interrupted  # pid 1 runs: a long write, not a death
    response = _login(centre_admin).post(
        reverse("operations:setup_camera_import_retry", args=[batch.pk]), follow=True
    )
    assert "다시 시도할 수 없습니다" in response.content.decode()
    assert CameraImport.objects.count() == 1


@pytest.mark.django_db
def test_a_retry_whose_file_is_gone_asks_for_the_file_again(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    batch = CameraImport.objects.create(
        tenant=tenant_a, file_name="g.csv", sha256="f" * 64, encoding="", state="running",
        owner="elsewhere:12:34", heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )  # fmt: skip
    assert import_status(batch).interrupted  # another host, no heartbeat for an hour
    response = _login(centre_admin).post(
        reverse("operations:setup_camera_import_retry", args=[batch.pk]), follow=True
    )
    assert "파일을 다시 올려" in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == "running" and CameraImport.objects.count() == 1


@pytest.mark.django_db
def test_another_centres_admin_cannot_retry_an_import(tenant_a, centre_admin_b) -> None:  # type: ignore[no-untyped-def]
    batch = CameraImport.objects.create(tenant=tenant_a, file_name="x.csv", sha256="0",
                                        encoding="", state="running")  # fmt: skip
    response = _login(centre_admin_b).post(
        reverse("operations:setup_camera_import_retry", args=[batch.pk])
    )
    assert response.status_code == 404
