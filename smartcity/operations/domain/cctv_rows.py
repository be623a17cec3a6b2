"""One row of the CCTV standard data: a :class:`CameraRecord`, or the reason
(``RowRejected``) it is not imported — checks 1 to 5 of ``cctv_import``, and
the row's natural key. The file-level checks (layout, encoding, duplicates,
tallies) are ``cctv_import``'s."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from smartcity.operations.domain.cctv_layout import Column, HeaderMap, RawRecord, clean
from smartcity.operations.domain.cctv_values import (
    BoundingBox,
    CameraPurpose,
    ImplausibleValue,
    YearMonth,
    classify_purpose,
    parse_camera_count,
    parse_coordinate,
    parse_date,
    parse_pixels,
    parse_retention_days,
    parse_year_month,
)
from smartcity.operations.domain.direction import parse_direction

_T = TypeVar("_T")
_KEY_QUANTUM = Decimal("0.000001")
MAX_KEY = 80
"""The register's key column; a longer ``mn:`` key is replaced by its hash."""
MAX_LENGTHS = {Column.MANAGEMENT_NUMBER: 100, Column.LOCAL_GOV_CODE: 20}
"""Columns stored whole (they identify the camera), so a longer value is
rejected rather than cut."""
_PROBLEMS = {
    "unterminated_quote": "a quoted field is never closed",
    "field_too_long": "a field is longer than 131072 characters",
    "nul_character": "a field contains a NUL character",
    "malformed_record": "not readable as CSV",
}


class RejectionReason(StrEnum):
    """Stable codes: stored with import runs and shown translated in the UI."""

    MISSING_COORDINATES = "missing_coordinates"
    PLACEHOLDER_COORDINATES = "placeholder_coordinates"
    OUT_OF_KOREA = "out_of_korea"
    DUPLICATE = "duplicate"
    IMPOSSIBLE_VALUE = "impossible_value"
    MALFORMED_ROW = "malformed_row"
    UNKNOWN_LAYOUT = "unknown_layout"
    UNDECODABLE = "undecodable"


@dataclass(frozen=True, slots=True)
class CameraRecord:
    """One CCTV site as published (one row; ``camera_count`` cameras there)."""

    key: str
    row: int
    management_number: str | None
    local_gov_code: str | None
    agency: str
    agency_phone: str | None
    road_address: str | None
    lot_address: str | None
    purpose: CameraPurpose
    purpose_raw: str
    camera_count: int | None
    pixels: int | None
    retention_days: int | None
    installed: YearMonth | None
    lat: Decimal
    lon: Decimal
    direction_raw: str
    bearing_deg: float | None
    fov_deg: float | None
    reference_date: date | None
    coordinates_swapped: bool = False
    line: int = 0
    """The file line the row starts on (header = line 1)."""


class RowRejected(Exception):
    """A row refused with its reason (and the column to blame, when one is)."""

    def __init__(self, reason: RejectionReason, column: Column | None, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.column = column
        self.detail = detail


def _key_text(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split())


class RowBuilder:
    """Turns one raw record into a :class:`CameraRecord` or raises ``RowRejected``."""

    def __init__(
        self,
        header_map: HeaderMap,
        today: date,
        territory: Collection[BoundingBox],
        placeholders: Collection[tuple[Decimal, Decimal]],
        default_fov_deg: float,
    ) -> None:
        self._positions = header_map.positions
        self._headers = header_map.headers
        self._columns = {index: column for column, index in header_map.positions.items()}
        self._width = len(header_map.headers)
        self._content_positions = header_map.content_positions
        self._today = today
        self._territory = tuple(territory)
        self._placeholders = frozenset(placeholders)
        self._default_fov = default_fov_deg

    def content(self, record: RawRecord) -> tuple[str, ...]:
        return tuple(clean(record.values[i]) for i in self._content_positions)

    def _get(self, record: RawRecord, column: Column) -> str:
        index = self._positions.get(column)
        return "" if index is None else clean(record.values[index])

    def build(self, record: RawRecord) -> CameraRecord:
        if record.problem is not None:
            index = record.problem.column
            column = self._columns.get(index)
            detail = _PROBLEMS.get(record.problem.code, record.problem.code)
            if column is None and 0 <= index < len(self._headers):
                detail = f"{detail} (column {self._headers[index]!r})"
            raise RowRejected(RejectionReason.MALFORMED_ROW, column, detail)
        if len(record.values) > self._width:
            detail = f"{len(record.values)} fields for {self._width} columns"
            raise RowRejected(RejectionReason.MALFORMED_ROW, None, detail)
        lat, lon, swapped = self._coordinates(record)
        get = self._get
        for column, limit in MAX_LENGTHS.items():
            if len(get(record, column)) > limit:
                detail = f"longer than {limit} characters"
                raise RowRejected(RejectionReason.IMPOSSIBLE_VALUE, column, detail)
        value_of = self._value
        purpose_raw = get(record, Column.PURPOSE)
        direction_raw = get(record, Column.DIRECTION)
        direction = parse_direction(direction_raw, default_fov_deg=self._default_fov)
        camera_count = value_of(record, Column.CAMERA_COUNT, parse_camera_count)
        pixels = value_of(record, Column.PIXELS, parse_pixels)
        retention = value_of(record, Column.RETENTION_DAYS, parse_retention_days)
        installed = value_of(
            record, Column.INSTALLED, lambda t: parse_year_month(t, today=self._today)
        )
        reference = value_of(
            record, Column.REFERENCE_DATE, lambda t: parse_date(t, today=self._today)
        )
        management_number = get(record, Column.MANAGEMENT_NUMBER) or None
        road = get(record, Column.ROAD_ADDRESS) or None
        lot = get(record, Column.LOT_ADDRESS) or None
        return CameraRecord(
            key=self._natural_key(management_number, road, lot, lat, lon, purpose_raw),
            row=record.row,
            management_number=management_number,
            local_gov_code=get(record, Column.LOCAL_GOV_CODE) or None,
            agency=get(record, Column.AGENCY),
            agency_phone=get(record, Column.AGENCY_PHONE) or None,
            road_address=road,
            lot_address=lot,
            purpose=classify_purpose(purpose_raw),
            purpose_raw=purpose_raw,
            camera_count=camera_count,
            pixels=pixels,
            retention_days=retention,
            installed=installed,
            lat=lat,
            lon=lon,
            direction_raw=direction_raw,
            bearing_deg=direction.bearing_deg,
            fov_deg=direction.fov_deg,
            reference_date=reference,
            coordinates_swapped=swapped,
            line=record.line,
        )

    def _value(self, record: RawRecord, column: Column, parse: Callable[[str], _T]) -> _T:
        try:
            return parse(self._get(record, column))
        except ImplausibleValue as exc:
            raise RowRejected(RejectionReason.IMPOSSIBLE_VALUE, column, str(exc)) from exc

    def _coordinates(self, record: RawRecord) -> tuple[Decimal, Decimal, bool]:
        lat = self._coordinate(record, Column.LATITUDE)
        lon = self._coordinate(record, Column.LONGITUDE)
        if lat == 0 or lon == 0 or (lat, lon) in self._placeholders:
            detail = f"({lat}, {lon}) is a placeholder"
            raise RowRejected(RejectionReason.PLACEHOLDER_COORDINATES, None, detail)
        if self._in_territory(lat, lon):
            return lat, lon, False
        if self._in_territory(lon, lat):
            return lon, lat, True
        detail = f"({lat}, {lon}) is outside South Korea"
        raise RowRejected(RejectionReason.OUT_OF_KOREA, None, detail)

    def _coordinate(self, record: RawRecord, column: Column) -> Decimal:
        raw = self._get(record, column)
        try:
            value = parse_coordinate(raw)
        except ImplausibleValue as exc:
            raise RowRejected(RejectionReason.MISSING_COORDINATES, column, str(exc)) from exc
        if value is None:
            raise RowRejected(RejectionReason.MISSING_COORDINATES, column, "blank")
        return value

    def _in_territory(self, lat: Decimal, lon: Decimal) -> bool:
        return any(box.contains(lat, lon) for box in self._territory)

    @staticmethod
    def _natural_key(
        management_number: str | None,
        road: str | None,
        lot: str | None,
        lat: Decimal,
        lon: Decimal,
        purpose_raw: str,
    ) -> str:
        if management_number:
            key = "mn:" + _key_text(management_number)
            if len(key) <= MAX_KEY:
                return key
            return "mh:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]
        parts = (
            _key_text(road or ""),
            _key_text(lot or ""),
            f"{lat.quantize(_KEY_QUANTUM):f}",
            f"{lon.quantize(_KEY_QUANTUM):f}",
            _key_text(purpose_raw),
        )
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
        return "h:" + digest[:24]
