"""The event vocabulary (types, grades, statuses) as one in-process snapshot.

Intake reads it on every report, and it changes only when a centre edits the
tables, so each process keeps a snapshot for ``TTL_S`` seconds instead of
three queries per report. An edit therefore takes effect within that time;
``clear_vocabulary_cache`` applies it at once (tests, a management command).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from smartcity.operations.models import EventGrade, EventStatus, EventType

TTL_S = 30.0


@dataclass(frozen=True)
class Vocabulary:
    types: dict[str, EventType]
    grades: dict[str, EventGrade]
    statuses: dict[str, EventStatus]

    @property
    def information_changed(self) -> EventStatus | None:
        """The status a sender's repeated first message with new facts becomes
        (``40``): the earliest repeatable status a sender may set."""
        candidates = [s for s in self.statuses.values() if s.is_repeatable and s.settable_by_sender]
        return min(candidates, key=lambda s: (s.sequence, s.code), default=None)


_lock = threading.Lock()
_snapshot: tuple[float, Vocabulary] | None = None


def vocabulary() -> Vocabulary:
    global _snapshot
    now = time.monotonic()
    current = _snapshot
    if current is not None and now - current[0] < TTL_S:
        return current[1]
    with _lock:
        fresh = Vocabulary(
            types={t.code: t for t in EventType.objects.all()},
            grades={g.code: g for g in EventGrade.objects.all()},
            statuses={s.code: s for s in EventStatus.objects.all()},
        )
        _snapshot = (now, fresh)
        return fresh


def clear_vocabulary_cache() -> None:
    global _snapshot
    with _lock:
        _snapshot = None
