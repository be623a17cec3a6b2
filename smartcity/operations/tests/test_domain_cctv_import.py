"""The CCTV standard-data importer, on the four real files and on small cases.

The real files live outside the repository (``../shared/data/cctv``) and are
never copied in; tests that need them skip with a message when it is absent.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity.operations.domain.cctv_import import (
    CctvParseResult,
    parse_cctv,
)
from smartcity.operations.domain.cctv_rows import (
    CameraRecord,
    RejectionReason,
)
from smartcity.operations.domain.cctv_values import (
    CameraPurpose,
    YearMonth,
)

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
CCTV = DATA / "cctv"
TODAY = date(2026, 11, 23)  # fixed: "installed in the future" must not drift with the clock
R = RejectionReason


def real_file(name: str) -> bytes:
    path = CCTV / name
    if not path.exists():
        pytest.skip(f"real CCTV data not available: {path} (CI provides ../shared/data)")
    return path.read_bytes()


def parse(data: bytes | str) -> CctvParseResult:
    return parse_cctv(data, today=TODAY)


@cache
def parsed(name: str) -> CctvParseResult:
    """One parse per real file for the tests that only read the result."""
    return parse(real_file(name))


def duplicate_kinds(result: CctvParseResult) -> Counter[str]:
    return Counter(
        "content" if r.detail.startswith("same content") else "key"
        for r in result.rejected
        if r.reason is R.DUPLICATE
    )


# -- the four real files ----------------------------------------------------


def test_busan_14_column_file_counts() -> None:
    result = parsed("busan_cctv_standard_2022.csv")
    assert result.encoding == "utf-8"
    assert {k: v for k, v in result.counts.items() if v} == {
        "rows": 15_737,
        "accepted": 11_717,
        "rejected": 4_020,
        "placeholder_coordinates": 1,
        "out_of_korea": 3,
        "impossible_value": 1,
        "duplicate": 4_015,
    }
    # 2,319 rows repeat an earlier row except for the 번호 counter (as the data
    # README says); 1,696 share address, coordinates and purpose with an
    # earlier row but differ elsewhere (Nam-gu writes camera IDs into 촬영방면정보).
    assert duplicate_kinds(result) == {"content": 2_319, "key": 1_696}


def test_busan_odd_points_are_judged_against_korea_not_the_city() -> None:
    result = parsed("busan_cctv_standard_2022.csv")
    by_reason = {(r.row, r.reason) for r in result.rejected if r.reason is not R.DUPLICATE}
    assert by_reason == {
        (33, R.IMPOSSIBLE_VALUE),  # 설치연월 2027-02
        (6939, R.PLACEHOLDER_COORDINATES),  # (0, 0)
        (14067, R.OUT_OF_KOREA),  # 30.07°N: south of Jeju
        (15410, R.OUT_OF_KOREA),  # 131.29°E: East Sea, inside a naive 132°E box
        (15411, R.OUT_OF_KOREA),  # 130.29°E: likewise
    }
    accepted = {(c.lat, c.lon) for c in result.cameras}
    # Outside Busan but inside Korea: kept for the municipality layer to judge.
    assert (Decimal("37.010097"), Decimal("127.271617")) in accepted
    assert (Decimal("35.083508"), Decimal("128.3846077")) in accepted


def test_seoul_reworked_layout_counts() -> None:
    result = parsed("seoul_cctv_gonl_2020.csv")
    assert result.columns["WGS84위도"] == "위도"
    assert result.columns["WGS84경도"] == "경도"
    assert result.unmapped_columns == ("법정동",)
    assert {k: v for k, v in result.counts.items() if v} == {
        "rows": 24_363,
        "accepted": 21_081,
        "rejected": 3_282,
        "duplicate": 3_282,
    }
    assert duplicate_kinds(result) == {"content": 2_625, "key": 657}


def test_daejeon_official_cp949_layout_counts() -> None:
    result = parsed("daejeon_cctv_standard_2026_cp949.csv")
    assert result.encoding == "cp949"
    assert len(result.columns) == 18
    assert {k: v for k, v in result.counts.items() if v} == {
        "rows": 9_037,
        "accepted": 8_045,
        "rejected": 992,
        "placeholder_coordinates": 990,
        "impossible_value": 2,
    }
    impossible = [r for r in result.rejected if r.reason is R.IMPOSSIBLE_VALUE]
    assert {(r.field, r.detail) for r in impossible} == {
        ("설치연월", "installed before 1990: '190507'")
    }
    assert all(c.key == f"mn:{c.management_number}" for c in result.cameras)


def test_daejeon_quoted_fields_spanning_lines() -> None:
    result = parsed("daejeon_cctv_standard_2026_cp949.csv")
    spanning = [c for c in result.cameras if c.direction_raw == "행복빌라 삼거리 (나루터식당 옆)"]
    assert spanning, "the newline inside the quoted field is folded into a space"
    last = result.rejected[-1]
    assert (last.row, last.line) == (9_037, 9_044)  # six records span two lines each


def test_whatsmap_8_column_sample_counts() -> None:
    result = parsed("whatsmap_cctv_sample.csv")
    assert {k: v for k, v in result.counts.items() if v} == {
        "rows": 1_763,
        "accepted": 1_762,
        "rejected": 1,
        "duplicate": 1,
    }
    assert {c.purpose for c in result.cameras} == {CameraPurpose.UNKNOWN}


@pytest.mark.parametrize(
    "name",
    [
        "busan_cctv_standard_2022.csv",
        "seoul_cctv_gonl_2020.csv",
        "daejeon_cctv_standard_2026_cp949.csv",
        "whatsmap_cctv_sample.csv",
    ],
)
def test_reimporting_a_file_gives_the_same_unique_keys(name: str) -> None:
    data = real_file(name)
    first, second = parse(data), parse(data)
    keys = [c.key for c in first.cameras]
    assert keys == [c.key for c in second.cameras]
    assert len(set(keys)) == len(keys)
    assert first.counts["accepted"] + first.counts["rejected"] == first.counts["rows"]


@pytest.mark.parametrize("name", ["busan_cctv_standard_2022.csv", "seoul_cctv_gonl_2020.csv"])
def test_cp949_copy_of_a_utf8_file_parses_identically(name: str) -> None:
    as_cp949 = real_file(name).decode("utf-8").encode("cp949")
    original, converted = parsed(name), parse(as_cp949)
    assert converted.encoding == "cp949"
    assert converted.cameras == original.cameras
    assert converted.rejected == original.rejected


def test_utf8_with_bom_copy_of_the_cp949_file_parses_identically() -> None:
    data = real_file("daejeon_cctv_standard_2026_cp949.csv")
    as_utf8 = codecs.BOM_UTF8 + data.decode("cp949").encode("utf-8")
    original, converted = parsed("daejeon_cctv_standard_2026_cp949.csv"), parse(as_utf8)
    assert converted.encoding == "utf-8-sig"
    assert converted.cameras == original.cameras
    assert converted.rejected == original.rejected


# -- rules on small files ---------------------------------------------------

HEADER = "관리번호,관리기관명,소재지도로명주소,설치목적구분,카메라대수,카메라화소수,촬영방면정보,보관일수,설치연월,WGS84위도,WGS84경도,데이터기준일자"  # noqa: E501


def small(*rows: str, header: str = HEADER) -> CctvParseResult:
    return parse("\n".join([header, *rows]) + "\n")


def test_a_clean_row_becomes_a_typed_record() -> None:
    result = small(
        "M1,서울특별시 중구청,세종대로 110,생활방범,3,200,북동쪽,30,2018-09,"
        "37.5665,126.9780,2024-01-31"
    )
    (camera,) = result.cameras
    assert camera == CameraRecord(
        key="mn:M1",
        row=1,
        management_number="M1",
        local_gov_code=None,
        agency="서울특별시 중구청",
        agency_phone=None,
        road_address="세종대로 110",
        lot_address=None,
        purpose=CameraPurpose.CRIME_PREVENTION,
        purpose_raw="생활방범",
        camera_count=3,
        pixels=2_000_000,
        retention_days=30,
        installed=YearMonth(2018, 9),
        lat=Decimal("37.5665"),
        lon=Decimal("126.9780"),
        direction_raw="북동쪽",
        bearing_deg=45.0,
        fov_deg=90.0,
        reference_date=date(2024, 1, 31),
        line=2,
    )


@pytest.mark.parametrize(
    ("row", "reason", "field"),
    [
        ("M,기관,주소,생활방범,1,200,,30,,,126.9,", R.MISSING_COORDINATES, "WGS84위도"),
        ("M,기관,주소,생활방범,1,200,,30,,37.5,동경126,", R.MISSING_COORDINATES, "WGS84경도"),
        ("M,기관,주소,생활방범,1,200,,30,,0,0,", R.PLACEHOLDER_COORDINATES, None),
        ("M,기관,주소,생활방범,1,200,,30,,36.10,127.100,", R.PLACEHOLDER_COORDINATES, None),
        ("M,기관,주소,생활방범,1,200,,30,,37.5,0,", R.PLACEHOLDER_COORDINATES, None),
        ("M,기관,주소,생활방범,1,200,,30,,35.7,139.7,", R.OUT_OF_KOREA, None),  # Tokyo
        ("M,기관,주소,생활방범,1,200,,30,,39.03,125.75,", R.OUT_OF_KOREA, None),  # Pyongyang
        ("M,기관,주소,생활방범,0,200,,30,,37.5,127.0,", R.IMPOSSIBLE_VALUE, "카메라대수"),
        ("M,기관,주소,생활방범,1000,200,,30,,37.5,127.0,", R.IMPOSSIBLE_VALUE, "카메라대수"),
        ("M,기관,주소,생활방범,1,-200,,30,,37.5,127.0,", R.IMPOSSIBLE_VALUE, "카메라화소수"),
        ("M,기관,주소,생활방범,1,고화질,,30,,37.5,127.0,", R.IMPOSSIBLE_VALUE, "카메라화소수"),
        ("M,기관,주소,생활방범,1,200,,-30,,37.5,127.0,", R.IMPOSSIBLE_VALUE, "보관일수"),
        ("M,기관,주소,생활방범,1,200,,30,1989-12,37.5,127.0,", R.IMPOSSIBLE_VALUE, "설치연월"),
        ("M,기관,주소,생활방범,1,200,,30,2026-12,37.5,127.0,", R.IMPOSSIBLE_VALUE, "설치연월"),
        (
            "M,기관,주소,생활방범,1,200,,30,,37.5,127.0,2027-01-01",
            R.IMPOSSIBLE_VALUE,
            "데이터기준일자",
        ),
        ("M,기관,주소,생활방범,1,200,,30,,37.5,127.0,,extra", R.MALFORMED_ROW, None),
    ],
)
def test_each_rejection_reason(row: str, reason: RejectionReason, field: str | None) -> None:
    result = small(row)
    assert result.cameras == []
    (rejection,) = result.rejected
    assert (rejection.row, rejection.reason, rejection.field) == (1, reason, field)
    assert result.counts[reason.value] == 1


def test_swapped_coordinates_are_repaired_and_flagged() -> None:
    result = small("M,기관,주소,생활방범,1,200,,30,,127.0276,37.4979,")
    (camera,) = result.cameras
    assert (camera.lat, camera.lon, camera.coordinates_swapped) == (
        Decimal("37.4979"),
        Decimal("127.0276"),
        True,
    )
    assert result.counts["swapped_repaired"] == 1


def test_zero_pixels_and_retention_mean_not_entered() -> None:
    (camera,) = small("M,기관,주소,생활방범,1,0,,0,,37.5,127.0,").cameras
    assert (camera.pixels, camera.retention_days) == (None, None)


def test_duplicates_by_key_and_by_content_ignore_the_row_counter() -> None:
    header = "번호,소재지도로명주소,설치목적구분,카메라대수,위도,경도"
    result = small(
        "1,중앙로 1,생활방범,1,36.35,127.38",
        "2,중앙로 1,생활방범,1,36.35,127.38",  # same content but for 번호
        "3,중앙로  1,생활방범,2,36.350000,127.38",  # same key: spacing and digits normalised
        "4,중앙로 1,교통단속,1,36.35,127.38",  # another purpose: another site
        header=header,
    )
    assert [c.row for c in result.cameras] == [1, 4]
    assert [(r.row, r.detail) for r in result.rejected] == [
        (2, "same content as row 1"),
        (3, f"same natural key {result.cameras[0].key} as row 1, other columns differ"),
    ]


def test_a_valid_row_is_not_shadowed_by_an_earlier_invalid_copy() -> None:
    result = small(
        "M9,기관,주소,생활방범,1,200,,30,2099-01,37.5,127.0,",
        "M9,기관,주소,생활방범,1,200,,30,2019-01,37.5,127.0,",
    )
    assert [c.row for c in result.cameras] == [2]


def test_file_without_coordinate_columns_is_an_unknown_layout() -> None:
    result = small("a,b", header="관리기관명,X좌표,Y좌표")
    assert result.cameras == []
    assert [(r.row, r.reason) for r in result.rejected] == [(0, R.UNKNOWN_LAYOUT)]


def test_undecodable_bytes_are_reported_not_raised() -> None:
    result = parse_cctv(b"\xff\xfa\xfb,\x80\x80\n", today=TODAY)
    assert [(r.row, r.reason) for r in result.rejected] == [(0, R.UNDECODABLE)]


def test_header_aliases_tabs_short_rows_blank_lines_and_utf16() -> None:
    text = "위도 (WGS84)\t경도(WGS84)\t설치 목적\t카메라 대수\n\n37.5\t127.0\t어린이보호구역\n"
    for data in (text, text.encode("utf-16"), text.encode("cp949")):
        result = parse_cctv(data, today=TODAY)
        (camera,) = result.cameras
        assert (camera.purpose, camera.camera_count) == (CameraPurpose.CHILDREN, None)


korean_text = st.text(alphabet=st.sampled_from("가나다라서울특별시중구로길 12-"), max_size=12)
rows = st.lists(
    st.tuples(
        korean_text,
        st.sampled_from(["생활방범", "교통단속", "다목적", "", "기타"]),
        st.integers(min_value=-1, max_value=5).map(str),
        st.sampled_from(["360도 전방면", "북,남", "", "고정", "동측"]),
        st.decimals(min_value=32, max_value=39, places=6).map(str),
        st.decimals(min_value=124, max_value=133, places=6).map(str),
    ),
    max_size=25,
)


def to_csv(records: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["소재지도로명주소", "설치목적구분", "카메라대수", "촬영방면정보", "위도", "경도"]
    )
    writer.writerows(records)
    return out.getvalue()


@settings(max_examples=60, deadline=None)
@given(rows)
def test_encodings_do_not_change_the_result_and_counts_add_up(
    records: list[tuple[str, ...]],
) -> None:
    text = to_csv(records)
    results = [parse(text.encode(enc)) for enc in ("utf-8", "utf-8-sig", "cp949")]
    assert results[0].cameras == results[1].cameras == results[2].cameras
    assert results[0].rejected == results[1].rejected == results[2].rejected
    counts = results[0].counts
    assert counts["accepted"] + counts["rejected"] == counts["rows"] == len(records)
    assert sum(counts[r.value] for r in RejectionReason) == counts["rejected"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises(text: str) -> None:
    result = parse("위도,경도,촬영방면정보\n" + text)
    assert result.counts["accepted"] + result.counts["rejected"] == result.counts["rows"]


_HOSTILE_HEADER = "관리번호,관리기관명,소재지도로명주소,설치목적구분,WGS84위도,WGS84경도\n"


def _rejections(result: CctvParseResult) -> list[tuple[int, int, str, str | None]]:
    return [(r.row, r.line, r.reason.value, r.field) for r in result.rejected]


def test_an_unterminated_quote_rejects_its_row_and_keeps_the_cameras_after_it() -> None:
    result = parse(
        _HOSTILE_HEADER
        + 'M1,기관,"가람로 1,생활방범,37.5,127.0\n'
        + "M2,기관,가람로 2,생활방범,37.51,127.01\n"
        + "M3,기관,가람로 3,생활방범,37.52,127.02\n"
    )
    assert _rejections(result) == [(1, 2, "malformed_row", "소재지도로명주소")]
    assert [(c.management_number, c.row, c.line) for c in result.cameras] == [
        ("M2", 2, 3),
        ("M3", 3, 4),
    ]
    assert (result.counts["rows"], result.counts["accepted"], result.counts["rejected"]) == (
        3,
        2,
        1,
    )


def test_a_field_over_131072_characters_or_a_nul_is_a_rejected_row() -> None:
    result = parse(
        _HOSTILE_HEADER
        + "M1,기관," + "가" * 140_000 + ",생활방범,37.5,127.0\n"
        + "M2,기\x00관,가람로 2,생활방범,37.51,127.01\n"
        + "M3,기관,가람로 3,생활방범,37.52,127.02\n"
    )  # fmt: skip
    assert _rejections(result) == [
        (1, 2, "malformed_row", "소재지도로명주소"),
        (2, 3, "malformed_row", "관리기관명"),
    ]
    assert [c.management_number for c in result.cameras] == ["M3"]


def test_absurd_coordinates_and_over_long_identifiers_are_rejected_with_their_field() -> None:
    result = parse(
        _HOSTILE_HEADER
        + "M1,기관,가람로 1,생활방범,1e999999,127.0\n"
        + "M2,기관,가람로 2,생활방범,37.5,-1e-999999\n"
        + "M" * 101 + ",기관,가람로 3,생활방범,37.5,127.0\n"
        + "M" * 90 + ",기관,가람로 4,생활방범,37.5,127.0\n"
    )  # fmt: skip
    assert _rejections(result) == [
        (1, 2, "out_of_korea", None),
        (2, 3, "out_of_korea", None),
        (3, 4, "impossible_value", "관리번호"),
    ]
    (camera,) = result.cameras
    assert camera.key.startswith("mh:") and len(camera.key) <= 80
