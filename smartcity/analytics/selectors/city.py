"""A local government's page: its status, results, place among its peers,
trend and the indicators to work on (with peers that improved on them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from smartcity.analytics.domain import peers as dp
from smartcity.analytics.domain import results as dr
from smartcity.analytics.domain import trends as dtr
from smartcity.analytics.domain.mapping import status_on
from smartcity.analytics.selectors.maps import periods_of
from smartcity.analytics.selectors.results import Labels, labels_for, result_rows, translations
from smartcity.municipalities.models import Municipality
from smartcity.municipalities.selectors import register_code
from smartcity.registry.models import Subject


@dataclass(frozen=True)
class IndicatorFocus:
    code: str
    share: Fraction
    improvers: list[dtr.Improver]


@dataclass(frozen=True)
class CityPage:
    municipality: Municipality
    subject: Subject | None
    status: str
    rows: list[dr.ResultRow]
    latest: dr.ResultRow | None
    peers: int
    benchmark: list[dp.AreaBenchmark]
    trend: list[dtr.TrendPoint]
    focus: list[IndicatorFocus]
    labels: Labels
    trend_areas: list[str]


def city_page(code: str, *, full: bool, today: dt.date) -> CityPage | None:
    municipality = Municipality.objects.filter(code=register_code(code)).first()
    if municipality is None:
        return None
    subject = Subject.objects.filter(kind="city", municipality=municipality).first()
    periods = [] if subject is None else periods_of([subject.pk]).get(subject.pk, [])
    own = result_rows(full=full, code=municipality.code)
    latest = own[-1] if own else None
    benchmark: list[dp.AreaBenchmark] = []
    focus: list[IndicatorFocus] = []
    peers = 0
    tables = translations()
    labels = Labels()
    if latest is not None:
        labels = labels_for(latest.framework_code)
        peer_rows = result_rows(full=full, year=latest.year, size_class=latest.size_class)
        peers = len(peer_rows)
        benchmark = dp.benchmark(latest, peer_rows)
        same_class = result_rows(full=full, size_class=latest.size_class)
        focus = [
            IndicatorFocus(c, share, dtr.improvers(latest, same_class, c, tables))
            for c, share in dtr.weakest_indicators(latest, tables)
        ]
    trend = dtr.trend(own, tables)
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
