"""validate_framework(): each way a framework can be unfit to score with is named and located."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from smartcity.scoring import (
    Area,
    BandsRule,
    Framework,
    GradeBand,
    Item,
    LinearRule,
    MaturityRule,
    NormalisedCountRule,
    RoundingRule,
    Rule,
    YesNoRule,
    shipped_frameworks,
    validate_framework,
)
from smartcity.scoring.tests.builders import MATURITY, framework, ind

D = Decimal
MISSING = "missing_stage_descriptor"
OUT_OF_RANGE = "threshold_out_of_range"
GOOD = framework(ind("a"), ind("b", MATURITY), ind("c", LinearRule(D(0), D(4), "higher_better")))


def found(fw: Framework) -> list[tuple[str, str, str]]:
    """(path, subject, problem) of every validation error."""
    return [(e.path, e.subject, e.problem) for e in validate_framework(fw)]


def with_rule(rule: Any, points: str = "10") -> Framework:
    """A framework whose only indicator ``x`` has ``rule``."""
    return framework(ind("x", rule, points=points), grades=("0",), threshold="0")


def rule_problems(rule: Any) -> list[tuple[str, str]]:
    """(path below the rule, problem) for a rule."""
    prefix = "areas[0].items[0].indicators[0].rule"
    return [(path.removeprefix(prefix), problem) for path, _, problem in found(with_rule(rule))]


def test_the_test_framework_and_every_shipped_framework_are_valid() -> None:
    assert found(GOOD) == []
    for fw in shipped_frameworks().values():
        assert found(fw) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"kind": "village"}, ("kind", "test", "unknown_kind")),
        ({"kind": "service"}, ("field", "test", "service_without_field")),
        ({"field": "transport"}, ("field", "test", "city_with_field")),
        ({"aggregation": "mode"}, ("aggregation", "test", "unknown_aggregation")),
        ({"rounding": RoundingRule(-1)}, ("rounding.places", "test", "negative_rounding_places")),
        (
            {"rounding": RoundingRule(2, "ROUND_NICELY")},
            ("rounding.mode", "test", "unknown_rounding_mode"),
        ),
        ({"disagreement_spread": D("1.5")}, ("disagreement_spread", "test", "spread_out_of_range")),
        (
            {"certification_threshold": D(31)},
            ("certification_threshold", "test", "threshold_out_of_range"),
        ),
        (
            {"certification_threshold": D(-1)},
            ("certification_threshold", "test", "threshold_out_of_range"),
        ),
        ({"grade_bands": ()}, ("grade_bands", "test", "no_grade_bands")),
        ({"areas": ()}, ("areas", "test", "no_areas")),
        ({"total_points": D(31)}, ("total_points", "test", "total_mismatch")),
        (
            {"quantitative_total": D(10)},
            ("quantitative_total", "test", "quantitative_total_mismatch"),
        ),
        ({"qualitative_total": D(20)}, ("qualitative_total", "test", "qualitative_total_mismatch")),
    ],
)
def test_framework_settings_are_checked(
    changes: dict[str, Any], expected: tuple[str, str, str]
) -> None:
    assert expected in found(dataclasses.replace(GOOD, **changes))


def test_correct_declared_totals_pass() -> None:
    fw = dataclasses.replace(
        GOOD, total_points=D(30), quantitative_total=D(20), qualitative_total=D(10)
    )
    assert found(fw) == []


def test_grade_bands_must_be_numbered_from_one_and_descend() -> None:
    bands = (GradeBand(1, D(20)), GradeBand(3, D(25)), GradeBand(3, D(-1)))
    assert found(dataclasses.replace(GOOD, grade_bands=bands)) == [
        ("grade_bands[1]", "test", "grades_not_consecutive"),
        ("grade_bands[1]", "test", "grade_bands_not_descending"),
        ("grade_bands[2]", "test", "negative_min_points"),
    ]


def test_duplicate_codes_empty_groups_and_missing_names_are_found() -> None:
    nameless = dataclasses.replace(ind("a"), name_ko=" ", name_en="")
    fw = dataclasses.replace(
        GOOD,
        areas=(
            Area("A", "분야", "Area", (Item("I", "항목", "Item", (ind("a"), nameless)),)),
            Area("", "분야", "Area", ()),
            Area("B", "분야", "Area", (Item("A", "", "Item", ()),)),
        ),
    )
    assert found(fw) == [
        ("areas[0].items[0].indicators[1].code", "a", "duplicate_code"),
        ("areas[0].items[0].indicators[1].name_ko", "a", "missing_name_ko"),
        ("areas[0].items[0].indicators[1].name_en", "a", "missing_name_en"),
        ("areas[1].code", "areas[1]", "missing_code"),
        ("areas[1].items", "", "area_without_items"),
        ("areas[2].items[0].code", "A", "duplicate_code"),
        ("areas[2].items[0].name_ko", "A", "missing_name_ko"),
        ("areas[2].items[0].indicators", "A", "item_without_indicators"),
    ]


def test_points_must_be_non_negative_and_on_the_rounding_grid() -> None:
    negative = [problem for _, _, problem in found(with_rule(YesNoRule(), points="-1"))]
    assert "negative_points" in negative
    fine = [problem for _, _, problem in found(with_rule(YesNoRule(), points="0.125"))]
    assert fine == ["points_finer_than_rounding"]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (object(), [(".type", "unknown_rule_type")]),
        (BandsRule("sideways", ((D(1), D(1)),)), [(".direction", "unknown_direction")]),  # type: ignore[arg-type]
        (BandsRule("higher_better", ()), [(".bands", "bands_empty")]),
        (
            BandsRule("higher_better", ((D(1), D("0.5")), (D(1), D(1)))),
            [(".bands[1]", "bands_overlapping")],
        ),
        (
            BandsRule("higher_better", ((D(3), D("0.5")), (D(1), D(1)))),
            [(".bands[1]", "bands_unordered")],
        ),
        (
            BandsRule("lower_better", ((D(1), D("0.5")), (D(3), D(1)))),
            [(".bands[1]", "bands_unordered")],
        ),
        (
            BandsRule("higher_better", ((D(1), D("0.5")), (D(3), D("0.4")))),
            [(".bands[1]", "shares_decreasing")],
        ),
        (BandsRule("higher_better", ((D(1), D("1.5")),)), [(".bands[0]", "share_out_of_range")]),
        (LinearRule(D(1), D(1), "higher_better"), [(".target", "linear_floor_equals_target")]),
        (LinearRule(D(5), D(1), "higher_better"), [(".target", "linear_direction_mismatch")]),
        (LinearRule(D(1), D(5), "lower_better"), [(".target", "linear_direction_mismatch")]),
        (LinearRule(D(1), D(5), "up"), [(".direction", "unknown_direction")]),  # type: ignore[arg-type]
        (
            NormalisedCountRule("households", D(0), MATURITY),  # type: ignore[arg-type]
            [
                (".per", "unknown_normalisation"),
                (".scale", "scale_not_positive"),
                (".rule.type", "unsupported_nested_rule"),
            ],
        ),
        (
            NormalisedCountRule("population", D(10), LinearRule(D(2), D(1), "higher_better")),
            [(".rule.target", "linear_direction_mismatch")],
        ),
        (
            MaturityRule(
                (D("0.5"), D("0.4")), ("a", "b", "c", "d", "e", "f"), ("a", "b", "", "d", "e")
            ),
            [
                (".stage_shares", "stage_count"),
                (".stage_shares[1]", "shares_decreasing"),
                (".descriptors_ko[5]", "too_many_stage_descriptors"),
                (".descriptors_en[2]", "missing_stage_descriptor"),
            ],
        ),
        (
            MaturityRule(),
            [
                (f".descriptors_{lang}[{n}]", "missing_stage_descriptor")
                for lang in ("ko", "en")
                for n in range(5)
            ],
        ),
    ],
)
def test_rule_problems_are_found_and_located(rule: Rule, expected: list[tuple[str, str]]) -> None:
    assert rule_problems(rule) == expected
