"""Size-class rules are data per call year (certification.md §2)."""

from __future__ import annotations

import pytest

from smartcity.municipalities.domain.size_class import (
    RULE_2021,
    RULE_2024,
    SizeClass,
    rule_for_call_year,
    size_class,
)

LARGE, SMALL = SizeClass.LARGE, SizeClass.SMALL_MEDIUM


@pytest.mark.parametrize(
    ("lg_type", "population", "year", "expected"),
    [
        ("special_self_governing_city", 390_000, 2021, LARGE),  # 세종, 2021 text
        ("special_self_governing_city", 390_000, 2024, SMALL),  # 세종, 2024 practice
        ("autonomous_district", 650_000, 2023, SMALL),  # 송파구
        ("county", 600_000, 2024, SMALL),
        ("city", 530_000, 2024, LARGE),  # 김해시
        ("city", 460_000, 2024, SMALL),  # 의정부시
        ("city", 500_000, 2024, LARGE),  # "50만 이상" is large
        ("city", 499_999, 2024, SMALL),
        ("metropolitan_city", None, 2024, LARGE),
        ("special_self_governing_province", 670_000, 2024, LARGE),
    ],
)
def test_size_class(lg_type: str, population: int | None, year: int, expected: SizeClass) -> None:
    assert size_class(lg_type, population, rule_for_call_year(year)) is expected


def test_rule_for_each_call_year() -> None:
    assert rule_for_call_year(2019) is RULE_2021
    assert rule_for_call_year(2023) is RULE_2021
    assert rule_for_call_year(2024) is RULE_2024
    assert rule_for_call_year(2030) is RULE_2024


def test_a_city_without_population_cannot_be_classified() -> None:
    with pytest.raises(ValueError, match="population"):
        size_class("city", None, RULE_2024)
