"""Every chart's data as a table: the same rows feed the chart, the accessible
HTML table beneath it and its CSV download, so the three cannot disagree."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from smartcity.analytics.domain import results as dr
from smartcity.analytics.domain.counts import YearCounts
from smartcity.analytics.domain.distributions import bin_labels
from smartcity.analytics.selectors.dashboard import Dashboard
from smartcity.analytics.selectors.results import Labels
from smartcity.core.domain.spreadsheet import csv_row
from smartcity.municipalities.choices import SizeClass

Cell = str | int


@dataclass
class Table:
    slug: str
    caption: str
    columns: list[str]
    rows: list[list[Cell]]
    chart: dict[str, Any] = field(default_factory=dict)

    @property
    def data_id(self) -> str:
        return f"chart-data-{self.slug}"

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(csv_row(self.columns))
        writer.writerows(csv_row(row) for row in self.rows)
        return buffer.getvalue()


def pct(value: Fraction) -> str:
    return f"{dr.percent(value)}"


def group_label(group: str) -> str:
    if group == "service":
        return _("스마트도시 서비스")
    if group == "all":
        return _("전체")
    if group == "unclassified":
        return _("유형 미기재")
    if not group:
        return _("전체")
    return str(SizeClass(group).label)


def area_label(labels: Labels, code: str) -> str:
    names = labels.areas.get(code)
    if names is None:
        return code
    ko, en = names
    return en if get_language() == "en" and en else ko


def indicator_label(labels: Labels, code: str) -> str:
    names = labels.indicators.get(code)
    if names is None:
        return code
    ko, en = names
    return en if get_language() == "en" and en else ko


def lifecycle_table(rows: list[YearCounts], totals: list[YearCounts]) -> Table:
    headers = [
        _("연도"), _("구분"), _("신청"), _("신규 인증"), _("연장"), _("만료"), _("취소"),
        _("연말 유효 인증"),
    ]  # fmt: skip
    body: list[list[Cell]] = [
        [r.year, group_label(r.group), r.applicants, r.certified, r.extended, r.lapsed,
         r.revoked, r.valid_at_year_end]
        for r in rows
    ]  # fmt: skip
    series = [
        ("certified", _("신규 인증"), "#009E73"),
        ("extended", _("연장"), "#0072B2"),
        ("lapsed", _("만료"), "#E69F00"),
        ("revoked", _("취소"), "#D55E00"),
    ]
    chart = {
        "type": "bar",
        "stacked": True,
        "labels": [str(t.year) for t in totals],
        "datasets": [
            {"label": label, "data": [getattr(t, name) for t in totals], "backgroundColor": colour}
            for name, label, colour in series
        ],
    }
    return Table("lifecycle", _("연도별·유형별 인증 현황"), headers, body, chart)


def area_table(d: Dashboard) -> Table:
    headers = [_("도시 유형"), _("분야"), _("결과 수"), _("평균(%)"), _("중앙값(%)"),
               _("최저(%)"), _("최고(%)")]  # fmt: skip
    body: list[list[Cell]] = []
    for panel in d.panels:
        for s in panel.areas:
            body.append([group_label(panel.size_class), area_label(d.labels, s.code), s.count,
                         pct(s.mean), pct(s.median), pct(s.minimum), pct(s.maximum)])  # fmt: skip
    palette = ["#0072B2", "#E69F00", "#009E73"]
    area_codes = [s.code for s in d.panels[0].areas] if d.panels else []
    chart = {
        "type": "bar",
        "stacked": False,
        "percent": True,
        "labels": [area_label(d.labels, c) for c in area_codes],
        "datasets": [
            {
                "label": group_label(panel.size_class),
                "data": [float(dr.percent(s.mean)) for s in panel.areas],
                "backgroundColor": palette[i % len(palette)],
            }
            for i, panel in enumerate(d.panels)
        ],
    }
    return Table("areas", _("분야별 점수(배점 대비 %)"), headers, body, chart)


def distribution_table(d: Dashboard) -> Table:
    labels = bin_labels()
    headers = [_("분야"), *labels]
    panel = d.panels[0] if d.panels else None
    body: list[list[Cell]] = []
    datasets = []
    palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
    for i, s in enumerate(panel.areas if panel else []):
        counts = list(s.histogram) or [0] * len(labels)
        body.append([area_label(d.labels, s.code), *counts])
        datasets.append(
            {"label": area_label(d.labels, s.code), "data": counts,
             "backgroundColor": palette[i % len(palette)]}
        )  # fmt: skip
    chart = {"type": "bar", "stacked": False, "labels": labels, "datasets": datasets}
    return Table("distribution", _("분야별 점수 분포(결과 수)"), headers, body, chart)


def discrimination_table(d: Dashboard) -> Table:
    headers = [_("지표 코드"), _("지표"), _("결과 수"), _("만점 비율(%)"), _("0점 비율(%)"),
               _("평균 득점률(%)"), _("변별력")]  # fmt: skip
    body: list[list[Cell]] = [
        [x.code, indicator_label(d.labels, x.code), x.count, pct(x.share_at_max),
         pct(x.share_at_zero), pct(x.mean), _("낮음") if x.weak() else _("보통")]
        for x in d.discrimination
    ]  # fmt: skip
    chart = {
        "type": "bar",
        "stacked": False,
        "horizontal": True,
        "percent": True,
        "labels": [x.code for x in d.discrimination],
        "datasets": [
            {"label": _("만점 비율(%)"), "backgroundColor": "#0072B2",
             "data": [float(dr.percent(x.share_at_max)) for x in d.discrimination]},
            {"label": _("0점 비율(%)"), "backgroundColor": "#D55E00",
             "data": [float(dr.percent(x.share_at_zero)) for x in d.discrimination]},
        ],
    }  # fmt: skip
    return Table("discrimination", _("지표별 변별력(만점·0점 비율)"), headers, body, chart)


def dashboard_tables(d: Dashboard) -> list[Table]:
    tables = [lifecycle_table(d.counts, d.totals)]
    if d.result_count:
        tables += [area_table(d), distribution_table(d), discrimination_table(d)]
    return tables
