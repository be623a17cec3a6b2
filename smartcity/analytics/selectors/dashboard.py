"""The national dashboard: lifecycle counts from the registry and score
statistics per size class from the committee results (through their yearly
summary, maintained on write by certification).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from smartcity.analytics.domain import counts as dc
from smartcity.analytics.domain import distributions as dd
from smartcity.analytics.selectors.results import Labels, labels_for
from smartcity.certification.domain.workflow import Status
from smartcity.certification.evaluation.domain import result_summary as rs
from smartcity.certification.evaluation.models import ResultSummary
from smartcity.certification.models import Application
from smartcity.registry.models import Certificate, Decision

GROUP_ORDER = ("large", "small_medium", "service", "unclassified")


def _group(kind: str, size_class: str) -> str:
    if kind == "service":
        return "service"
    return size_class or "unclassified"


def count_table(*, full: bool, today: dt.date) -> dc.CountTable:
    """Applicants, certified, extended, lapsed, revoked per year and group,
    from the registry's decisions and certificate periods."""
    decisions = [
        dc.DecisionFact(
            year=d["decided_on"].year,
            group=_group(d["subject__kind"], d["size_class"]),
            decision=d["decision"],
        )
        for d in Decision.objects.values("decided_on", "decision", "size_class", "subject__kind")
    ]
    periods = [
        dc.PeriodFact(group=_group(c["kind"], c["size_class"]), valid_from=c["valid_from"],
                      valid_until=c["valid_until"], ended_by=c["ended_by"])
        for c in Certificate.objects.values(
            "kind", "size_class", "valid_from", "valid_until", "ended_by"
        )
    ]  # fmt: skip
    applications = Application.objects.filter(kind="application", call__isnull=False)
    if full:
        applications = applications.filter(submitted_at__isnull=False)
    else:
        applications = applications.filter(status=str(Status.ANNOUNCED))
    applicants = [
        dc.ApplicantFact(year=a["call__year"], group=_group(a["track"], a["size_class"]))
        for a in applications.values("call__year", "track", "size_class")
    ]
    return dc.lifecycle_counts(
        decisions=decisions, periods=periods, applicants=applicants, today=today
    )


@dataclass(frozen=True)
class ClassPanel:
    """Score statistics of one size class (or all, ``size_class == ""``)."""

    size_class: str
    count: int
    areas: list[dd.AreaStat]
    weakest: dd.AreaStat | None


@dataclass(frozen=True)
class Dashboard:
    full: bool
    year: int | None
    size_class: str
    counts: list[dc.YearCounts]
    totals: list[dc.YearCounts]
    result_count: int
    framework_code: str
    labels: Labels
    panels: list[ClassPanel]
    discrimination: list[dd.Discrimination]


@dataclass(frozen=True)
class _Summary:
    """One row of the yearly results summary (certification's ResultSummary)."""

    year: int
    size_class: str
    framework_code: str
    count: int
    stats: dict[str, Any]


def _summaries(*, full: bool, year: int | None, size_class: str) -> list[_Summary]:
    """The yearly summary rows of the selection; the public reads announced
    results only, oversight also those reported or approved (the audiences of
    :mod:`~smartcity.analytics.selectors.results`)."""
    queryset = ResultSummary.objects.filter(count__gt=0)
    if not full:
        queryset = queryset.filter(published=True)
    if year:
        queryset = queryset.filter(year=year)
    if size_class:
        queryset = queryset.filter(size_class=size_class)
    fields = ("year", "size_class", "framework_code", "count", "stats")
    return [_Summary(*v) for v in queryset.order_by("year", "framework_code").values_list(*fields)]


@functools.lru_cache(maxsize=200_000)
def _pair(key: str) -> tuple[Decimal, Decimal]:
    return rs.parse_key(key)


def _counts(rows: list[_Summary], kind: str) -> dict[str, dict[tuple[Decimal, Decimal], int]]:
    merged = rs.merge((r.stats for r in rows), kind)
    return {code: {_pair(k): n for k, n in c.items()} for code, c in merged.items()}


def _main_framework(rows: list[_Summary]) -> str:
    """The framework most results were scored on (the newest on a tie), as
    :func:`~smartcity.analytics.selectors.results.main_framework` says."""
    tally: dict[str, int] = {}
    latest_year: dict[str, int] = {}
    for r in rows:
        tally[r.framework_code] = tally.get(r.framework_code, 0) + r.count
        latest_year[r.framework_code] = max(r.year, latest_year.get(r.framework_code, r.year))
    if not tally:
        return ""
    return max(tally, key=lambda c: (tally[c], latest_year[c]))


def dashboard(
    *, full: bool, today: dt.date, year: int | None = None, size_class: str = ""
) -> Dashboard:
    """The dashboard of a selection. Lifecycle counts come from the registry
    (their cost does not grow with the selection); score statistics from the
    yearly results summary, maintained on write, so all years cost about as
    much as one (issue 17)."""
    table = count_table(full=full, today=today)
    rows_of_counts = [
        r for r in table.rows
        if (year is None or r.year == year) and (not size_class or r.group == size_class)
    ]  # fmt: skip
    totals = [t for t in table.totals_by_year() if year is None or t.year == year]
    rows = _summaries(full=full, year=year, size_class=size_class)
    framework_code = _main_framework(rows)
    labels = labels_for(framework_code) if framework_code else Labels()
    # Areas are comparable across versions (same codes, compared as shares);
    # indicators only within one framework.
    area_codes = list(labels.area_order) or sorted(
        {code for r in rows for code in r.stats.get("areas", {})}
    )
    classes = [size_class] if size_class else ["", "large", "small_medium"]
    panels = []
    for cls in classes:
        selected = [r for r in rows if not cls or r.size_class == cls]
        counts = _counts(selected, "areas")
        stats = [dd.area_stat_from_counts(code, counts.get(code, {})) for code in area_codes]
        panels.append(
            ClassPanel(cls, sum(r.count for r in selected), stats, dd.weakest_area(stats))
        )
    indicators = _counts([r for r in rows if r.framework_code == framework_code], "indicators")
    return Dashboard(
        full=full,
        year=year,
        size_class=size_class,
        counts=rows_of_counts,
        totals=totals,
        result_count=sum(r.count for r in rows),
        framework_code=framework_code,
        labels=labels,
        panels=panels,
        discrimination=[
            dd.discrimination_from_counts(code, indicators.get(code, {}))
            for code in labels.indicator_order
        ],
    )


def count_years() -> list[int]:
    years = {d.year for d in Decision.objects.dates("decided_on", "year")}
    years |= set(
        Application.objects.filter(kind="application", call__isnull=False).values_list(
            "call__year", flat=True
        )
    )
    return sorted(years, reverse=True)
