"""Importing the national CCTV standard data (전국CCTV표준데이터).

The importer must never silently drop a camera: the 112/119 linkage services
choose cameras by position, so a camera lost here is a blind spot later. Every
row therefore ends up either as a :class:`CameraRecord` or as a
:class:`Rejection` with a stable reason code, and ``counts`` add up.

Checks run in this order and a row gets the first reason that applies:

1. ``malformed_row`` — more fields than the header (a broken quote upstream),
   a quote never closed, a field over 131,072 characters or a NUL character
   (the record is counted and rejected with its line and column; the records
   after an unclosed quote are read, not swallowed);
2. ``missing_coordinates`` — blank or non-numeric latitude/longitude;
3. ``placeholder_coordinates`` — a zero coordinate or a known placeholder;
4. ``out_of_korea`` — outside :data:`KOREA_TERRITORY` even after trying the
   swapped pair (a swapped pair inside Korea is repaired and flagged, since
   the two ranges cannot be confused);
5. ``impossible_value`` — count, pixels, retention, dates (see ``cctv_values``);
6. ``duplicate`` — the natural key or the row content (all columns except a
   row counter such as Busan's ``번호``) was already *accepted* in this file.
   Only rows that pass checks 1–5 register, so a valid row is never shadowed
   by an earlier invalid copy of itself.

"Outside the city" is not a rejection: a Busan agency's camera at 37.01°N is
still in Korea and may be a real site (or a typo) that only the municipality
layer, which knows boundaries, can judge. File-level problems
(``unknown_layout``, ``undecodable``) are reported as a single rejection with
``row = 0``.

The natural key is ``mn:<관리번호>`` when the file has one, otherwise
``h:<hash>`` of the whitespace-free NFKC road and lot addresses, the
coordinates to six decimals (0.1 m) and the raw purpose. It is stable across
re-imports and encodings, which lets the database layer upsert idempotently.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from smartcity.operations.domain.cctv_layout import (
    Column,
    HeaderMap,
    RawRecord,
    UndecodableFile,
    clean,
    decode_bytes,
    map_headers,
    read_records,
)
from smartcity.operations.domain.cctv_values import (
    KOREA_TERRITORY,
    PLACEHOLDER_COORDINATES,
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
from smartcity.operations.domain.direction import DEFAULT_FOV_DEG, parse_direction

KST = timezone(timedelta(hours=9))
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
class Rejection:
    """Why a row was not imported. ``field`` is the canonical column name
    (e.g. ``"WGS84위도"``) when one column is to blame."""

    row: int
    reason: RejectionReason
    field: str | None
    detail: str
    line: int = 0


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


@dataclass(frozen=True, slots=True)
class CctvParseResult:
    """Accepted cameras, rejected rows and the tallies.

    ``counts`` has ``rows`` (data records read), ``accepted``, ``rejected``,
    ``swapped_repaired`` and one entry per :class:`RejectionReason` value (zero
    included), so a report can show every reason.
    """

    cameras: list[CameraRecord]
    rejected: list[Rejection]
    counts: dict[str, int]
    encoding: str
    columns: dict[str, str] = field(default_factory=dict)
    unmapped_columns: tuple[str, ...] = ()


class _Rejected(Exception):
    def __init__(self, reason: RejectionReason, column: Column | None, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.column = column
        self.detail = detail


def parse_cctv(
    data: bytes | str,
    *,
    today: date | None = None,
    territory: Collection[BoundingBox] = KOREA_TERRITORY,
    placeholders: Collection[tuple[Decimal, Decimal]] = PLACEHOLDER_COORDINATES,
    default_fov_deg: float = DEFAULT_FOV_DEG,
) -> CctvParseResult:
    """Parse one CCTV standard-data file (bytes as downloaded, or decoded text).

    ``today`` bounds installation and reference dates; it defaults to the
    current date in Korea and should be passed explicitly by tests.
    """
    today = today or datetime.now(KST).date()
    if isinstance(data, str):
        text, encoding = data.lstrip("\ufeff"), "text"
    else:
        try:
            text, encoding = decode_bytes(data)
        except UndecodableFile as exc:
            problem = Rejection(0, RejectionReason.UNDECODABLE, None, str(exc))
            return _result([], [problem], 0, 0, "unknown", None)
    headers, records = read_records(text)
    header_map = map_headers(headers)
    if not header_map.has_coordinates:
        problem = Rejection(
            0, RejectionReason.UNKNOWN_LAYOUT, None,
            f"no latitude/longitude columns among {headers!r}",
        )  # fmt: skip
        return _result([], [problem], 0, 0, encoding, header_map)
    builder = _RowBuilder(header_map, today, territory, placeholders, default_fov_deg)
    cameras: list[CameraRecord] = []
    rejected: list[Rejection] = []
    seen_keys: dict[str, int] = {}
    seen_content: dict[tuple[str, ...], int] = {}
    rows = swapped = 0
    for record in records:
        rows += 1
        try:
            camera = builder.build(record)
            content = builder.content(record)
            _check_duplicate(record.row, camera.key, content, seen_keys, seen_content)
        except _Rejected as problem:
            column = problem.column.value if problem.column else None
            rejected.append(
                Rejection(record.row, problem.reason, column, problem.detail, record.line)
            )
            continue
        seen_keys[camera.key] = record.row
        seen_content[content] = record.row
        swapped += camera.coordinates_swapped
        cameras.append(camera)
    return _result(cameras, rejected, rows, swapped, encoding, header_map)


def _check_duplicate(
    row: int,
    key: str,
    content: tuple[str, ...],
    keys: dict[str, int],
    contents: dict[tuple[str, ...], int],
) -> None:
    """Raise for a repeated row; a key duplicate's content is remembered too, so
    a third identical copy is reported as a copy of the second."""
    if content in contents:
        detail = f"same content as row {contents[content]}"
        raise _Rejected(RejectionReason.DUPLICATE, None, detail)
    if key in keys:
        contents[content] = row
        detail = f"same natural key {key} as row {keys[key]}, other columns differ"
        raise _Rejected(RejectionReason.DUPLICATE, None, detail)


def _result(
    cameras: list[CameraRecord],
    rejected: list[Rejection],
    rows: int,
    swapped: int,
    encoding: str,
    header_map: HeaderMap | None,
) -> CctvParseResult:
    counts = {"rows": rows, "accepted": len(cameras), "rejected": len(rejected)}
    counts["swapped_repaired"] = swapped
    for reason in RejectionReason:
        counts[reason.value] = 0
    for rejection in rejected:
        counts[rejection.reason.value] += 1
    columns: dict[str, str] = {}
    unmapped: tuple[str, ...] = ()
    if header_map is not None:
        columns = {c.value: header_map.headers[i] for c, i in header_map.positions.items()}
        unmapped = header_map.unmapped
    return CctvParseResult(cameras, rejected, counts, encoding, columns, unmapped)


def _key_text(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).split())


class _RowBuilder:
    """Turns one raw record into a :class:`CameraRecord` or raises ``_Rejected``."""

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
            raise _Rejected(RejectionReason.MALFORMED_ROW, column, detail)
        if len(record.values) > self._width:
            detail = f"{len(record.values)} fields for {self._width} columns"
            raise _Rejected(RejectionReason.MALFORMED_ROW, None, detail)
        lat, lon, swapped = self._coordinates(record)
        get = self._get
        for column, limit in MAX_LENGTHS.items():
            if len(get(record, column)) > limit:
                detail = f"longer than {limit} characters"
                raise _Rejected(RejectionReason.IMPOSSIBLE_VALUE, column, detail)
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
            raise _Rejected(RejectionReason.IMPOSSIBLE_VALUE, column, str(exc)) from exc

    def _coordinates(self, record: RawRecord) -> tuple[Decimal, Decimal, bool]:
        lat = self._coordinate(record, Column.LATITUDE)
        lon = self._coordinate(record, Column.LONGITUDE)
        if lat == 0 or lon == 0 or (lat, lon) in self._placeholders:
            detail = f"({lat}, {lon}) is a placeholder"
            raise _Rejected(RejectionReason.PLACEHOLDER_COORDINATES, None, detail)
        if self._in_territory(lat, lon):
            return lat, lon, False
        if self._in_territory(lon, lat):
            return lon, lat, True
        detail = f"({lat}, {lon}) is outside South Korea"
        raise _Rejected(RejectionReason.OUT_OF_KOREA, None, detail)

    def _coordinate(self, record: RawRecord, column: Column) -> Decimal:
        raw = self._get(record, column)
        try:
            value = parse_coordinate(raw)
        except ImplausibleValue as exc:
            raise _Rejected(RejectionReason.MISSING_COORDINATES, column, str(exc)) from exc
        if value is None:
            raise _Rejected(RejectionReason.MISSING_COORDINATES, column, "blank")
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
