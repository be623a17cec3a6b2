"""An uploaded CSV file as a table: decoded, its header found and checked,
each record a ``{column: value}`` with its file line, and every problem
(file line, column, code) collected instead of raised (ADR 0013).

The importers (the registry's decisions, the platform programme's calls and
applicants) share this part and keep their own: which columns are required,
what a value may be, and which rows repeat.

Pure Python: no Django.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from smartcity.core.domain.csv_records import CsvProblem, CsvRecord, read_csv
from smartcity.core.domain.text_files import UndecodableFile, decode_text


@dataclass(frozen=True)
class RowError:
    """What is wrong, where: ``row`` is the file line (header = 1; 0 = the file)."""

    row: int
    field: str
    code: str
    params: dict[str, str] = dataclass_field(default_factory=dict)


@dataclass(frozen=True)
class TableRecord:
    """One non-empty record: its file line and its stripped value per header
    column (a column the record is short of is ``""``)."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Table:
    """The file's records and the problems of the file and its records.

    When the file itself cannot be read (``undecodable_file``, ``empty_file``,
    a broken header, ``missing_column``) ``records`` is empty and ``errors``
    says why; otherwise ``errors`` holds the records that could not be read
    (a CSV problem, ``too_many_cells``) and every other record is in
    ``records``."""

    header: tuple[str, ...]
    records: tuple[TableRecord, ...]
    errors: tuple[RowError, ...]
    encoding: str


def read_table(data: bytes, required: Sequence[str]) -> Table:
    """Decode ``data`` (UTF-8, with or without BOM, or CP949), find the header
    (the first non-blank record) and check it has every ``required`` column."""
    try:
        text, encoding = decode_text(data)
    except UndecodableFile:
        return Table((), (), (RowError(0, "", "undecodable_file"),), "")
    if not text.strip():
        return Table((), (), (RowError(0, "", "empty_file"),), encoding)
    records = read_csv(text)
    header: list[str] = []
    header_line = 1
    for record in records:
        if isinstance(record, CsvProblem):
            return Table((), (), (RowError(record.line, "", record.code),), encoding)
        if any(v.strip() for v in record.values):
            header = [h.strip().lstrip("\ufeff") for h in record.values]
            header_line = record.line
            break
    missing = [c for c in required if c not in header]
    if missing:
        errors = tuple(RowError(header_line, c, "missing_column") for c in missing)
        return Table(tuple(header), (), errors, encoding)
    rows: list[TableRecord] = []
    problems: list[RowError] = []
    for item in _records(records, header):
        if isinstance(item, TableRecord):
            rows.append(item)
        else:
            problems.append(item)
    return Table(tuple(header), tuple(rows), tuple(problems), encoding)


def _records(
    records: Iterator[CsvRecord | CsvProblem], header: list[str]
) -> Iterator[TableRecord | RowError]:
    for record in records:
        if isinstance(record, CsvProblem):
            column = header[record.column] if 0 <= record.column < len(header) else ""
            yield RowError(record.line, column, record.code)
            continue
        if any(v.strip() for v in record.values[len(header) :]):  # more cells than columns
            yield RowError(record.line, "", "too_many_cells")
            continue
        values = {k: v.strip() for k, v in zip(header, record.values, strict=False)}
        if not any(values.values()):
            continue
        for column in header:
            values.setdefault(column, "")
        yield TableRecord(record.line, values)
