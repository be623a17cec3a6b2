"""Which cameras can show this place? An in-memory spatial index of CCTV sites.

Used by the 112/119 linkage services (cameras around a reported place, within
500 m for a dispatch), by geofences of the vulnerable-person service, and for
a suspect's escape route.

Geometry: cameras are stored as Earth-centred (ECEF) points on a sphere of
mean radius in a scipy ``cKDTree``. The straight-line chord between two points
grows strictly with their great-circle distance, so "k nearest by chord" is
"k nearest by great-circle distance", and a radius converts exactly
(``geodesy.chord_for_distance``). Distances are therefore exact haversine
distances on the sphere — within about 0.2 % of the WGS84 ellipsoid in Korea —
with no local projection whose error grows with the distance from its origin.

Ranking (``nearest`` and ``within``): a camera whose field of view is *known*
to contain the place is more useful than a slightly closer one looking away,
but not than one much closer. Distances are cut into bands of ``band_m``
(default 25 m); hits are ordered by

    (band = floor(distance / band_m), covering first, distance, insertion order)

so inside one band covering cameras come first, and between bands distance
wins. ``band_m = 0`` gives plain distance order with covering cameras first
only among exact ties. ``nearest(k)`` returns exactly the first ``k`` hits of
``within`` under this order: it fetches ``2k + 5`` neighbours and, when the
band of the ``k``-th hit may continue beyond them, fetches four times more, but
only up to the end of that band. On the tiled national benchmark data (k = 10)
99.7 % of queries need one fetch; ``2k`` left 1.2 % needing two, which set the
p99, and ``3k`` cost every query 1–2 µs more in the tree.

A camera *covers* a place when its fov is 360°, or when it has a bearing and
the place lies within ``bearing ± fov/2`` (seen from the camera), or when it
stands within :data:`COLOCATED_M` of the place with a bearing. A camera with
no bearing and less than 360° never covers: coverage is claimed only when the
data says so.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, Generic, NamedTuple, TypeAlias, TypeVar

import numpy as np
import shapely

from smartcity.municipalities.domain.geodesy import (
    EARTH_RADIUS_M,
    FloatArray,
    chord_for_distance,
    destination,
    distances_for_chords,
    haversine_m,
    initial_bearing_deg,
    sector_contains,
    unit_vector,
    unit_vectors,
)
from smartcity.operations.domain.route_geometry import distances_to_pieces, route_pieces

IdT = TypeVar("IdT", bound=Hashable)
CameraSpec: TypeAlias = tuple[IdT, float, float, float | None, float | None]
"""``(id, lat, lon, bearing_deg or None, fov_deg or None)``."""

DEFAULT_BAND_M = 25.0
DEFAULT_FOV_DEG = 90.0
COLOCATED_M = 1.0
WIDE_POLYGON_DEG = 5.0
"""Polygons wider than this are filtered by scanning every camera instead of
the tree: the bounding-cap argument used below is only proven for small ones."""
_SLACK_M = 1e-6  # chord-radius slack so rounding never loses a camera on the edge
_UNKNOWN, _OMNI, _SECTOR = 0, 1, 2
_TWO_R = 2.0 * EARTH_RADIUS_M
_new_hit: Any = tuple.__new__


class CameraHit(NamedTuple, Generic[IdT]):
    """A camera found around a place. (A named tuple rather than a frozen
    dataclass: it is built on the 112 service's hot path, where it costs less
    than half as much.)"""

    id: IdT
    distance_m: float
    covers: bool


class RouteHit(NamedTuple, Generic[IdT]):
    """A camera along a route: where along it (m from the start, measured at
    the closest point of the route), how far from it, and whether it looks
    at that closest point."""

    id: IdT
    along_m: float
    offset_m: float
    covers: bool


class CameraIndex(Generic[IdT]):
    """Immutable index over camera positions and viewing sectors; build once
    per data import and share between requests (queries do not mutate)."""

    def __init__(
        self,
        ids: list[IdT],
        lat: FloatArray,
        lon: FloatArray,
        bearing: FloatArray,
        fov: FloatArray,
        *,
        default_fov_deg: float = DEFAULT_FOV_DEG,
        leafsize: int = 16,
    ) -> None:
        """Prefer :meth:`build`; this takes parallel arrays (NaN = unknown)."""
        if not (len(ids) == len(lat) == len(lon) == len(bearing) == len(fov)):
            raise ValueError("ids, lat, lon, bearing and fov must have the same length")
        bad = ~(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180))
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise ValueError(f"camera {ids[first]!r} has no valid WGS84 position")
        self._ids = ids
        self._n = len(ids)
        self._lat = lat
        self._lon = lon
        fov = np.where(np.isnan(fov) & ~np.isnan(bearing), default_fov_deg, fov)
        self._kind = np.where(
            fov >= 360.0, _OMNI, np.where(~np.isnan(bearing) & (fov > 0), _SECTOR, _UNKNOWN)
        ).astype(np.int8)
        # One byte per camera: indexing bytes is as cheap as a list but the table
        # is 8x smaller, so a cold query misses the cache less (1 MB per million).
        self._kinds = self._kind.tobytes()
        self._bearing = np.mod(bearing, 360.0)
        self._fov = fov
        self._xyz = unit_vectors(lat, lon) * EARTH_RADIUS_M
        # scipy costs ~1 s to import: only processes that build an index pay it.
        from scipy.spatial import cKDTree

        tree: Any = cKDTree(self._xyz, leafsize=leafsize, balanced_tree=False, compact_nodes=False)
        self._tree = tree

    @classmethod
    def build(
        cls, cameras: Iterable[CameraSpec[IdT]], *, default_fov_deg: float = DEFAULT_FOV_DEG
    ) -> CameraIndex[IdT]:
        """Index ``(id, lat, lon, bearing|None, fov|None)`` tuples. A bearing
        without fov gets ``default_fov_deg``; ids need not be unique."""
        rows = list(cameras)
        ids: list[IdT] = [row[0] for row in rows]

        def column(i: int) -> FloatArray:
            return np.array(
                [float("nan") if r[i] is None else r[i] for r in rows], dtype=np.float64
            )

        return cls(ids, column(1), column(2), column(3), column(4), default_fov_deg=default_fov_deg)

    def __len__(self) -> int:
        return len(self._ids)

    # -- around a place -----------------------------------------------------

    def nearest(
        self, lat: float, lon: float, k: int = 10, radius_m: float = 500.0, *,
        band_m: float = DEFAULT_BAND_M,
    ) -> list[CameraHit[IdT]]:  # fmt: skip
        """The ``k`` best cameras within ``radius_m`` (inclusive), ranked as the
        module docstring defines."""
        _check_query(lat, lon, radius_m, band_m)
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        n = self._n
        if n == 0:
            return []
        point = _xyz(lat, lon)
        fetch = min(n, 2 * k + 5)
        bound = chord_for_distance(radius_m) + _SLACK_M
        while True:
            chords, found = self._tree.query(point, k=fetch, distance_upper_bound=bound)
            if fetch == 1:
                chord_list, index_list = [float(chords)], [int(found)]
            else:
                chord_list, index_list = chords.tolist(), found.tolist()
            keyed, band_end = self._scan(chord_list, index_list, lat, lon, k, radius_m, band_m)
            if band_end is None or fetch == n:
                break
            # All `fetch` neighbours lie inside the k-th camera's band, so the band
            # may go on: fetch more, but only as far as the end of that band.
            fetch = min(n, 4 * fetch)
            bound = chord_for_distance(min(band_end, radius_m)) + _SLACK_M
        keyed.sort()
        ids, new = self._ids, _new_hit  # tuple.__new__ skips namedtuple's Python-level __new__
        return [new(CameraHit, (ids[j], d, not away)) for _, away, d, j in keyed[:k]]

    def _scan(
        self, chords: list[float], indices: list[int], lat: float, lon: float, k: int,
        radius_m: float, band_m: float,
    ) -> tuple[list[tuple[float, bool, float, int]], float | None]:  # fmt: skip
        """Rank keys of the sorted neighbours that can still enter the top k.

        One pass in plain Python (numpy's per-call overhead would dominate on a
        few dozen values; names are bound locally because this is the hot loop
        of the 112 service). It stops at the first camera past the radius or
        past the end of the k-th camera's band (band 0: past the k-th distance).
        Returns the keys, and ``None`` when the list was conclusive, or else the
        band end the caller must search to (every neighbour was consumed).
        """
        n, kinds, sees = self._n, self._kinds, self._sector_sees
        asin, floor, two_r, omni, sector = math.asin, math.floor, _TWO_R, _OMNI, _SECTOR
        banded = band_m > 0
        keyed: list[tuple[float, bool, float, int]] = []
        append = keyed.append
        kept = 0
        band_end = math.inf
        for chord, j in zip(chords, indices, strict=True):
            if j == n:  # missing neighbours come last, as index n
                return keyed, None
            d = two_r * asin(min(1.0, chord / two_r))
            if d > radius_m:
                return keyed, None
            if banded:
                if d >= band_end:
                    return keyed, None
                band: float = floor(d / band_m)
            else:
                if d > band_end:
                    return keyed, None
                band = d
            kind = kinds[j]
            append((band, not (kind == omni or (kind == sector and sees(j, lat, lon, d))), d, j))
            kept += 1
            if kept == k:
                band_end = (band + 1) * band_m if banded else d
        return keyed, (band_end if kept >= k else None)

    def within(
        self, lat: float, lon: float, radius_m: float, *, band_m: float = DEFAULT_BAND_M
    ) -> list[CameraHit[IdT]]:
        """Every camera within ``radius_m`` (inclusive), in ``nearest``'s order."""
        _check_query(lat, lon, radius_m, band_m)
        if not self._ids:
            return []
        point = _xyz(lat, lon)
        candidates, distances = self._ball(point, radius_m)
        return self._rank(candidates, distances, lat, lon, radius_m, band_m, len(candidates))

    def _ball(
        self, point: tuple[float, float, float], radius_m: float
    ) -> tuple[list[int], list[float]]:
        found = self._tree.query_ball_point(point, chord_for_distance(radius_m) + _SLACK_M)
        idx = np.asarray(found, dtype=np.intp)
        chords = np.linalg.norm(self._xyz[idx] - np.asarray(point), axis=1)
        return idx.tolist(), distances_for_chords(chords).tolist()

    def _rank(
        self, candidates: list[int], distances: list[float], lat: float, lon: float,
        radius_m: float, band_m: float, limit: int,
    ) -> list[CameraHit[IdT]]:  # fmt: skip
        kinds = self._kinds
        keyed: list[tuple[float, bool, float, int]] = []
        for j, d in zip(candidates, distances, strict=True):
            if d > radius_m:
                continue
            kind = kinds[j]
            covers = kind == _OMNI or (kind == _SECTOR and self._sector_sees(j, lat, lon, d))
            band = math.floor(d / band_m) if band_m > 0 else d
            keyed.append((band, not covers, d, j))
        keyed.sort()
        ids = self._ids
        return [CameraHit(ids[j], d, not away) for _, away, d, j in keyed[:limit]]

    def _sector_sees(self, j: int, lat: float, lon: float, distance_m: float) -> bool:
        if distance_m <= COLOCATED_M:
            return True
        to_place = initial_bearing_deg(self._lat.item(j), self._lon.item(j), lat, lon)
        return sector_contains(self._bearing.item(j), self._fov.item(j), to_place)

    # -- inside an area -----------------------------------------------------

    def in_polygon(self, ring: Sequence[tuple[float, float]]) -> list[IdT]:
        """Cameras inside or on a simple polygon given as ``(lat, lon)`` vertices
        (closed or not), in insertion order. Edges are straight in
        latitude/longitude, as in GeoJSON; holes are not supported."""
        if len(ring) < 3:
            raise ValueError("a polygon needs at least three vertices")
        polygon = shapely.Polygon([(lon, lat) for lat, lon in ring])
        if not polygon.is_valid or polygon.area == 0:
            raise ValueError("the polygon ring must be simple (no self-intersections)")
        if not self._ids:
            return []
        west, south, east, north = polygon.bounds
        if east - west > WIDE_POLYGON_DEG or north - south > WIDE_POLYGON_DEG:
            candidates = np.arange(len(self._ids))
        else:
            candidates = np.asarray(self._cap_around(south, north, west, east), dtype=np.intp)
        lat, lon = self._lat[candidates], self._lon[candidates]
        in_box = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
        candidates, lat, lon = candidates[in_box], lat[in_box], lon[in_box]
        shapely.prepare(polygon)
        inside = shapely.intersects_xy(polygon, lon, lat)
        return [self._ids[j] for j in np.sort(candidates[inside]).tolist()]

    def _cap_around(self, south: float, north: float, west: float, east: float) -> list[int]:
        """Cameras in a spherical cap containing the lat/lon box. For a small
        box the farthest points from its centre are corners or edge midpoints
        (distance grows monotonically along each edge away from the middle)."""
        clat, clon = (south + north) / 2.0, (west + east) / 2.0
        probes = [(y, x) for y in (south, clat, north) for x in (west, clon, east)]
        reach = max(haversine_m(clat, clon, y, x) for y, x in probes)
        found = self._tree.query_ball_point(
            _xyz(clat, clon), chord_for_distance(reach * 1.001 + 1.0)
        )
        return [int(j) for j in found]

    # -- along a route ------------------------------------------------------

    def along_route(
        self, points: Sequence[tuple[float, float]], corridor_m: float
    ) -> list[RouteHit[IdT]]:
        """Cameras within ``corridor_m`` of a route of ``(lat, lon)`` points
        joined by great-circle segments, ordered by distance along the route
        (then by offset, then insertion order). A camera near several parts of
        the route is reported once, at its closest part."""
        if not (math.isfinite(corridor_m) and corridor_m >= 0):
            raise ValueError(f"corridor_m must be a non-negative distance, got {corridor_m}")
        pieces = route_pieces(points)
        if not self._ids:
            return []
        radii = [chord_for_distance(half + corridor_m) + _SLACK_M for half in pieces.lengths / 2.0]
        found = self._tree.query_ball_point(pieces.midpoints * EARTH_RADIUS_M, np.asarray(radii))
        cams = np.concatenate([np.asarray(f, dtype=np.intp) for f in found])
        piece_of = np.repeat(np.arange(len(found)), [len(f) for f in found])
        if cams.size == 0:
            return []
        result = distances_to_pieces(self._xyz[cams] / EARTH_RADIUS_M, piece_of, pieces)
        order = np.lexsort((result.along_m, result.offset_m, cams))  # best pair first per camera
        first = np.ones(order.size, dtype=bool)
        first[1:] = cams[order][1:] != cams[order][:-1]
        best = order[first]
        best = best[result.offset_m[best] <= corridor_m]
        hits: list[tuple[float, float, int, bool]] = []
        for p in best.tolist():
            j = int(cams[p])
            offset = float(result.offset_m[p])
            covers = self._covers_point(j, result.closest[p], offset)
            hits.append((float(result.along_m[p]), offset, j, covers))
        hits.sort()
        return [RouteHit(self._ids[j], along, offset, covers) for along, offset, j, covers in hits]

    def along_bearing(
        self, lat: float, lon: float, bearing_deg: float, length_m: float, corridor_m: float
    ) -> list[RouteHit[IdT]]:
        """Cameras along a straight (great-circle) escape line from a place."""
        if not (math.isfinite(length_m) and length_m > 0):
            raise ValueError(f"length_m must be positive, got {length_m}")
        end = destination(lat, lon, bearing_deg, length_m)
        return self.along_route([(lat, lon), end], corridor_m)

    def _covers_point(self, j: int, closest: FloatArray, offset_m: float) -> bool:
        kind = int(self._kind[j])
        if kind != _SECTOR:
            return kind == _OMNI
        lat = math.degrees(math.asin(max(-1.0, min(1.0, float(closest[2])))))
        lon = math.degrees(math.atan2(float(closest[1]), float(closest[0])))
        return self._sector_sees(j, lat, lon, offset_m)


def _xyz(lat: float, lon: float) -> tuple[float, float, float]:
    x, y, z = unit_vector(lat, lon)
    return (x * EARTH_RADIUS_M, y * EARTH_RADIUS_M, z * EARTH_RADIUS_M)


def _check_query(lat: float, lon: float, radius_m: float, band_m: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        raise ValueError(f"not a WGS84 point: ({lat}, {lon})")
    if not (math.isfinite(radius_m) and radius_m >= 0):
        raise ValueError(f"radius_m must be a non-negative distance, got {radius_m}")
    if not (math.isfinite(band_m) and band_m >= 0):
        raise ValueError(f"band_m must be a non-negative distance, got {band_m}")
