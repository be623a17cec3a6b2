"""The map: every local government's certification status on a day, or its
score share in a year, as rows and as GeoJSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.urls import reverse

from smartcity.analytics.domain import results as dr
from smartcity.analytics.domain.geometry import ATTRIBUTION, national_geometry
from smartcity.analytics.domain.mapping import (
    STATUS_COLOURS,
    CertificatePeriod,
    score_colour,
    status_on,
)
from smartcity.analytics.selectors.results import result_rows
from smartcity.municipalities.models import Municipality
from smartcity.registry.models import Certificate, Subject


def periods_of(subject_ids: Iterable[int] | None = None) -> dict[int, list[CertificatePeriod]]:
    queryset = Certificate.objects.filter(kind="city")
    if subject_ids is not None:
        queryset = queryset.filter(subject_id__in=list(subject_ids))
    out: dict[int, list[CertificatePeriod]] = {}
    for c in queryset.values("subject_id", "granted_by", "valid_from", "valid_until", "ended_by"):
        out.setdefault(c["subject_id"], []).append(
            CertificatePeriod(c["granted_by"], c["valid_from"], c["valid_until"], c["ended_by"])
        )
    return out


@dataclass(frozen=True)
class MapRow:
    code: str
    name: str
    level: str  # metro | basic
    status: str
    share: Fraction | None
    colour: str


def map_rows(*, day: dt.date, mode: str, year: int | None, full: bool) -> list[MapRow]:
    """Every local government with its status on ``day`` or its total score
    share in ``year`` (its latest result up to that year)."""
    periods = periods_of()
    subject_of = dict(Subject.objects.filter(kind="city").values_list("municipality__code", "pk"))
    shares: dict[str, Fraction] = {}
    if mode == "score":
        for r in result_rows(full=full):
            if year is None or r.year <= year:
                shares[r.municipality_code] = r.share  # rows come oldest first
    out = []
    for m in Municipality.objects.order_by("code").values("code", "full_name_ko", "type"):
        subject_id = subject_of.get(m["code"])
        status = status_on(periods.get(subject_id, []) if subject_id else [], day)
        share = shares.get(m["code"])
        colour = score_colour(share) if mode == "score" else STATUS_COLOURS[status]
        level = "metro" if m["code"].endswith("000") else "basic"
        out.append(MapRow(m["code"], m["full_name_ko"], level, status, share, colour))
    return out


def map_geojson(rows: Sequence[MapRow]) -> dict[str, Any]:
    features = []
    for r in rows:
        geometry = national_geometry(r.code)
        if geometry is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": r.code,
                "properties": {
                    "code": r.code,
                    "name": r.name,
                    "level": r.level,
                    "status": r.status,
                    "score": None if r.share is None else str(dr.percent(r.share)),
                    "colour": r.colour,
                    "url": reverse("analytics:city", args=[r.code]),
                },
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features, "attribution": ATTRIBUTION}
