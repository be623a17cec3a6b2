"""The camera index along escape routes and bearings, against dense route
sampling, and the spherical model against the WGS84 ellipsoid."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
import pytest

from smartcity.municipalities.domain.geodesy import EARTH_RADIUS_M, destination, haversine_m
from smartcity.operations.domain.camera_index import CameraIndex
from smartcity.operations.tests.test_domain_camera_index import (
    Spec,
    index_of,
    random_points,
    seoul_cameras,
    synthetic_cameras,
)

# -- routes -----------------------------------------------------------------


def slerp_samples(a: tuple[float, float], b: tuple[float, float], spacing: float) -> np.ndarray:
    """Points on the great-circle segment a→b, at most ``spacing`` metres apart."""
    va, vb = (
        np.array([math.cos(math.radians(p[0])) * math.cos(math.radians(p[1])),
                  math.cos(math.radians(p[0])) * math.sin(math.radians(p[1])),
                  math.sin(math.radians(p[0]))])
        for p in (a, b)
    )  # fmt: skip
    angle = math.acos(min(1.0, float(va @ vb)))
    t = np.linspace(0, 1, max(2, math.ceil(angle * EARTH_RADIUS_M / spacing) + 1))
    pts = (np.sin((1 - t) * angle)[:, None] * va + np.sin(t * angle)[:, None] * vb) / math.sin(
        angle
    )
    return np.column_stack(
        (np.degrees(np.arcsin(pts[:, 2])), np.degrees(np.arctan2(pts[:, 1], pts[:, 0])))
    )


def haversine_to(samples: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Distances (cameras × samples) in metres."""
    p1, p2 = np.radians(lat)[:, None], np.radians(samples[:, 0])[None, :]
    h = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1)
        * np.cos(p2)
        * np.sin(np.radians(samples[:, 1][None, :] - lon[:, None]) / 2) ** 2
    )
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(h)), dtype=np.float64)


def route_offsets(
    route: list[tuple[float, float]], lat: np.ndarray, lon: np.ndarray, corridor: float
) -> np.ndarray:
    """Brute force: each camera's smallest distance to the route sampled every
    0.25 m (error ≤ 0.13 m). A 20 m pre-pass skips cameras that are surely out."""
    fine = np.vstack([slerp_samples(a, b, 0.25) for a, b in itertools.pairwise(route)])
    coarse = np.vstack((fine[::80], fine[-1:]))  # every route point is within 10 m of one
    result = haversine_to(coarse, lat, lon).min(axis=1)
    maybe = np.flatnonzero(result <= corridor + 10.5)
    for chunk in np.array_split(maybe, max(1, len(maybe) // 64)):
        if len(chunk):
            result[chunk] = haversine_to(fine, lat[chunk], lon[chunk]).min(axis=1)
    return np.asarray(result, dtype=np.float64)


def point_along(route: list[tuple[float, float]], along: float) -> tuple[float, float]:
    for a, b in itertools.pairwise(route):
        leg = haversine_m(*a, *b)
        if along <= leg + 1e-9:
            bearing = math.degrees(math.atan2(*_bearing_parts(a, b))) % 360
            return destination(*a, bearing, along)
        along -= leg
    return route[-1]


def _bearing_parts(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    p1, p2, dl = math.radians(a[0]), math.radians(b[0]), math.radians(b[1] - a[1])
    return (
        math.sin(dl) * math.cos(p2),
        math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl),
    )


@pytest.mark.parametrize("cameras", [seoul_cameras, synthetic_cameras])
def test_along_route_equals_dense_sampling(cameras: Callable[[], tuple[Spec, ...]]) -> None:
    specs = cameras()
    index = index_of(specs)
    lat_all = np.array([s[1] for s in specs])
    lon_all = np.array([s[2] for s in specs])
    rng = np.random.default_rng(21)
    compared = 0
    for start in random_points(25, seed=14):
        route = [start]
        for _ in range(int(rng.integers(1, 5))):
            route.append(
                destination(*route[-1], float(rng.uniform(0, 360)), float(rng.uniform(50, 1_500)))
            )
        corridor = float(rng.uniform(10, 150))
        hits = index.along_route(route, corridor)
        got = {h.id: h for h in hits}
        offsets = route_offsets(route, lat_all, lon_all, corridor)
        for j in np.flatnonzero(offsets <= corridor + 10.5):
            key, lat, lon, offset = specs[j][0], specs[j][1], specs[j][2], offsets[j]
            if abs(offset - corridor) < 0.2:
                continue  # on the corridor's edge: sampling cannot decide
            assert (key in got) == (offset < corridor), (key, offset, corridor)
            if key in got:
                compared += 1
                assert got[key].offset_m == pytest.approx(offset, abs=0.2)
                there = point_along(route, got[key].along_m)
                assert haversine_m(lat, lon, *there) == pytest.approx(got[key].offset_m, abs=0.2)
        assert set(got) <= {specs[j][0] for j in np.flatnonzero(offsets <= corridor + 0.2)}
        alongs = [h.along_m for h in hits]
        assert alongs == sorted(alongs)
    assert compared > 80  # the random routes do pass cameras (221 real, 111 synthetic)


def test_along_bearing_orders_cameras_along_the_escape_line() -> None:
    start = (35.1796, 129.0756)  # Busan City Hall
    specs: list[Spec] = []
    for i, (along, side) in enumerate([(400, 30), (100, -20), (250, 5), (900, 10), (300, 80)]):
        on_line = destination(*start, 45.0, along)
        looks_at_line = 315.0 if side > 0 else 135.0
        specs.append((f"c{i}", *destination(*on_line, 135.0, side), looks_at_line, 90.0))
    specs[3] = (*specs[3][:3], 45.0, 90.0)  # c3 looks along the line, away from it
    specs.append(("behind", *destination(*start, 225.0, 20.0), None, 360.0))
    specs.append(("past_end", *destination(*start, 45.0, 1_030.0), None, None))
    hits = CameraIndex.build(specs).along_bearing(*start, 45.0, 1_000.0, corridor_m=50.0)
    assert [h.id for h in hits] == ["behind", "c1", "c2", "c0", "c3", "past_end"]
    by_id = {h.id: h for h in hits}
    assert by_id["c2"].along_m == pytest.approx(250.0, abs=0.01)
    assert by_id["c2"].offset_m == pytest.approx(5.0, abs=0.01)
    assert by_id["behind"].along_m == 0.0
    assert by_id["past_end"].along_m == pytest.approx(1_000.0, abs=0.01)
    assert [h.covers for h in hits] == [True, True, True, True, False, False]


# -- accuracy -------------------------------------------------------------


def vincenty_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on the WGS84 ellipsoid (Vincenty's inverse formula)."""
    a, f = 6_378_137.0, 1 / 298.257223563
    b = a * (1 - f)
    u1, u2 = (
        math.atan((1 - f) * math.tan(math.radians(lat1))),
        math.atan((1 - f) * math.tan(math.radians(lat2))),
    )
    big_l = lam = math.radians(lon2 - lon1)
    for _ in range(200):
        sin_s = math.hypot(
            math.cos(u2) * math.sin(lam),
            math.cos(u1) * math.sin(u2) - math.sin(u1) * math.cos(u2) * math.cos(lam),
        )
        cos_s = math.sin(u1) * math.sin(u2) + math.cos(u1) * math.cos(u2) * math.cos(lam)
        sigma = math.atan2(sin_s, cos_s)
        sin_a = math.cos(u1) * math.cos(u2) * math.sin(lam) / sin_s
        cos2_a = 1 - sin_a**2
        cos_2sm = cos_s - 2 * math.sin(u1) * math.sin(u2) / cos2_a
        c = f / 16 * cos2_a * (4 + f * (4 - 3 * cos2_a))
        prev, lam = (
            lam,
            big_l
            + (1 - c)
            * f
            * sin_a
            * (sigma + c * sin_s * (cos_2sm + c * cos_s * (-1 + 2 * cos_2sm**2))),
        )
        if abs(lam - prev) < 1e-13:
            break
    u_sq = cos2_a * (a**2 - b**2) / b**2
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta = (
        big_b
        * sin_s
        * (
            cos_2sm
            + big_b
            / 4
            * (
                cos_s * (-1 + 2 * cos_2sm**2)
                - big_b / 6 * cos_2sm * (-3 + 4 * sin_s**2) * (-3 + 4 * cos_2sm**2)
            )
        )
    )
    return b * big_a * (sigma - delta)  # fmt: skip


def test_sphere_is_within_half_a_percent_of_the_ellipsoid_in_korea() -> None:
    rng = np.random.default_rng(9)
    worst = 0.0
    for _ in range(2_000):
        lat, lon = float(rng.uniform(33.1, 38.6)), float(rng.uniform(124.6, 131.9))
        other = destination(lat, lon, float(rng.uniform(0, 360)), float(rng.uniform(10, 10_000)))
        exact = vincenty_m(lat, lon, *other)
        worst = max(worst, abs(haversine_m(lat, lon, *other) - exact) / exact)
    assert worst < 0.005
