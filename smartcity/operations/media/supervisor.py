"""The gateway supervisor: at most one ffmpeg per (camera, viewer) pair.

A gateway is started when an officer's first token for a camera is accepted
(``views.gateway``) and pulls the camera's stream — the address stays in this
process, handed to ffmpeg and nowhere else — writing segments into a private
directory under ``var/video-gateway/`` that only the token view reads.

It stops when the grant ends or is stopped (the services call
``stop_grant_gateways`` after their commit), when the grant's end time passes
on the server clock, when nobody asked for a segment for
``OPERATIONS_VIDEO_GATEWAY_IDLE_SECONDS``, when another process stopped the
grant (the reaper asks the database every second), or when ffmpeg dies. A
centre runs at most ``OPERATIONS_VIDEO_GATEWAYS_PER_CENTRE`` gateways, counted
over every web process on the machine (``registry``); ffmpeg dies with the
process that started it, even a killed one (``launcher``).
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import logging
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from smartcity.operations.media.ffmpeg import ffmpeg_binary, gateway_command
from smartcity.operations.media.launcher import Launcher
from smartcity.operations.media.registry import GatewayRegistry, RegistryFull

log = logging.getLogger(__name__)

Key = tuple[int, int]
"""(camera id, viewer id)."""


class GatewayBusy(Exception):
    """The centre already runs as many gateways as its limit allows."""


class GatewayUnavailable(Exception):
    """No video from this camera now: no ffmpeg, no stream address, or the
    camera's stream failed."""


@dataclass
class Gateway:
    key: Key
    grant_id: int
    tenant_id: int
    ends_at: dt.datetime
    directory: Path
    process: subprocess.Popen[bytes]
    entry_id: str = ""
    generation: str = field(default_factory=lambda: secrets.token_hex(6))
    started: float = field(default_factory=time.monotonic)
    last_used: float = field(default_factory=time.monotonic)

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None


def idle_seconds() -> float:
    return float(settings.OPERATIONS_VIDEO_GATEWAY_IDLE_SECONDS)


def centre_limit() -> int:
    return int(settings.OPERATIONS_VIDEO_GATEWAYS_PER_CENTRE)


class GatewaySupervisor:
    """The gateways of this process (one per (camera, viewer) pair)."""

    def __init__(self, root: Path, registry: GatewayRegistry | None = None) -> None:
        self.root = root
        self.registry = registry or GatewayRegistry(root.parent)
        self.launcher = Launcher()
        self._lock = threading.RLock()
        self._gateways: dict[Key, Gateway] = {}
        self._failed: dict[int, float] = {}  # camera id → monotonic time it may retry
        self._reaper: threading.Thread | None = None
        self._stopping = threading.Event()
        self.ended_grants: Callable[[Iterable[int]], set[int]] | None = None

    # --- starting -----------------------------------------------------------
    def acquire(
        self, *, camera_id: int, viewer_id: int, source: str, grant_id: int, tenant_id: int,
        ends_at: dt.datetime,
    ) -> Gateway:  # fmt: skip
        """The running gateway of (camera, viewer), started if needed and
        marked used now. Raises ``GatewayBusy`` or ``GatewayUnavailable``."""
        key = (camera_id, viewer_id)
        with self._lock:
            current = self._gateways.get(key)
            if current is not None and not current.alive():
                self._stop_locked(key, "exited")
                self._failed[camera_id] = time.monotonic() + 5
                current = None
            if current is not None:
                current.last_used = time.monotonic()
                current.grant_id, current.ends_at = grant_id, ends_at
                return current
            if not source:
                raise GatewayUnavailable("no_stream_address")
            if self._failed.get(camera_id, 0.0) > time.monotonic():
                raise GatewayUnavailable("stream_failed")
            binary = ffmpeg_binary()
            if binary is None:
                raise GatewayUnavailable("no_ffmpeg")
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            directory = Path(tempfile.mkdtemp(prefix=f"cam{camera_id}-", dir=self.root))
            try:  # the centre's count is over every web process (registry)
                entry_id = self.registry.claim(
                    tenant_id=tenant_id, camera_id=camera_id, viewer_id=viewer_id,
                    directory=directory, limit=centre_limit(),
                )  # fmt: skip
            except RegistryFull:
                shutil.rmtree(directory, ignore_errors=True)
                raise GatewayBusy() from None
            try:
                process = self.launcher.popen(
                    gateway_command(binary, source, directory), log_path=directory / "ffmpeg.log"
                )
            except BaseException:
                self.registry.release(entry_id)
                shutil.rmtree(directory, ignore_errors=True)
                raise
            self.registry.started(entry_id, process.pid)
            gateway = Gateway(key, grant_id, tenant_id, ends_at, directory, process, entry_id)
            self._gateways[key] = gateway
            self._start_reaper()
            return gateway

    # --- stopping -----------------------------------------------------------
    def _stop_locked(self, key: Key, why: str) -> None:
        gateway = self._gateways.pop(key, None)
        if gateway is None:
            return
        if gateway.alive():
            gateway.process.terminate()
            try:
                gateway.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                gateway.process.kill()
                gateway.process.wait(timeout=2)
        shutil.rmtree(gateway.directory, ignore_errors=True)
        try:
            self.registry.release(gateway.entry_id)
        except OSError:  # its entry goes with this process, as a dead owner's
            log.exception("video gateway %s could not leave the registry", key)
        log.info("video gateway %s stopped (%s)", key, why)

    def stop_grant(self, grant_id: int, *, viewer_id: int | None = None) -> int:
        """Stop the gateways serving ``grant_id`` (one viewer's, when given)."""
        with self._lock:
            keys = [
                k for k, g in self._gateways.items()
                if g.grant_id == grant_id and (viewer_id is None or k[1] == viewer_id)
            ]  # fmt: skip
            for key in keys:
                self._stop_locked(key, "grant ended")
            return len(keys)

    def stop_all(self) -> None:
        with self._lock:
            for key in list(self._gateways):
                self._stop_locked(key, "shutdown")
            with contextlib.suppress(OSError):
                self.root.rmdir()  # this process's directory, once empty

    def reap(self) -> int:
        """Stop what must stop now: past the grant's end on the server clock,
        idle, exited, or a grant another process ended. Returns how many."""
        now, mono = timezone.now(), time.monotonic()
        with self._lock:
            due = {
                k: why for k, g in self._gateways.items()
                for why in [
                    "ended" if g.ends_at <= now else
                    "idle" if mono - g.last_used > idle_seconds() else
                    "exited" if not g.alive() else ""
                ] if why
            }  # fmt: skip
            grants = {g.grant_id for k, g in self._gateways.items() if k not in due}
        if grants and self.ended_grants is not None:
            try:
                ended = self.ended_grants(grants)
            except Exception:
                log.exception("video gateway reaper could not read the grants")
                ended = set()
            with self._lock:
                due.update({k: "stopped" for k, g in self._gateways.items() if g.grant_id in ended})
        with self._lock:
            for key, why in due.items():
                self._stop_locked(key, why)
        return len(due)

    def _start_reaper(self) -> None:
        if self._reaper is not None and self._reaper.is_alive():
            return
        self._reaper = threading.Thread(target=self._reap_forever, name="video-reaper", daemon=True)
        self._reaper.start()

    def _reap_forever(self) -> None:
        while not self._stopping.wait(1.0):
            try:
                self.reap()
            except Exception:
                log.exception("video gateway reaper failed")
            with self._lock:
                if not self._gateways:
                    self._reaper = None
                    return

    # --- reading ------------------------------------------------------------
    def running(self) -> list[Gateway]:
        with self._lock:
            return list(self._gateways.values())

    def get(self, key: Key) -> Gateway | None:
        with self._lock:
            return self._gateways.get(key)


_supervisor: GatewaySupervisor | None = None
_create = threading.Lock()


def _ended_grants(grant_ids: Iterable[int]) -> set[int]:
    """Grants stopped, ended or whose incident closed (read by the reaper thread)."""
    from django.db import close_old_connections, connection
    from django.db.models import Q

    from smartcity.operations.models import VideoGrant

    close_old_connections()
    try:
        return set(
            VideoGrant.objects.filter(pk__in=list(grant_ids))
            .filter(
                Q(revoked_at__isnull=False)
                | Q(ended_at__isnull=False)
                | Q(incident__status__is_final=True)
            )
            .values_list("pk", flat=True)
        )
    finally:
        if threading.current_thread() is not threading.main_thread():
            connection.close()


def supervisor() -> GatewaySupervisor:
    """This process's supervisor (segments under ``DATA_DIR/video-gateway``)."""
    global _supervisor
    with _create:
        if _supervisor is None:
            root = Path(settings.DATA_DIR) / "video-gateway" / f"p{os.getpid()}"
            _supervisor = GatewaySupervisor(root)
            _supervisor.ended_grants = _ended_grants
            try:  # what workers killed before us left behind
                _supervisor.registry.reclaim()
            except OSError:
                log.exception("video gateway registry could not be read")
            atexit.register(_supervisor.stop_all)
        return _supervisor


def stop_grant_gateways(grant_id: int, *, viewer_id: int | None = None) -> int:
    """After a grant ended or was stopped: its gateways in this process go now
    (the other processes' reapers find it within a second)."""
    if _supervisor is None:
        return 0
    return _supervisor.stop_grant(grant_id, viewer_id=viewer_id)
