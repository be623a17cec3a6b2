"""The camera index against brute force: every query type is recomputed
without the tree (haversine over all cameras, ray casting, dense route
sampling) on the real Seoul cameras and on random cases."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity.municipalities.domain.geodesy import EARTH_RADIUS_M, destination
from smartcity.operations.domain.camera_index import CameraHit, CameraIndex
from smartcity.operations.domain.cctv_import import parse_cctv

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"
SEOUL = (37.43, 37.69, 126.80, 127.18)  # south, north, west, east
Spec = tuple[str, float, float, float | None, float | None]


@cache
def seoul_cameras() -> tuple[Spec, ...]:
    path = DATA / "cctv" / "seoul_cctv_gonl_2020.csv"
    if not path.exists():
        pytest.skip(f"real CCTV data not available: {path} (CI provides ../shared/data)")
    result = parse_cctv(path.read_bytes(), today=date(2026, 11, 23))
    return tuple(
        (c.key, float(c.lat), float(c.lon), c.bearing_deg, c.fov_deg) for c in result.cameras
    )


@cache
def seoul_with_random_sectors() -> tuple[Spec, ...]:
    """Real positions, random viewing sectors: the real files have too few
    bearings (119 in Seoul) to exercise the coverage ranking."""
    rng = np.random.default_rng(7)
    specs: list[Spec] = []
    for key, lat, lon, _, _ in seoul_cameras():
        roll = rng.random()
        if roll < 0.6:
            bearing = float(rng.uniform(0, 360))
            specs.append((key, lat, lon, bearing, float(rng.choice([45, 60, 90, 120, 180]))))
        elif roll < 0.8:
            specs.append((key, lat, lon, None, 360.0))
        else:
            specs.append((key, lat, lon, None, None))
    return tuple(specs)


@cache
def synthetic_cameras() -> tuple[Spec, ...]:
    """15,000 clustered cameras over Seoul with stacked poles and mixed
    sectors: the random-case tests still run where ``../shared`` is absent."""
    rng = np.random.default_rng(42)
    south, north, west, east = SEOUL
    centres = np.column_stack((rng.uniform(south, north, 60), rng.uniform(west, east, 60)))
    specs: list[Spec] = []
    for i in range(15_000):
        if specs and rng.random() < 0.05:
            lat, lon = specs[-1][1], specs[-1][2]  # another camera on the same pole
        else:
            c = centres[rng.integers(0, 60)]
            lat = float(c[0] + rng.normal(0, 0.007))
            lon = float(c[1] + rng.normal(0, 0.009))
        roll = rng.random()
        if roll < 0.4:
            specs.append(
                (f"s{i}", lat, lon, float(rng.uniform(0, 360)), float(rng.uniform(30, 200)))
            )
        elif roll < 0.7:
            specs.append((f"s{i}", lat, lon, None, 360.0))
        else:
            specs.append((f"s{i}", lat, lon, None, None))
    return tuple(specs)


@cache
def index_of(specs: tuple[Spec, ...]) -> CameraIndex[str]:
    return CameraIndex.build(specs)


# -- brute force ----------------------------------------------------------


class Brute:
    """The ranking rule of ``camera_index``, recomputed over every camera."""

    def __init__(self, specs: tuple[Spec, ...], default_fov: float = 90.0) -> None:
        self.ids = [s[0] for s in specs]
        self.lat = np.array([s[1] for s in specs])
        self.lon = np.array([s[2] for s in specs])
        self.bearing = np.array([np.nan if s[3] is None else s[3] for s in specs])
        fov = np.array([np.nan if s[4] is None else s[4] for s in specs])
        self.fov = np.where(np.isnan(fov) & ~np.isnan(self.bearing), default_fov, fov)

    def distances(self, lat: float, lon: float) -> np.ndarray:
        p1, p2 = np.radians(self.lat), math.radians(lat)
        h = (
            np.sin((p2 - p1) / 2) ** 2
            + np.cos(p1) * math.cos(p2) * np.sin(np.radians(lon - self.lon) / 2) ** 2
        )
        return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(h)), dtype=np.float64)

    def covers(self, lat: float, lon: float, d: np.ndarray) -> np.ndarray:
        p1, p2 = np.radians(self.lat), math.radians(lat)
        dl = np.radians(lon - self.lon)
        to_point = np.degrees(
            np.arctan2(
                np.sin(dl) * math.cos(p2),
                np.cos(p1) * math.sin(p2) - np.sin(p1) * math.cos(p2) * np.cos(dl),
            )
        )
        off = np.abs((to_point - self.bearing + 180.0) % 360.0 - 180.0)
        sector = ~np.isnan(self.bearing) & (self.fov < 360)
        in_sector = (d <= 1.0) | (off <= self.fov / 2 + 1e-9)
        return np.asarray((self.fov >= 360) | (sector & in_sector), dtype=bool)

    def ranked(
        self, lat: float, lon: float, radius: float, band: float
    ) -> list[tuple[str, float, bool]]:
        d = self.distances(lat, lon)
        inside = np.flatnonzero(d <= radius)
        covers = self.covers(lat, lon, d)
        keys = sorted(
            (math.floor(d[j] / band) if band > 0 else d[j], not covers[j], d[j], j) for j in inside
        )
        return [(self.ids[j], float(dd), not away) for _, away, dd, j in keys]


def as_tuples(hits: list[CameraHit[str]]) -> list[tuple[str, float, bool]]:
    return [(h.id, h.distance_m, h.covers) for h in hits]


def assert_same(got: list[tuple[str, float, bool]], want: list[tuple[str, float, bool]]) -> None:
    assert [(i, c) for i, _, c in got] == [(i, c) for i, _, c in want]
    assert np.allclose([d for _, d, _ in got], [d for _, d, _ in want], rtol=0, atol=1e-6)


def random_points(n: int, seed: int) -> list[tuple[float, float]]:
    rng = np.random.default_rng(seed)
    south, north, west, east = SEOUL
    return list(zip(rng.uniform(south, north, n), rng.uniform(west, east, n), strict=True))


# -- nearest / within -----------------------------------------------------


@pytest.mark.parametrize(
    ("cameras", "band"),
    [
        (seoul_cameras, 25.0),
        (seoul_with_random_sectors, 25.0),
        (seoul_with_random_sectors, 0.0),
        (synthetic_cameras, 25.0),
    ],
)
def test_nearest_equals_brute_force_on_1000_points(
    cameras: Callable[[], tuple[Spec, ...]], band: float
) -> None:
    specs = cameras()
    index, brute = index_of(specs), Brute(specs)
    for lat, lon in random_points(1_000, seed=11):
        got = as_tuples(index.nearest(lat, lon, k=10, radius_m=500.0, band_m=band))
        assert_same(got, brute.ranked(lat, lon, 500.0, band)[:10])


@pytest.mark.parametrize("cameras", [seoul_with_random_sectors, synthetic_cameras])
def test_within_equals_brute_force(cameras: Callable[[], tuple[Spec, ...]]) -> None:
    specs = cameras()
    index, brute = index_of(specs), Brute(specs)
    rng = np.random.default_rng(5)
    for lat, lon in random_points(200, seed=12):
        radius = float(rng.uniform(0, 1_500))
        assert_same(as_tuples(index.within(lat, lon, radius)), brute.ranked(lat, lon, radius, 25.0))


@settings(max_examples=150, deadline=None)
@given(
    st.floats(SEOUL[0], SEOUL[1]),
    st.floats(SEOUL[2], SEOUL[3]),
    st.integers(1, 40),
    st.floats(0, 3_000),
    st.sampled_from([0.0, 10.0, 25.0, 100.0]),
)
def test_nearest_is_the_head_of_within(
    lat: float, lon: float, k: int, radius: float, band: float
) -> None:
    index = index_of(synthetic_cameras())
    everything = index.within(lat, lon, radius, band_m=band)
    assert index.nearest(lat, lon, k, radius, band_m=band) == everything[:k]
    assert all(h.distance_m <= radius for h in everything)


def test_a_closer_camera_looking_away_yields_within_a_band_only() -> None:
    here = (37.5665, 126.9780)
    away = destination(*here, 0.0, 10.0)  # 10 m north, looking further north
    facing = destination(*here, 90.0, 20.0)  # 20 m east, looking west at the place
    far_facing = destination(*here, 180.0, 30.0)  # 30 m south, looking north
    index = CameraIndex.build(
        [
            ("away", *away, 0.0, 90.0),
            ("facing", *facing, 270.0, 60.0),
            ("far", *far_facing, 0.0, 60.0),
        ]
    )
    hits = index.nearest(*here, k=3, radius_m=100.0)
    assert [(h.id, h.covers) for h in hits] == [("facing", True), ("away", False), ("far", True)]
    plain = index.nearest(*here, k=3, radius_m=100.0, band_m=0.0)
    assert [h.id for h in plain] == ["away", "facing", "far"]


def test_a_dense_cluster_completes_the_band_beyond_2k_neighbours() -> None:
    # 60 cameras on one pole (Seoul has 59 rows at 37.59812164, 127.075592);
    # only the last five look at the place, yet they must come first.
    pole = (37.59812164, 127.075592)
    place = destination(*pole, 90.0, 15.0)
    specs: list[Spec] = [(f"c{i}", *pole, 90.0 if i >= 55 else 270.0, 60.0) for i in range(60)]
    hits = CameraIndex.build(specs).nearest(*place, k=10, radius_m=500.0)
    assert [h.id for h in hits] == [f"c{i}" for i in range(55, 60)] + [f"c{i}" for i in range(5)]


def test_edge_cases() -> None:
    empty: CameraIndex[int] = CameraIndex.build([])
    assert empty.nearest(37.5, 127.0) == [] == empty.within(37.5, 127.0, 100.0)
    assert empty.in_polygon([(37.5, 127.0), (37.6, 127.0), (37.6, 127.1)]) == []
    index = CameraIndex.build([(1, 37.5, 127.0, 180.0, None), (2, 37.5, 127.001, None, None)])
    assert index.nearest(37.5, 127.0, k=1, radius_m=0.0) == [CameraHit(1, 0.0, True)]
    assert len(index.nearest(37.5, 127.0, k=50, radius_m=1_000.0)) == 2
    south = destination(37.5, 127.0, 180.0, 50.0)
    assert index.nearest(*south, k=1)[0].covers  # bearing without fov: default 90°
    for bad in (
        lambda: index.nearest(91.0, 127.0),
        lambda: index.nearest(37.5, 127.0, k=0),
        lambda: index.within(37.5, 127.0, -1.0),
        lambda: index.nearest(37.5, 127.0, band_m=float("nan")),
        lambda: CameraIndex.build([("x", float("nan"), 127.0, None, None)]),
        lambda: index.along_route([(37.5, 127.0)], 50.0),
        lambda: index.in_polygon([(37.5, 127.0), (37.6, 127.1), (37.5, 127.1), (37.6, 127.0)]),
    ):
        with pytest.raises(ValueError):  # noqa: PT011 - each call has its own message
            bad()


# -- polygons ---------------------------------------------------------------


def ray_casting(lat: float, lon: float, ring: list[tuple[float, float]]) -> bool:
    inside = False
    for (y1, x1), (y2, x2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


@pytest.mark.parametrize("cameras", [seoul_cameras, synthetic_cameras])
def test_in_polygon_equals_ray_casting(cameras: Callable[[], tuple[Spec, ...]]) -> None:
    specs = cameras()
    index = index_of(specs)
    rng = np.random.default_rng(3)
    for lat, lon in random_points(80, seed=13):
        count = int(rng.integers(3, 13))
        # Jittered but ordered angles keep the centre inside: a simple star polygon.
        angles = (np.arange(count) + rng.uniform(0, 0.8, count)) * 360.0 / count
        radii = rng.uniform(100, 3_000, count)
        ring = [
            destination(lat, lon, float(a), float(r)) for a, r in zip(angles, radii, strict=True)
        ]
        want = [s[0] for s in specs if ray_casting(s[1], s[2], ring)]
        assert index.in_polygon(ring) == want


def test_wide_polygons_scan_every_camera() -> None:
    specs = synthetic_cameras()
    ring = [(36.0, 126.0), (38.5, 126.0), (38.5, 132.0), (36.0, 132.0)]
    assert index_of(specs).in_polygon(ring) == [s[0] for s in specs]
