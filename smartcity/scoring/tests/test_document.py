"""Framework documents: exact round trips, and import errors that name the indicator and problem."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest

from smartcity.scoring import (
    BandsRule,
    FrameworkDocumentError,
    LinearRule,
    NormalisedCountRule,
    framework_from_dict,
    framework_to_dict,
    shipped_frameworks,
)
from smartcity.scoring.rules import DEFAULT_STAGE_SHARES
from smartcity.scoring.tests.builders import MATURITY, framework, ind

D = Decimal
VALID = framework_to_dict(
    framework(
        ind("a"),
        ind("b", MATURITY),
        ind("c", BandsRule("lower_better", ((D(30), D("0.5")), (D(10), D(1))))),
        ind(
            "d", NormalisedCountRule("population", D(1000), LinearRule(D(0), D(5), "higher_better"))
        ),
    )
)


def problems(document: object) -> list[tuple[str, str, str]]:
    """(path, subject, problem) of every error importing ``document``."""
    with pytest.raises(FrameworkDocumentError) as caught:
        framework_from_dict(document)
    return [(e.path, e.subject, e.problem) for e in caught.value.errors]


def edited(**changes: Any) -> dict[str, Any]:
    """A deep copy of the valid document with top-level changes (None deletes)."""
    document = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is None:
            del document[key]
        else:
            document[key] = value
    return document


def indicator_doc(document: dict[str, Any], n: int) -> dict[str, Any]:
    """The n-th indicator document of the first item."""
    return document["areas"][0]["items"][0]["indicators"][n]  # type: ignore[no-any-return]


@pytest.mark.parametrize("code", sorted(shipped_frameworks()))
def test_shipped_frameworks_round_trip_exactly(code: str) -> None:
    fw = shipped_frameworks()[code]
    document = framework_to_dict(fw)
    assert framework_from_dict(document) == fw
    assert framework_to_dict(framework_from_dict(json.loads(json.dumps(document)))) == document


def test_decimals_are_written_as_strings() -> None:
    assert VALID["certification_threshold"] == "14"
    assert indicator_doc(VALID, 2)["rule"]["bands"][0] == {"threshold": "30", "share": "0.5"}


def test_an_unknown_rule_type_names_its_path_and_indicator() -> None:
    document = edited()
    indicator_doc(document, 2)["rule"]["type"] = "fuzzy"
    assert problems(document) == [
        ("areas[0].items[0].indicators[2].rule.type", "c", "unknown_rule_type")
    ]


def test_every_problem_is_reported_at_once() -> None:
    document = edited(kind="town", year="2024", certification_threshold=0.7, extra=1)
    indicator_doc(document, 0)["points"] = "ten"
    indicator_doc(document, 1)["rule"]["stage_shares"] = ["0.2", "x"]
    found = problems(document)
    assert ("kind", "test", "unknown_value") in found
    assert ("year", "test", "expected_integer") in found
    assert ("certification_threshold", "test", "float_not_allowed") in found
    assert ("extra", "test", "unknown_field") in found
    assert ("areas[0].items[0].indicators[0].points", "a", "invalid_decimal") in found
    assert ("areas[0].items[0].indicators[1].rule.stage_shares[1]", "b", "invalid_decimal") in found


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([], [("", "framework", "expected_object")]),
        (edited(code=None), [("code", "framework", "missing")]),
        (edited(areas="A"), [("areas", "test", "expected_list")]),
        (edited(version=3), [("version", "test", "expected_string")]),
        (edited(field=3), [("field", "test", "expected_string")]),
        (edited(reconstructed="yes"), [("reconstructed", "test", "expected_boolean")]),
        (edited(disagreement_spread="NaN"), [("disagreement_spread", "test", "invalid_decimal")]),
        (
            edited(certification_threshold=[1]),
            [("certification_threshold", "test", "expected_decimal")],
        ),
        (edited(schema_version=2), [("schema_version", "test", "unsupported_schema_version")]),
        (
            edited(rounding={"places": 2, "mode": "ROUND_SOMEHOW"}),
            [("rounding.mode", "test", "unknown_value")],
        ),
        (edited(grade_bands=[{"grade": 1}]), [("grade_bands[0].min_points", "test", "missing")]),
    ],
)
def test_structural_problems_are_located(
    document: object, expected: list[tuple[str, str, str]]
) -> None:
    assert problems(document) == expected


def test_entries_without_a_readable_code_are_named_by_their_path() -> None:
    document = edited()
    del document["areas"][0]["code"]
    indicator_doc(document, 0)["code"] = 7
    found = problems(document)
    assert ("areas[0].code", "areas[0]", "missing") in found
    assert (
        "areas[0].items[0].indicators[0].code",
        "areas[0].items[0].indicators[0]",
        "expected_string",
    ) in found


@pytest.mark.parametrize(
    ("rule", "problem", "path"),
    [
        (None, "missing", "rule"),
        ("yes", "expected_object", "rule"),
        ({"type": "maturity", "descriptors_ko": [1]}, "expected_string", "rule.descriptors_ko[0]"),
        ({"type": "yes_no", "floor": "1"}, "unknown_field", "rule.floor"),
        (
            {
                "type": "normalised_count",
                "per": "population",
                "scale": "1000",
                "rule": {"type": "maturity"},
            },
            "unsupported_nested_rule",
            "rule.rule.type",
        ),
        (
            {"type": "bands", "direction": "up", "bands": [{"threshold": "1", "share": "1"}]},
            "unknown_value",
            "rule.direction",
        ),
    ],
)
def test_rule_problems_name_the_indicator(rule: object, problem: str, path: str) -> None:
    document = edited()
    target = indicator_doc(document, 0)
    if rule is None:
        del target["rule"]
    else:
        target["rule"] = rule
    found = problems(document)
    assert (f"areas[0].items[0].indicators[0].{path}", "a", problem) in found


def test_an_entry_that_is_not_an_object_is_reported_with_its_path() -> None:
    document = edited()
    document["areas"].append("innovation")
    assert problems(document) == [("areas[1]", "areas[1]", "expected_object")]


def test_a_missing_choice_is_reported_as_missing_only() -> None:
    document = edited()
    del indicator_doc(document, 2)["rule"]["direction"]
    assert problems(document) == [
        ("areas[0].items[0].indicators[2].rule.direction", "c", "missing")
    ]


def test_a_rule_without_a_type_is_reported_once() -> None:
    document = edited()
    indicator_doc(document, 0)["rule"] = {}
    assert problems(document) == [("areas[0].items[0].indicators[0].rule.type", "a", "missing")]


def test_optional_fields_take_their_documented_defaults() -> None:
    document = edited(aggregation=None, rounding=None, disagreement_spread=None, reconstructed=None)
    del document["areas"][0]["items"][0]["indicators"][1]["rule"]["stage_shares"]
    indicator = indicator_doc(document, 0)
    for key in ("description_ko", "description_en", "evidence_required"):
        del indicator[key]
    fw = framework_from_dict(document)
    assert (fw.aggregation, fw.rounding.places, fw.rounding.mode) == ("mean", 2, "ROUND_HALF_UP")
    assert (fw.disagreement_spread, fw.reconstructed) == (D("0.3"), False)
    assert fw.indicators[1].rule.stage_shares == DEFAULT_STAGE_SHARES  # type: ignore[union-attr]
    assert fw.indicators[0].evidence_required == ""


def test_integers_are_accepted_where_decimals_are_due() -> None:
    fw = framework_from_dict(edited(certification_threshold=14, total_points=40))
    assert (fw.certification_threshold, fw.total_points) == (D(14), D(40))


def test_a_structurally_sound_document_is_then_validated() -> None:
    document = edited(total_points="41")
    indicator_doc(document, 2)["rule"]["bands"][1]["threshold"] = "30"
    assert problems(document) == [
        ("areas[0].items[0].indicators[2].rule.bands[1]", "c", "bands_overlapping"),
        ("total_points", "test", "total_mismatch"),
    ]


def test_validation_can_be_deferred_for_a_review_screen() -> None:
    fw = framework_from_dict(edited(total_points="41"), validate=False)
    assert fw.total_points == D(41)


def test_the_error_message_lists_paths_subjects_and_problems() -> None:
    with pytest.raises(FrameworkDocumentError, match=r"areas \[test\]: expected_list"):
        framework_from_dict(edited(areas=1))
