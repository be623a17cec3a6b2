"""The annual results report, in the press release's structure (published
data only: a report is public).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from smartcity.analytics.domain import distributions as dd
from smartcity.analytics.models import CallFigures, GoodPractice
from smartcity.analytics.selectors.results import Labels, labels_for, main_framework, result_rows
from smartcity.certification.domain.workflow import Status
from smartcity.certification.models import Application
from smartcity.registry.models import Decision, Subject


@dataclass(frozen=True)
class ReportEntry:
    subject: Subject
    decision: Decision
    practices: list[GoodPractice]


@dataclass(frozen=True)
class AnnualReport:
    year: int
    new_by_class: dict[str, list[ReportEntry]]
    extended_by_class: dict[str, list[ReportEntry]]
    services_new: list[ReportEntry]
    services_extended: list[ReportEntry]
    applicants: int
    announced_on: dt.date | None
    weakest: dd.AreaStat | None
    labels: Labels
    result_count: int
    figures: tuple[CallFigures, ...] = ()

    @property
    def city_count(self) -> int:
        return sum(len(v) for v in self.new_by_class.values())

    @property
    def extension_count(self) -> int:
        return sum(len(v) for v in self.extended_by_class.values())


def annual_report(year: int) -> AnnualReport:
    """The year's announced outcome in the press release's structure: new
    certifications by class, extensions, services, and each one's good
    practices (published data only: a report is public)."""
    decisions = list(
        Decision.objects.filter(decided_on__year=year, decision__in=["new", "extension"])
        .select_related("subject", "subject__municipality")
        .order_by("subject__name")
    )
    practices: dict[int, list[GoodPractice]] = {}
    for p in GoodPractice.objects.filter(year=year).order_by("position", "id"):
        practices.setdefault(p.subject_id, []).append(p)
    new_by_class: dict[str, list[ReportEntry]] = {"large": [], "small_medium": []}
    extended_by_class: dict[str, list[ReportEntry]] = {"large": [], "small_medium": []}
    services_new: list[ReportEntry] = []
    services_extended: list[ReportEntry] = []
    for d in decisions:
        entry = ReportEntry(d.subject, d, practices.get(d.subject_id, []))
        if d.subject.kind == "service":
            (services_new if d.decision == "new" else services_extended).append(entry)
        else:
            target = new_by_class if d.decision == "new" else extended_by_class
            target.setdefault(d.size_class or "unclassified", []).append(entry)
    rows = result_rows(full=False, year=year)
    framework_code = main_framework(rows)
    labels = labels_for(framework_code) if framework_code else Labels()
    stats = dd.area_stats(rows, list(labels.area_order))
    applicants = Application.objects.filter(
        kind="application", call__year=year, status=str(Status.ANNOUNCED)
    ).count()
    return AnnualReport(
        year=year,
        new_by_class=new_by_class,
        extended_by_class=extended_by_class,
        services_new=services_new,
        services_extended=services_extended,
        applicants=applicants,
        announced_on=max((d.decided_on for d in decisions), default=None),
        weakest=dd.weakest_area(stats),
        labels=labels,
        result_count=len(rows),
        figures=tuple(CallFigures.objects.filter(year=year).order_by("kind")),
    )


def report_years() -> list[int]:
    return sorted(
        {d.year for d in Decision.objects.filter(decision__in=["new", "extension"]).dates(
            "decided_on", "year")},
        reverse=True,
    )  # fmt: skip


def report_subjects(year: int) -> QuerySet[Subject]:
    """Subjects with a new certification or an extension decided in ``year``."""
    return Subject.objects.filter(
        decisions__decided_on__year=year, decisions__decision__in=["new", "extension"]
    ).distinct()
