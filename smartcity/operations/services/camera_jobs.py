"""The camera register upload on the set-up page, run in the background.

``start_camera_import`` keeps the uploaded file in the upload storage under
its SHA-256, records the import as ``queued`` with its owner (this process:
``host:pid:start``) and, once that row is committed, starts a thread that
runs the same importer the command line uses (``services.cctv.import_cctv``)
on the bytes; the page polls the import (htmx) until it is ``done`` or
``failed``. The importer writes all or nothing, so a failure leaves the
register as it was and the row says why.

Progress has two phases (``domain.import_jobs.import_percent``): the file
lines read, committed as they go, then the cameras written, inside the
importer's one write transaction. Those counts cannot be committed from
inside it, so they are kept in this process (``_live``, which the page
reads when the import runs here) and, on PostgreSQL, also written through a
second connection (any node's page sees them; SQLite has one writer and one
node). Each report is also the import's heartbeat.

A thread, not a queue: one upload per centre at a time is the use, the file
is bounded by ``UPLOAD_MAX_BYTES`` and the work is seconds. A process that
dies mid-import leaves the row ``running`` with the register unchanged;
``import_status`` sees that its owner is gone (or its heartbeat stale, from
another host) and the page offers ``retry_camera_import``, which runs the
kept file again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import close_old_connections, connection, connections, transaction
from django.utils import timezone

from smartcity.core.services import record_audit
from smartcity.operations.domain.import_jobs import (
    Owner,
    import_interrupted,
    import_percent,
    parse_owner,
)
from smartcity.operations.errors import StateConflict
from smartcity.operations.models import CameraImport, Tenant
from smartcity.operations.services.cctv import import_cctv

logger = logging.getLogger("smartcity.operations.cctv")

#: Rejected rows kept for an upload's report (the CLI keeps the first 1,000).
REPORT_ROWS = 50_000
#: Where uploads wait for their import (and a retry), named by their SHA-256.
STAGING = "camera-imports"
INTERRUPTED = "interrupted"

_threads: dict[int, threading.Thread] = {}
_live: dict[int, tuple[int, int]] = {}  # import id → (written, to write), while writing


def _process_start(pid: int) -> int:
    """The process's start time in clock ticks since boot (``/proc``), 0 if unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    # The command name (field 2) may hold spaces and parentheses: split after it.
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[19])  # field 22, starttime


def this_process() -> Owner:
    return Owner(socket.gethostname(), os.getpid(), _process_start(os.getpid()))


def process_alive(owner: Owner) -> bool:
    """The owner still runs on this host (same pid, same start time)."""
    if owner.pid == os.getpid() and owner.started == _process_start(owner.pid):
        return True
    if not Path("/proc").is_dir():  # no process table to read: ask the kernel
        try:
            os.kill(owner.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    started = _process_start(owner.pid)
    return started != 0 and (owner.started == 0 or started == owner.started)


def _staged_name(sha256: str) -> str:
    return f"{STAGING}/{sha256}.csv"


def start_camera_import(
    *, tenant: Tenant, data: bytes, file_name: str, actor: Any = None,
    retry_of: CameraImport | None = None,
) -> CameraImport:  # fmt: skip
    """Queue an import of ``data`` into ``tenant``'s register; it starts after commit."""
    digest = hashlib.sha256(data).hexdigest()
    if not default_storage.exists(_staged_name(digest)):
        default_storage.save(_staged_name(digest), ContentFile(data))
    with transaction.atomic():
        batch = CameraImport.objects.create(
            tenant=tenant,
            file_name=file_name[:255],
            sha256=digest,
            encoding="",
            imported_by=actor if getattr(actor, "is_authenticated", False) else None,
            state=CameraImport.State.QUEUED,
            progress_total=data.count(b"\n") or 1,
            owner=this_process().label(),
            heartbeat_at=timezone.now(),
            retry_of=retry_of,
        )
        transaction.on_commit(lambda: _start(batch.pk, data, actor))
    return batch


def _start(import_id: int, data: bytes, actor: Any) -> None:
    thread = threading.Thread(
        target=_run_in_thread, args=(import_id, data, actor),
        name=f"camera-import-{import_id}", daemon=True,
    )  # fmt: skip
    _threads[import_id] = thread
    thread.start()


def _run_in_thread(import_id: int, data: bytes, actor: Any) -> None:
    close_old_connections()
    try:
        run_camera_import(import_id=import_id, data=data, actor=actor)
    finally:
        connection.close()


def wait_for_import(import_id: int, timeout: float = 60.0) -> None:
    """Block until the background import ``import_id`` of this process ended."""
    thread = _threads.get(import_id)
    if thread is not None:
        thread.join(timeout)


class _Progress:
    """The import's progress reports, and its heartbeat with them."""

    def __init__(self, import_id: int) -> None:
        self.import_id = import_id
        self.side: Any = None  # PostgreSQL: a second connection, outside the write transaction

    def read(self, line: int) -> None:
        CameraImport.objects.filter(pk=self.import_id).update(
            progress_rows=line, heartbeat_at=timezone.now()
        )

    def writing(self, written: int, to_write: int) -> None:
        if not connection.in_atomic_block:  # before the write transaction: commit it
            CameraImport.objects.filter(pk=self.import_id).update(
                progress_written=written, progress_to_write=to_write,
                heartbeat_at=timezone.now(),
            )  # fmt: skip
            return
        _live[self.import_id] = (written, to_write)
        if connection.vendor == "postgresql":
            self._side_update(written, to_write)

    def _side_update(self, written: int, to_write: int) -> None:
        if self.side is None:
            self.side = connections.create_connection("default")
        table = CameraImport._meta.db_table
        with self.side.cursor() as cursor:  # autocommit: visible to every node at once
            cursor.execute(
                f"UPDATE {table} SET progress_written = %s, progress_to_write = %s, "  # noqa: S608 - the model's own table name
                "heartbeat_at = %s WHERE id = %s",
                [written, to_write, timezone.now(), self.import_id],
            )

    def close(self) -> None:
        _live.pop(self.import_id, None)
        if self.side is not None:
            self.side.close()


def run_camera_import(*, import_id: int, data: bytes, actor: Any = None) -> CameraImport:
    """Run a queued import now (in the thread, or directly)."""
    batch = CameraImport.objects.select_related("tenant").get(pk=import_id)
    CameraImport.objects.filter(pk=import_id).update(
        state=CameraImport.State.RUNNING, owner=this_process().label(),
        heartbeat_at=timezone.now(),
    )  # fmt: skip
    progress = _Progress(import_id)
    try:
        import_cctv(
            tenant=batch.tenant, data=data, file_name=batch.file_name, actor=actor,
            batch=batch, progress=progress.read, keep_rejections=REPORT_ROWS,
            writing=progress.writing,
        )  # fmt: skip
    except Exception as exc:  # a failure must end the job, and say so, never hang the page
        logger.exception("camera import %s failed", import_id)
        with transaction.atomic():
            CameraImport.objects.filter(pk=import_id).update(
                state=CameraImport.State.FAILED, failure=f"{type(exc).__name__}: {exc}"[:500]
            )
            record_audit(
                actor=actor, action="operations.cctv_import_failed",
                object_type="operations.cameraimport", object_id=import_id,
                data={"tenant": batch.tenant.code, "file_name": batch.file_name,
                      "error": type(exc).__name__},
            )  # fmt: skip
    else:
        default_storage.delete(_staged_name(batch.sha256))
    finally:
        progress.close()
    return CameraImport.objects.get(pk=import_id)


@dataclass(frozen=True, slots=True)
class ImportStatus:
    """What the page shows of an import: the bar, and whether it died."""

    percent: int
    writing: bool
    interrupted: bool
    retryable: bool


def stale_after() -> dt.timedelta:
    seconds = int(getattr(settings, "OPERATIONS_CAMERA_IMPORT_STALE_SECONDS", 120))
    return dt.timedelta(seconds=seconds)


def import_status(batch: CameraImport) -> ImportStatus:
    """The import's bar (with this process's live count while it writes) and
    whether its process is gone: on this host the process table decides,
    from another host a heartbeat older than ``stale_after()``."""
    written, to_write = _live.get(batch.pk, (batch.progress_written, batch.progress_to_write))
    owner = parse_owner(batch.owner)
    here = this_process()
    alive: bool | None = None
    if owner is not None and owner.host == here.host:
        alive = process_alive(owner)
        if alive and owner.pid == here.pid:  # this process: is its thread still at it?
            thread = _threads.get(batch.pk)
            alive = thread is not None and thread.is_alive()
    interrupted = import_interrupted(
        state=batch.state, owner=owner, heartbeat_at=batch.heartbeat_at, now=timezone.now(),
        this_host=here.host, owner_alive=alive, stale_after=stale_after(),
    )  # fmt: skip
    percent = import_percent(
        state=batch.state, read=batch.progress_rows, read_total=batch.progress_total,
        written=written, to_write=to_write,
    )  # fmt: skip
    failed = batch.state == CameraImport.State.FAILED
    return ImportStatus(
        percent=percent,
        writing=bool(to_write) and not interrupted and batch.state == CameraImport.State.RUNNING,
        interrupted=interrupted,
        retryable=(interrupted or failed) and not batch.retries.exists(),
    )


def retry_camera_import(*, batch: CameraImport, actor: Any = None) -> CameraImport:
    """Run an interrupted (or failed) import again from the kept file. The
    old row is closed as ``failed`` (``interrupted``) first, so it can never
    be mistaken for a running one; ``StateConflict`` when the import is
    running, done or already retried (``import_not_retryable``), or its file
    is no longer kept (``import_file_gone``: upload it again)."""
    with transaction.atomic():
        locked = CameraImport.objects.select_for_update().select_related("tenant").get(pk=batch.pk)
        status = import_status(locked)
        if not status.retryable:
            raise StateConflict("import_not_retryable")
        name = _staged_name(locked.sha256)
        if not default_storage.exists(name):
            raise StateConflict("import_file_gone")
        with default_storage.open(name, "rb") as handle:
            data: bytes = handle.read()
        if hashlib.sha256(data).hexdigest() != locked.sha256:
            raise StateConflict("import_file_gone")
        if status.interrupted:
            CameraImport.objects.filter(pk=locked.pk).update(
                state=CameraImport.State.FAILED, failure=INTERRUPTED
            )
            record_audit(
                actor=actor, action="operations.cctv_import_interrupted",
                object_type="operations.cameraimport", object_id=locked.pk,
                data={"tenant": locked.tenant.code, "file_name": locked.file_name,
                      "owner": locked.owner},
            )  # fmt: skip
        again = start_camera_import(
            tenant=locked.tenant, data=data, file_name=locked.file_name, actor=actor,
            retry_of=locked,
        )  # fmt: skip
        record_audit(
            actor=actor, action="operations.cctv_import_retried",
            object_type="operations.cameraimport", object_id=again.pk,
            data={"tenant": locked.tenant.code, "file_name": locked.file_name,
                  "retry_of": locked.pk},
        )  # fmt: skip
    return again
