"""Parsing the Ministry of the Interior's resident-population table.

The real table (../shared, never shipped) must give one record per local
government and year on current codes, whatever its encoding; synthetic rows
check that every bad row is rejected with its row number, field and reason.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from smartcity.municipalities.domain.population_table import (
    PopulationParseResult,
    RowError,
    parse_population_table,
)

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
ADMIN = SHARED / "data" / "admin"
TABLE = ADMIN / "sigungu_population_2022_2024.csv"
HARMONISED = ADMIN / "local_governments_harmonised_2024codes.csv"
DEC_2022, DEC_2023, DEC_2024 = date(2022, 12, 31), date(2023, 12, 31), date(2024, 12, 31)

HEADER = (
    "행정기관코드,시도코드,시군구코드,시도명,시군구명,구분,현행시군구코드,"
    "2023년_총인구수,2023년_남자인구수,2024년_총인구수,2024년_남자인구수"
)


def _real_bytes() -> bytes:
    if not TABLE.exists():
        pytest.skip(f"reference data not found at {TABLE} (../shared is absent)")
    return TABLE.read_bytes()


def _parse_rows(*rows: str, header: str = HEADER) -> PopulationParseResult:
    return parse_population_table("\n".join((header, *rows)).encode("utf-8"))


def _by_key(result: PopulationParseResult) -> dict[tuple[str, date], int]:
    return {(r.code, r.reference_date): r.population for r in result.records}


def test_real_table_gives_243_local_governments_for_each_year() -> None:
    result = parse_population_table(_real_bytes())
    assert result.errors == []
    assert result.encoding == "utf-8"
    assert len(result.records) == 243 * 3
    dates = {r.reference_date for r in result.records}
    assert dates == {DEC_2022, DEC_2023, DEC_2024}
    for day in dates:
        assert len({r.code for r in result.records if r.reference_date == day}) == 243
    assert result.skipped == {
        "branch_office": 14,
        "non_autonomous_district": 37,
        "single_tier_unit": 3,  # 세종 36110, 제주시, 서귀포시
    }


def test_real_table_maps_transitional_codes_onto_current_ones() -> None:
    values = _by_key(parse_population_table(_real_bytes()))
    assert values[("11710", DEC_2024)] == 645_637  # 송파구
    assert values[("51000", DEC_2022)] == 1_531_134  # from the 42 강원도 row
    assert values[("51000", DEC_2024)] == 1_512_327
    assert values[("51110", DEC_2022)] == 285_562  # 42110 춘천시
    assert values[("52110", DEC_2023)] == 641_091  # 45110 전주시
    assert values[("27720", DEC_2022)] == 23_283  # 47720 군위군, still in 경북 then
    assert values[("27720", DEC_2024)] == 22_408
    assert values[("36000", DEC_2024)] == 389_842  # 세종: its 36000 row, not 36110
    assert values[("41190", DEC_2024)] == 766_105  # 부천시 row; its restored 일반구 skipped


def test_real_table_same_records_in_cp949_and_with_bom() -> None:
    data = _real_bytes()
    utf8 = parse_population_table(data)
    cp949 = parse_population_table(data.decode("utf-8").encode("cp949"))
    bom = parse_population_table(b"\xef\xbb\xbf" + data)
    assert (cp949.encoding, bom.encoding) == ("cp949", "utf-8-sig")
    assert cp949.records == utf8.records
    assert bom.records == utf8.records
    assert cp949.errors == bom.errors == []


def test_real_table_agrees_with_the_harmonised_reference() -> None:
    if not HARMONISED.exists():
        pytest.skip(f"reference data not found at {HARMONISED} (../shared is absent)")
    values = _by_key(parse_population_table(_real_bytes()))
    with HARMONISED.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["자치단체여부"] == "Y"]
    for row in rows:
        code = row["시도코드"] + "000" if row["구분"].startswith("광역") else row["시군구코드"]
        assert values[(code, DEC_2024)] == int(row["2024년_총인구수"]), code


def test_bad_rows_get_precise_errors_and_good_rows_survive() -> None:
    result = _parse_rows(
        "1171000000,11,11710,서울특별시,송파구,기초(시군구),11710,649646,1,645637,1",  # row 2
        ",11,,서울특별시,강동구,기초(시군구),,1,1,1,1",  # row 3: no code
        "11A1000000,11,11A10,서울특별시,강남구,기초(시군구),,1,1,1,1",  # row 4
        "1168000000,11,11680,서울특별시,강남구,기초(시군구),11680,12x4,1,-5,1",  # row 5
        "1199900000,11,11999,서울특별시,없는구,기초(시군구),11999,1,1,1,1",  # row 6
        "4211000000,42,42110,강원도,춘천시,기초(시군구),42110,1,1,1,1",  # row 7
        "1171000000,11,11710,서울특별시,송파구,기초(시군구),11710,1,1,,",  # row 8: twice
        "1174000000,11,11740,서울특별시,강동구",  # row 9: ragged
    )
    assert _by_key(result) == {("11710", DEC_2023): 649_646, ("11710", DEC_2024): 645_637}
    assert result.errors == [
        RowError(3, "행정기관코드", "missing_code", {}),
        RowError(4, "행정기관코드", "malformed_code", {"value": "11A1000000"}),
        RowError(5, "2023년_총인구수", "malformed_number", {"value": "12x4"}),
        RowError(5, "2024년_총인구수", "malformed_number", {"value": "-5"}),
        RowError(
            6, "행정기관코드", "unknown_code", {"value": "1199900000", "current_code": "11999"}
        ),
        RowError(
            7, "현행시군구코드", "current_code_conflict", {"value": "42110", "expected": "51110"}
        ),
        RowError(
            8,
            "",
            "duplicate",
            {"local_government_code": "11710", "reference_date": "2023-12-31"},
        ),
        RowError(9, "", "unknown_layout", {"cells": 5, "columns": 11}),
    ]


def test_non_local_government_rows_are_skipped_and_counted() -> None:
    result = _parse_rows(
        "1000000000,10,10000,전국,,전국,10000,1,1,1,1",
        "4111100000,41,41111,경기도,수원시 장안구,일반구,41111,1,1,1,1",
        "4111300000,41,41113,경기도,수원시 권선구,,,1,1,1,1",  # no 구분: code shape
        "2811400000,28,28114,인천광역시,중구영종출장소,출장소,28114,0,0,0,0",
        "3611000000,36,36110,세종특별자치시,,기초(시군구),36110,1,1,1,1",
        "5011000000,50,50110,제주특별자치도,제주시,기초(시군구),50110,1,1,1,1",
    )
    assert result.errors == []
    assert result.records == []
    assert result.skipped == {
        "national": 1,
        "non_autonomous_district": 2,
        "branch_office": 1,
        "single_tier_unit": 2,
    }
    assert result.skipped_count == 6


def test_blank_years_of_transitional_rows_are_not_errors() -> None:
    result = _parse_rows(
        "4700000000,47,47000,경상북도,,광역(시도),47000,2546848,1,,",
        "4772000000,47,47720,경상북도,군위군,기초(시군구),27720,22936,1,,",
    )
    assert result.errors == []
    assert _by_key(result) == {("47000", DEC_2023): 2_546_848, ("27720", DEC_2023): 22_936}


def test_unknown_layout_is_one_error_on_the_header() -> None:
    result = _parse_rows("1171000000,1", header="행정기관코드,인구")
    assert result.records == []
    assert result.errors == [
        RowError(1, "", "unknown_layout", {"columns": ["행정기관코드", "인구"]})
    ]
    assert _parse_rows(header="").errors[0].code == "unknown_layout"


def test_undecodable_bytes() -> None:
    result = parse_population_table(b"\xff\xfe\xff\x00garbage\xff")
    assert [e.code for e in result.errors] == ["undecodable"]


def test_official_download_layout_with_combined_name_and_month_columns() -> None:
    data = (
        '"행정구역","2024년12월_계_총인구수","2024년12월_남자_인구수"\n'
        '"전국  (1000000000)  ","51,217,221","25,492,548"\n'
        '"서울특별시 송파구 (1171000000)","645,637","309,520"\n'
        '"서울특별시 송파구 풍납1동(1171053100)","11,000","5,000"\n'
        '"강원특별자치도 춘천시 (5111000000)","284,999","1"\n'
    ).encode("cp949")
    result = parse_population_table(data)
    assert result.errors == []
    assert result.encoding == "cp949"
    assert _by_key(result) == {("11710", DEC_2024): 645_637, ("51110", DEC_2024): 284_999}
    assert result.skipped == {"national": 1, "sub_municipal": 1}


def test_known_codes_and_source_can_be_given() -> None:
    data = (HEADER + "\n1171000000,11,11710,서울특별시,송파구,기초(시군구),,5,1,6,1").encode()
    result = parse_population_table(data, known_codes={"11000"}, source="upload #7")
    assert [e.code for e in result.errors] == ["unknown_code"]
    accepted = parse_population_table(data, known_codes={"11710"}, source="upload #7")
    assert {r.source for r in accepted.records} == {"upload #7"}


SONGPA = "1171000000,11,11710,서울특별시,송파구,기초(시군구),11710,649646,1,645637,1"


def _errors(result: PopulationParseResult) -> list[tuple[int, str, str]]:
    return [(e.row, e.field, e.code) for e in result.errors]


def test_rows_are_numbered_by_file_line_after_a_cell_spanning_lines() -> None:
    result = _parse_rows(
        '1168000000,11,11680,서울특별시,"강남\n구",기초(시군구),11680,1,1,1,1',  # lines 2-3
        "11A1000000,11,11A10,서울특별시,강남구,기초(시군구),,1,1,1,1",  # line 4
    )
    assert _errors(result) == [(4, "행정기관코드", "malformed_code")]


def test_hostile_cells_are_row_errors_not_exceptions() -> None:
    result = _parse_rows(
        SONGPA,
        "1168000000,11,11680,서울특별시,강남구,기초(시군구),11680," + "9" * 5000 + ",1,1,1",
        "1174000000,11,11740,서울특별시,강동구,기초(시군구),11740,1,1,2147483648,1",
        "1165000000,11,11650,서울특별시,서초" + "구" * 140_000 + ",기초(시군구),11650,1,1,1,1",
        "1156000000,11,11560,서울특별시,영등포\x00구,기초(시군구),11560,1,1,1,1",
        '1159000000,11,11590,서울특별시,"동작구,기초(시군구),11590,1,1,1,1',
        "1162000000,11,11620,서울특별시,관악구,기초(시군구),11620,1,1,1,1",
    )
    assert _errors(result) == [
        (3, "2023년_총인구수", "malformed_number"),
        (4, "2024년_총인구수", "malformed_number"),
        (5, "시군구명", "unreadable_row"),
        (6, "시군구명", "unreadable_row"),
        (7, "시군구명", "unreadable_row"),
    ]
    assert {r.code for r in result.records} == {"11710", "11620"}
