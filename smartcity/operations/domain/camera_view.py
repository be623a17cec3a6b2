"""What a camera sees, drawn on a map: a sector from its bearing and field of view.

The CCTV standard data's 촬영방면정보 gives, where it can be read
(``domain.direction``), a bearing and a width. The map draws that as a
circular sector of a fixed reach (how far a street camera usefully sees),
so an operator can tell at a glance which cameras face the scene. A camera
whose bearing is unknown (or that sees all round) gets no sector: drawing
one would invent coverage the register does not state.
"""

from __future__ import annotations

import math

from smartcity.municipalities.domain.geodesy import destination

VIEW_REACH_M = 60.0
"""Reach of the drawn sector: a street camera recognises a person at roughly
25–50 m and a vehicle further out; 60 m keeps sectors readable at street zoom."""

_STEP_DEG = 10.0


def view_sector(
    lat: float,
    lon: float,
    bearing_deg: float | None,
    fov_deg: float | None,
    *,
    reach_m: float = VIEW_REACH_M,
) -> list[tuple[float, float]] | None:
    """The sector's outline as ``(lat, lon)`` points, starting and ending at the
    camera, or ``None`` when there is no direction to draw.

    The arc runs clockwise from ``bearing - fov/2`` to ``bearing + fov/2``
    with a point at least every 10°, rounded to 6 decimals (≈ 0.1 m).
    """
    if bearing_deg is None or fov_deg is None or not 0 < fov_deg < 360:
        return None
    if not math.isfinite(bearing_deg) or not math.isfinite(reach_m) or reach_m <= 0:
        return None
    steps = max(2, math.ceil(fov_deg / _STEP_DEG))
    start = bearing_deg - fov_deg / 2.0
    arc = [
        destination(lat, lon, (start + fov_deg * i / steps) % 360.0, reach_m)
        for i in range(steps + 1)
    ]
    apex = (round(lat, 6), round(lon, 6))
    return [apex, *((round(a, 6), round(b, 6)) for a, b in arc), apex]
