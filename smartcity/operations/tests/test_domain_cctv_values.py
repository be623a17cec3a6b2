"""The CCTV value parsers: purposes, counts, pixels, retention, dates."""

from __future__ import annotations

from datetime import date

import pytest

from smartcity.operations.domain.cctv_values import (
    CameraPurpose,
    ImplausibleValue,
    YearMonth,
    classify_purpose,
    parse_camera_count,
    parse_date,
    parse_pixels,
    parse_retention_days,
    parse_year_month,
)

TODAY = date(2026, 11, 23)  # fixed: "installed in the future" must not drift with the clock


@pytest.mark.parametrize(
    ("raw", "purpose"),
    [
        ("생활방범", CameraPurpose.CRIME_PREVENTION),
        ("방범용", CameraPurpose.CRIME_PREVENTION),
        ("차량방범", CameraPurpose.CRIME_PREVENTION),
        ("공원, 놀이터", CameraPurpose.CRIME_PREVENTION),
        ("다목적", CameraPurpose.MULTIPURPOSE),
        ("어린이보호", CameraPurpose.CHILDREN),
        ("교통단속", CameraPurpose.TRAFFIC),
        ("교통정보수집", CameraPurpose.TRAFFIC),
        ("불법주정차", CameraPurpose.TRAFFIC),
        ("시설물관리", CameraPurpose.FACILITY),
        ("시설관리", CameraPurpose.FACILITY),
        ("화재예방", CameraPurpose.FIRE),
        ("산불감시", CameraPurpose.FIRE),
        ("재난재해", CameraPurpose.DISASTER),
        ("치수관리", CameraPurpose.DISASTER),
        ("쓰레기단속", CameraPurpose.OTHER),
        ("기타", CameraPurpose.OTHER),
        ("", CameraPurpose.UNKNOWN),
    ],
)
def test_purpose_classification(raw: str, purpose: CameraPurpose) -> None:
    assert classify_purpose(raw) is purpose


def test_value_parsers() -> None:
    assert parse_pixels("200") == parse_pixels("200만") == parse_pixels("2MP") == 2_000_000
    assert parse_pixels("41") == 410_000
    assert parse_pixels("1920x1080") == 2_073_600
    assert parse_pixels("2073600") == 2_073_600
    assert parse_pixels("0") is None
    assert parse_camera_count("3대") == 3
    assert parse_retention_days("30일") == 30
    assert parse_year_month("201103", today=TODAY) == YearMonth(2011, 3)
    assert parse_year_month("2011.3", today=TODAY) == YearMonth(2011, 3)
    assert parse_year_month("2011년 3월", today=TODAY) == YearMonth(2011, 3)
    assert parse_year_month("2011-03-15", today=TODAY) == YearMonth(2011, 3)
    assert str(parse_year_month("2011", today=TODAY)) == "2011"
    assert parse_date("20240731", today=TODAY) == date(2024, 7, 31)
    assert parse_date("2024-07-31 10:00:00", today=TODAY) == date(2024, 7, 31)
    for bad in ("2011-13", "미상"):
        with pytest.raises(ImplausibleValue):
            parse_year_month(bad, today=TODAY)
    with pytest.raises(ImplausibleValue):
        parse_date("2024-02-30", today=TODAY)


# -- properties -------------------------------------------------------------
