"""The national dashboard: lifecycle counts from the registry and score
statistics per size class from the committee results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from smartcity.analytics.domain import counts as dc
from smartcity.analytics.domain import distributions as dd
from smartcity.analytics.selectors.results import Labels, labels_for, main_framework, result_rows
from smartcity.certification.domain.workflow import Status
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


def dashboard(
    *, full: bool, today: dt.date, year: int | None = None, size_class: str = ""
) -> Dashboard:
    table = count_table(full=full, today=today)
    rows_of_counts = [
        r for r in table.rows
        if (year is None or r.year == year) and (not size_class or r.group == size_class)
    ]  # fmt: skip
    totals = [t for t in table.totals_by_year() if year is None or t.year == year]
    rows = result_rows(full=full, year=year, size_class=size_class)
    framework_code = main_framework(rows)
    labels = labels_for(framework_code) if framework_code else Labels()
    # Areas are comparable across versions (same codes, compared as shares);
    # indicators only within one framework.
    area_codes = list(labels.area_order) or sorted({a.code for r in rows for a in r.areas})
    classes = [size_class] if size_class else ["", "large", "small_medium"]
    panels = []
    for cls in classes:
        selected = [r for r in rows if not cls or r.size_class == cls]
        stats = dd.area_stats(selected, area_codes)
        panels.append(ClassPanel(cls, len(selected), stats, dd.weakest_area(stats)))
    same_framework = [r for r in rows if r.framework_code == framework_code]
    return Dashboard(
        full=full,
        year=year,
        size_class=size_class,
        counts=rows_of_counts,
        totals=totals,
        result_count=len(rows),
        framework_code=framework_code,
        labels=labels,
        panels=panels,
        discrimination=dd.discrimination(same_framework, labels.indicator_order),
    )


def count_years() -> list[int]:
    years = {d.year for d in Decision.objects.dates("decided_on", "year")}
    years |= set(
        Application.objects.filter(kind="application", call__isnull=False).values_list(
            "call__year", flat=True
        )
    )
    return sorted(years, reverse=True)
