"""Reads of the disaster situation and vulnerable-person services."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from smartcity.municipalities.domain.geodesy import haversine_m
from smartcity.operations.domain.areas import Area, Circle
from smartcity.operations.domain.carrier import TrailPoint, last_positions
from smartcity.operations.models import (
    Agency,
    Camera,
    CarrierAlert,
    CarrierCase,
    DisasterArea,
    Incident,
    LayerItem,
    Tenant,
)
from smartcity.operations.selectors.cameras import camera_index, nearest_cameras

LAST_POSITIONS = 3
"""How many of the latest positions the camera search starts from."""


def area_camera_ids(tenant: Tenant, area: Area) -> list[int]:
    """Every camera of ``tenant`` inside the area (the tenant's own index only)."""
    index = camera_index(tenant)
    if isinstance(area, Circle):
        hits = index.within(area.lat, area.lon, area.radius_m)
        return sorted(hit.id for hit in hits)
    return sorted(index.in_polygon(area.ring))


def incident_areas(incident: Incident) -> QuerySet[DisasterArea]:
    return (
        DisasterArea.objects.filter(incident=incident)
        .select_related("grant__agency")
        .order_by("-created_at", "-id")
    )


def carrier_case(incident: Incident) -> CarrierCase | None:
    return CarrierCase.objects.filter(incident=incident).first()


def trail_of(case: CarrierCase) -> list[TrailPoint]:
    return [
        TrailPoint(float(p.latitude), float(p.longitude), p.at)
        for p in case.positions.order_by("at", "id")
    ]


@dataclass(frozen=True, slots=True)
class TrailCamera:
    camera: Camera
    distance_m: float
    position: TrailPoint


def cameras_near_trail(
    incident: Incident, case: CarrierCase, *, per_position: int = 5
) -> list[TrailCamera]:
    """Cameras near the person's latest positions: each camera once, with the
    newest position it is near and its distance from it, nearest first."""
    radius = float(settings.OPERATIONS_CARRIER_CAMERA_RADIUS_M)
    seen: dict[int, TrailCamera] = {}
    for point in last_positions(trail_of(case), LAST_POSITIONS):
        for hit in nearest_cameras(
            tenant=incident.tenant, lat=point.lat, lon=point.lon, k=per_position, radius_m=radius
        ):
            if hit.camera.pk not in seen:
                seen[hit.camera.pk] = TrailCamera(hit.camera, hit.distance_m, point)
    return sorted(seen.values(), key=lambda row: (row.distance_m, row.camera.pk))


def agency_carrier_alerts(agency: Agency, limit: int = 50) -> QuerySet[CarrierAlert]:
    """Vulnerable-person alerts sent to an agency, newest first."""
    return (
        CarrierAlert.objects.filter(agency=agency)
        .select_related("case__incident__status", "case__incident__tenant")
        .order_by("-sent_at", "-id")[:limit]
    )


@dataclass(frozen=True, slots=True)
class NearbyItem:
    item: LayerItem
    distance_m: float


def nearest_layer_items(
    *, tenant: Tenant, layer: str, lat: float, lon: float, k: int = 5, radius_m: float = 500.0
) -> list[NearbyItem]:
    """The ``k`` nearest points of a 119 layer within ``radius_m`` (box filter
    in the database, exact distance here)."""
    dlat = radius_m / 111_000.0
    dlon = dlat / max(0.01, math.cos(math.radians(lat)))
    rows = LayerItem.objects.filter(
        tenant=tenant, layer=layer,
        latitude__gte=lat - dlat, latitude__lte=lat + dlat,
        longitude__gte=lon - dlon, longitude__lte=lon + dlon,
    )  # fmt: skip
    hits = [
        NearbyItem(item, haversine_m(lat, lon, float(item.latitude), float(item.longitude)))
        for item in rows
    ]
    hits = [hit for hit in hits if hit.distance_m <= radius_m]
    return sorted(hits, key=lambda hit: (hit.distance_m, hit.item.pk))[:k]
