"""Claims typed into the form are checked against their indicator's rule."""

from __future__ import annotations

from decimal import Decimal

from smartcity.certification.domain.claims import (
    ClaimInput,
    check_claims,
    indicator_kind,
    indicators_by_code,
    is_percentage,
    observations_from,
)
from smartcity.scoring import shipped_framework

FW = shipped_framework("city-2023")
BY_CODE = indicators_by_code(FW)


def code_of(kind: str) -> str:
    """The first indicator of ``kind`` (for numbers, one that is not a percentage)."""
    return next(
        c
        for c, i in BY_CODE.items()
        if indicator_kind(i) == kind and not (kind == "number" and is_percentage(i))
    )


def test_each_kind_of_claim_becomes_an_observation() -> None:
    checked, errors = check_claims(
        FW,
        [
            ClaimInput(code_of("number"), value="1,234.5", evidence_reference="부록1 3쪽"),
            ClaimInput(code_of("yes_no"), flag="예"),
            ClaimInput(code_of("maturity"), stage="4"),
        ],
    )
    assert errors == []
    observations = {o.indicator: o for o in observations_from(checked, BY_CODE)}
    assert observations[code_of("number")].value == Decimal("1234.5")
    assert observations[code_of("number")].evidence == "부록1 3쪽"
    assert observations[code_of("yes_no")].value is True
    assert observations[code_of("maturity")].value == 4


def test_bad_inputs_name_indicator_and_field() -> None:
    _, errors = check_claims(
        FW,
        [
            ClaimInput(code_of("number"), value="열"),
            ClaimInput(code_of("number"), value="-1"),
            ClaimInput(code_of("yes_no"), flag="maybe"),
            ClaimInput(code_of("maturity"), stage="6"),
            ClaimInput("NOPE", value="1"),
        ],
    )
    assert [(e.field, e.code) for e in errors] == [
        ("value", "not_a_number"),
        ("value", "negative"),
        ("flag", "not_yes_no"),
        ("stage", "stage_out_of_range"),
        ("indicator", "unknown_indicator"),
    ]


def test_empty_claims_are_not_observations() -> None:
    checked, _ = check_claims(FW, [ClaimInput(code_of("number"), justification="곧 제출")])
    assert observations_from(checked, BY_CODE) == []
