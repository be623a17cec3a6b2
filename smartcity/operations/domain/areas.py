"""Areas of the disaster situation service (긴급재난상황 지원) and the carrier
trail of the vulnerable-person service, as plain values.

An area is a circle (centre and radius in metres) or a simple polygon given as
GeoJSON (``Polygon`` or a ``Feature`` holding one; ``[lon, lat]`` positions,
outer ring only). Parsing rejects anything the camera index cannot answer
exactly, with a code the form turns into a sentence.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MAX_RADIUS_M = 50_000.0
"""A warning area larger than this is a province: share it by polygon."""
MAX_VERTICES = 2_000


class AreaInvalid(ValueError):
    """The area cannot be used; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Circle:
    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class PolygonArea:
    ring: tuple[tuple[float, float], ...]
    """``(lat, lon)`` vertices, not closed."""

    def as_geojson(self) -> dict[str, Any]:
        positions = [[lon, lat] for lat, lon in self.ring]
        return {"type": "Polygon", "coordinates": [[*positions, positions[0]]]}


Area = Circle | PolygonArea


def _in_range(lat: float, lon: float) -> bool:
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


def circle(lat: float, lon: float, radius_m: float) -> Circle:
    if not _in_range(lat, lon):
        raise AreaInvalid("bad_centre")
    if not math.isfinite(radius_m) or radius_m <= 0 or radius_m > MAX_RADIUS_M:
        raise AreaInvalid("bad_radius")
    return Circle(lat, lon, float(radius_m))


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AreaInvalid("bad_position")
    return float(value)


def polygon_from_geojson(text: str | dict[str, Any]) -> PolygonArea:
    """The outer ring of a GeoJSON ``Polygon`` (or a ``Feature`` of one)."""
    try:
        data = json.loads(text) if isinstance(text, str) else text
    except ValueError as exc:
        raise AreaInvalid("not_json") from exc
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") != "Polygon":
        raise AreaInvalid("not_a_polygon")
    rings = data.get("coordinates")
    if not isinstance(rings, list) or not rings or not isinstance(rings[0], list):
        raise AreaInvalid("not_a_polygon")
    outer: Sequence[Any] = rings[0]
    points: list[tuple[float, float]] = []
    for position in outer:
        if not isinstance(position, list | tuple) or len(position) < 2:
            raise AreaInvalid("bad_position")
        lon, lat = _number(position[0]), _number(position[1])
        if not _in_range(lat, lon):
            raise AreaInvalid("bad_position")
        points.append((lat, lon))
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        raise AreaInvalid("too_few_vertices")
    if len(points) > MAX_VERTICES:
        raise AreaInvalid("too_many_vertices")
    return PolygonArea(tuple(points))
