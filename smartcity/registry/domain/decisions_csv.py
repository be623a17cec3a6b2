"""Parsing a certification-decisions CSV (the columns of
``certification_history.csv``) into typed rows, with an error per bad row.

Pure: it checks what a row says on its own and against the other rows of the
file. Whether a municipality code exists and whether a decision fits the
subject's history are checked by the service, with the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from smartcity.core.domain.csv_records import CsvProblem, read_csv
from smartcity.core.domain.spreadsheet import control_characters
from smartcity.core.domain.text_files import UndecodableFile, decode_text

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
OPTIONAL_COLUMNS = ("note", "source", "ground")
KINDS = ("city", "service")
DECISIONS = ("new", "extension", "revocation")
SIZE_CLASSES = ("large", "small_medium")
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
class RowError:
    """What is wrong, where: ``row`` is the line number in the file (header = 1)."""

    row: int
    field: str
    code: str
    params: dict[str, str] = dataclass_field(default_factory=dict)


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
    try:
        text, encoding = decode_text(data)
    except UndecodableFile:
        return ParsedDecisions((), (RowError(0, "", "undecodable_file"),), "")
    if not text.strip():
        return ParsedDecisions((), (RowError(0, "", "empty_file"),), encoding)
    records = read_csv(text)
    header: list[str] = []
    header_line = 1
    for record in records:
        if isinstance(record, CsvProblem):
            return ParsedDecisions((), (RowError(record.line, "", record.code),), encoding)
        if any(v.strip() for v in record.values):
            header = [h.strip() for h in record.values]
            header_line = record.line
            break
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return ParsedDecisions(
            (),
            tuple(RowError(header_line, column, "missing_column") for column in missing),
            encoding,
        )
    rows: list[DecisionRow] = []
    errors: list[RowError] = []
    first_seen: dict[tuple[str, str, str, dt.date], int] = {}
    for record in records:
        index = record.line
        if isinstance(record, CsvProblem):
            column = header[record.column] if 0 <= record.column < len(header) else ""
            errors.append(RowError(index, column, record.code))
            continue
        if any(v.strip() for v in record.values[len(header) :]):  # more cells than columns
            errors.append(RowError(index, "", "too_many_cells"))
            continue
        values = {k: v.strip() for k, v in zip(header, record.values, strict=False)}
        if not any(values.values()):
            continue
        for column in header:
            values.setdefault(column, "")
        row, row_errors = _parse_row(index, values)
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
    return ParsedDecisions(tuple(rows), tuple(errors), encoding)


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
        ),
        [],
    )


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
