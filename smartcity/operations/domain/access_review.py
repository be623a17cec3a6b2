"""The monthly review of video access (platform.md §3: every provision logged
and reviewed), as a pure aggregation over log entries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AccessEntry:
    id: int
    at: dt.datetime
    officer: str
    agency: str
    camera_id: int | None
    incident_id: int | None
    grant_id: int | None
    step: str  # "request" (a token), "open"/"close" (a viewing session), "break_glass", ...
    granted: bool
    reason: str
    break_glass: bool
    frames: int | None = None  # a closing entry: the frames its session served


@dataclass(frozen=True)
class OfficerLine:
    officer: str
    agency: str
    views: int
    refused: int
    cameras: int
    incidents: int
    break_glass: int
    frames: int = 0


@dataclass(frozen=True)
class MonthlyReview:
    """``attempts`` counts access decisions (a session opened, a refusal, a
    break-glass request…), ``views`` the viewing sessions opened, ``frames``
    the frames the sessions closed in the month served."""

    month: str  # yyyy-mm
    attempts: int
    views: int
    refused: int
    cameras: int
    incidents: int
    refusals: dict[str, int]
    agencies: dict[str, tuple[int, int]]  # agency → (views, refused)
    officers: list[OfficerLine]
    break_glass: list[AccessEntry] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    frames: int = 0

    @property
    def needs_attention(self) -> bool:
        return bool(self.break_glass or self.flags)


def month_bounds(month: str, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """``"2026-11"`` → [first instant, first instant of the next month) in ``tz``."""
    year, number = (int(part) for part in month.split("-", 1))
    start = dt.datetime(year, number, 1, tzinfo=tz)
    end = dt.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=tz)
    return start, end


OPEN = "open"
CLOSE = "close"
BREAK_GLASS = "break_glass"

REPEATED_REFUSALS = 5
"""Refusals of one officer in a month that the review flags (probing, or a
console left open after expiry)."""


def _frames(rows: Iterable[AccessEntry]) -> int:
    return sum(e.frames or 0 for e in rows if e.step == CLOSE)


def monthly_review(month: str, entries: Iterable[AccessEntry]) -> MonthlyReview:
    """The month's review. A session's closing entry is no decision of its
    own: it adds the frames served, not an attempt."""
    everything = list(entries)
    rows = [e for e in everything if e.step != CLOSE]
    closes = [e for e in everything if e.step == CLOSE]
    views = [e for e in rows if e.granted and e.step == OPEN]
    refused = [e for e in rows if not e.granted]
    agencies: dict[str, tuple[int, int]] = {}
    for e in rows:
        seen, denied = agencies.get(e.agency, (0, 0))
        viewed = e.granted and e.step == OPEN
        agencies[e.agency] = (seen + viewed, denied + (not e.granted))
    officers: list[OfficerLine] = []
    for (officer, agency), group in _group(rows).items():
        officers.append(
            OfficerLine(
                officer=officer,
                agency=agency,
                views=sum(e.granted and e.step == OPEN for e in group),
                refused=sum(not e.granted for e in group),
                cameras=len({e.camera_id for e in group if e.step == OPEN and e.granted}),
                incidents=len({e.incident_id for e in group if e.step == OPEN and e.granted}),
                break_glass=sum(e.step == BREAK_GLASS for e in group),
                frames=_frames(c for c in closes if (c.officer, c.agency) == (officer, agency)),
            )
        )
    officers.sort(key=lambda line: (-line.views, -line.refused, line.officer))
    flags = [f"repeated_refusals:{o.officer}" for o in officers if o.refused >= REPEATED_REFUSALS]
    break_glass = [e for e in rows if e.step == BREAK_GLASS]
    return MonthlyReview(
        month=month,
        attempts=len(rows),
        views=len(views),
        refused=len(refused),
        cameras=len({e.camera_id for e in views}),
        incidents=len({e.incident_id for e in views}),
        refusals=dict(Counter(e.reason for e in refused).most_common()),
        agencies=dict(sorted(agencies.items())),
        officers=officers,
        break_glass=break_glass,
        flags=flags,
        frames=_frames(closes),
    )


def _group(rows: list[AccessEntry]) -> dict[tuple[str, str], list[AccessEntry]]:
    groups: dict[tuple[str, str], list[AccessEntry]] = {}
    for e in rows:
        groups.setdefault((e.officer, e.agency), []).append(e)
    return groups
