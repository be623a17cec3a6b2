"""Import of the 119 dispatch layers (fire water facilities, parking lots)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from smartcity.core.services import record_audit
from smartcity.operations.domain.layers import Layer, read_layer_file
from smartcity.operations.models import LayerItem, Tenant

_FIELDS = ("name", "address", "latitude", "longitude", "detail")


def import_layer(
    *, tenant: Tenant, layer: str, data: bytes, file_name: str = "", actor: Any = None
) -> dict[str, Any]:
    """Upsert a layer file's accepted rows for ``tenant`` by their key: the
    same file twice changes nothing. Returns counts and rejection reasons."""
    kind = Layer(layer)
    reading = read_layer_file(kind, data)
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
    return report
