"""Batch scoring for a future CLI: many applicants, one framework, and a CSV reader.

Pure functions: the CLI reads files and prints; these never touch I/O. One
applicant's bad input does not stop the round; it is reported in its outcome.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from smartcity.scoring.engine import score
from smartcity.scoring.errors import ScoringInputError
from smartcity.scoring.inputs import Observation, ObservationValue, Review, ScoringContext
from smartcity.scoring.model import Framework
from smartcity.scoring.results import ScoreResult

#: Accepted spellings of yes/no in a CSV value cell (case-insensitive).
YES_NO_WORDS: dict[str, bool] = {
    "yes": True,
    "y": True,
    "true": True,
    "예": True,
    "no": False,
    "n": False,
    "false": False,
    "아니오": False,
    "아니요": False,
}
CSV_REQUIRED = ("applicant", "indicator", "value")
CSV_OPTIONAL = ("stage", "evidence")


@dataclass(frozen=True)
class ApplicantRow:
    """One applicant's claims, committee scores and context."""

    applicant: str
    observations: tuple[Observation, ...]
    reviews: tuple[Review, ...] = ()
    context: ScoringContext | None = None


@dataclass(frozen=True)
class BatchOutcome:
    """One applicant's result, or the input error that prevented it."""

    applicant: str
    result: ScoreResult | None
    error: ScoringInputError | None


@dataclass(frozen=True)
class CsvError:
    """A CSV problem: spreadsheet row number (header = 1), column and problem code."""

    row: int
    field: str
    problem: str
    detail: str = ""


def score_many(framework: Framework, rows: Iterable[ApplicantRow]) -> tuple[BatchOutcome, ...]:
    """Score every row; an input error is kept in that row's outcome."""
    outcomes: list[BatchOutcome] = []
    for row in rows:
        try:
            result = score(framework, row.observations, row.reviews, context=row.context)
        except ScoringInputError as error:
            outcomes.append(BatchOutcome(row.applicant, None, error))
        else:
            outcomes.append(BatchOutcome(row.applicant, result, None))
    return tuple(outcomes)


def parse_observations_csv(text: str) -> tuple[tuple[ApplicantRow, ...], tuple[CsvError, ...]]:
    """Rows of ``applicant, indicator, value[, stage][, evidence]`` grouped by applicant.

    ``value`` is a decimal number or yes/no (예/아니오); maturity rows leave it
    empty and give ``stage`` (1–5). The rule decides later whether a value's
    type fits, so "3" is a number here, never a stage. Applicants keep the
    order of their first row; a row with a problem is left out and reported.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = next(reader, None)
    if header is None:
        return (), (CsvError(1, "header", "empty_file"),)
    names = [name.strip().lower() for name in header]
    errors = _header_errors(names)
    if errors:
        return (), tuple(errors)
    grouped: dict[str, dict[str, Observation]] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(names):
            errors.append(CsvError(line, "row", "wrong_cell_count", str(len(cells))))
            continue
        row = {name: cell.strip() for name, cell in zip(names, cells, strict=True)}
        observation = _observation(row, line, errors)
        if observation is None:
            continue
        claims = grouped.setdefault(row["applicant"], {})
        if observation.indicator in claims:
            errors.append(CsvError(line, "indicator", "duplicate", observation.indicator))
            continue
        claims[observation.indicator] = observation
    rows = tuple(
        ApplicantRow(applicant, tuple(claims.values())) for applicant, claims in grouped.items()
    )
    return rows, tuple(errors)


def _header_errors(names: list[str]) -> list[CsvError]:
    """Unknown, repeated and missing columns."""
    errors = [
        CsvError(1, name, "unknown_column")
        for name in names
        if name not in CSV_REQUIRED + CSV_OPTIONAL
    ]
    errors += [
        CsvError(1, name, "duplicate_column") for name in set(names) if names.count(name) > 1
    ]
    errors += [CsvError(1, name, "missing_column") for name in CSV_REQUIRED if name not in names]
    return errors


def _observation(row: dict[str, str], line: int, errors: list[CsvError]) -> Observation | None:
    """One row's observation, or None after recording its problems."""
    before = len(errors)
    for name in ("applicant", "indicator"):
        if not row[name]:
            errors.append(CsvError(line, name, "required"))
    value = _value(row["value"], row.get("stage", ""), line, errors)
    if len(errors) > before or value is None:
        return None
    return Observation(row["indicator"], value, row.get("evidence") or None)


def _value(text: str, stage: str, line: int, errors: list[CsvError]) -> ObservationValue | None:
    """A stage (int), a yes/no (bool) or a number (Decimal)."""
    if stage and text:
        errors.append(CsvError(line, "stage", "value_and_stage"))
        return None
    if stage:
        try:
            return int(stage)
        except ValueError:
            errors.append(CsvError(line, "stage", "not_an_integer", stage))
            return None
    if not text:
        errors.append(CsvError(line, "value", "required"))
        return None
    if text.lower() in YES_NO_WORDS:
        return YES_NO_WORDS[text.lower()]
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        errors.append(CsvError(line, "value", "not_a_number", text))
        return None
    return number
