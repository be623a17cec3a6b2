"""The 119 layers: the real fire-water and parking-lot files imported (from
../shared, skipped without it), idempotently, and the nearest points shown on
the 119 console."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from smartcity.operations.models import LayerItem
from smartcity.operations.services.layers import import_layer
from smartcity.operations.services.video.grants import grant_video
from smartcity.operations.tests.factories import CameraFactory, IncidentFactory

pytestmark = pytest.mark.django_db


def _import(path: Path, layer: str, tenant: Any) -> dict[str, Any]:
    out = io.StringIO()
    call_command(
        "layers", "import", str(path), "--layer", layer, "--tenant", tenant.code,
        "--format", "json", stdout=out,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_daegus_fire_water_facilities_import_once_and_the_second_run_changes_nothing(  # type: ignore[no-untyped-def]
    shared_data, tenant_a
) -> None:
    path = shared_data / "data/fire/daegu_fire_water_facilities_2024.csv"
    first = _import(path, "water", tenant_a)
    assert first == {"accepted": 7215, "rejected": 0, "reasons": {}, "created": 7215,
                     "updated": 0, "rejections": []}  # fmt: skip
    second = _import(path, "water", tenant_a)
    assert (second["created"], second["updated"]) == (0, 0)
    assert LayerItem.objects.filter(tenant=tenant_a, layer="water").count() == 7215


def test_songpas_water_layout_in_cp949_is_read_by_column_name(  # type: ignore[no-untyped-def]
    shared_data, tenant_a, tmp_path
) -> None:
    text = (shared_data / "data/fire/songpa_fire_water_facilities.csv").read_text("utf-8")
    cp949 = tmp_path / "songpa_cp949.csv"
    cp949.write_bytes(text.encode("cp949"))
    assert _import(cp949, "water", tenant_a)["accepted"] == 3817


def test_the_national_parking_lots_are_imported_with_their_rejections_counted(  # type: ignore[no-untyped-def]
    shared_data, tenant_a
) -> None:
    result = _import(shared_data / "data/parking/national_parking_lots_standard_2021.csv",
                     "parking", tenant_a)  # fmt: skip
    assert result["accepted"] + result["rejected"] == 14851
    assert result["reasons"] == {"duplicate": 1527, "missing_coordinates": 2281,
                                 "out_of_korea": 2}  # fmt: skip


@pytest.mark.parametrize(
    ("file_name", "accepted", "reasons"),
    [
        ("seoul_emergency_fire_devices.csv", 2695, {}),
        ("songpa_emergency_fire_devices.csv", 34, {}),
        # Daegu's file has no identifier: 14 rows repeat a device already listed.
        ("daegu_emergency_fire_devices.csv", 140, {"duplicate": 14}),
    ],
)
def test_the_three_emergency_fire_device_layouts_import_and_reimport_unchanged(  # type: ignore[no-untyped-def]
    shared_data, tenant_a, file_name, accepted, reasons
) -> None:
    path = shared_data / "data/fire" / file_name
    first = _import(path, "device", tenant_a)
    assert (first["accepted"], first["reasons"], first["created"]) == (accepted, reasons, accepted)
    second = _import(path, "device", tenant_a)
    assert (second["created"], second["updated"]) == (0, 0)
    assert LayerItem.objects.filter(tenant=tenant_a, layer="device").count() == accepted


def test_the_119_console_lists_every_layer_and_says_which_are_empty(  # type: ignore[no-untyped-def]
    tenant_a, fire_agency, fire_officer, platform_operator
) -> None:
    device = (
        "비상소화장치일련번호,사용구분,WGS84위도(변환),WGS84경도(변환)\nD-1,52201,37.5003,127.0\n"
    )
    hazard = "관리번호,시설명,위도,경도,위험물유별\nH-1,가람주유소,37.5004,127.0004,제4류\n"
    road = "도로구간번호,도로명,위도,경도,도로폭\nR-1,가람로3길,37.5002,127.0002,3.5\n"
    for layer, text in (("device", device), ("hazard", hazard), ("road", road)):
        assert (
            import_layer(tenant=tenant_a, layer=layer, data=text.encode("cp949"))["accepted"] == 1
        )
    incident = IncidentFactory(tenant=tenant_a, event_type_id="119UC001", sender="119")
    camera = CameraFactory(tenant=tenant_a, latitude=Decimal("37.5001"))
    grant = grant_video(
        tenant=tenant_a, incident_id=incident.pk, agency_id=fire_agency.pk,
        camera_ids=[camera.pk], actor=platform_operator,
    )  # fmt: skip
    client = Client()
    client.force_login(fire_officer)
    page = client.get(reverse("operations:agency_grant", args=[grant.pk])).content.decode()
    for kind in ("water", "device", "parking", "hazard", "road"):
        assert f'data-layer="{kind}"' in page
    assert 'data-layer-item="D-1"' in page and "가람주유소" in page and "도로폭: 3.5" in page
    assert "반경 안에 등록된 소방용수시설 정보가 없습니다." in page
    assert "반경 안에 등록된 주차장 정보가 없습니다." in page


def test_the_119_console_shows_the_nearest_water_facilities_and_parking_lots(  # type: ignore[no-untyped-def]
    tenant_a, fire_agency, fire_officer, platform_operator
) -> None:
    water = ("시설번호,상세위치,위도,경도,출수압력\n"
             "W-NEAR,현장 앞,37.5005,127.0,4.0\nW-FAR,먼 곳,37.6,127.0,4.0\n")  # fmt: skip
    parking = "주차장관리번호,주차장명,위도,경도,주차구획수\nP-1,가람공영,37.501,127.001,40\n"
    import_layer(tenant=tenant_a, layer="water", data=water.encode())
    import_layer(tenant=tenant_a, layer="parking", data=parking.encode("cp949"))
    incident = IncidentFactory(tenant=tenant_a, event_type_id="119UC001", sender="119")
    camera = CameraFactory(tenant=tenant_a, latitude=Decimal("37.5001"))
    grant = grant_video(
        tenant=tenant_a, incident_id=incident.pk, agency_id=fire_agency.pk,
        camera_ids=[camera.pk], actor=platform_operator,
    )  # fmt: skip
    client = Client()
    client.force_login(fire_officer)
    page = client.get(reverse("operations:agency_grant", args=[grant.pk])).content.decode()
    assert 'id="fire-layers-heading"' in page
    assert 'data-layer-item="W-NEAR"' in page and 'data-layer-item="P-1"' in page
    assert 'data-layer-item="W-FAR"' not in page
    assert "가람공영" in page and "출수압력: 4.0" in page
