"""Spherical-Earth geometry for camera selection.

Why a sphere and not the WGS84 ellipsoid: camera selection works within a few
kilometres, where the sphere of mean radius differs from the ellipsoid by about
0.2 % at Korean latitudes (the meridional radius there is ~6,358 km and the
prime-vertical ~6,385 km), far below the uncertainty of the published
coordinates. In exchange every formula is closed-form, cheap and
vectorisable, and Earth-centred (ECEF) coordinates on the sphere make the
straight-line (chord) distance a strictly increasing function of the
great-circle distance, so a k-d tree over them answers great-circle queries
exactly (see ``camera_index``).

All angles in the public functions are degrees; bearings are clockwise from
true north in ``[0, 360)``.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_M = 6_371_008.8
"""IUGG mean Earth radius; the same constant must be used by every caller that
compares distances (tests' brute force included)."""

FloatArray = NDArray[np.float64]


def unit_vector(lat_deg: float, lon_deg: float) -> tuple[float, float, float]:
    """Unit ECEF vector of a point on the sphere."""
    lat = math.radians(lat_deg)
    lon = math.radians(lon_deg)
    cos_lat = math.cos(lat)
    return (cos_lat * math.cos(lon), cos_lat * math.sin(lon), math.sin(lat))


def unit_vectors(lat_deg: FloatArray, lon_deg: FloatArray) -> FloatArray:
    """Vectorised :func:`unit_vector`: an ``(n, 3)`` array."""
    lat = np.radians(lat_deg)
    lon = np.radians(lon_deg)
    cos_lat = np.cos(lat)
    return np.column_stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)))


def chord_for_distance(distance_m: float) -> float:
    """Straight-line distance through the sphere for a great-circle distance
    (capped at the diameter: farther than half the globe means everything)."""
    half_angle = min(distance_m / (2.0 * EARTH_RADIUS_M), math.pi / 2.0)
    return 2.0 * EARTH_RADIUS_M * math.sin(half_angle)


def distances_for_chords(chords: FloatArray) -> FloatArray:
    """Great-circle distances (m) for chord lengths (m); inverse of
    :func:`chord_for_distance`, clipped so rounding never leaves asin's domain."""
    ratio = np.minimum(chords / (2.0 * EARTH_RADIUS_M), 1.0)
    result: FloatArray = 2.0 * EARTH_RADIUS_M * np.arcsin(ratio)
    return result


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine: well conditioned for the
    short distances that matter here)."""
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2.0) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def initial_bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Bearing of the great circle from point 1 towards point 2, at point 1."""
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(y, x)) % 360.0


def destination(
    lat: float, lon: float, bearing_deg: float, distance_m: float
) -> tuple[float, float]:
    """The point reached by travelling ``distance_m`` along a great circle that
    starts at ``(lat, lon)`` with the given bearing."""
    delta = distance_m / EARTH_RADIUS_M
    theta = math.radians(bearing_deg)
    p1 = math.radians(lat)
    l1 = math.radians(lon)
    sin_p2 = math.sin(p1) * math.cos(delta) + math.cos(p1) * math.sin(delta) * math.cos(theta)
    p2 = math.asin(max(-1.0, min(1.0, sin_p2)))
    l2 = l1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(p1),
        math.cos(delta) - math.sin(p1) * sin_p2,
    )
    return math.degrees(p2), (math.degrees(l2) + 540.0) % 360.0 - 180.0


def angle_between_deg(a: float, b: float) -> float:
    """Smallest absolute difference between two bearings, in ``[0, 180]``."""
    diff = abs(a - b) % 360.0
    return 360.0 - diff if diff > 180.0 else diff


def sector_contains(bearing_deg: float, fov_deg: float, target_bearing_deg: float) -> bool:
    """Whether a bearing lies in the sector ``bearing ± fov/2`` (edges included,
    with a micro-degree of slack so a target exactly on an edge is not lost to
    rounding)."""
    if fov_deg >= 360.0:
        return True
    return angle_between_deg(bearing_deg, target_bearing_deg) <= fov_deg / 2.0 + 1e-9
