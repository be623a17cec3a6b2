"""The gateways of every web process on this machine, in one locked file.

Each uvicorn worker has its own ``GatewaySupervisor``; the per-centre limit
must hold for all of them together. So a worker claims an entry here before
it starts an ffmpeg, and gives it back when it stops it. The file
(``DATA_DIR/video-gateway/gateways-<database>.json``, absent when nothing
runs) is read and written only under an exclusive ``flock`` on
``gateways.lock`` beside it, so two workers cannot both take the last place.

An entry names its owner by pid and the kernel's start time of that pid (a
recycled pid is another process). An entry whose owner is gone — a worker
killed outright — is stale: the next claim, or the next worker to start,
drops it, kills its ffmpeg if one is still running (it is ours when its
command line names the entry's directory) and removes its directory.

The name carries a digest of the database, because a centre is a row of one
database: test databases (one per pytest-xdist worker) or two checkouts on
one machine do not share their limits.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import secrets
import shutil
import signal
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import connections

log = logging.getLogger(__name__)


class RegistryFull(Exception):
    """The centre already has as many gateways as its limit allows."""


@dataclass
class Entry:
    id: str
    tenant: int
    camera: int
    viewer: int
    owner_pid: int
    owner_start: str
    directory: str
    ffmpeg_pid: int = 0


def process_start(pid: int) -> str:
    """The kernel's start time of ``pid`` (``/proc/<pid>/stat`` field 22), ``""``
    when there is no such process (or no ``/proc``: then the pid alone counts)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""
    except OSError:
        return "?"
    fields = stat.rpartition(")")[2].split()
    return fields[19] if len(fields) > 19 and fields[0] != "Z" else ""


def owner_alive(pid: int, start: str) -> bool:
    if not Path("/proc/self/stat").exists():  # no procfs: ask the kernel about the pid
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return process_start(pid) == start != ""


def _database_digest() -> str:
    settings = connections["default"].settings_dict
    ident = "|".join(
        str(part)
        for part in (
            connections["default"].vendor,
            settings.get("NAME"),
            settings.get("HOST"),
            settings.get("PORT"),
        )
    )
    return hashlib.sha256(ident.encode()).hexdigest()[:12]


class GatewayRegistry:
    """The gateways of all web processes sharing ``directory`` and the database."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.me = (os.getpid(), process_start(os.getpid()))

    def _path(self) -> Path:
        return self.directory / f"gateways-{_database_digest()}.json"

    @contextlib.contextmanager
    def _entries(self) -> Iterator[list[Entry]]:
        """The entries, locked; what the block leaves in the list is written back."""
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self._path()
        with open(self.directory / "gateways.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                try:
                    raw = json.loads(path.read_text(encoding="utf-8") or "[]")
                    entries = [Entry(**item) for item in raw]
                except FileNotFoundError:
                    entries = []
                except (ValueError, TypeError):
                    log.warning("video gateway registry %s was unreadable; starting afresh", path)
                    entries = []
                before = list(entries)
                yield entries
                if not entries:  # no file left behind when nothing runs
                    path.unlink(missing_ok=True)
                elif entries != before:
                    temporary = path.with_suffix(f".{os.getpid()}.tmp")
                    temporary.write_text(json.dumps([asdict(e) for e in entries]), "utf-8")
                    os.replace(temporary, path)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    @staticmethod
    def _drop_stale(entries: list[Entry]) -> list[Entry]:
        """Remove (in place) and clean up the entries whose owner is gone."""
        stale = [e for e in entries if not owner_alive(e.owner_pid, e.owner_start)]
        for entry in stale:
            entries.remove(entry)
            _kill_orphan(entry)
            shutil.rmtree(entry.directory, ignore_errors=True)
            with contextlib.suppress(OSError):
                Path(entry.directory).parent.rmdir()  # the dead worker's p<pid>, once empty
            log.warning(
                "video gateway of a dead web process (pid %s) reclaimed: camera %s, centre %s",
                entry.owner_pid, entry.camera, entry.tenant,
            )  # fmt: skip
        return stale

    def claim(
        self, *, tenant_id: int, camera_id: int, viewer_id: int, directory: Path, limit: int
    ) -> str:
        """A place for a new gateway of centre ``tenant_id``; its id. Raises
        ``RegistryFull`` when the centre's live entries reach ``limit``."""
        entry = Entry(
            id=secrets.token_hex(8), tenant=tenant_id, camera=camera_id, viewer=viewer_id,
            owner_pid=self.me[0], owner_start=self.me[1], directory=str(directory),
        )  # fmt: skip
        with self._entries() as entries:
            self._drop_stale(entries)  # written back even when the centre is full
            full = sum(1 for e in entries if e.tenant == tenant_id) >= limit
            if not full:
                entries.append(entry)
        if full:
            raise RegistryFull()
        return entry.id

    def started(self, entry_id: str, ffmpeg_pid: int) -> None:
        """Note the ffmpeg of an entry (so a reclaim can find an orphan)."""
        with self._entries() as entries:
            for index, entry in enumerate(entries):
                if entry.id == entry_id:
                    entries[index] = Entry(**{**asdict(entry), "ffmpeg_pid": ffmpeg_pid})

    def release(self, entry_id: str) -> None:
        with self._entries() as entries:
            entries[:] = [e for e in entries if e.id != entry_id]

    def reclaim(self) -> int:
        """Drop the entries of dead processes (a worker does this as it starts)."""
        with self._entries() as entries:
            return len(self._drop_stale(entries))

    def entries(self) -> list[Entry]:
        with self._entries() as entries:
            return list(entries)


def _kill_orphan(entry: Entry) -> None:
    """SIGKILL the entry's ffmpeg if it still runs — only when its command
    line names the entry's directory (a recycled pid is someone else)."""
    if not entry.ffmpeg_pid:
        return
    try:
        command = Path(f"/proc/{entry.ffmpeg_pid}/cmdline").read_bytes()
    except OSError:
        return
    if entry.directory.encode() in command:
        with contextlib.suppress(ProcessLookupError):
            os.kill(entry.ffmpeg_pid, signal.SIGKILL)
