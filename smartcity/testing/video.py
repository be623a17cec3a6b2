"""Real video in tests: ffmpeg (skip with a clear message, or fail in CI),
the camera simulator on a free port, and the gateway processes a test starts.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartcity.operations.media.ffmpeg import ffmpeg_binary
from smartcity.operations.media.simulator import CameraSimulator
from smartcity.operations.media.supervisor import supervisor


def require_ffmpeg() -> str:
    """ffmpeg's path; without it the test skips — or fails when ``CI`` is set."""
    binary = ffmpeg_binary()
    if binary is None:
        message = (
            "ffmpeg not found: real-video tests need it (scripts/bootstrap installs it; "
            "apt-get install --no-install-recommends ffmpeg)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return binary


@pytest.fixture
def camera_simulator() -> Iterator[CameraSimulator]:
    """The camera simulator on a free local port (``simulator.url(name)``)."""
    simulator = CameraSimulator(require_ffmpeg(), "127.0.0.1", 0).start()
    try:
        yield simulator
    finally:
        simulator.close()


@pytest.fixture
def video_gateways(settings, tmp_path: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """This process's gateway supervisor, stopped after the test (no ffmpeg outlives it)."""
    require_ffmpeg()
    gateways = supervisor()
    yield gateways
    gateways.stop_all()


def process_gone(pid: int) -> bool:
    """The process has exited (or is a zombie nobody has reaped yet)."""
    status = Path(f"/proc/{pid}/status")
    try:
        text = status.read_text()
    except (FileNotFoundError, ProcessLookupError):
        return True
    return "State:\tZ" in text
