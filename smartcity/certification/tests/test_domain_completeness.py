"""The completeness rule, percentages, normalised values and the receipt
number: pure rules, no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from smartcity.certification.domain.claims import (
    ClaimInput,
    check_claims,
    is_percentage,
    normalised_value,
)
from smartcity.certification.domain.completeness import (
    ClaimState,
    Missing,
    claim_is_complete,
    missing_items,
    receipt_number,
    tally,
)
from smartcity.certification.domain.versions import diff_snapshots
from smartcity.scoring import shipped_framework

FW = shipped_framework("city-2023")
INDEX = FW.indicator_index
PERCENT = "A1.1.Q2"  # 스마트도시 교육 이수 공무원 비율(%)
PER_PEOPLE = "A1.2.Q2"  # 특허 등록 및 창업 기업 수(인구 10만 명당)
PER_KM2 = "A3.2.Q1"  # 지능형 CCTV 설치 대수(km²당)
DOCS = ["application_form", "proposal", "self_evaluation", "evidence"]


def test_a_claim_is_complete_when_answered_or_not_applicable_with_a_reason() -> None:
    assert claim_is_complete(ClaimState(answered=True))
    assert claim_is_complete(ClaimState(False, not_applicable=True, not_applicable_reason="없음"))
    assert not claim_is_complete(ClaimState(False, not_applicable=True, not_applicable_reason=" "))
    assert not claim_is_complete(ClaimState(answered=False))
    assert not claim_is_complete(None)


def test_missing_items_name_each_gap_in_fixing_order() -> None:
    missing = missing_items(
        indicator_codes=["a", "b", "c", "d"],
        claims={
            "a": ClaimState(answered=True),
            "b": ClaimState(False, not_applicable=True),
            "d": ClaimState(False, not_applicable=True, not_applicable_reason="관할 밖"),
        },
        required_documents=[*DOCS, "proposal"],
        uploaded_kinds={"application_form", "evidence"},
        attested=False,
    )
    assert missing == [
        Missing("reason", "b"),
        Missing("indicator", "c"),
        Missing("document", "proposal"),
        Missing("document", "self_evaluation"),
        Missing("attestation"),
    ]


def test_attestation_is_left_out_when_asked_on_the_submit_form() -> None:
    complete = {
        "indicator_codes": ["a"],
        "claims": {"a": ClaimState(answered=True)},
        "required_documents": DOCS,
        "uploaded_kinds": set(DOCS),
    }
    assert missing_items(**complete, attested=None) == []  # type: ignore[arg-type]
    assert missing_items(**complete, attested=True) == []  # type: ignore[arg-type]
    assert missing_items(**complete, attested=False) == [Missing("attestation")]  # type: ignore[arg-type]


def test_tally_counts_only_complete_claims() -> None:
    counts = tally(
        ["a", "b", "c", "d"],
        {
            "a": ClaimState(answered=True),
            "b": ClaimState(False, not_applicable=True, not_applicable_reason="사유"),
            "c": ClaimState(False, not_applicable=True),
        },
    )
    assert (counts.total, counts.answered, counts.not_applicable, counts.open) == (4, 1, 1, 2)


def test_receipt_numbers_are_stable_and_name_year_track_and_version() -> None:
    assert receipt_number(year=2026, track="city", application_id=42, version=1) == "2026-C-00042-1"
    assert receipt_number(year=2027, track="service", application_id=7, version=3) == (
        "2027-S-00007-3"
    )


@pytest.mark.parametrize(("value", "ok"), [("100", True), ("100.0", True), ("100.01", False)])
def test_a_percentage_above_100_is_refused(value: str, ok: bool) -> None:
    assert is_percentage(INDEX[PERCENT]) and not is_percentage(INDEX[PER_PEOPLE])
    _, errors = check_claims(FW, [ClaimInput(PERCENT, value=value)])
    assert (errors == []) is ok
    if not ok:
        assert errors[0].code == "over_100" and errors[0].value == value


def test_counts_above_100_are_not_percentages() -> None:
    _, errors = check_claims(FW, [ClaimInput(PER_PEOPLE, value="250")])
    assert errors == []


def test_not_applicable_replaces_the_answer_and_keeps_the_reason() -> None:
    checked, errors = check_claims(
        FW,
        [ClaimInput(PERCENT, value="55", not_applicable=True, not_applicable_reason=" 해당 없음 ")],
    )
    assert errors == []
    assert checked[0].value is None and checked[0].not_applicable
    assert checked[0].not_applicable_reason == "해당 없음"


def test_normalised_values_divide_by_the_denominator_of_the_rule() -> None:
    people = normalised_value(
        INDEX[PER_PEOPLE], Decimal(64), population=320_000, area_km2=Decimal("120.5")
    )
    assert people == Decimal("20.00")
    area = normalised_value(
        INDEX[PER_KM2], Decimal(241), population=320_000, area_km2=Decimal("120.5")
    )
    assert area == Decimal("2.00")
    assert normalised_value(INDEX[PER_KM2], Decimal(241), population=1, area_km2=None) is None
    assert normalised_value(INDEX[PERCENT], Decimal(5), population=1, area_km2=Decimal(1)) is None
    assert normalised_value(INDEX[PER_PEOPLE], None, population=1, area_km2=None) is None


def test_older_snapshots_without_the_not_applicable_mark_diff_as_unmarked() -> None:
    old = {"claims": [{"indicator": PERCENT, "value": "5", "to_verify": False}]}
    same = {"claims": [{"indicator": PERCENT, "value": "5", "not_applicable": False}]}
    assert diff_snapshots(old, same).empty
    marked = {
        "claims": [{"indicator": PERCENT, "not_applicable": True, "not_applicable_reason": "r"}]
    }
    change = diff_snapshots(old, marked).claims[0]
    assert {f.field for f in change.fields} == {"value", "not_applicable", "not_applicable_reason"}
