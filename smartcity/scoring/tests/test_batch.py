"""Batch scoring and the observations CSV: one bad applicant never stops the round."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartcity.scoring import (
    ApplicantRow,
    CsvError,
    Observation,
    Review,
    parse_observations_csv,
    score_many,
)
from smartcity.scoring.tests.builders import MATURITY, framework, ind

FW = framework(ind("a"), ind("b", MATURITY))


def test_score_many_scores_every_row_and_keeps_errors_per_applicant() -> None:
    rows = [
        ApplicantRow("수원시", (Observation("a", True), Observation("b", 3))),
        ApplicantRow("화성시", (Observation("b", 9),)),
        ApplicantRow("용인시", (), (Review("m1", "a", Decimal(10)),)),
    ]
    outcomes = score_many(FW, rows)
    assert [o.applicant for o in outcomes] == ["수원시", "화성시", "용인시"]
    assert outcomes[0].result is not None and outcomes[0].result.total == Decimal("16.00")
    assert outcomes[1].result is None
    assert outcomes[1].error is not None and outcomes[1].error.problem == "stage_out_of_range"
    assert outcomes[2].error is None


def test_a_csv_becomes_rows_grouped_by_applicant() -> None:
    text = (
        "\ufeffApplicant,Indicator,Value,Stage,Evidence\n"
        "수원시,a,예,,조례 p.3\n"
        "수원시,b,,4,\n"
        "\n"
        "화성시,a,no,,\n"
        "화성시,x,12.50,,\n"
    )
    rows, errors = parse_observations_csv(text)
    assert errors == ()
    assert rows == (
        ApplicantRow("수원시", (Observation("a", True, "조례 p.3"), Observation("b", 4))),
        ApplicantRow("화성시", (Observation("a", False), Observation("x", Decimal("12.50")))),
    )


def test_the_stage_column_is_optional() -> None:
    rows, errors = parse_observations_csv("applicant,indicator,value\n수원시,a,Yes\n")
    assert (rows[0].observations, errors) == ((Observation("a", True),), ())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [CsvError(1, "header", "empty_file")]),
        ("applicant,indicator,value,colour\n", [CsvError(1, "colour", "unknown_column")]),
        ("applicant,indicator,value,value\n", [CsvError(1, "value", "duplicate_column")]),
        ("applicant,value\n", [CsvError(1, "indicator", "missing_column")]),
    ],
)
def test_header_problems_are_reported_on_row_1(text: str, expected: list[CsvError]) -> None:
    assert parse_observations_csv(text) == ((), tuple(expected))


@pytest.mark.parametrize(
    ("line", "field", "problem"),
    [
        ("수원시,a", "row", "wrong_cell_count"),
        (",a,yes,", "applicant", "required"),
        ("수원시,,yes,", "indicator", "required"),
        ("수원시,a,,", "value", "required"),
        ("수원시,a,3,3", "stage", "value_and_stage"),
        ("수원시,a,,three", "stage", "not_an_integer"),
        ("수원시,a,lots,", "value", "not_a_number"),
        ("수원시,a,NaN,", "value", "not_a_number"),
        ("수원시,b,yes,", "indicator", "duplicate"),
    ],
)
def test_row_problems_carry_the_row_number_and_field(line: str, field: str, problem: str) -> None:
    text = f"applicant,indicator,value,stage\n수원시,b,,2\n{line}\n"
    rows, errors = parse_observations_csv(text)
    assert [(e.row, e.field, e.problem) for e in errors] == [(3, field, problem)]
    assert rows == (ApplicantRow("수원시", (Observation("b", 2),)),)
