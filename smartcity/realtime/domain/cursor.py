"""Reading an outbox table in order when ids can commit out of order.

Why not simply "``id > last seen``": on PostgreSQL ids come from a sequence
when the row is inserted, but rows become visible when their transaction
commits. Transaction A may take id 41, transaction B id 42, and B commit
first; a reader that saw 42 and then asks for ``id > 42`` never sees 41. (On
SQLite writers are serialised, so this cannot happen, and a rolled-back
insert gives its id back.)

So the cursor remembers the *gaps* below its position — ids it skipped — for
``gap_timeout_s`` seconds and asks for them again on every poll. A gap that
stays empty that long belonged to a transaction that rolled back (sequences
are not transactional) or to one far slower than any write path here, and is
forgotten. At most ``max_gaps`` are kept (oldest forgotten first), so a burst
of rollbacks cannot make the poll query grow without bound.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

DEFAULT_GAP_TIMEOUT_S = 30.0
DEFAULT_MAX_GAPS = 5_000


@dataclass
class OutboxCursor:
    """Position in an outbox: everything up to ``position`` was delivered,
    except the ids in ``gaps`` (id → when the gap was first noticed)."""

    position: int = 0
    gap_timeout_s: float = DEFAULT_GAP_TIMEOUT_S
    max_gaps: int = DEFAULT_MAX_GAPS
    gaps: dict[int, float] = field(default_factory=dict)

    def pending_gaps(self) -> tuple[int, ...]:
        """Ids below the position to ask for again, smallest first."""
        return tuple(sorted(self.gaps))

    def advance(self, ids: Iterable[int], now: float) -> list[int]:
        """Record the ids a poll returned (``id > position`` or a gap); return
        those not delivered before, in ascending order.

        ``now`` is a monotonic clock reading, used only to expire gaps.
        """
        fresh: list[int] = []
        for value in sorted(set(ids)):
            if value in self.gaps:
                del self.gaps[value]
                fresh.append(value)
            elif value > self.position:
                for missing in range(self.position + 1, value):
                    self.gaps[missing] = now
                self.position = value
                fresh.append(value)
        self._expire(now)
        return fresh

    def _expire(self, now: float) -> None:
        stale = [gap for gap, seen in self.gaps.items() if now - seen > self.gap_timeout_s]
        for gap in stale:
            del self.gaps[gap]
        if len(self.gaps) > self.max_gaps:
            for gap in sorted(self.gaps)[: len(self.gaps) - self.max_gaps]:
                del self.gaps[gap]
