"""The view sector drawn for a camera on the maps (pure geometry)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity.municipalities.domain.geodesy import haversine_m, initial_bearing_deg
from smartcity.operations.domain.camera_view import VIEW_REACH_M, view_sector

GOYANG = (37.6584, 126.7698)


@pytest.mark.parametrize(
    ("bearing", "fov"),
    [(None, None), (None, 360.0), (None, 90.0), (90.0, None), (90.0, 360.0), (90.0, 0.0),
     (math.nan, 90.0)],
)  # fmt: skip
def test_no_direction_no_sector(bearing: float | None, fov: float | None) -> None:
    assert view_sector(*GOYANG, bearing, fov) is None


def test_a_camera_facing_east_draws_a_closed_sector_towards_east() -> None:
    sector = view_sector(*GOYANG, 90.0, 60.0)
    assert sector is not None
    assert sector[0] == sector[-1] == (round(GOYANG[0], 6), round(GOYANG[1], 6))
    arc = sector[1:-1]
    assert len(arc) == 7  # a point every 10°, both edges included
    # Points are rounded to 6 decimals (≈ 0.1 m): bearings hold to ≈ 0.1°.
    bearings = [initial_bearing_deg(*GOYANG, *p) for p in arc]
    assert bearings[0] == pytest.approx(60.0, abs=0.15)
    assert bearings[-1] == pytest.approx(120.0, abs=0.15)
    assert bearings == sorted(bearings)  # clockwise
    for point in arc:
        assert haversine_m(*GOYANG, *point) == pytest.approx(VIEW_REACH_M, abs=0.2)


def test_a_sector_across_north_wraps_round() -> None:
    sector = view_sector(*GOYANG, 350.0, 40.0, reach_m=100.0)
    assert sector is not None
    first, last = sector[1], sector[-2]
    assert initial_bearing_deg(*GOYANG, *first) == pytest.approx(330.0, abs=0.15)
    assert initial_bearing_deg(*GOYANG, *last) == pytest.approx(10.0, abs=0.15)


@given(
    bearing=st.floats(min_value=0, max_value=359.99),
    fov=st.floats(min_value=0.5, max_value=359.5),
)
def test_every_arc_point_lies_within_the_field_of_view(bearing: float, fov: float) -> None:
    sector = view_sector(*GOYANG, bearing, fov)
    assert sector is not None
    for point in sector[1:-1]:
        off = abs((initial_bearing_deg(*GOYANG, *point) - bearing + 180) % 360 - 180)
        assert off <= fov / 2 + 0.15  # 6 decimals ≈ 0.1 m at 60 m
