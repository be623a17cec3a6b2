"""Starting ffmpeg so that it dies with the web process, even a killed one.

On Linux the child asks the kernel, between fork and exec, for SIGKILL when
its parent dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``). The kernel means the
parent *thread*: a gateway started from a request's thread would be killed
as soon as that thread ended (asyncio's executor and the test client's event
loops come and go). So every gateway is forked from one long-lived thread of
the process, the launcher, which lives as long as the process does.

Elsewhere (no ``prctl``) the stale-entry reclaim of ``registry`` is what
stops an orphan: the next worker to claim or start kills it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from queue import SimpleQueue

PR_SET_PDEATHSIG = 1

Job = tuple[Callable[[], subprocess.Popen[bytes]], "Future[subprocess.Popen[bytes]]"]


def _die_with_parent() -> Callable[[], None] | None:
    """The ``preexec_fn`` that ties the child to this process (Linux), else ``None``."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork
    parent = os.getpid()

    def preexec() -> None:
        if prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            os._exit(127)  # no guarantee, no gateway
        if os.getppid() != parent:  # the parent died before the prctl took effect
            os._exit(1)

    return preexec


class Launcher:
    """One daemon thread that forks every gateway of this process."""

    def __init__(self) -> None:
        self._jobs: SimpleQueue[Job] = SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()

    def _run(self) -> None:
        while True:
            start, future = self._jobs.get()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(start())
                except BaseException as exc:  # handed to the caller, who raises it
                    future.set_exception(exc)

    def popen(self, command: list[str], *, log_path: Path) -> subprocess.Popen[bytes]:
        """``command`` started from the launcher thread, stderr to ``log_path``,
        in a session of its own, killed by the kernel if this process dies."""

        def start() -> subprocess.Popen[bytes]:
            with open(log_path, "wb") as errors:
                return subprocess.Popen(
                    command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
                    start_new_session=True, preexec_fn=_die_with_parent(),
                )  # fmt: skip

        with self._start:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="video-launcher", daemon=True
                )
                self._thread.start()
        future: Future[subprocess.Popen[bytes]] = Future()
        self._jobs.put((start, future))
        return future.result()
