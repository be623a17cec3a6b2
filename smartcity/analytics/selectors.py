"""Reads behind the dashboard, the city pages, the map, the annual report and
the open data.

Two audiences, one rule: the public (and every applicant) sees **published**
results only — a committee result whose application's status is
``announced``; the Ministry and the operating bodies (``full=True``) also see
results reported and approved but not yet announced. The registry's
decisions are public in full either way.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from smartcity.analytics.domain import counts as dc
from smartcity.analytics.domain import results as dr
from smartcity.analytics.domain.geometry import ATTRIBUTION, national_geometry
from smartcity.analytics.domain.mapping import (
    STATUS_COLOURS,
    CertificatePeriod,
    score_colour,
    status_on,
)
from smartcity.analytics.models import GoodPractice
from smartcity.certification.domain.workflow import Status
from smartcity.certification.evaluation.models import Consensus
from smartcity.certification.models import Application, Call
from smartcity.frameworks.models import CrosswalkEntry, FrameworkIndicator
from smartcity.municipalities.models import Municipality
from smartcity.municipalities.selectors import register_code
from smartcity.registry.models import Certificate, Decision, Subject

#: How generated demo calls are titled (``analytics.testing.LABEL``).
GENERATED_LABEL = "생성된 데모"
PUBLISHED = frozenset({Status.ANNOUNCED})
REPORTED_OR_LATER = frozenset({Status.REPORTED, Status.APPROVED, Status.ANNOUNCED})
GROUP_ORDER = ("large", "small_medium", "service", "unclassified")


def _group(kind: str, size_class: str) -> str:
    if kind == "service":
        return "service"
    return size_class or "unclassified"


# --- committee results --------------------------------------------------------


def _consensus_queryset(*, full: bool) -> QuerySet[Consensus]:
    statuses = REPORTED_OR_LATER if full else PUBLISHED
    return Consensus.objects.filter(
        application__kind="application",
        application__track="city",
        application__status__in=[str(s) for s in statuses],
        application__call__isnull=False,
    )


def _parts(items: Iterable[dict[str, Any]]) -> tuple[dr.Part, ...]:
    return tuple(
        dr.Part(str(i["code"]), Decimal(str(i["points"])), Decimal(str(i["max_points"])))
        for i in items
    )


#: The columns a row needs besides the (large) result document.
_ROW_FIELDS = (
    "pk",
    "fixed_at",
    "application_id",
    "application__call__year",
    "application__municipality__code",
    "application__municipality__full_name_ko",
    "application__size_class",
    "application__framework__code",
    "total",
    "grade",
    "certified",
)

#: Parsed rows, keyed by every column they were built from: a consensus is
#: fixed once, so its document is read and parsed once per process; a changed
#: column gives a new key. (Which rows are *visible* is decided by the query
#: on every call — the cache never widens the audience.)
_ROW_CACHE: dict[tuple[Any, ...], dr.ResultRow] = {}
_ROW_CACHE_LIMIT = 100_000


def _row(values: Mapping[str, Any], result: Mapping[str, Any] | None) -> dr.ResultRow:
    result = result or {}
    areas = result.get("areas", [])
    indicators = [
        ind
        for area in areas
        for item in area.get("items", [])
        for ind in item.get("indicators", [])
    ]
    return dr.ResultRow(
        application_id=values["application_id"],
        year=values["application__call__year"],
        municipality_code=values["application__municipality__code"] or "",
        name=values["application__municipality__full_name_ko"] or "",
        size_class=values["application__size_class"] or "",
        framework_code=str(result.get("framework_code") or values["application__framework__code"]),
        total=Decimal(str(values["total"])),
        max_total=Decimal(str(result.get("max_total") or "0")),
        grade=values["grade"] or "",
        certified=bool(values["certified"]),
        areas=_parts(areas),
        indicators=_parts(indicators),
    )


def _rows_of(queryset: QuerySet[Consensus]) -> list[dr.ResultRow]:
    light = list(
        queryset.order_by("application__call__year", "application_id").values(*_ROW_FIELDS)
    )
    keys = [tuple(v[f] for f in _ROW_FIELDS) for v in light]
    missing = [v["pk"] for v, k in zip(light, keys, strict=True) if k not in _ROW_CACHE]
    if missing:
        if len(_ROW_CACHE) + len(missing) > _ROW_CACHE_LIMIT:
            _ROW_CACHE.clear()
        documents = dict(Consensus.objects.filter(pk__in=missing).values_list("pk", "result"))
        for v, k in zip(light, keys, strict=True):
            if v["pk"] in documents:
                _ROW_CACHE[k] = _row(v, documents[v["pk"]])
        # The parsed rows live as long as the process: move them out of the
        # collector's generations so a full collection does not rescan the
        # hundreds of thousands of objects on every later request.
        gc.freeze()
    return [_ROW_CACHE[k] for k in keys if k in _ROW_CACHE]


def result_rows(
    *, full: bool, year: int | None = None, size_class: str = "", code: str = ""
) -> list[dr.ResultRow]:
    """Committee results of the city track as analytics rows (published only
    unless ``full``), oldest first."""
    queryset = _consensus_queryset(full=full)
    if year:
        queryset = queryset.filter(application__call__year=year)
    if size_class:
        queryset = queryset.filter(application__size_class=size_class)
    if code:
        queryset = queryset.filter(application__municipality__code=code)
    return _rows_of(queryset)


def has_generated_results() -> bool:
    """True when generated demo results (``analytics demo-results``) are present:
    every page that shows scores then says so."""
    return Call.objects.filter(title_ko__contains=GENERATED_LABEL).exists()


def result_years(*, full: bool) -> list[int]:
    years = _consensus_queryset(full=full).values_list("application__call__year", flat=True)
    return sorted(set(years), reverse=True)


@dataclass(frozen=True)
class Labels:
    """Names of areas and indicators, per framework code."""

    areas: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (ko, en)
    indicators: dict[str, tuple[str, str]] = field(default_factory=dict)
    area_order: tuple[str, ...] = ()
    indicator_order: tuple[str, ...] = ()


def labels_for(framework_code: str) -> Labels:
    rows = FrameworkIndicator.objects.filter(framework__code=framework_code).order_by("position")
    areas: dict[str, tuple[str, str]] = {}
    indicators: dict[str, tuple[str, str]] = {}
    for r in rows.values("code", "area_code", "area_name_ko", "area_name_en", "name_ko", "name_en"):
        areas.setdefault(r["area_code"], (r["area_name_ko"], r["area_name_en"]))
        indicators[r["code"]] = (r["name_ko"], r["name_en"])
    return Labels(areas, indicators, tuple(areas), tuple(indicators))


def translations() -> dict[str, dict[str, str | None]]:
    """Every stored crosswalk, chained to the newest framework."""
    steps: dict[tuple[str, str], dict[str, str | None]] = {}
    for e in CrosswalkEntry.objects.values(
        "source__code", "target__code", "source_code", "target_code", "relation"
    ):
        if not e["source_code"]:
            continue  # a new indicator: nothing older to translate
        mapping = steps.setdefault((e["source__code"], e["target__code"]), {})
        mapping[e["source_code"]] = e["target_code"] or None
    return dr.compose_crosswalks([(s, t, m) for (s, t), m in steps.items()])


# --- the national dashboard ---------------------------------------------------


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
    areas: list[dr.AreaStat]
    weakest: dr.AreaStat | None


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
    discrimination: list[dr.Discrimination]


def _main_framework(rows: Sequence[dr.ResultRow]) -> str:
    """The framework most results of the selection were scored on (the newest on a tie)."""
    if not rows:
        return ""
    tally = Counter(r.framework_code for r in rows)
    latest_year = {r.framework_code: r.year for r in rows}
    return max(tally, key=lambda c: (tally[c], latest_year[c]))


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
    framework_code = _main_framework(rows)
    labels = labels_for(framework_code) if framework_code else Labels()
    # Areas are comparable across versions (same codes, compared as shares);
    # indicators only within one framework.
    area_codes = list(labels.area_order) or sorted({a.code for r in rows for a in r.areas})
    classes = [size_class] if size_class else ["", "large", "small_medium"]
    panels = []
    for cls in classes:
        selected = [r for r in rows if not cls or r.size_class == cls]
        stats = dr.area_stats(selected, area_codes)
        panels.append(ClassPanel(cls, len(selected), stats, dr.weakest_area(stats)))
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
        discrimination=dr.discrimination(same_framework, labels.indicator_order),
    )


def count_years() -> list[int]:
    years = {d.year for d in Decision.objects.dates("decided_on", "year")}
    years |= set(
        Application.objects.filter(kind="application", call__isnull=False).values_list(
            "call__year", flat=True
        )
    )
    return sorted(years, reverse=True)


# --- the city page ------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFocus:
    code: str
    share: Fraction
    improvers: list[dr.Improver]


@dataclass(frozen=True)
class CityPage:
    municipality: Municipality
    subject: Subject | None
    status: str
    rows: list[dr.ResultRow]
    latest: dr.ResultRow | None
    peers: int
    benchmark: list[dr.AreaBenchmark]
    trend: list[dr.TrendPoint]
    focus: list[IndicatorFocus]
    labels: Labels
    trend_areas: list[str]


def city_page(code: str, *, full: bool, today: dt.date) -> CityPage | None:
    municipality = Municipality.objects.filter(code=register_code(code)).first()
    if municipality is None:
        return None
    subject = Subject.objects.filter(kind="city", municipality=municipality).first()
    periods = [] if subject is None else _periods_of([subject.pk]).get(subject.pk, [])
    own = result_rows(full=full, code=municipality.code)
    latest = own[-1] if own else None
    benchmark: list[dr.AreaBenchmark] = []
    focus: list[IndicatorFocus] = []
    peers = 0
    tables = translations()
    labels = Labels()
    if latest is not None:
        labels = labels_for(latest.framework_code)
        peer_rows = result_rows(full=full, year=latest.year, size_class=latest.size_class)
        peers = len(peer_rows)
        benchmark = dr.benchmark(latest, peer_rows)
        same_class = result_rows(full=full, size_class=latest.size_class)
        focus = [
            IndicatorFocus(c, share, dr.improvers(latest, same_class, c, tables))
            for c, share in dr.weakest_indicators(latest, tables)
        ]
    trend = dr.trend(own, tables)
    return CityPage(
        municipality=municipality,
        subject=subject,
        status=status_on(periods, today),
        rows=own,
        latest=latest,
        peers=peers,
        benchmark=benchmark,
        trend=trend,
        focus=focus,
        labels=labels,
        trend_areas=sorted({a for t in trend for a in t.area_shares}),
    )


# --- the map ------------------------------------------------------------------


def _periods_of(subject_ids: Iterable[int] | None = None) -> dict[int, list[CertificatePeriod]]:
    queryset = Certificate.objects.filter(kind="city")
    if subject_ids is not None:
        queryset = queryset.filter(subject_id__in=list(subject_ids))
    out: dict[int, list[CertificatePeriod]] = {}
    for c in queryset.values("subject_id", "granted_by", "valid_from", "valid_until", "ended_by"):
        out.setdefault(c["subject_id"], []).append(
            CertificatePeriod(c["granted_by"], c["valid_from"], c["valid_until"], c["ended_by"])
        )
    return out


@dataclass(frozen=True)
class MapRow:
    code: str
    name: str
    level: str  # metro | basic
    status: str
    share: Fraction | None
    colour: str


def map_rows(*, day: dt.date, mode: str, year: int | None, full: bool) -> list[MapRow]:
    """Every local government with its status on ``day`` or its total score
    share in ``year`` (its latest result up to that year)."""
    periods = _periods_of()
    subject_of = dict(Subject.objects.filter(kind="city").values_list("municipality__code", "pk"))
    shares: dict[str, Fraction] = {}
    if mode == "score":
        for r in result_rows(full=full):
            if year is None or r.year <= year:
                shares[r.municipality_code] = r.share  # rows come oldest first
    out = []
    for m in Municipality.objects.order_by("code").values("code", "full_name_ko", "type"):
        subject_id = subject_of.get(m["code"])
        status = status_on(periods.get(subject_id, []) if subject_id else [], day)
        share = shares.get(m["code"])
        colour = score_colour(share) if mode == "score" else STATUS_COLOURS[status]
        level = "metro" if m["code"].endswith("000") else "basic"
        out.append(MapRow(m["code"], m["full_name_ko"], level, status, share, colour))
    return out


def map_geojson(rows: Sequence[MapRow]) -> dict[str, Any]:
    features = []
    for r in rows:
        geometry = national_geometry(r.code)
        if geometry is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": r.code,
                "properties": {
                    "code": r.code,
                    "name": r.name,
                    "level": r.level,
                    "status": r.status,
                    "score": None if r.share is None else str(dr.percent(r.share)),
                    "colour": r.colour,
                    "url": reverse("analytics:city", args=[r.code]),
                },
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features, "attribution": ATTRIBUTION}


# --- the annual results report --------------------------------------------------


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
    weakest: dr.AreaStat | None
    labels: Labels
    result_count: int

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
    framework_code = _main_framework(rows)
    labels = labels_for(framework_code) if framework_code else Labels()
    stats = dr.area_stats(rows, list(labels.area_order))
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
        weakest=dr.weakest_area(stats),
        labels=labels,
        result_count=len(rows),
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


# --- open data ----------------------------------------------------------------

OpenRow = dict[str, str | int | None]


def open_certificates() -> list[OpenRow]:
    return [
        {
            "certificate_number": c.number,
            "kind": c.kind,
            "subject": c.subject.name,
            "municipality_code": c.subject.municipality.code if c.subject.municipality else "",
            "holder": c.subject.holder,
            "field": c.subject.field,
            "size_class": c.size_class,
            "granted_by": c.granted_by,
            "decided_on": c.decision.decided_on.isoformat(),
            "valid_from": c.valid_from.isoformat(),
            "valid_until": c.valid_until.isoformat(),
            "ended_by": c.ended_by,
            "extension_number": c.extension_number,
            "source": c.decision.source,
        }
        for c in Certificate.objects.select_related(
            "subject", "subject__municipality", "decision"
        ).order_by("valid_from", "number")
    ]


def open_subjects() -> list[OpenRow]:
    return [
        {
            "id": s.pk,
            "kind": s.kind,
            "name": s.name,
            "municipality_code": s.municipality.code if s.municipality else "",
            "field": s.field,
            "holder": s.holder,
        }
        for s in Subject.objects.select_related("municipality").order_by("kind", "name")
    ]


def open_decisions() -> list[OpenRow]:
    return [
        {
            "kind": d.subject.kind,
            "subject": d.subject.name,
            "subject_code": d.subject_code
            or (d.subject.municipality.code if d.subject.municipality else ""),
            "size_class": d.size_class,
            "decision": d.decision,
            "decided_on": d.decided_on.isoformat(),
            "field": d.field,
            "holder": d.holder,
            "source": d.source,
        }
        for d in Decision.objects.select_related("subject", "subject__municipality").order_by(
            "decided_on", "id"
        )
    ]


def open_results(*, year: int | None = None) -> list[OpenRow]:
    """Published results only, one row per result with its area subtotals."""
    out: list[OpenRow] = []
    for r in result_rows(full=False, year=year):
        row: OpenRow = {
            "application_id": r.application_id,
            "year": r.year,
            "municipality_code": r.municipality_code,
            "name": r.name,
            "size_class": r.size_class,
            "framework": r.framework_code,
            "total": str(r.total),
            "max_total": str(r.max_total),
            "grade": r.grade,
            "certified": int(r.certified),
        }
        for a in r.areas:
            row[f"{a.code}_points"] = str(a.points)
            row[f"{a.code}_max"] = str(a.max_points)
        out.append(row)
    return out


def open_result_indicators(*, year: int | None = None) -> list[OpenRow]:
    """Published results, one row per indicator (long format)."""
    return [
        {
            "application_id": r.application_id,
            "year": r.year,
            "municipality_code": r.municipality_code,
            "framework": r.framework_code,
            "indicator": i.code,
            "points": str(i.points),
            "max_points": str(i.max_points),
        }
        for r in result_rows(full=False, year=year)
        for i in r.indicators
    ]


def published_result(application_id: int) -> dr.ResultRow | None:
    rows = _rows_of(_consensus_queryset(full=False).filter(application_id=application_id))
    return rows[0] if rows else None
