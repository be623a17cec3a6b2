"""The 119 dispatch service's layers — fire water facilities (소방용수시설),
emergency fire devices (비상소화장치), parking lots (주차장), hazardous
facilities (위험시설물) and back-street widths (이면도로 폭) — from public
datasets, read by column name.

Known layouts: water — the standard one (``시설번호 … 위도, 경도``) and
Songpa's (``일련번호 … 경위도X, 경위도Y``); emergency fire devices — Seoul's
(``비상소화장치일련번호 … WGS84위도(변환)``), Songpa's (``일련번호 …
경위도좌표Y``) and Daegu's, which has no identifier (the point is the key);
parking — the national standard data (``주차장관리번호 … 위도, 경도``).
Hazardous facilities and road widths have no national point dataset; they
take any file with an identifier, a name and WGS84 coordinates by the usual
column names, so a city's own register can be loaded. Each row is accepted
or rejected with a reason, its file line and the column to blame, as the
CCTV importer does; whether a point lies in the tenant's area is judged by
the service, which knows the boundaries.

An identifier longer than the register's 64-character key is rejected, not
cut: two identifiers equal in their first 64 characters would otherwise be
one key. A record that cannot be read as CSV (a quote never closed, a field
over 131,072 characters, a NUL character) is rejected with its line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from smartcity.core.domain.csv_records import CsvProblem, read_csv
from smartcity.operations.domain.cctv_layout import decode_bytes
from smartcity.operations.domain.cctv_values import KOREA_TERRITORY

_COORDINATE = Decimal("0.00000001")
MAX_KEY = 64
"""The register's key column (``LayerItem.key``)."""


class Layer(StrEnum):
    WATER = "water"
    DEVICE = "device"
    PARKING = "parking"
    HAZARD = "hazard"
    ROAD = "road"


class LayerRejection(StrEnum):
    MISSING_COORDINATES = "missing_coordinates"
    PLACEHOLDER_COORDINATES = "placeholder_coordinates"
    OUT_OF_KOREA = "out_of_korea"
    MISSING_KEY = "missing_key"
    DUPLICATE = "duplicate"
    UNKNOWN_LAYOUT = "unknown_layout"
    KEY_TOO_LONG = "key_too_long"
    MALFORMED_ROW = "malformed_row"


# Column aliases by what they mean, first match wins.
_LAT = ("위도", "WGS84위도", "WGS84위도(변환)", "경위도Y", "경위도좌표Y")
_LON = ("경도", "WGS84경도", "WGS84경도(변환)", "경위도X", "경위도좌표X")
_KEYS: dict[Layer, tuple[str, ...]] = {
    Layer.WATER: ("시설번호", "일련번호", "수리번호"),
    Layer.DEVICE: ("비상소화장치일련번호", "일련번호", "장치번호"),
    Layer.PARKING: ("주차장관리번호",),
    Layer.HAZARD: ("관리번호", "시설번호", "허가번호", "일련번호"),
    Layer.ROAD: ("도로구간번호", "구간번호", "관리번호", "일련번호"),
}
# Layers whose files may lack an identifier: the point itself is the key, so
# the same device listed twice is a duplicate (Daegu's file has 14 such rows).
_KEY_FROM_POINT = frozenset({Layer.DEVICE})
_NAMES: dict[Layer, tuple[str, ...]] = {
    Layer.WATER: ("상세위치", "용수구분", "시설유형코드"),
    Layer.DEVICE: ("상세위치", "설치지역"),
    Layer.PARKING: ("주차장명",),
    Layer.HAZARD: ("시설명", "업소명", "사업장명", "상호"),
    Layer.ROAD: ("도로명", "구간명"),
}
_ADDRESSES = ("소재지도로명주소", "소재지지번주소", "도로명", "주소")
_DETAILS: dict[Layer, tuple[str, ...]] = {
    Layer.WATER: ("시설유형코드", "용수형식", "용수구분", "출수압력", "수압", "사용구분",
                  "안전센터명", "안전센터"),
    Layer.DEVICE: ("사용구분", "설치유형구분", "설치구분", "관할서", "안전센터"),
    Layer.PARKING: ("주차장구분", "주차장유형", "주차구획수", "운영요일", "요금정보", "전화번호"),
    Layer.HAZARD: ("시설구분", "위험물유별", "품명", "지정수량배수", "허가량", "저장량",
                   "전화번호"),
    Layer.ROAD: ("도로폭", "도로폭원", "차로수", "일방통행여부", "소방차진입가능여부"),
}  # fmt: skip


@dataclass(frozen=True)
class LayerItem:
    key: str
    name: str
    address: str
    latitude: Decimal
    longitude: Decimal
    detail: dict[str, str]
    line: int = 0
    """The file line the row starts on (header = line 1)."""


@dataclass(frozen=True)
class RowRejection:
    """One rejected row: its file line, the reason code, the column to blame
    (a header of the file, ``""`` when no one column is) and a detail."""

    line: int
    reason: str
    field: str
    detail: str = ""


@dataclass
class LayerReading:
    items: list[LayerItem] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)
    rejections: list[RowRejection] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return sum(self.reasons.values())

    def reject(self, line: int, reason: LayerRejection, column: str, detail: str = "") -> None:
        self.reasons[reason] += 1
        self.rejections.append(RowRejection(line, reason.value, column, detail))


def _first(row: Mapping[str, str], names: Iterable[str]) -> tuple[str, str]:
    """The first non-blank value among ``names``, and its column (or ``""``)."""
    for name in names:
        value = (row.get(name) or "").strip()
        if value:
            return name, value
    return "", ""


def _column(row: Mapping[str, str], names: tuple[str, ...]) -> str:
    """The column a blank value is blamed on: the first of ``names`` in the file."""
    return next((name for name in names if name in row), names[0])


def _coordinate(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def read_layer(layer: Layer, rows: Iterable[Mapping[str, str]]) -> LayerReading:
    """Accept or reject each row (a dict by column name; the first is line 2)."""
    return read_numbered_layer(layer, enumerate(rows, start=2))


def read_numbered_layer(
    layer: Layer, rows: Iterable[tuple[int, Mapping[str, str]]]
) -> LayerReading:
    """Accept or reject each ``(file line, row)``."""
    reading = LayerReading()
    seen: dict[str, int] = {}
    for line, row in rows:
        key_column, key = _first(row, _KEYS[layer])
        if not key and layer not in _KEY_FROM_POINT:
            reading.reject(line, LayerRejection.MISSING_KEY, _column(row, _KEYS[layer]))
            continue
        if len(key) > MAX_KEY:
            detail = f"{len(key)} characters, at most {MAX_KEY}"
            reading.reject(line, LayerRejection.KEY_TOO_LONG, key_column, detail)
            continue
        lat_column, lat_text = _first(row, _LAT)
        lon_column, lon_text = _first(row, _LON)
        lat, lon = _coordinate(lat_text), _coordinate(lon_text)
        if lat is None or lon is None:
            if lat is None:
                blamed, value = lat_column or _column(row, _LAT), lat_text
            else:
                blamed, value = lon_column or _column(row, _LON), lon_text
            reading.reject(line, LayerRejection.MISSING_COORDINATES, blamed, value[:50])
            continue
        if lat == 0 or lon == 0:
            reading.reject(line, LayerRejection.PLACEHOLDER_COORDINATES, "", f"({lat}, {lon})")
            continue
        if not any(box.contains(lat, lon) for box in KOREA_TERRITORY):
            detail = f"({lat_text[:30]}, {lon_text[:30]})"
            reading.reject(line, LayerRejection.OUT_OF_KOREA, "", detail)
            continue
        lat, lon = lat.quantize(_COORDINATE), lon.quantize(_COORDINATE)
        key = key or f"{lat.normalize()},{lon.normalize()}"
        if key in seen:
            detail = f"same key as line {seen[key]}"
            reading.reject(line, LayerRejection.DUPLICATE, key_column, detail)
            continue
        seen[key] = line
        details = {name: (row.get(name) or "").strip() for name in _DETAILS[layer]}
        reading.items.append(
            LayerItem(
                key=key,
                name=_first(row, _NAMES[layer])[1][:200],
                address=_first(row, _ADDRESSES)[1][:300],
                latitude=lat,
                longitude=lon,
                detail={k: v for k, v in details.items() if v},
                line=line,
            )
        )
    return reading


def read_layer_file(layer: Layer, data: bytes) -> LayerReading:
    """A CSV file of the layer, UTF-8 or CP949, columns matched by name."""
    text, _encoding = decode_bytes(data)
    records = read_csv(text)
    header: list[str] = []
    for record in records:
        if isinstance(record, CsvProblem):
            break
        if any(v.strip() for v in record.values):
            header = [h.strip().lstrip("\ufeff") for h in record.values]
            break
    headers = set(header)
    keyed = layer in _KEY_FROM_POINT or headers & set(_KEYS[layer])
    if not headers & set(_LAT) or not headers & set(_LON) or not keyed:
        reading = LayerReading()
        reading.reject(1, LayerRejection.UNKNOWN_LAYOUT, "")
        return reading
    problems: list[RowRejection] = []

    def rows() -> Iterable[tuple[int, Mapping[str, str]]]:
        for record in records:
            if isinstance(record, CsvProblem):
                column = header[record.column] if 0 <= record.column < len(header) else ""
                problems.append(
                    RowRejection(record.line, LayerRejection.MALFORMED_ROW.value, column,
                                 record.code)
                )  # fmt: skip
                continue
            if not any(v.strip() for v in record.values):
                continue
            yield record.line, dict(zip(header, record.values, strict=False))

    reading = read_numbered_layer(layer, rows())
    if problems:
        reading.reasons[LayerRejection.MALFORMED_ROW] += len(problems)
    reading.rejections = sorted([*reading.rejections, *problems], key=lambda r: r.line)
    return reading
