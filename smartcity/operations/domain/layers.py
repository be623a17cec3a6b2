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
or rejected with a reason, as the CCTV importer does.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from smartcity.operations.domain.cctv_layout import decode_bytes
from smartcity.operations.domain.cctv_values import KOREA_TERRITORY

_COORDINATE = Decimal("0.00000001")


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


@dataclass
class LayerReading:
    items: list[LayerItem] = field(default_factory=list)
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def rejected(self) -> int:
        return sum(self.reasons.values())


def _first(row: Mapping[str, str], names: Iterable[str]) -> str:
    for name in names:
        value = (row.get(name) or "").strip()
        if value:
            return value
    return ""


def _coordinate(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value.quantize(_COORDINATE) if value.is_finite() else None


def read_layer(layer: Layer, rows: Iterable[Mapping[str, str]]) -> LayerReading:
    """Accept or reject each row (a dict by column name)."""
    reading = LayerReading()
    seen: set[str] = set()
    for row in rows:
        key = _first(row, _KEYS[layer])
        if not key and layer not in _KEY_FROM_POINT:
            reading.reasons[LayerRejection.MISSING_KEY] += 1
            continue
        lat, lon = _coordinate(_first(row, _LAT)), _coordinate(_first(row, _LON))
        if lat is None or lon is None:
            reading.reasons[LayerRejection.MISSING_COORDINATES] += 1
            continue
        if lat == 0 or lon == 0:
            reading.reasons[LayerRejection.PLACEHOLDER_COORDINATES] += 1
            continue
        if not any(box.contains(lat, lon) for box in KOREA_TERRITORY):
            reading.reasons[LayerRejection.OUT_OF_KOREA] += 1
            continue
        key = key or f"{lat.normalize()},{lon.normalize()}"
        if key in seen:
            reading.reasons[LayerRejection.DUPLICATE] += 1
            continue
        seen.add(key)
        detail = {name: (row.get(name) or "").strip() for name in _DETAILS[layer]}
        reading.items.append(
            LayerItem(
                key=key[:64],
                name=_first(row, _NAMES[layer])[:200],
                address=_first(row, _ADDRESSES)[:300],
                latitude=lat,
                longitude=lon,
                detail={k: v for k, v in detail.items() if v},
            )
        )
    return reading


def read_layer_file(layer: Layer, data: bytes) -> LayerReading:
    """A CSV file of the layer, UTF-8 or CP949, columns matched by name."""
    text, _encoding = decode_bytes(data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = {h.strip() for h in reader.fieldnames or []}
    keyed = layer in _KEY_FROM_POINT or headers & set(_KEYS[layer])
    if not headers & set(_LAT) or not headers & set(_LON) or not keyed:
        reading = LayerReading()
        reading.reasons[LayerRejection.UNKNOWN_LAYOUT] += 1
        return reading
    rows = ({(k or "").strip(): v or "" for k, v in row.items()} for row in reader)
    return read_layer(layer, rows)
