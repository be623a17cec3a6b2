"""The group writer: one thread per process that commits queued intake events
in groups (ADR 0023).

Callers (the single-report and batch endpoints, the broker consumer) ``submit`` a list of events
and get a future; the writer takes what is queued and, when the last group
had company (several submissions: senders are busy), waits at most
``OPERATIONS_INTAKE_GROUP_MS`` for more (up to ``OPERATIONS_INTAKE_GROUP_EVENTS``
events). A lone sender's report is committed at once: under load the groups
form by themselves while the last one commits, and a quiet centre's report
does not wait for company that is not coming. It stores the lot with one call of
``services.intake_group.receive_incident_group`` (one transaction) and only
then resolves each future with its events' results: an acknowledgement always
follows the commit. A failed group (the database gone) fails every future of
the group, and nothing of it is acknowledged.

A submission is never split across groups, so a batch request is all in one
transaction. The thread keeps its own database connection (one per process).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connection

from smartcity.operations.selectors.intake import client_for_key
from smartcity.operations.services.intake import IncidentReport
from smartcity.operations.services.intake_group import (
    EventResult,
    GroupEvent,
    receive_incident_group,
)
from smartcity.operations.services.tenancy import note_intake_key_used

logger = logging.getLogger("smartcity.operations.intake")


@dataclass(frozen=True)
class PendingReport:
    """A validated event waiting for its group: its key, report and body hash."""

    idempotency_key: str
    report: IncidentReport
    request_hash: str


@dataclass
class _Submission:
    api_key: str
    events: Sequence[PendingReport]
    future: Future[list[EventResult] | None]


class GroupWriter:
    """Commits submitted events in groups on its own thread (started lazily)."""

    def __init__(self, *, max_events: int, max_wait_s: float) -> None:
        self.max_events = max_events
        self.max_wait_s = max_wait_s
        self._queue: queue.SimpleQueue[_Submission | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._company = False
        """Whether the last group held more than one submission."""
        self.groups = 0
        """How many groups were committed (for tests and benchmarks)."""

    def submit(
        self, *, api_key: str, events: Sequence[PendingReport]
    ) -> Future[list[EventResult] | None]:
        """Queue ``events`` sent with ``api_key``; the future resolves with one
        result per event once their group committed, with ``None`` when the key
        is not a valid one (nothing stored), or with the group's exception.

        The key is checked by the writer, in the group's transaction, one
        query per distinct key and group rather than one per request."""
        future: Future[list[EventResult] | None] = Future()
        self._ensure_thread()
        self._queue.put(_Submission(api_key, list(events), future))
        return future

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="intake-group-writer", daemon=True
                )
                self._thread.start()

    def stop(self) -> None:
        """Let the thread finish what is queued, close its connection and end
        (the test suite, before its database is dropped)."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None and thread.is_alive():
            self._queue.put(None)
            thread.join(10)

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                connection.close()
                return
            group = [first]
            count = len(first.events)
            deadline = time.monotonic() + (self.max_wait_s if self._company else 0.0)
            while count < self.max_events:
                remaining = deadline - time.monotonic()
                try:
                    if remaining > 0:
                        item = self._queue.get(timeout=remaining)
                    else:  # no (more) waiting: only what is already queued
                        item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:  # stop: commit this group first
                    self._queue.put(None)
                    break
                group.append(item)
                count += len(item.events)
            self._company = len(group) > 1
            self._commit(group)

    def _commit(self, group: list[_Submission]) -> None:
        try:
            clients = {key: client_for_key(key) for key in {item.api_key for item in group}}
            for client in clients.values():
                if client is not None:  # an UPDATE at most once a minute per key
                    note_intake_key_used(client=client)
            accepted = [item for item in group if clients[item.api_key] is not None]
            events = [
                GroupEvent(clients[item.api_key], e.idempotency_key, e.report, e.request_hash)  # type: ignore[arg-type]
                for item in accepted
                for e in item.events
            ]
            results = receive_incident_group(events=events) if events else []
        except BaseException as exc:  # every caller hears of it; nothing was acknowledged
            logger.warning("intake group of %d submissions failed: %r", len(group), exc)
            for item in group:
                item.future.set_exception(exc)
            if connection.connection is not None and not connection.is_usable():
                connection.close()
            close_old_connections()
            return
        self.groups += 1
        start = 0
        for item in group:
            if clients[item.api_key] is None:
                item.future.set_result(None)
                continue
            item.future.set_result(results[start : start + len(item.events)])
            start += len(item.events)


_writer: GroupWriter | None = None
_writer_lock = threading.Lock()


def group_writer() -> GroupWriter:
    """This process's group writer, under the settings of the moment."""
    global _writer
    with _writer_lock:
        if _writer is None:
            _writer = GroupWriter(
                max_events=settings.OPERATIONS_INTAKE_GROUP_EVENTS,
                max_wait_s=settings.OPERATIONS_INTAKE_GROUP_MS / 1000,
            )
        return _writer


def stop_group_writer() -> None:
    """Stop this process's writer thread if it runs (it starts again on the
    next submission): the test suite, before its database goes."""
    with _writer_lock:
        writer = _writer
    if writer is not None:
        writer.stop()
