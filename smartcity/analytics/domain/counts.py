"""The national picture by year and class, counted from the registry's lifecycle.

Pure: the selectors hand in plain facts (decisions, certificate periods,
applications) and get back one row per (year, group). A group is a size
class of the city track (``large``, ``small_medium``) or ``service``; a city
decision recorded without a class is counted under ``unclassified``.

What is counted in a year (certification.md §6, §8):

* **applicants** — applications of that year's call (the selector decides
  which applications count: all submitted ones for oversight, only those
  whose result was announced for the public);
* **certified** — new certifications decided that year;
* **extended** — extensions decided that year;
* **revoked** — revocations decided that year;
* **lapsed** — certificates that ran to their end without being extended,
  replaced or revoked, counted in the year of their last valid day, once
  that day has passed (a certificate inside its extension grace period is
  lapsed until an extension continues it — that is what the registry says);
* **valid at year end** — subjects holding a valid certificate on 31 December
  (or on ``today`` for the current year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

GROUPS = ("large", "small_medium", "service")


@dataclass(frozen=True)
class DecisionFact:
    year: int
    group: str
    decision: str  # new | extension | revocation


@dataclass(frozen=True)
class PeriodFact:
    group: str
    valid_from: dt.date
    valid_until: dt.date
    ended_by: str  # "" | extended | replaced | revoked


@dataclass(frozen=True)
class ApplicantFact:
    year: int
    group: str


@dataclass
class YearCounts:
    """One row of the national table."""

    year: int
    group: str
    applicants: int = 0
    certified: int = 0
    extended: int = 0
    lapsed: int = 0
    revoked: int = 0
    valid_at_year_end: int = 0

    def as_dict(self) -> dict[str, int | str]:
        return {
            "year": self.year,
            "group": self.group,
            "applicants": self.applicants,
            "certified": self.certified,
            "extended": self.extended,
            "lapsed": self.lapsed,
            "revoked": self.revoked,
            "valid_at_year_end": self.valid_at_year_end,
        }


COUNT_FIELDS = ("applicants", "certified", "extended", "lapsed", "revoked", "valid_at_year_end")


@dataclass
class CountTable:
    rows: list[YearCounts] = field(default_factory=list)

    def years(self) -> list[int]:
        return sorted({r.year for r in self.rows})

    def row(self, year: int, group: str) -> YearCounts | None:
        return next((r for r in self.rows if r.year == year and r.group == group), None)

    def totals_by_year(self) -> list[YearCounts]:
        """Every group added up, one row per year (group ``all``)."""
        totals: dict[int, YearCounts] = {}
        for r in self.rows:
            t = totals.setdefault(r.year, YearCounts(year=r.year, group="all"))
            for name in COUNT_FIELDS:
                setattr(t, name, getattr(t, name) + getattr(r, name))
        return [totals[y] for y in sorted(totals)]


def lifecycle_counts(
    *,
    decisions: Iterable[DecisionFact],
    periods: Iterable[PeriodFact],
    applicants: Iterable[ApplicantFact],
    today: dt.date,
    years: Iterable[int] | None = None,
) -> CountTable:
    """Count per (year, group). Years default to those with any fact, up to ``today``."""
    decisions = list(decisions)
    periods = list(periods)
    applicants = list(applicants)
    wanted = set(years) if years is not None else _years_of(decisions, periods, applicants, today)
    observed = {d.group for d in decisions} | {p.group for p in periods}
    observed |= {a.group for a in applicants}
    groups = list(GROUPS) + sorted(observed - set(GROUPS))
    table: dict[tuple[int, str], YearCounts] = {
        (y, g): YearCounts(year=y, group=g) for y in sorted(wanted) for g in groups
    }

    def bump(year: int, group: str, name: str) -> None:
        row = table.get((year, group))
        if row is not None:
            setattr(row, name, getattr(row, name) + 1)

    for a in applicants:
        bump(a.year, a.group, "applicants")
    for d in decisions:
        name = {"new": "certified", "extension": "extended", "revocation": "revoked"}.get(
            d.decision
        )
        if name:
            bump(d.year, d.group, name)
    for p in periods:
        if not p.ended_by and p.valid_until < today:
            bump(p.valid_until.year, p.group, "lapsed")
    for (year, group), row in table.items():
        day = min(dt.date(year, 12, 31), today)
        row.valid_at_year_end = sum(
            1 for p in periods if p.group == group and p.valid_from <= day <= p.valid_until
        )
    return CountTable(rows=[table[(y, g)] for y in sorted(wanted) for g in groups])


def _years_of(
    decisions: list[DecisionFact],
    periods: list[PeriodFact],
    applicants: list[ApplicantFact],
    today: dt.date,
) -> set[int]:
    years = {d.year for d in decisions} | {a.year for a in applicants}
    years |= {p.valid_until.year for p in periods if not p.ended_by and p.valid_until < today}
    return {y for y in years if y <= today.year}
