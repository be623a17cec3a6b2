"""Open data files: the registry and the published results as CSV, JSON and XLSX.

Columns are stable English keys (machine-readable, documented on the open
data page); CSV is UTF-8 with a byte-order mark so spreadsheet programs open
Korean names correctly. Names come from imports and forms, so no cell may open
as a formula: CSV text that looks like one gets a leading apostrophe, XLSX text
is a quote-prefixed text cell with XML-illegal characters replaced
(``core.domain.spreadsheet``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from smartcity.analytics.selectors.open_data import (
    OpenRow,
    open_certificates,
    open_decisions,
    open_result_indicators,
    open_results,
    open_subjects,
)
from smartcity.core.domain.spreadsheet import append_xlsx_row, csv_cell


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    rows: Callable[[], list[OpenRow]]


DATASETS = {
    d.slug: d
    for d in (
        Dataset(
            "certificates",
            _("인증서(유효기간)"),
            _("결정마다 부여된 인증서와 유효기간, 종료 사유."),
            open_certificates,
        ),
        Dataset(
            "decisions",
            _("인증 결정"),
            _("국토교통부의 신규 인증·연장·취소 결정과 그 출처."),
            open_decisions,
        ),
        Dataset(
            "subjects",
            _("인증 대상"),
            _("인증을 받은 지방자치단체와 서비스."),
            open_subjects,
        ),
        Dataset(
            "results",
            _("공개된 평가 결과"),
            _("결과가 발표된 신청의 총점·등급과 분야별 점수."),
            open_results,
        ),
        Dataset(
            "result-indicators",
            _("공개된 지표별 점수"),
            _("결과가 발표된 신청의 세부지표별 점수(한 행에 한 지표)."),
            open_result_indicators,
        ),
    )
}

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def columns_of(rows: list[OpenRow]) -> list[str]:
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns)


def render(rows: list[OpenRow], fmt: str, *, sheet: str = "data") -> bytes:
    columns = columns_of(rows)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1).encode()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
        return ("\ufeff" + buffer.getvalue()).encode()
    if fmt == "xlsx":
        from openpyxl import Workbook  # about a second to import: only when asked for

        workbook = Workbook()
        worksheet = workbook.active
        assert worksheet is not None
        worksheet.title = sheet[:31]
        append_xlsx_row(worksheet, columns)
        for row in rows:
            append_xlsx_row(worksheet, [row.get(c) for c in columns])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    raise ValueError(fmt)
