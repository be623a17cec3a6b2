"""Parsing a certification-decisions CSV (the columns of
``certification_history.csv``) into typed rows, with an error per bad row.

The file, its header and its records are read by ``core.domain.csv_table``
(shared with the platform programme's importer). Pure: it checks what a row
says on its own and against the other rows of the file. Whether a
municipality code exists and whether a decision fits the subject's history
are checked by the service, with the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from smartcity.core.domain.csv_table import RowError, read_table
from smartcity.core.domain.spreadsheet import control_characters

__all__ = ["DecisionRow", "ParsedDecisions", "RowError", "parse_decisions_csv"]

REQUIRED_COLUMNS = (
    "kind",
    "subject",
    "subject_code",
    "size_class",
    "decision",
    "decided_on",
    "field",
    "holder",
)
OPTIONAL_COLUMNS = ("note", "source", "ground", "grade")
KINDS = ("city", "service")
DECISIONS = ("new", "extension", "revocation")
SIZE_CLASSES = ("large", "small_medium")
GRADES = ("1", "2", "3", "4", "5")
"""The five grades (5등급) of a certification; a file may write "3" or "3등급"."""
_CODE = re.compile(r"^\d{5}$")
MAX_LENGTHS = {
    "subject": 200,
    "subject_code": 10,
    "field": 40,
    "holder": 200,
    "source": 300,
    "note": 10_000,
    "ground": 10_000,
}
"""The registry's column sizes: a longer value is a row error, not a database error."""
FIRST_YEAR = 2000
LAST_YEAR = 2999
"""Decision dates outside these years are typing errors (and a certificate
running past 9999 cannot be computed)."""


@dataclass(frozen=True)
class DecisionRow:
    row: int
    kind: str
    subject: str
    subject_code: str
    size_class: str
    decision: str
    decided_on: dt.date
    field: str
    holder: str
    note: str
    source: str
    ground: str
    grade: str = ""

    @property
    def identity(self) -> tuple[str, str, str, dt.date]:
        """The decision's identity: the same subject, type and date is the same decision."""
        subject = self.subject_code if self.kind == "city" else self.subject
        return (self.kind, subject, self.decision, self.decided_on)


@dataclass(frozen=True)
class ParsedDecisions:
    rows: tuple[DecisionRow, ...]
    errors: tuple[RowError, ...]
    encoding: str


def parse_decisions_csv(data: bytes) -> ParsedDecisions:
    """Parse the whole file; collect every error rather than stopping at the first."""
    table = read_table(data, REQUIRED_COLUMNS)
    rows: list[DecisionRow] = []
    errors: list[RowError] = list(table.errors)
    first_seen: dict[tuple[str, str, str, dt.date], int] = {}
    for record in table.records:
        index = record.line
        row, row_errors = _parse_row(index, record.values)
        errors.extend(row_errors)
        if row is None:
            continue
        earlier = first_seen.get(row.identity)
        if earlier is not None:
            errors.append(
                RowError(index, "decision", "duplicate_in_file", {"first_row": str(earlier)})
            )
            continue
        first_seen[row.identity] = index
        rows.append(row)
    return ParsedDecisions(tuple(rows), tuple(errors), table.encoding)


def _parse_row(index: int, v: dict[str, str]) -> tuple[DecisionRow | None, list[RowError]]:
    errors: list[RowError] = []
    for column, limit in MAX_LENGTHS.items():
        if len(v.get(column, "")) > limit:
            errors.append(RowError(index, column, "too_long", {"max": str(limit)}))
    if errors:
        return None, errors
    kind = v["kind"]
    if kind not in KINDS:
        errors.append(RowError(index, "kind", "invalid_choice", {"value": kind}))
    if not v["subject"]:
        errors.append(RowError(index, "subject", "required"))
    decision = v["decision"]
    if decision not in DECISIONS:
        errors.append(RowError(index, "decision", "invalid_choice", {"value": decision}))
    decided_on: dt.date | None = None
    try:
        decided_on = dt.date.fromisoformat(v["decided_on"])
    except ValueError:
        errors.append(RowError(index, "decided_on", "invalid_date", {"value": v["decided_on"]}))
    if decided_on is not None and not FIRST_YEAR <= decided_on.year <= LAST_YEAR:
        errors.append(
            RowError(
                index,
                "decided_on",
                "date_out_of_range",
                {"value": v["decided_on"], "first": str(FIRST_YEAR), "last": str(LAST_YEAR)},
            )
        )
    size_class = v["size_class"]
    if size_class and size_class not in SIZE_CLASSES:
        errors.append(RowError(index, "size_class", "invalid_choice", {"value": size_class}))
    if kind == "city":
        if not _CODE.match(v["subject_code"]):
            errors.append(
                RowError(index, "subject_code", "invalid_code", {"value": v["subject_code"]})
            )
    elif kind == "service":
        if not v["field"]:
            errors.append(RowError(index, "field", "required"))
        if not v["holder"] and decision == "new":
            errors.append(RowError(index, "holder", "required"))
    grade = _grade(index, v.get("grade", ""), decision, errors)
    errors.extend(_control_character_errors(index, v))
    if errors or decided_on is None:
        return None, errors
    return (
        DecisionRow(
            row=index,
            kind=kind,
            subject=v["subject"],
            subject_code=v["subject_code"],
            size_class=size_class,
            decision=decision,
            decided_on=decided_on,
            field=v["field"],
            holder=v["holder"],
            note=v.get("note", ""),
            source=v.get("source", ""),
            ground=v.get("ground", ""),
            grade=grade,
        ),
        [],
    )


def _grade(index: int, raw: str, decision: str, errors: list[RowError]) -> str:
    """The optional grade: one of ``GRADES`` (``"3등급"`` reads as ``"3"``), and
    only on a decision that certifies (a revocation has none)."""
    if not raw:
        return ""
    grade = raw.removesuffix("등급").strip()
    if grade not in GRADES:
        errors.append(RowError(index, "grade", "invalid_grade", {"value": raw[:40]}))
        return ""
    if decision == "revocation":
        errors.append(RowError(index, "grade", "grade_on_revocation", {"value": raw}))
        return ""
    return grade


def _control_character_errors(index: int, v: dict[str, str]) -> list[RowError]:
    """NUL and the other control characters (tab and line breaks aside): the
    database (PostgreSQL refuses NUL) and every export (XML forbids them) choke
    on them, so they are refused with the row and the column."""
    errors = []
    for column, value in v.items():
        found = control_characters(value)
        if found:
            errors.append(RowError(index, column, "control_character", {"chars": ", ".join(found)}))
    return errors
