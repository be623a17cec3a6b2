"""Real video gateways across web processes (ADR 0021), with real ffmpeg and
a real second Python process (``smartcity.testing.gateway_child``, the
supervisor ``views.gateway`` uses): the centre's limit counts every
process's gateways; a process killed outright leaves no ffmpeg running, and
its place in the count is taken back."""

from __future__ import annotations

import datetime as dt
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from smartcity.operations.media.supervisor import GatewayBusy, GatewaySupervisor
from smartcity.testing.video import process_gone

pytestmark = [pytest.mark.django_db, pytest.mark.real_video, pytest.mark.slow]

CENTRE = 7001  # a centre is a number to the registry; no row is needed


def wait_until(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


def database_url() -> str:
    """This test's database, for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """Another web process with its own gateway supervisor."""

    def __init__(self, source: str, data_dir: Path) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "SMARTCITY_DATA_DIR": str(data_dir),
            "SMARTCITY_VIDEO_GATEWAYS_PER_CENTRE": "1",
            "SMARTCITY_VIDEO_GATEWAY_IDLE_SECONDS": "120",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "smartcity.testing.gateway_child", source],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
            cwd=django_settings.BASE_DIR,
        )  # fmt: skip
        self.lines: queue.SimpleQueue[str] = queue.SimpleQueue()
        threading.Thread(target=self._read_lines, daemon=True).start()
        assert self.read() == ["ready"]

    def _read_lines(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def read(self) -> list[str]:
        """The worker's next answer (a hung worker fails the test, never hangs it)."""
        try:
            return self.lines.get(timeout=60).split()
        except queue.Empty:
            self.process.kill()
            raise AssertionError("the other worker did not answer within 60 s") from None

    def ask(self, line: str) -> list[str]:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=10)


@pytest.fixture
def source(camera_simulator) -> str:  # type: ignore[no-untyped-def]
    return str(camera_simulator.url("cam-shared"))


@pytest.fixture
def here(video_gateways, settings) -> GatewaySupervisor:  # type: ignore[no-untyped-def]
    """This process's supervisor, with the limit of one gateway per centre."""
    settings.OPERATIONS_VIDEO_GATEWAYS_PER_CENTRE = 1
    settings.OPERATIONS_VIDEO_GATEWAY_IDLE_SECONDS = 120
    return video_gateways  # type: ignore[no-any-return]


@pytest.fixture
def worker(source: str, here: GatewaySupervisor) -> Iterator[Worker]:
    started = Worker(source, here.root.parent.parent)
    try:
        yield started
    finally:
        started.close()


def acquire_here(here: GatewaySupervisor, source: str, camera: int, centre: int = CENTRE) -> int:
    gateway = here.acquire(
        camera_id=camera, viewer_id=camera, source=source, grant_id=0, tenant_id=centre,
        ends_at=timezone.now() + dt.timedelta(hours=1),
    )  # fmt: skip
    return gateway.pid


def test_the_centre_limit_counts_the_gateways_of_every_web_process(  # type: ignore[no-untyped-def]
    here, worker, source
) -> None:
    # This process takes the centre's one place; the other process is refused.
    acquire_here(here, source, camera=1)
    assert worker.ask(f"acquire 2 2 {CENTRE}") == ["busy"]
    # Another centre's limit is its own.
    assert worker.ask(f"acquire 3 3 {CENTRE + 1}")[0] == "started"

    # Once this process's gateway stops, the other process may start one —
    # and now this one is refused.
    here.stop_all()
    answer = worker.ask(f"acquire 2 2 {CENTRE}")
    assert answer[0] == "started", answer
    with pytest.raises(GatewayBusy):
        acquire_here(here, source, camera=1)

    # A worker that stops normally gives its places back.
    assert worker.ask("stop") == ["stopped", "2"]
    assert process_gone(int(answer[1]))
    acquire_here(here, source, camera=1)


def test_no_ffmpeg_outlives_a_killed_web_process_and_its_place_is_taken_back(  # type: ignore[no-untyped-def]
    here, worker, source
) -> None:
    answer = worker.ask(f"acquire 1 1 {CENTRE}")
    assert answer[0] == "started", answer
    ffmpeg, directory = int(answer[1]), Path(answer[2])
    assert not process_gone(ffmpeg) and directory.is_dir()
    with pytest.raises(GatewayBusy):
        acquire_here(here, source, camera=2)

    worker.process.send_signal(signal.SIGKILL)  # no atexit, no cleanup of its own
    worker.process.wait(timeout=5)
    assert wait_until(lambda: process_gone(ffmpeg), 5), "ffmpeg outlived its killed web process"

    # The dead process's entry is stale: this process takes the place back,
    # and the dead one's segment directory goes.
    acquire_here(here, source, camera=2)
    assert not directory.exists()
