"""Parsing the platform programme's CSV files: the yearly calls and their
applicants / selections, into typed rows with an error per bad row (file
line, column, code), like the registry's decisions importer (ADR 0013):
both read the file through ``core.domain.csv_table``.

Pure: whether a municipality code exists or a call's year is known is checked
by the service, with the database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smartcity.core.domain.csv_table import RowError, read_table
from smartcity.core.domain.spreadsheet import control_characters

__all__ = [
    "ApplicantRow",
    "Parsed",
    "ProgrammeRow",
    "RowError",
    "parse_applicants_csv",
    "parse_programmes_csv",
]

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_WON = 10**15
"""A quadrillion won: any larger sum is a typing error, not a subsidy."""
MAX_COUNT = 10_000
_CODE = re.compile(r"^\d{5}$")
_TRUE = {"1", "y", "yes", "true", "선정", "예"}
_FALSE = {"0", "n", "no", "false", "미선정", "아니오", ""}

PROGRAMME_COLUMNS = ("year", "title_ko")
PROGRAMME_OPTIONAL = (
    "title_en", "announced_on", "applicants_reported", "selections_reported",
    "budget_per_site_won", "national_per_site_won", "target_count", "target_year", "source",
)  # fmt: skip
APPLICANT_COLUMNS = ("year", "municipality_code", "selected")
APPLICANT_OPTIONAL = (
    "municipality_name", "national_subsidy_won", "local_subsidy_won", "source", "note",
)  # fmt: skip
MAX_LENGTHS = {"title_ko": 200, "title_en": 200, "source": 500, "note": 500,
               "municipality_name": 200}  # fmt: skip


@dataclass(frozen=True)
class ProgrammeRow:
    row: int
    year: int
    title_ko: str
    title_en: str
    announced_on: dt.date | None
    applicants_reported: int | None
    selections_reported: int | None
    budget_per_site_won: int | None
    national_per_site_won: int | None
    target_count: int | None
    target_year: int | None
    source: str


@dataclass(frozen=True)
class ApplicantRow:
    row: int
    year: int
    municipality_code: str
    municipality_name: str
    selected: bool
    national_subsidy_won: int | None
    local_subsidy_won: int | None
    source: str
    note: str


@dataclass(frozen=True)
class Parsed:
    rows: tuple[Any, ...]
    errors: tuple[RowError, ...]


class _Row:
    """One record's values and the errors found while reading them."""

    def __init__(self, line: int, values: dict[str, str]) -> None:
        self.line = line
        self.values = values
        self.errors: list[RowError] = []

    def error(self, column: str, code: str, **params: str) -> None:
        self.errors.append(RowError(self.line, column, code, params))

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.error(column, "required")
        return value

    def integer(
        self, column: str, *, low: int = 0, high: int = MAX_COUNT, required: bool = False
    ) -> int | None:
        raw = self.values.get(column, "").replace(",", "").replace("_", "")
        if not raw:
            if required:
                self.error(column, "required")
            return None
        if not raw.isdigit() or len(raw) > 20:
            self.error(column, "invalid_number", value=raw[:40])
            return None
        value = int(raw)
        if not low <= value <= high:
            self.error(column, "number_out_of_range", value=raw, low=str(low), high=str(high))
            return None
        return value

    def date(self, column: str) -> dt.date | None:
        raw = self.values.get(column, "")
        if not raw:
            return None
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            self.error(column, "invalid_date", value=raw[:40])
            return None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.error(column, "year_out_of_range", value=raw, low=str(FIRST_YEAR),
                       high=str(LAST_YEAR))  # fmt: skip
            return None
        return day


def _read(
    data: bytes, required: tuple[str, ...], build: Callable[[_Row], Any]
) -> tuple[list[Any], list[RowError]]:
    table = read_table(data, required)
    rows: list[Any] = []
    errors: list[RowError] = list(table.errors)
    for record in table.records:
        values = record.values
        row = _Row(record.line, values)
        for column, value in values.items():
            if len(value) > MAX_LENGTHS.get(column, 100):
                row.error(column, "too_long", max=str(MAX_LENGTHS.get(column, 100)))
            elif found := control_characters(value):
                row.error(column, "control_character", chars=", ".join(found))
        if row.errors:
            errors.extend(row.errors)
            continue
        built = build(row)
        errors.extend(row.errors)
        if not row.errors:
            rows.append(built)
    return rows, errors


def _programme(r: _Row) -> ProgrammeRow:
    budget = r.integer("budget_per_site_won", high=MAX_WON)
    national = r.integer("national_per_site_won", high=MAX_WON)
    if budget is not None and national is not None and national > budget:
        r.error("national_per_site_won", "national_over_budget")
    applicants = r.integer("applicants_reported")
    selections = r.integer("selections_reported")
    if applicants is not None and selections is not None and selections > applicants:
        r.error("selections_reported", "more_selected_than_applied")
    return ProgrammeRow(
        row=r.line,
        year=r.integer("year", low=FIRST_YEAR, high=LAST_YEAR, required=True) or 0,
        title_ko=r.text("title_ko", required=True),
        title_en=r.text("title_en"),
        announced_on=r.date("announced_on"),
        applicants_reported=applicants,
        selections_reported=selections,
        budget_per_site_won=budget,
        national_per_site_won=national,
        target_count=r.integer("target_count"),
        target_year=r.integer("target_year", low=FIRST_YEAR, high=LAST_YEAR),
        source=r.text("source"),
    )


def _applicant(r: _Row) -> ApplicantRow:
    code = r.text("municipality_code", required=True)
    if code and not _CODE.match(code):
        r.error("municipality_code", "invalid_code", value=code)
    flag = r.text("selected").lower()
    if flag not in _TRUE | _FALSE:
        r.error("selected", "invalid_choice", value=flag)
    return ApplicantRow(
        row=r.line,
        year=r.integer("year", low=FIRST_YEAR, high=LAST_YEAR, required=True) or 0,
        municipality_code=code,
        municipality_name=r.text("municipality_name"),
        selected=flag in _TRUE,
        national_subsidy_won=r.integer("national_subsidy_won", high=MAX_WON),
        local_subsidy_won=r.integer("local_subsidy_won", high=MAX_WON),
        source=r.text("source"),
        note=r.text("note"),
    )


def _no_repeats(rows: list[Any], key: Callable[[Any], object], column: str) -> Parsed:
    seen: dict[object, int] = {}
    kept: list[Any] = []
    errors: list[RowError] = []
    for row in rows:
        first = seen.setdefault(key(row), row.row)
        if first != row.row:
            errors.append(RowError(row.row, column, "duplicate_in_file", {"first_row": str(first)}))
        else:
            kept.append(row)
    return Parsed(tuple(kept), tuple(errors))


def parse_programmes_csv(data: bytes) -> Parsed:
    """Every call of the file (one row per year), and every problem."""
    rows, errors = _read(data, PROGRAMME_COLUMNS, _programme)
    unique = _no_repeats(rows, lambda r: r.year, "year")
    return Parsed(unique.rows, tuple(errors) + unique.errors)


def parse_applicants_csv(data: bytes) -> Parsed:
    """Every applicant of the file (one row per call and local government)."""
    rows, errors = _read(data, APPLICANT_COLUMNS, _applicant)
    unique = _no_repeats(rows, lambda r: (r.year, r.municipality_code), "municipality_code")
    return Parsed(unique.rows, tuple(errors) + unique.errors)
