"""The integrated platform's outcome figures, from plain facts the selector
hands in (no Django): provisions, refusals and break-glass per month, per
agency and per centre; the time from a 112/119 report's arrival to the first
frame served.

Definitions (the national page explains them in words):

* a **provision** is a video grant (``VideoGrant``), counted in the month
  (KST) it was made; a break-glass grant is a provision too, counted also
  as **break-glass**;
* a **refusal** is an access-log entry refusing a provision (a grant
  decision, or a break-glass request, ``granted = False``); the **refused
  share** is refusals / (provisions + refusals);
* the **time to first frame** of an incident reported by 112 or 119 is the
  first viewing session's opening (the first frame served, ADR 0017) minus
  the incident's arrival at the platform (``Incident.created_at``), counted
  in the month of the arrival; incidents without a frame are not timed, and
  a negative time (a clock error) is dropped and counted as such.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")


def month_of(at: dt.datetime) -> str:
    """``YYYY-MM`` of an aware time, in Korean time."""
    return at.astimezone(KST).strftime("%Y-%m")


@dataclass(frozen=True)
class GrantFact:
    at: dt.datetime
    centre: str
    agency: str
    break_glass: bool


@dataclass(frozen=True)
class RefusalFact:
    at: dt.datetime
    centre: str
    agency: str
    reason: str


@dataclass(frozen=True)
class TimingFact:
    arrived: dt.datetime
    first_frame: dt.datetime
    centre: str


@dataclass
class Tally:
    provisions: int = 0
    break_glass: int = 0
    refusals: int = 0
    seconds: list[float] = field(default_factory=list)

    @property
    def refused_share(self) -> Fraction | None:
        total = self.provisions + self.refusals
        return Fraction(self.refusals, total) if total else None

    @property
    def median_seconds(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    @property
    def mean_seconds(self) -> float | None:
        return statistics.fmean(self.seconds) if self.seconds else None


@dataclass
class Outcomes:
    by_month: dict[str, Tally]
    by_agency: dict[str, Tally]
    by_centre: dict[str, Tally]
    reasons: Counter[str]
    total: Tally
    negative_times: int


def outcomes(
    grants: Iterable[GrantFact], refusals: Iterable[RefusalFact], timings: Iterable[TimingFact]
) -> Outcomes:
    by_month: dict[str, Tally] = defaultdict(Tally)
    by_agency: dict[str, Tally] = defaultdict(Tally)
    by_centre: dict[str, Tally] = defaultdict(Tally)
    total = Tally()
    reasons: Counter[str] = Counter()
    for g in grants:
        for t in (by_month[month_of(g.at)], by_agency[g.agency], by_centre[g.centre], total):
            t.provisions += 1
            t.break_glass += int(g.break_glass)
    for r in refusals:
        reasons[r.reason] += 1
        for t in (by_month[month_of(r.at)], by_agency[r.agency], by_centre[r.centre], total):
            t.refusals += 1
    negative = 0
    for f in timings:
        seconds = (f.first_frame - f.arrived).total_seconds()
        if seconds < 0:
            negative += 1
            continue
        for t in (by_month[month_of(f.arrived)], by_centre[f.centre], total):
            t.seconds.append(seconds)
    return Outcomes(
        by_month=dict(sorted(by_month.items())),
        by_agency=dict(sorted(by_agency.items())),
        by_centre=dict(sorted(by_centre.items())),
        reasons=reasons,
        total=total,
        negative_times=negative,
    )


def clock(seconds: float | None) -> str:
    """``m:ss`` (``h:mm:ss`` past an hour); ``—`` when there is nothing to time."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
