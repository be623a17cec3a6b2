"""Hostile CCTV and layer files through the services and the console
commands: rejected rows carry their file line and field; nothing crashes on
SQLite or PostgreSQL (NUL characters, over-long keys, absurd numbers)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from smartcity.operations.models import Camera, CameraImport, LayerItem
from smartcity.operations.services.cctv import import_cctv
from smartcity.operations.services.layers import import_layer
from smartcity.operations.services.tenancy import create_tenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant_for(municipal_register):  # type: ignore[no-untyped-def]
    return lambda code: create_tenant(municipality_code=code)


CCTV_HEADER = "관리번호,관리기관명,소재지도로명주소,설치목적구분,WGS84위도,WGS84경도\n"
HOSTILE_CCTV = (
    CCTV_HEADER
    + 'M1,기관,"가람로 1,생활방범,37.5,127.0\n'  # line 2: a quote never closed
    + "M2,기\x00관,가람로 2,생활방범,37.51,127.01\n"  # line 3: NUL
    + "M" * 101 + ",기관,가람로 3,생활방범,37.5,127.0\n"  # line 4: too long to store
    + "M4,기관," + "가" * 140_000 + ",생활방범,37.5,127.0\n"  # line 5: over the csv limit
    + "M5,기관,가람로 5,생활방범,1e999999,127.0\n"  # line 6
    + "M6,기관,가람로 6,생활방범,37.52,127.02\n"  # line 7: the one good camera
).encode()  # fmt: skip


def test_hostile_cctv_file_imports_the_good_camera_and_names_every_bad_line(tenant_a) -> None:  # type: ignore[no-untyped-def]
    result = import_cctv(tenant=tenant_a, data=HOSTILE_CCTV, file_name="hostile.csv",
                         check_area=False)  # fmt: skip
    assert [(r.line, r.reason, r.field) for r in result.rejections] == [
        (2, "malformed_row", "소재지도로명주소"),
        (3, "malformed_row", "관리기관명"),
        (4, "impossible_value", "관리번호"),
        (5, "malformed_row", "소재지도로명주소"),
        (6, "out_of_korea", None),
    ]
    assert (result.rows, result.accepted, result.rejected) == (6, 1, 5)
    assert list(Camera.objects.values_list("management_number", flat=True)) == ["M6"]
    stored = CameraImport.objects.get(pk=result.import_id)
    assert [r["line"] for r in stored.rejections] == [2, 3, 4, 5, 6]


def test_cameras_outside_the_area_are_reported_with_their_line(tenant_for) -> None:  # type: ignore[no-untyped-def]
    busan = tenant_for("26000")
    data = (CCTV_HEADER + 'B1,부산시,"중앙대로\n1001",생활방범,35.1796,129.0756\n'
            "S1,서울시,세종대로 110,생활방범,37.5665,126.9780\n").encode()  # fmt: skip
    result = import_cctv(tenant=busan, data=data, file_name="mixed.csv")
    assert [(r.row, r.line, r.reason) for r in result.rejections] == [(2, 4, "outside_area")]


def test_the_cctv_command_reports_hostile_lines_without_a_traceback(tenant_a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "hostile.csv"
    path.write_bytes(HOSTILE_CCTV)
    out = io.StringIO()
    call_command("cctv", "import", str(path), "--tenant", tenant_a.code, "--no-area-check",
                 stdout=out, stderr=out)  # fmt: skip
    assert "(line 2)" in out.getvalue() and "(line 6)" in out.getvalue()


WATER_HEADER = "시설번호,상세위치,위도,경도\n"
LONG_KEY = "W" * 64
HOSTILE_WATER = (
    WATER_HEADER
    + f"{LONG_KEY}1,가람로 1,37.5,127.0\n"  # line 2
    + f"{LONG_KEY}2,가람로 2,37.5,127.0\n"  # line 3: equal to line 2 in 64 characters
    + "W3,가람로 3,1e999999,127.0\n"  # line 4
    + "W4,가람\x00로 4,37.5,127.0\n"  # line 5
    + 'W5,"가람로 5,37.5,127.0\n'  # line 6: a quote never closed
    + "W6," + "가" * 140_000 + ",37.5,127.0\n"  # line 7
    + "W7,가람로 7,,127.0\n"  # line 8
    + "W8,가람로 8,37.51,127.01\n"  # line 9: the one good row
).encode()  # fmt: skip


def test_hostile_layer_file_names_every_bad_line_and_keeps_the_good_row(tenant_a) -> None:  # type: ignore[no-untyped-def]
    report = import_layer(tenant=tenant_a, layer="water", data=HOSTILE_WATER, file_name="w.csv")
    assert [(r["line"], r["reason"], r["field"]) for r in report["rejections"]] == [
        (2, "key_too_long", "시설번호"),
        (3, "key_too_long", "시설번호"),
        (4, "out_of_korea", ""),
        (5, "malformed_row", "상세위치"),
        (6, "malformed_row", "상세위치"),
        (7, "malformed_row", "상세위치"),
        (8, "missing_coordinates", "위도"),
    ]
    assert (report["accepted"], report["rejected"]) == (1, 7)
    assert list(LayerItem.objects.values_list("key", flat=True)) == ["W8"]


def test_layer_points_outside_the_tenants_area_are_rejected_with_their_line(tenant_for) -> None:  # type: ignore[no-untyped-def]
    busan = tenant_for("26000")
    data = (WATER_HEADER + "B1,중앙대로,35.1796,129.0756\nS1,세종대로,37.5665,126.9780\n").encode()
    report = import_layer(tenant=busan, layer="water", data=data, file_name="mixed.csv")
    assert report["reasons"] == {"outside_area": 1}
    assert [(r["line"], r["reason"]) for r in report["rejections"]] == [(3, "outside_area")]
    assert list(LayerItem.objects.values_list("key", flat=True)) == ["B1"]
    unchecked = import_layer(tenant=busan, layer="water", data=data, check_area=False)
    assert unchecked["accepted"] == 2


def test_the_layers_command_reports_hostile_lines_without_a_traceback(tenant_a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "water.csv"
    path.write_bytes(HOSTILE_WATER)
    out = io.StringIO()
    call_command("layers", "import", str(path), "--layer", "water", "--tenant", tenant_a.code,
                 stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "line 3 [시설번호]: key_too_long" in text
    assert "line 6 [상세위치]: malformed_row" in text


def test_the_layers_command_explains_each_reason_in_the_users_language(tenant_a, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation

    path = tmp_path / "water.csv"
    path.write_bytes(HOSTILE_WATER)
    out = io.StringIO()
    with translation.override("en"):
        call_command("layers", "import", str(path), "--layer", "water", "--tenant", tenant_a.code,
                     stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "key_too_long: 2  The identifier (management number) is longer than 64" in text
    assert "malformed_row: 3  Not readable as a CSV row" in text
