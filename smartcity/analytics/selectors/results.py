"""Committee results as analytics rows, the one place that decides who sees
which: the public (and every applicant) sees **published** results only — a
committee result whose application's status is ``announced``; the Ministry
and the operating bodies (``full=True``) also see results reported and
approved but not yet announced.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from smartcity.analytics.domain import results as dr
from smartcity.analytics.domain import trends as dtr
from smartcity.certification.domain.workflow import Status
from smartcity.certification.evaluation.models import Consensus
from smartcity.certification.models import Call
from smartcity.frameworks.models import CrosswalkEntry, FrameworkIndicator

#: How generated demo calls are titled (``analytics.testing.LABEL``).
GENERATED_LABEL = "생성된 데모"
PUBLISHED = frozenset({Status.ANNOUNCED})
REPORTED_OR_LATER = frozenset({Status.REPORTED, Status.APPROVED, Status.ANNOUNCED})


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
    return dtr.compose_crosswalks([(s, t, m) for (s, t), m in steps.items()])


def main_framework(rows: Sequence[dr.ResultRow]) -> str:
    """The framework most results of the selection were scored on (the newest on a tie)."""
    if not rows:
        return ""
    tally = Counter(r.framework_code for r in rows)
    latest_year = {r.framework_code: r.year for r in rows}
    return max(tally, key=lambda c: (tally[c], latest_year[c]))


def published_result(application_id: int) -> dr.ResultRow | None:
    rows = _rows_of(_consensus_queryset(full=False).filter(application_id=application_id))
    return rows[0] if rows else None
