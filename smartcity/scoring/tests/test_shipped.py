"""The shipped, reconstructed frameworks have the published shape; the crosswalk is complete."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pytest

from smartcity.scoring import (
    Crosswalk,
    CrosswalkEntry,
    crosswalk_2021_2023,
    crosswalk_problems,
    shipped_framework,
    shipped_frameworks,
)

D = Decimal
HANGUL = re.compile(r"[가-힣]")


@pytest.mark.parametrize(
    ("code", "indicators", "total", "threshold"),
    [
        ("city-2021", 63, D(2000), D(1400)),
        ("city-2023", 53, D(2000), D(1400)),
        ("service-transport-2022", 55, D(100), D(70)),
        ("service-environment-energy-2023", 55, D(100), D(70)),
    ],
)
def test_shipped_frameworks_have_the_published_counts_and_totals(
    code: str, indicators: int, total: Decimal, threshold: Decimal
) -> None:
    fw = shipped_framework(code)
    assert len(fw.indicators) == indicators
    assert fw.max_points == total
    assert fw.certification_threshold == threshold
    assert fw.reconstructed
    assert len(fw.areas) == 3


@pytest.mark.parametrize("code", ["city-2021", "city-2023"])
def test_city_frameworks_split_1000_quantitative_and_1000_qualitative_points(code: str) -> None:
    fw = shipped_framework(code)
    assert sum(len(area.items) for area in fw.areas) == 10
    assert sum(i.points for i in fw.indicators if i.qualitative) == D(1000)
    assert sum(i.points for i in fw.indicators if not i.qualitative) == D(1000)
    assert [(b.grade, b.min_points) for b in fw.grade_bands] == [
        (1, D(1800)), (2, D(1600)), (3, D(1400)), (4, D(1200)), (5, D(0))
    ]  # fmt: skip


def test_service_frameworks_are_fields_of_one_kind() -> None:
    assert shipped_framework("service-transport-2022").field == "transport"
    assert shipped_framework("service-environment-energy-2023").field == "environment-energy"
    assert shipped_framework("city-2023").field is None


@pytest.mark.parametrize("code", sorted(shipped_frameworks()))
def test_every_name_is_given_in_korean_and_english(code: str) -> None:
    fw = shipped_framework(code)
    named = [*fw.areas, *(item for area in fw.areas for item in area.items), *fw.indicators]
    for entry in named:
        assert HANGUL.search(entry.name_ko), entry.code
        assert entry.name_en and not HANGUL.fullmatch(entry.name_en), entry.code


def test_an_unknown_shipped_framework_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        shipped_framework("city-1999")


def test_the_crosswalk_accounts_for_every_indicator_exactly_once() -> None:
    crosswalk = crosswalk_2021_2023()
    old, new = shipped_framework("city-2021"), shipped_framework("city-2023")
    assert crosswalk_problems(crosswalk, old, new) == []
    statuses = [entry.status for entry in crosswalk.entries]
    assert statuses.count("retired") + statuses.count("mapped") == 63
    assert statuses.count("new") == 1
    assert (crosswalk.from_framework, crosswalk.to_framework) == ("city-2021", "city-2023")


def test_the_crosswalk_answers_both_directions() -> None:
    crosswalk = crosswalk_2021_2023()
    assert crosswalk.target_of("A1.3.Q4") == "A1.3.Q2"
    assert crosswalk.target_of("A1.1.Q4") is None  # retired
    assert crosswalk.sources_of("A1.2.Q2") == ("A1.2.Q2", "A1.2.Q3")  # merged
    assert crosswalk.sources_of("A3.1.Q5") == ()  # new in 2023


def test_crosswalk_problems_catch_gaps_duplicates_and_bad_entries() -> None:
    crosswalk = crosswalk_2021_2023()
    old, new = shipped_framework("city-2021"), shipped_framework("city-2023")
    first, *rest = crosswalk.entries
    broken = dataclasses.replace(
        crosswalk,
        entries=(
            *rest,
            CrosswalkEntry("mapped", "A1.1.Q2", "A1.1.Q2"),  # A1.1.Q2 twice
            CrosswalkEntry("retired", "ZZ", None),
            CrosswalkEntry("new", None, "A3.1.Q5"),  # new twice
            CrosswalkEntry("new", None, "A1.1.Q3"),  # both mapped and new
        ),
    )
    found = {(e.subject, e.problem) for e in crosswalk_problems(broken, old, new)}
    assert found == {
        ("ZZ", "bad_entry"),
        (first.from_code, "not_accounted_once"),
        ("A1.1.Q2", "not_accounted_once"),
        ("A3.1.Q5", "not_accounted_once"),
        ("A1.1.Q3", "not_accounted_once"),
    }
    assert isinstance(broken, Crosswalk)
