"""Parse the Ministry of the Interior's resident-population table (주민등록 인구현황).

The certification's size class depends on the resident registration
population at a date the call sets (certification.md §2), so operators upload
the Ministry's table. Official downloads come in CP949 as often as in UTF-8,
mix in rows that are not local governments (전국, 일반구, 출장소, 세종's second
row, 제주's administrative cities) and, around a reorganisation, carry the old
and the new codes side by side (42 강원도 until 2022, 51 from 2023). This
module turns such a file into one record per local government and year, on
current codes, and reports every rejected row precisely instead of guessing.

Layout (columns matched by name, in any order): a code column — 행정기관코드
(10 digits), 시군구코드/행정구역코드 (5 or 10 digits), or 행정구역 holding
"서울특별시 (1100000000)" — and one or more total-population columns named
"2024년_총인구수" (or "2024년12월_계_총인구수"). Optional: 시도명, 시군구명, 구분,
현행시군구코드 (checked against the change table when present). A year-only
column is the population at 31 December of that year; a month column, at the
month's last day.

Metropolitan-level figures are the Ministry's own row for the body as it was
at the date (대구 2022 without 군위군), while a basic unit's old-code row is
carried onto its current code (47720 군위군 2022 → 27720).

Rows are numbered by the file line they start on (the header is line 1), so
an operator can find a rejected row in the file they uploaded even after a
quoted cell that spans lines. A record that cannot be read as CSV (a quote
never closed, a cell over 131,072 characters, a NUL character) and a
population no register could hold are row errors, never exceptions.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Final

from smartcity.core.domain.csv_records import CsvProblem, read_csv
from smartcity.municipalities.domain.changes import current_code, fold_reason
from smartcity.municipalities.domain.register import PopulationRecord, load_shipped_register

DEFAULT_SOURCE: Final = (
    "행정안전부 주민등록 인구통계 / Ministry of the Interior resident registration"
)


class RowErrorCode(StrEnum):
    UNDECODABLE = "undecodable"  # neither UTF-8 nor CP949
    UNKNOWN_LAYOUT = "unknown_layout"  # no code column or no population column; ragged row
    MISSING_CODE = "missing_code"
    MALFORMED_CODE = "malformed_code"
    UNKNOWN_CODE = "unknown_code"  # well-formed, but no local government has it
    MALFORMED_NUMBER = "malformed_number"
    CURRENT_CODE_CONFLICT = (
        "current_code_conflict"  # 현행시군구코드 disagrees with the change table
    )
    DUPLICATE = "duplicate"  # a second figure for the same local government and date
    UNREADABLE_ROW = "unreadable_row"  # not CSV: an unclosed quote, an over-long cell, a NUL


class SkipReason(StrEnum):
    NATIONAL = "national"  # 전국
    BRANCH_OFFICE = "branch_office"  # 출장소
    NON_AUTONOMOUS_DISTRICT = "non_autonomous_district"  # 일반구
    SINGLE_TIER_UNIT = "single_tier_unit"  # 세종 36110, 제주시/서귀포시
    SUB_MUNICIPAL = "sub_municipal"  # a 읍면동 row (10-digit code below 시군구 level)


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    code: str
    message_params: dict[str, object]


@dataclass(frozen=True)
class PopulationParseResult:
    records: list[PopulationRecord]
    errors: list[RowError]
    skipped: dict[str, int] = field(default_factory=dict)
    encoding: str = ""

    @property
    def skipped_count(self) -> int:
        return sum(self.skipped.values())


_POPULATION_HEADER: Final = re.compile(r"^(\d{4})년(?:(\d{1,2})월)?(?:계)?총인구수$")
_CODE_COLUMNS: Final = ("행정기관코드", "행정구역코드", "시군구코드")
_COMBINED_COLUMN: Final = "행정구역"
_COMBINED_CODE: Final = re.compile(r"\((\d{10})\)\s*$")
_CURRENT_CODE_COLUMN: Final = "현행시군구코드"
_KIND_COLUMN: Final = "구분"
_NAME_COLUMNS: Final = ("시도명", "시군구명")
_KIND_SKIPS: Final = {
    "일반구": SkipReason.NON_AUTONOMOUS_DISTRICT,
    "출장소": SkipReason.BRANCH_OFFICE,
}


def _normalise(header: str) -> str:
    return re.sub(r"[\s_\"']", "", header.replace("\ufeff", ""))


def decode(data: bytes) -> tuple[str, str] | None:
    """(text, encoding): UTF-8 with or without BOM first (strict), else CP949 (⊃ EUC-KR)."""
    bom = data.startswith(b"\xef\xbb\xbf")
    candidates = ("utf-8-sig",) if bom else ("utf-8", "cp949")
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def _reference_date(year: str, month: str | None) -> date:
    m = int(month) if month else 12
    return date(int(year), m, calendar.monthrange(int(year), m)[1])


@dataclass(frozen=True)
class _Layout:
    width: int  # number of header columns
    code_columns: tuple[tuple[int, str], ...]  # (index, header) in order of preference
    combined: int | None
    current: int | None
    kind: int | None
    names: tuple[int, ...]
    population: tuple[tuple[int, str, date], ...]  # (index, header, reference date)


def _layout(header: list[str]) -> _Layout | None:
    keys = [_normalise(h) for h in header]
    index = {k: i for i, k in enumerate(keys)}
    population: list[tuple[int, str, date]] = []
    for i, key in enumerate(keys):
        match = _POPULATION_HEADER.match(key)
        if match and 1 <= int(match.group(2) or 12) <= 12:
            population.append((i, header[i].strip(), _reference_date(*match.groups())))
    layout = _Layout(
        width=len(header),
        code_columns=tuple((index[c], c) for c in _CODE_COLUMNS if c in index),
        combined=index.get(_COMBINED_COLUMN),
        current=index.get(_CURRENT_CODE_COLUMN),
        kind=index.get(_KIND_COLUMN),
        names=tuple(index[c] for c in _NAME_COLUMNS if c in index),
        population=tuple(population),
    )
    if not population or (not layout.code_columns and layout.combined is None):
        return None
    return layout


MAX_POPULATION: Final = 100_000_000
"""More people than South Korea has, twice over: a typing error (and beyond
what the register's integer column holds, 2,147,483,647, it would not even save)."""


def _number(raw: str) -> int | None:
    """Digits with optional thousands separators; ``None`` when malformed or
    beyond :data:`MAX_POPULATION` (checked on the digits, before ``int`` meets
    a 5,000-digit string)."""
    text = raw.strip().replace(",", "")
    if not _is_digits(text):
        return None
    text = text.lstrip("0") or "0"
    if len(text) > len(str(MAX_POPULATION)):
        return None
    value = int(text)
    return value if value <= MAX_POPULATION else None


def _is_digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` alone accepts "²", which ``int`` rejects."""
    return text.isascii() and text.isdigit()


class _RowReader:
    """Reads one data row; collects its errors so a bad row yields no records."""

    def __init__(self, row_number: int, cells: list[str], layout: _Layout) -> None:
        self.row_number = row_number
        self.cells = cells
        self.layout = layout
        self.errors: list[RowError] = []

    def error(self, field_name: str, code: RowErrorCode, **params: object) -> None:
        self.errors.append(RowError(self.row_number, field_name, code.value, params))

    def cell(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index].strip()

    def raw_code(self) -> tuple[str, str] | None:
        """(column, 5-digit code) from the preferred non-empty code column."""
        for index, column in self.layout.code_columns:
            value = self.cell(index)
            if value:
                return column, value
        combined = self.cell(self.layout.combined)
        if combined:
            match = _COMBINED_CODE.search(combined)
            return _COMBINED_COLUMN, match.group(1) if match else combined
        return None

    def name(self) -> str:
        names = " ".join(self.cell(i) for i in self.layout.names)
        return f"{names} {self.cell(self.layout.combined)}".strip()


def parse_population_table(
    data: bytes,
    *,
    known_codes: Collection[str] | None = None,
    source: str = DEFAULT_SOURCE,
) -> PopulationParseResult:
    """Records per local government and reference date, the row errors, and skip counts.

    ``known_codes`` are the local-government codes a row must resolve to
    (default: the shipped register's 243).
    """
    decoded = decode(data)
    if decoded is None:
        error = RowError(0, "", RowErrorCode.UNDECODABLE.value, {"tried": ["utf-8", "cp949"]})
        return PopulationParseResult([], [error])
    text, encoding = decoded
    rows: list[tuple[int, list[str]]] = []
    unreadable: list[CsvProblem] = []
    for item in read_csv(text):
        if isinstance(item, CsvProblem):
            unreadable.append(item)
        elif any(c.strip() for c in item.values):
            rows.append((item.line, list(item.values)))
    if unreadable and (not rows or unreadable[0].line < rows[0][0]):
        error = RowError(unreadable[0].line, "", RowErrorCode.UNREADABLE_ROW.value,
                         {"problem": unreadable[0].code})  # fmt: skip
        return PopulationParseResult([], [error], encoding=encoding)
    if not rows:
        error = RowError(1, "", RowErrorCode.UNKNOWN_LAYOUT.value, {"columns": []})
        return PopulationParseResult([], [error], encoding=encoding)
    header_row, header = rows[0]
    layout = _layout(header)
    if layout is None:
        params: dict[str, object] = {"columns": [h.strip() for h in header]}
        error = RowError(header_row, "", RowErrorCode.UNKNOWN_LAYOUT.value, params)
        return PopulationParseResult([], [error], encoding=encoding)
    known = (
        frozenset(known_codes)
        if known_codes is not None
        else frozenset(lg.code for lg in load_shipped_register())
    )
    records: dict[tuple[str, date], PopulationRecord] = {}
    errors: list[RowError] = [
        RowError(
            problem.line,
            header[problem.column].strip() if 0 <= problem.column < len(header) else "",
            RowErrorCode.UNREADABLE_ROW.value,
            {"problem": problem.code},
        )
        for problem in unreadable
    ]
    skipped: dict[str, int] = {}
    for row_number, cells in rows[1:]:
        reader = _RowReader(row_number, cells, layout)
        outcome = _read_row(reader, known, source)
        if isinstance(outcome, SkipReason):
            skipped[outcome.value] = skipped.get(outcome.value, 0) + 1
            continue
        for record in outcome:
            key = (record.code, record.reference_date)
            if key in records:
                reader.error(
                    "",
                    RowErrorCode.DUPLICATE,
                    local_government_code=record.code,
                    reference_date=record.reference_date.isoformat(),
                )
        if reader.errors:
            errors.extend(reader.errors)
            continue
        records.update({(r.code, r.reference_date): r for r in outcome})
    ordered = sorted(records.values(), key=lambda r: (r.code, r.reference_date))
    errors.sort(key=lambda e: e.row)
    return PopulationParseResult(ordered, errors, skipped, encoding)


def _read_row(
    reader: _RowReader, known: frozenset[str], source: str
) -> SkipReason | list[PopulationRecord]:
    layout = reader.layout
    extra = [c for c in reader.cells[layout.width :] if c.strip()]
    if len(reader.cells) < layout.width or extra:
        reader.error("", RowErrorCode.UNKNOWN_LAYOUT, cells=len(reader.cells), columns=layout.width)
        return []
    found = reader.raw_code()
    if found is None:
        reader.error(
            layout.code_columns[0][1] if layout.code_columns else _COMBINED_COLUMN,
            RowErrorCode.MISSING_CODE,
        )
        return []
    column, raw = found
    if not _is_digits(raw) or len(raw) not in (5, 10):
        reader.error(column, RowErrorCode.MALFORMED_CODE, value=raw)
        return []
    kind = reader.cell(layout.kind)
    if kind in _KIND_SKIPS:
        return _KIND_SKIPS[kind]
    name = reader.name()
    if "출장소" in name:
        return SkipReason.BRANCH_OFFICE
    if len(raw) == 10 and raw[5:] != "00000":
        return SkipReason.SUB_MUNICIPAL
    code = current_code(raw[:5])
    if code == "10000" or name == "전국":
        return SkipReason.NATIONAL
    declared = reader.cell(layout.current)
    if declared and declared[:5] != code:
        reader.error(
            _CURRENT_CODE_COLUMN, RowErrorCode.CURRENT_CODE_CONFLICT, value=declared, expected=code
        )
        return []
    reason = fold_reason(code)
    if reason is not None:
        return SkipReason(reason)
    if code not in known:
        reader.error(column, RowErrorCode.UNKNOWN_CODE, value=raw, current_code=code)
        return []
    records: list[PopulationRecord] = []
    for index, header, reference in layout.population:
        value = reader.cell(index)
        if not value:
            continue  # a transitional row is blank for the years it did not exist
        number = _number(value)
        if number is None:
            reader.error(header, RowErrorCode.MALFORMED_NUMBER, value=value)
            continue
        records.append(PopulationRecord(code, reference, number, source))
    return records
