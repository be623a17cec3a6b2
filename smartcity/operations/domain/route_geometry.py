"""Distances from points to a route of great-circle segments, vectorised.

Kept apart from the index so the geometry can be read and tested on its own.
A route is cut into pieces of at most :data:`MAX_PIECE_M`, so that the index
can look for cameras around each piece with a small ball (half the piece plus
the corridor, which by the triangle inequality contains every point within
the corridor of that piece) instead of one huge ball around the whole route.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from smartcity.municipalities.domain.geodesy import EARTH_RADIUS_M, FloatArray, unit_vector

MAX_PIECE_M = 1_000.0
IntArray = NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class RoutePieces:
    """A route as ``m`` great-circle pieces: unit start/end vectors, unit normals
    of their planes, arc lengths (m) and the distance along the route at which
    each piece starts (m)."""

    starts: FloatArray
    ends: FloatArray
    normals: FloatArray
    lengths: FloatArray
    offsets: FloatArray

    @property
    def midpoints(self) -> FloatArray:
        mids = self.starts + self.ends
        result: FloatArray = mids / np.linalg.norm(mids, axis=1)[:, None]
        return result


def route_pieces(
    points: Sequence[tuple[float, float]], max_piece_m: float = MAX_PIECE_M
) -> RoutePieces:
    """Cut a polyline of ``(lat, lon)`` points into great-circle pieces.

    Repeated consecutive points are dropped; a route needs two distinct points
    (a single place is a radius query, not a route).
    """
    vectors: list[tuple[float, float, float]] = []
    for lat, lon in points:
        _check_point(lat, lon)
        vector = unit_vector(lat, lon)
        if not vectors or vector != vectors[-1]:
            vectors.append(vector)
    if len(vectors) < 2:
        raise ValueError("a route needs at least two distinct points")
    starts: list[FloatArray] = []
    ends: list[FloatArray] = []
    for a, b in itertools.pairwise(vectors):
        va, vb = np.array(a), np.array(b)
        angle = math.atan2(float(np.linalg.norm(np.cross(va, vb))), float(va @ vb))
        if angle >= math.pi - 1e-9:
            raise ValueError("antipodal route points do not define a segment")
        count = max(1, math.ceil(angle * EARTH_RADIUS_M / max_piece_m))
        fractions = np.linspace(0.0, 1.0, count + 1)
        # Spherical linear interpolation: the pieces stay on the segment's great circle.
        weights_a = np.sin((1.0 - fractions) * angle) / math.sin(angle)
        weights_b = np.sin(fractions * angle) / math.sin(angle)
        chain = weights_a[:, None] * va + weights_b[:, None] * vb
        starts.append(chain[:-1])
        ends.append(chain[1:])
    start_arr = np.vstack(starts)
    end_arr = np.vstack(ends)
    cross = np.cross(start_arr, end_arr)
    normals = cross / np.linalg.norm(cross, axis=1)[:, None]
    dots = np.clip(np.einsum("ij,ij->i", start_arr, end_arr), -1.0, 1.0)
    lengths = np.arctan2(np.linalg.norm(cross, axis=1), dots) * EARTH_RADIUS_M
    offsets = np.concatenate(([0.0], np.cumsum(lengths)[:-1]))
    return RoutePieces(start_arr, end_arr, normals, lengths, offsets)


def _check_point(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"not a WGS84 point: ({lat}, {lon})")


@dataclass(frozen=True, slots=True)
class PieceDistances:
    """For each (point, piece) pair: distance to the piece (m), distance along
    the whole route of the closest point (m), and that closest point (unit)."""

    offset_m: FloatArray
    along_m: FloatArray
    closest: FloatArray


def distances_to_pieces(
    points: FloatArray, piece_index: IntArray, pieces: RoutePieces
) -> PieceDistances:
    """Exact spherical distance from each unit vector ``points[i]`` to piece
    ``piece_index[i]``: the cross-track distance when the point projects inside
    the piece, otherwise the distance to the nearer end."""
    a = pieces.starts[piece_index]
    b = pieces.ends[piece_index]
    n = pieces.normals[piece_index]
    sin_cross = np.einsum("ij,ij->i", points, n)
    projected = points - sin_cross[:, None] * n
    norms = np.maximum(np.linalg.norm(projected, axis=1), 1e-15)
    q = projected / norms[:, None]
    after_start = np.einsum("ij,ij->i", np.cross(a, q), n) >= 0.0
    before_end = np.einsum("ij,ij->i", np.cross(q, b), n) >= 0.0
    inside = after_start & before_end
    cross_track = EARTH_RADIUS_M * np.arcsin(np.clip(np.abs(sin_cross), 0.0, 1.0))
    along_inside = EARTH_RADIUS_M * np.arctan2(
        np.linalg.norm(np.cross(a, q), axis=1), np.einsum("ij,ij->i", a, q)
    )
    to_start = _arc(points, a)
    to_end = _arc(points, b)
    nearer_start = to_start <= to_end
    offset = np.where(inside, cross_track, np.minimum(to_start, to_end))
    along_piece = np.where(
        inside, along_inside, np.where(nearer_start, 0.0, pieces.lengths[piece_index])
    )
    closest = np.where(inside[:, None], q, np.where(nearer_start[:, None], a, b))
    return PieceDistances(offset, pieces.offsets[piece_index] + along_piece, closest)


def _arc(u: FloatArray, v: FloatArray) -> FloatArray:
    chord = np.linalg.norm(u - v, axis=1)
    result: FloatArray = 2.0 * EARTH_RADIUS_M * np.arcsin(np.clip(chord / 2.0, 0.0, 1.0))
    return result
