"""The camera register upload on the set-up page, run in the background.

``start_camera_import`` records the import as ``queued`` and, once that row
is committed, starts a thread that runs the same importer the command line
uses (``services.cctv.import_cctv``) on the uploaded bytes; the page polls the
row's progress (htmx) until it is ``done`` or ``failed``. The importer writes
all or nothing, so a failure leaves the register as it was and the row says
why. A thread, not a queue: one upload per centre at a time is the use, the
file is bounded by ``UPLOAD_MAX_BYTES`` and the work is a few seconds; a
process that dies mid-import leaves the row ``running`` (shown as such, with
its start time) and the register unchanged.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from typing import Any

from django.db import close_old_connections, connection, transaction

from smartcity.core.services import record_audit
from smartcity.operations.models import CameraImport, Tenant
from smartcity.operations.services.cctv import import_cctv

logger = logging.getLogger("smartcity.operations.cctv")

#: Rejected rows kept for an upload's report (the CLI keeps the first 1,000).
REPORT_ROWS = 50_000

_threads: dict[int, threading.Thread] = {}


def start_camera_import(
    *, tenant: Tenant, data: bytes, file_name: str, actor: Any = None
) -> CameraImport:
    """Queue an import of ``data`` into ``tenant``'s register; it starts after commit."""
    with transaction.atomic():
        batch = CameraImport.objects.create(
            tenant=tenant,
            file_name=file_name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            encoding="",
            imported_by=actor if getattr(actor, "is_authenticated", False) else None,
            state=CameraImport.State.QUEUED,
            progress_total=data.count(b"\n") or 1,
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


def run_camera_import(*, import_id: int, data: bytes, actor: Any = None) -> CameraImport:
    """Run a queued import now (in the thread, or directly)."""
    batch = CameraImport.objects.select_related("tenant").get(pk=import_id)
    CameraImport.objects.filter(pk=import_id).update(state=CameraImport.State.RUNNING)

    def progress(line: int) -> None:
        CameraImport.objects.filter(pk=import_id).update(progress_rows=line)

    try:
        import_cctv(
            tenant=batch.tenant, data=data, file_name=batch.file_name, actor=actor,
            batch=batch, progress=progress, keep_rejections=REPORT_ROWS,
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
    return CameraImport.objects.get(pk=import_id)
