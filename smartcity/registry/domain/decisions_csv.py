"""Parsing a certification-decisions CSV (the columns of
``certification_history.csv``) into typed rows, with an error per bad row.

Pure: it checks what a row says on its own and against the other rows of the
file. Whether a municipality code exists and whether a decision fits the
subject's history are checked by the service, with the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

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
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return ParsedDecisions(
            (),
            tuple(RowError(1, column, "missing_column") for column in missing),
            encoding,
        )
    rows: list[DecisionRow] = []
    errors: list[RowError] = []
    first_seen: dict[tuple[str, str, str, dt.date], int] = {}
    for index, raw in enumerate(reader, start=2):
        if raw.get(None):  # more cells than header columns
            errors.append(RowError(index, "", "too_many_cells"))
            continue
        values = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(values.values()):
            continue
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
