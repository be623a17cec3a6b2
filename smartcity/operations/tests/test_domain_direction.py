"""The free-text viewing-direction parser (촬영방면정보).

The table holds every value that occurs at least 20 times in the four real
files (with its count), plus the rarer compass forms; a change of behaviour on
real data therefore shows up here, not in production.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity.operations.domain.direction import (
    OMNIDIRECTIONAL,
    UNKNOWN,
    Direction,
    parse_direction,
)

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
CCTV_FILES = {
    "busan_cctv_standard_2022.csv": "utf-8",
    "seoul_cctv_gonl_2020.csv": "utf-8",
    "daejeon_cctv_standard_2026_cp949.csv": "cp949",
    "whatsmap_cctv_sample.csv": "utf-8",
}

FREQUENT_REAL_VALUES: list[tuple[str, tuple[float | None, float | None]]] = [
    ("", (None, None)),  # 13,506
    ("360도전방면", (None, 360.0)),  # 7,676
    ("360도 전방면", (None, 360.0)),  # 6,157
    ("360", (None, 360.0)),  # 2,004
    ("360도 전방향", (None, 360.0)),  # 1,543
    ("반경 30~150미터 이내(기종따라 다름)", (None, None)),  # 1,236: a radius, not a direction
    ("고정", (None, None)),  # 1,019: fixed, but towards where?
    ("360도다방면", (None, 360.0)),  # 980
    ("90도 정면", (None, 90.0)),  # 859
    ("0", (None, None)),  # 787: 중랑구's "not entered"
    ("회전", (None, 360.0)),  # 783: a rotating (PTZ) dome
    ("360도 전방", (None, 360.0)),  # 686
    ("360도", (None, 360.0)),  # 671
    ("360°", (None, 360.0)),  # 562
    ("1방면", (None, None)),  # 543
    ("60도 단방향", (None, 60.0)),  # 403
    ("130", (None, 130.0)),  # 369: 동래구's wide-angle fixed cameras
    ("반경 2~3m", (None, None)),  # 358
    ("카메라 전면(고정)", (None, None)),  # 201
    ("180도", (None, 180.0)),  # 198
    ("120도", (None, 120.0)),  # 186
    ("360도전방향", (None, 360.0)),  # 98
    ("60도단방향", (None, 60.0)),  # 82
    ("90도 단방향", (None, 90.0)),  # 77
    ("단방향", (None, None)),  # 74
    ("하단(투기 위치)", (None, None)),  # 73
    ("특정방면", (None, None)),  # 64
    ("북,남", (None, 270.0)),  # 44: opposite directions, side ambiguous
    ("90도 전방", (None, 90.0)),  # 36
    ("주택 앞 삼거리", (None, None)),  # 35: a landmark
    ("동,서", (None, 270.0)),  # 22
    ("센트레빌 앞", (None, None)),  # 22
    ("270도전방면", (None, 270.0)),  # 20
    ("전주밑", (None, None)),  # 20
]

COMPASS_FORMS: list[tuple[str, tuple[float | None, float | None]]] = [
    ("동측", (90.0, 90.0)),
    ("북서", (315.0, 90.0)),
    ("서→동", (90.0, 90.0)),
    ("서->동", (90.0, 90.0)),
    ("남측방향", (180.0, 90.0)),
    ("북동쪽", (45.0, 90.0)),
    ("정북", (0.0, 90.0)),
    ("전방향", (None, 360.0)),
    ("남", (180.0, 90.0)),  # 11 real rows
    ("북,동", (45.0, 180.0)),  # 8
    ("동,남,서", (180.0, 270.0)),  # 13
    ("북,동,남", (90.0, 270.0)),  # 11
    ("동,서,남,북", (None, 360.0)),  # 7
    ("동서남북", (None, 360.0)),
    ("븍,남", (None, 270.0)),  # Seoul's typo for 북
    ("서,남서", (247.5, 135.0)),
    ("북,남서", (292.5, 225.0)),
    ("북동 120도", (45.0, 120.0)),
    ("360도 전방면/수협남포동지점 방면/수협남포동지점 반대편 방면", (None, 360.0)),
    ("회전(열화상)", (None, 360.0)),
    ("  ", (None, None)),
    ("좌우양방향", (None, None)),
    ("건물내B1층,남서", (None, None)),
    ("중촌그린공원 서쪽정자", (None, None)),  # a landmark with 서쪽 in it
    ("새마을금고에서 오류시장방향쪽", (None, None)),
    ("부산-7-남구-0152", (None, None)),  # Nam-gu's camera IDs contain 남
    ("방범-2023-대연-389-1", (None, None)),
]


@pytest.mark.parametrize(("text", "expected"), FREQUENT_REAL_VALUES + COMPASS_FORMS)
def test_direction_table(text: str, expected: tuple[float | None, float | None]) -> None:
    assert tuple(parse_direction(text)) == expected


def test_default_fov_applies_to_compass_directions_only() -> None:
    assert parse_direction("동측", default_fov_deg=60.0) == Direction(90.0, 60.0)
    assert parse_direction("90도 정면", default_fov_deg=60.0) == Direction(None, 90.0)
    assert parse_direction(None) is UNKNOWN
    with pytest.raises(ValueError, match="default_fov_deg"):
        parse_direction("동", default_fov_deg=0.0)


def test_real_values_split_as_surveyed() -> None:
    counts: Counter[str] = Counter()
    for name, encoding in CCTV_FILES.items():
        path = DATA / "cctv" / name
        if not path.exists():
            pytest.skip(f"real CCTV data not available: {path} (CI provides ../shared/data)")
        with path.open(encoding=encoding, newline="") as handle:
            for row in csv.DictReader(handle):
                if "촬영방면정보" in row:
                    counts[kind(parse_direction(row["촬영방면정보"]))] += 1
    assert counts == {
        "unknown": 25_504,
        "omnidirectional": 21_180,
        "fov_only": 2_334,
        "sector": 119,
    }


def kind(direction: Direction) -> str:
    if direction == UNKNOWN:
        return "unknown"
    if direction == OMNIDIRECTIONAL:
        return "omnidirectional"
    return "sector" if direction.bearing_deg is not None else "fov_only"


@given(st.text(max_size=60))
def test_any_text_gives_a_well_formed_direction(text: str) -> None:
    bearing, fov = parse_direction(text)
    if fov is not None:
        assert 0.0 < fov <= 360.0
    if bearing is not None:
        assert 0.0 <= bearing < 360.0
        assert fov is not None and fov < 360.0


@given(
    st.lists(st.sampled_from(["북", "북동", "동", "남동", "남", "남서", "서", "북서"]), min_size=1)
)
def test_compass_lists_cover_every_named_direction(words: list[str]) -> None:
    bearing, fov = parse_direction(",".join(words))
    assert fov is not None
    if bearing is None:
        return  # all round, or an ambiguous opposite pair: no side is claimed
    named = {
        "북": 0,
        "북동": 45,
        "동": 90,
        "남동": 135,
        "남": 180,
        "남서": 225,
        "서": 270,
        "북서": 315,
    }
    for word in words:
        gap = abs((named[word] - bearing + 180.0) % 360.0 - 180.0)
        assert gap <= fov / 2.0 - 45.0 + 1e-9  # each direction's whole 90° sector is inside
