"""The CCTV register and camera selection, through the services.

Real files come from ``../shared/data/cctv`` (skipped with a message when
absent). Counts are the parser's (``test_domain_cctv_import``) plus the
platform's own rule: a camera more than 200 m outside the tenant's territory
is rejected as ``outside_area``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

import numpy as np
import pytest

from smartcity.core.models import AuditEvent
from smartcity.municipalities.domain.geodesy import (
    EARTH_RADIUS_M,
    initial_bearing_deg,
    sector_contains,
)
from smartcity.operations.models import Camera, CameraImport, Tenant
from smartcity.operations.selectors.cameras import (
    camera_index,
    cameras_along_bearing,
    cameras_along_route,
    nearest_cameras,
)
from smartcity.operations.services.cctv import import_cctv, set_camera_stream_endpoint
from smartcity.operations.services.tenancy import create_tenant
from smartcity.operations.tests.factories import CameraFactory

pytestmark = pytest.mark.django_db

# file, tenant municipality, accepted, rejected, reasons
REAL_FILES = [
    (
        "busan_cctv_standard_2022.csv", "26000", 11_707, 4_030,
        {"duplicate": 4_015, "impossible_value": 1, "out_of_korea": 3, "outside_area": 10,
         "placeholder_coordinates": 1},
    ),
    ("seoul_cctv_gonl_2020.csv", "11000", 21_080, 3_283, {"duplicate": 3_282, "outside_area": 1}),
    (
        "daejeon_cctv_standard_2026_cp949.csv", "30000", 7_787, 1_250,
        # 258 중구 cameras published about 20 km south-west of their addresses.
        {"impossible_value": 2, "outside_area": 258, "placeholder_coordinates": 990},
    ),
    ("whatsmap_cctv_sample.csv", "11000", 1_762, 1, {"duplicate": 1}),
]  # fmt: skip


@pytest.fixture
def tenant_for(municipal_register):  # type: ignore[no-untyped-def]
    return lambda code: create_tenant(municipality_code=code)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "code", "accepted", "rejected", "reasons"), REAL_FILES)
def test_real_files_import_with_counts_and_reasons_and_twice_changes_nothing(
    shared_data,
    clock,
    tenant_for,
    name,
    code,
    accepted,
    rejected,
    reasons,  # type: ignore[no-untyped-def]
) -> None:
    # Dates after the import day are refused, so the counts hold as of one day.
    clock.set(dt.datetime(2026, 12, 1, 3, tzinfo=dt.UTC))
    tenant = tenant_for(code)
    data = (shared_data / "data" / "cctv" / name).read_bytes()

    first = import_cctv(tenant=tenant, data=data, file_name=name)
    assert (first.accepted, first.rejected, first.reasons) == (accepted, rejected, reasons)
    assert (first.created, first.updated, first.unchanged) == (accepted, 0, 0)
    assert first.accepted + first.rejected == first.rows
    assert Camera.objects.filter(tenant=tenant).count() == accepted
    version = Tenant.objects.get(pk=tenant.pk).camera_register_version
    assert version == first.register_version == 1
    snapshot = list(Camera.objects.filter(tenant=tenant).order_by("key").values())

    second = import_cctv(tenant=tenant, data=data, file_name=name)
    assert second.summary() == first.summary() | {"created": 0, "unchanged": accepted}
    assert list(Camera.objects.filter(tenant=tenant).order_by("key").values()) == snapshot
    assert Tenant.objects.get(pk=tenant.pk).camera_register_version == version
    assert CameraImport.objects.filter(tenant=tenant).count() == 2  # each run is recorded


HEADER = "관리번호,관리기관명,소재지도로명주소,설치목적구분,카메라대수,촬영방면정보,WGS84위도,WGS84경도\n"  # noqa: E501


def csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode("cp949")


def test_a_changed_row_updates_its_camera_and_bumps_the_version(tenant_a) -> None:  # type: ignore[no-untyped-def]
    row_1 = "M1,가람시청,가람로 1,생활방범,1,북동,37.5,127.0"
    first = import_cctv(tenant=tenant_a, data=csv(row_1), file_name="a.csv")
    assert (first.created, first.register_version) == (1, 1)
    second = import_cctv(
        tenant=tenant_a,
        data=csv(
            "M1,가람시청,가람로 1,생활방범,2,남서,37.5,127.0",
            "M2,가람시청,가람로 2,교통단속,1,,37.51,127.01",
        ),
        file_name="b.csv",
    )  # fmt: skip
    assert (second.created, second.updated, second.unchanged) == (1, 1, 0)
    assert second.register_version == 2
    camera = Camera.objects.get(tenant=tenant_a, key="mn:M1")
    assert (camera.camera_count, camera.bearing_deg, camera.fov_deg) == (2, 225.0, 90.0)
    assert camera.last_import_id == second.import_id


def test_rejections_keep_their_rows_and_reasons(tenant_a) -> None:  # type: ignore[no-untyped-def]
    result = import_cctv(
        tenant=tenant_a,
        data=csv("M1,기관,주소,생활방범,1,,0,0", "M2,기관,주소,생활방범,1,,37.5,127.0",
                 "M2,기관,주소,생활방범,1,,37.5,127.0"),
        file_name="r.csv",
    )  # fmt: skip
    assert result.reasons == {"placeholder_coordinates": 1, "duplicate": 1}
    stored = CameraImport.objects.get(pk=result.import_id)
    assert [(r["row"], r["reason"]) for r in stored.rejections] == [
        (1, "placeholder_coordinates"),
        (3, "duplicate"),
    ]


def test_cameras_of_another_city_are_rejected_as_outside_the_area(tenant_for) -> None:  # type: ignore[no-untyped-def]
    busan = tenant_for("26000")
    result = import_cctv(
        tenant=busan,
        data=csv("B1,부산시,중앙대로 1001,생활방범,1,,35.1796,129.0756",
                 "S1,서울시,세종대로 110,생활방범,1,,37.5665,126.9780"),
        file_name="mixed.csv",
    )  # fmt: skip
    assert (result.accepted, result.reasons) == (1, {"outside_area": 1})
    unchecked = import_cctv(
        tenant=busan, data=csv("S1,서울시,세종대로 110,생활방범,1,,37.5665,126.9780"),
        file_name="seoul.csv", check_area=False,
    )  # fmt: skip
    assert unchecked.accepted == 1


def test_import_is_audited_without_secrets(tenant_a) -> None:  # type: ignore[no-untyped-def]
    result = import_cctv(tenant=tenant_a, data=csv("M1,기관,주소,생활방범,1,,37.5,127.0"),
                         file_name="a.csv")  # fmt: skip
    audit = AuditEvent.objects.get(action="operations.cctv_imported")
    assert audit.object_id == str(result.import_id)
    assert audit.data["accepted"] == 1 and audit.data["tenant"] == tenant_a.code


def test_stream_endpoint_is_stored_but_never_audited_in_clear(tenant_a) -> None:  # type: ignore[no-untyped-def]
    camera = CameraFactory(tenant=tenant_a)
    secret = "rtsp://vms.garam.go.kr:554/cam/0001?token=s3cr3t"
    set_camera_stream_endpoint(camera=camera, endpoint=secret)
    camera.refresh_from_db()
    assert camera.stream_endpoint == secret
    audit = AuditEvent.objects.get(action="operations.camera_stream_set")
    assert "s3cr3t" not in str(audit.data) and audit.data["set"] is True
    with pytest.raises(ValueError, match="stream endpoint"):
        set_camera_stream_endpoint(camera=camera, endpoint="javascript:alert(1)")


# -- camera selection ---------------------------------------------------------


class _BruteForce:
    """Every camera of the tenant, read once from the database, ranked by
    haversine as the index promises: (25 m band, covering first, distance, id)."""

    def __init__(self, tenant: Tenant) -> None:
        self.rows = list(
            Camera.objects.filter(tenant=tenant).values_list("pk", "latitude", "longitude",
                                                              "bearing_deg", "fov_deg")
        )  # fmt: skip
        self.ids = np.array([r[0] for r in self.rows])
        self.la = np.radians(np.array([float(r[1]) for r in self.rows]))
        self.lo = np.radians(np.array([float(r[2]) for r in self.rows]))

    def __call__(
        self, lat: float, lon: float, k: int, radius: float
    ) -> list[tuple[int, float, bool]]:
        rows, ids, la, lo = self.rows, self.ids, self.la, self.lo
        p, q = math.radians(lat), math.radians(lon)
        h = np.sin((la - p) / 2) ** 2 + np.cos(p) * np.cos(la) * np.sin((lo - q) / 2) ** 2
        dist = 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        ranked = []
        for i in np.flatnonzero(dist <= radius):
            _, clat, clon, bearing, fov = rows[i]
            d = float(dist[i])
            if fov is not None and fov >= 360:
                covers = True
            elif bearing is not None:
                to_place = initial_bearing_deg(float(clat), float(clon), lat, lon)
                covers = d <= 1.0 or sector_contains(bearing, fov or 90.0, to_place)
            else:
                covers = False
            ranked.append((math.floor(d / 25.0), not covers, d, int(ids[i])))
        ranked.sort()
        return [(pk, d, not away) for _, away, d, pk in ranked[:k]]


@pytest.mark.slow
def test_nearest_cameras_through_the_service_equal_brute_force(shared_data, tenant_for) -> None:  # type: ignore[no-untyped-def]
    seoul = tenant_for("11000")
    data = (shared_data / "data" / "cctv" / "seoul_cctv_gonl_2020.csv").read_bytes()
    import_cctv(tenant=seoul, data=data, file_name="seoul.csv")
    cameras = list(Camera.objects.filter(tenant=seoul).values_list("latitude", "longitude"))
    brute_force = _BruteForce(seoul)
    rng = random.Random(20261123)
    for _ in range(150):
        base_lat, base_lon = rng.choice(cameras)
        lat = float(base_lat) + rng.gauss(0, 0.002)
        lon = float(base_lon) + rng.gauss(0, 0.002)
        k, radius = rng.choice([1, 5, 10, 30]), rng.choice([100.0, 300.0, 500.0])
        got = nearest_cameras(tenant=seoul, lat=lat, lon=lon, k=k, radius_m=radius)
        expected = brute_force(lat, lon, k, radius)
        assert [(n.camera.pk, n.covers) for n in got] == [(pk, c) for pk, _, c in expected]
        assert [n.distance_m for n in got] == pytest.approx([d for _, d, _ in expected], abs=1e-6)


def test_the_index_rebuilds_when_the_register_changes(tenant_a) -> None:  # type: ignore[no-untyped-def]
    import_cctv(tenant=tenant_a, data=csv("M1,기관,가람로 1,생활방범,1,,37.5,127.0"), file_name="a")
    first = camera_index(tenant_a)
    assert camera_index(tenant_a) is first  # cached while the register is unchanged
    import_cctv(tenant=tenant_a, data=csv("M1,기관,가람로 1,생활방범,1,,37.5,127.0"), file_name="a")
    assert camera_index(tenant_a) is first  # the same file again: no change, no rebuild
    import_cctv(
        tenant=tenant_a, data=csv("M2,기관,가람로 2,생활방범,1,,37.501,127.0"), file_name="b"
    )
    rebuilt = camera_index(tenant_a)
    assert rebuilt is not first and len(rebuilt) == 2
    near = nearest_cameras(tenant=tenant_a, lat=37.5009, lon=127.0, k=1)
    assert near[0].camera.key == "mn:M2"


def test_selection_never_crosses_tenants(tenant_a, tenant_b) -> None:  # type: ignore[no-untyped-def]
    mine = CameraFactory(tenant=tenant_a, latitude=Decimal("37.5"), longitude=Decimal("127.0"))
    CameraFactory(tenant=tenant_b, latitude=Decimal("37.5"), longitude=Decimal("127.0001"))
    Tenant.objects.filter(pk__in=[tenant_a.pk, tenant_b.pk]).update(camera_register_version=1)
    found = nearest_cameras(tenant=tenant_a, lat=37.5, lon=127.0, k=10, radius_m=1_000)
    assert [n.camera.pk for n in found] == [mine.pk]


def test_cameras_along_an_escape_route_in_order(tenant_a) -> None:  # type: ignore[no-untyped-def]
    # Three cameras north of the scene along 127.0°E, one far to the side.
    rows = [f"N{i},기관,가람로 {i},생활방범,1,,{37.5 + 0.001 * i:.4f},127.0" for i in (3, 1, 2)]
    rows.append("W1,기관,서쪽길,생활방범,1,,37.502,126.99")
    import_cctv(tenant=tenant_a, data=csv(*rows), file_name="route.csv")
    north = cameras_along_bearing(tenant=tenant_a, lat=37.5, lon=127.0, bearing_deg=0.0,
                                  length_m=500, corridor_m=30)  # fmt: skip
    assert [h.camera.key for h in north] == ["mn:N1", "mn:N2", "mn:N3"]
    assert north[0].along_m == pytest.approx(111.2, abs=0.5)
    south = cameras_along_bearing(tenant=tenant_a, lat=37.5, lon=127.0, bearing_deg=180.0,
                                  length_m=500, corridor_m=30)  # fmt: skip
    assert south == []
    turn = [(37.5, 127.0), (37.502, 127.0), (37.502, 126.99)]
    path = cameras_along_route(tenant=tenant_a, points=turn, corridor_m=30)
    assert [h.camera.key for h in path] == ["mn:N1", "mn:N2", "mn:W1"]
    assert "stream_endpoint" in path[0].camera.get_deferred_fields()
