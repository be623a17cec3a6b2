"""Reading uploaded CSV text record by record, with the file line of each
record and a precise problem instead of an exception.

Why not ``csv.reader`` alone: it raises (and ends the import with a
traceback) on a field over its 131,072-character limit; it silently lets an
unterminated quote swallow every following line into one field, so the
records after it vanish without being counted; it numbers records, not the
lines an operator sees in an editor; and it passes NUL characters, which
PostgreSQL refuses to store. This reader still uses ``csv.reader`` for speed
on well-formed records, but feeds it lines it controls, so that after any of
those problems it reports a :class:`CsvProblem` (line, column, code) and
carries on with the next record:

* ``field_too_long`` — a field over ``max_field`` characters (the record is
  skipped up to where it really ends);
* ``unterminated_quote`` — a quoted field still open at the end of the file;
  the lines after the record's first line are read again as records, so the
  rows an unclosed quote would have swallowed are not lost;
* ``nul_character`` — a NUL (``\\x00``) in a field;
* ``malformed_record`` — any other error of the csv module.

Pure Python: no Django.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator, Iterator
from dataclasses import dataclass

MAX_FIELD = 131_072
"""The csv module's own default limit; longer fields are refused, not read."""

FIELD_TOO_LONG = "field_too_long"
UNTERMINATED_QUOTE = "unterminated_quote"
NUL_CHARACTER = "nul_character"
MALFORMED = "malformed_record"


@dataclass(frozen=True, slots=True)
class CsvRecord:
    """One record; ``line`` is the file line it starts on (first line = 1)."""

    line: int
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CsvProblem:
    """A record that could not be read. ``column`` is the 0-based index of the
    field to blame (``-1`` when unknown)."""

    line: int
    column: int
    code: str


def split_lines(text: str) -> list[str]:
    """Physical lines with their endings, split where ``csv`` splits them
    (``\\n``, ``\\r\\n``, ``\\r``), so numbers match an editor's."""
    return list(io.StringIO(text, newline=""))


def read_csv(
    text: str, *, delimiter: str = ",", max_field: int = MAX_FIELD
) -> Iterator[CsvRecord | CsvProblem]:
    """Every record of ``text`` (blank lines included, as empty records), or a
    problem in its place, in file order."""
    lines = split_lines(text)
    start = 0  # index into ``lines`` of the next record's first line
    while start < len(lines):
        stop = yield from _read_from(lines, start, delimiter, max_field)
        start = stop


def _read_from(
    lines: list[str], start: int, delimiter: str, max_field: int
) -> Generator[CsvRecord | CsvProblem, None, int]:
    """Read records from ``lines[start:]`` until the end or a problem that
    needs a fresh reader; return the index to go on from."""
    reader = csv.reader(iter(lines[start:]), delimiter=delimiter)
    consumed = 0  # lines the reader has taken so far
    while True:
        first = start + consumed
        try:
            values = next(reader)
        except StopIteration:
            return len(lines)
        except csv.Error:
            # csv's own limit: find the field and where the record really ends.
            limit = min(max_field, csv.field_size_limit())
            column, end, open_quote = _scan(lines, first, delimiter, limit)
            if open_quote >= 0:
                yield CsvProblem(first + 1, open_quote, UNTERMINATED_QUOTE)
                return first + 1
            yield CsvProblem(first + 1, column, FIELD_TOO_LONG if column >= 0 else MALFORMED)
            return max(end, first + 1)
        consumed = reader.line_num
        if start + consumed == len(lines):
            # The last record: an open quote would have run it to the end.
            _column, _end, open_quote = _scan(lines, first, delimiter, max_field)
            if open_quote >= 0:
                yield CsvProblem(first + 1, open_quote, UNTERMINATED_QUOTE)
                return first + 1
        long = next((i for i, v in enumerate(values) if len(v) > max_field), -1)
        if long >= 0:
            yield CsvProblem(first + 1, long, FIELD_TOO_LONG)
            continue
        nul = next((i for i, v in enumerate(values) if "\x00" in v), -1)
        if nul >= 0:
            yield CsvProblem(first + 1, nul, NUL_CHARACTER)
            continue
        yield CsvRecord(first + 1, tuple(values))


def _scan(lines: list[str], first: int, delimiter: str, max_field: int) -> tuple[int, int, int]:
    """Follow the record starting at ``lines[first]`` as ``csv`` (not strict)
    would. Return the column of the first field longer than ``max_field``,
    the index of the line after the record, and the column of a quoted field
    left open at the end of the file (``-1`` for none)."""
    column = 0
    length = 0
    state = "start"  # start | field | quoted | quote_in_quoted
    too_long = -1
    for index in range(first, len(lines)):
        for ch in lines[index]:
            if state == "quoted":
                if ch == '"':
                    state = "quote_in_quoted"
                    continue
            elif ch in "\r\n":
                return too_long, index + 1, -1
            elif ch == delimiter:
                column, length, state = column + 1, 0, "start"
                continue
            elif ch == '"' and state == "start":
                state = "quoted"
                continue
            elif state == "quote_in_quoted" and ch != '"':
                state = "field"
            elif state == "quote_in_quoted":
                state = "quoted"
            else:
                state = "field"
            length += 1
            if length > max_field and too_long < 0:
                too_long = column
    return too_long, len(lines), (column if state == "quoted" else -1)
