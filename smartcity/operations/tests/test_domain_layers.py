"""Reading the 119 layers' public datasets by column name (no database)."""

from __future__ import annotations

from smartcity.operations.domain.layers import Layer, read_layer, read_layer_file

HEADER = "시설번호,상세위치,소재지도로명주소,위도,경도,출수압력\n"


def test_water_rows_are_accepted_or_rejected_with_a_reason() -> None:
    rows = [
        {"시설번호": "A-1", "위도": "35.85", "경도": "128.57", "상세위치": "정문 앞"},
        {"시설번호": "A-1", "위도": "35.85", "경도": "128.57"},
        {"시설번호": "A-2", "위도": "", "경도": "128.57"},
        {"시설번호": "A-3", "위도": "0", "경도": "0"},
        {"시설번호": "A-4", "위도": "48.0", "경도": "128.0"},
        {"시설번호": "", "위도": "35.85", "경도": "128.57"},
    ]
    reading = read_layer(Layer.WATER, rows)
    assert [item.key for item in reading.items] == ["A-1"]
    assert reading.items[0].name == "정문 앞"
    assert dict(reading.reasons) == {
        "duplicate": 1, "missing_coordinates": 1, "placeholder_coordinates": 1,
        "out_of_korea": 1, "missing_key": 1,
    }  # fmt: skip


def test_a_cp949_file_reads_like_utf8_and_songpas_columns_are_understood() -> None:
    text = (
        "일련번호,용수구분,수압,도로명,경위도X,경위도Y\n"
        "110083413,소화전,3,올림픽로,127.1049,37.5132\n"
    )
    for data in (text.encode("utf-8"), text.encode("cp949")):
        reading = read_layer_file(Layer.WATER, data)
        assert len(reading.items) == 1 and reading.rejected == 0
        item = reading.items[0]
        assert (float(item.latitude), float(item.longitude)) == (37.5132, 127.1049)
        assert item.detail["수압"] == "3" and item.address == "올림픽로"


def test_a_file_without_coordinates_or_keys_is_an_unknown_layout() -> None:
    reading = read_layer_file(Layer.PARKING, HEADER.encode())
    assert dict(reading.reasons) == {"unknown_layout": 1} and not reading.items


def test_a_device_file_without_identifiers_keys_each_device_by_its_point() -> None:
    text = "주소,구이름,위도,경도\n대구 중구 1,중구,35.87,128.58\n대구 중구 1,중구,35.870,128.580\n"
    reading = read_layer_file(Layer.DEVICE, text.encode())
    assert [item.key for item in reading.items] == ["35.87,128.58"]
    assert dict(reading.reasons) == {"duplicate": 1}
    assert reading.items[0].address == "대구 중구 1"


def test_layers_other_than_devices_still_need_an_identifier_column() -> None:
    text = "시설명,위도,경도\n가람주유소,37.5,127.0\n"
    assert dict(read_layer_file(Layer.HAZARD, text.encode()).reasons) == {"unknown_layout": 1}
