"""The crime-type table without a database: the spellings 112 sends, as data."""

from __future__ import annotations

from typing import Any

import pytest

from smartcity.operations.domain.crime_types import (
    CrimeTableError,
    CrimeType,
    crime_match,
    default_table,
    table_from_mapping,
)
from smartcity.operations.domain.video_rules import (
    GrantFacts,
    GrantRefusal,
    LegalGround,
    crime_type_of,
    decide_grant,
)


def police(case_type: str) -> GrantFacts:
    return GrantFacts(agency_kind="police", sender="112", case_type=case_type,
                      incident_final=False, camera_count=1)  # fmt: skip


@pytest.mark.parametrize(
    ("case_type", "expected", "law"),
    [
        ("특수강도", CrimeType.ROBBERY, "형법 제334조"),
        ("강도미수", CrimeType.ROBBERY, "형법 제342조, 제333조"),
        ("강제추행", CrimeType.SEXUAL_VIOLENCE, "형법 제298조"),
        (" 강도 미수 ", CrimeType.ROBBERY, "형법 제342조, 제333조"),
        ("강제-추행", CrimeType.SEXUAL_VIOLENCE, "형법 제298조"),
    ],
)
def test_the_variants_112_sends_map_to_their_type_with_the_statute(
    case_type: str, expected: CrimeType, law: str
) -> None:
    found = crime_match(case_type)
    assert found is not None and found.crime_type is expected and found.law == law
    decision = decide_grant(police(case_type))
    assert decision.allowed and decision.ground is LegalGround.CRIME_INVESTIGATION
    assert decision.crime == found


def test_full_width_spellings_are_the_same_name() -> None:
    assert crime_type_of("ＲＯＢＢＥＲＹ") is CrimeType.ROBBERY


@pytest.mark.parametrize(
    "case_type",
    [
        "특수폭행",
        "강도예비",
        "강도음모",
        "살인예비",
        "공갈",
        "폭행",
        "사기",
        "강도미",
        "미수",
        "특수",
        "강도강도",
        "강도살인미수예비",
        "성매매",
        "아동학대",
    ],
)
def test_what_is_not_a_variant_is_still_refused(case_type: str) -> None:
    assert crime_match(case_type) is None
    assert decide_grant(police(case_type)).refusal is GrantRefusal.NOT_A_VIDEO_CRIME


def test_the_packaged_table_covers_the_seven_types_on_the_crime_investigation_ground() -> None:
    table = default_table()
    assert LegalGround(table.ground) is LegalGround.CRIME_INVESTIGATION
    assert {m.crime_type for m in table.by_key.values()} == set(CrimeType)
    assert all(m.law for m in table.by_key.values() if m.variant != m.crime_type.value)


def _table(**changes: Any) -> dict[str, Any]:
    types = [{"type": c.value, "variants": [{"name": f"v{c.value}", "law": "법"}]}
             for c in CrimeType]  # fmt: skip
    data: dict[str, Any] = {"ground": "pipa_18_2_crime", "types": types}
    data.update(changes)
    return data


def test_a_table_claiming_one_spelling_for_two_types_is_refused() -> None:
    data = _table()
    data["types"][1]["variants"].append({"name": "v-murder", "law": "법"})
    with pytest.raises(CrimeTableError, match=r"types\[2\].*already names 'murder'"):
        table_from_mapping(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_table(types=_table()["types"][:6]), "types missing: domestic_violence"),
        (_table(types=[*_table()["types"], {"type": "fraud", "variants": []}]), "unknown type"),
        (_table(types=[{"type": "murder", "variants": [{"name": "살인"}]}]), "'law' must be"),
        (_table(ground=""), "'ground' must be"),
        ([], "expected an object"),
    ],
)
def test_a_broken_table_is_refused_with_where(data: Any, message: str) -> None:
    with pytest.raises(CrimeTableError, match=message):
        table_from_mapping(data)
