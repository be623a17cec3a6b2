"""Typed values of one CCTV record, and the plausibility rules they must meet.

Each parser returns ``None`` for "not recorded" and raises
:class:`ImplausibleValue` for a value that cannot be true, so the importer can
reject the row with the field and the reason. Decisions taken on real data:

* ``0`` in 카메라화소수 (2,858 Busan rows) and 보관일수 (878 Busan rows) is the
  publishers' "not entered", not a physical zero: it becomes ``None``. Rejecting
  those rows would drop 18 % of Busan's cameras for a cosmetic field.
* 카메라화소수 is in units of 만 화소 (10,000 pixels): the files hold 41 (an old
  D1 camera), 130, 200 (Full HD), 400, 900 …
* An installation month before 1990 (Daejeon has ``190507``) or after the
  import date (Busan has ``2027-02``) is impossible.
* Coordinates are kept as :class:`~decimal.Decimal`: the published digits
  survive unchanged into the natural key and a database decimal column, and
  equal text gives equal keys whatever float rounding would do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import NamedTuple


class ImplausibleValue(ValueError):
    """A value that cannot be true; ``str(exc)`` is the detail for the report."""


MIN_INSTALL_YEAR = 1990
MAX_CAMERAS_PER_SITE = 999
"""Largest real value seen is 104 (기장군청 building); a four-digit count at
one site is a typing error."""
MAX_RETENTION_DAYS = 3_650
MAX_PIXELS = 100_000_000
"""100 megapixels: no CCTV camera comes close."""
PIXEL_UNIT = 10_000
"""The standard's unit for 카메라화소수 is 만 화소."""


class CameraPurpose(StrEnum):
    """A small, stable classification of 설치목적구분 for filtering; the raw text
    is always kept beside it."""

    CRIME_PREVENTION = "crime_prevention"
    TRAFFIC = "traffic"
    FACILITY = "facility"
    FIRE = "fire"
    CHILDREN = "children"
    DISASTER = "disaster"
    MULTIPURPOSE = "multipurpose"
    OTHER = "other"
    UNKNOWN = "unknown"


# Ordered: the first rule whose keyword occurs in the normalised text wins, so
# "방범 및 어린이보호" is crime prevention and "어린이보호구역 교통" children.
_PURPOSE_RULES: tuple[tuple[str, CameraPurpose], ...] = (
    ("다목적", CameraPurpose.MULTIPURPOSE),
    ("방범", CameraPurpose.CRIME_PREVENTION),  # 생활방범, 방범용, 차량방범
    ("공원", CameraPurpose.CRIME_PREVENTION),  # Seoul's "공원, 놀이터": park safety
    ("놀이터", CameraPurpose.CRIME_PREVENTION),
    ("어린이", CameraPurpose.CHILDREN),
    ("스쿨존", CameraPurpose.CHILDREN),
    ("화재", CameraPurpose.FIRE),
    ("산불", CameraPurpose.FIRE),
    ("재난", CameraPurpose.DISASTER),
    ("재해", CameraPurpose.DISASTER),
    ("방재", CameraPurpose.DISASTER),
    ("치수", CameraPurpose.DISASTER),  # flood control (Seoul's 치수관리)
    ("교통", CameraPurpose.TRAFFIC),
    ("주정차", CameraPurpose.TRAFFIC),
    ("과속", CameraPurpose.TRAFFIC),
    ("신호", CameraPurpose.TRAFFIC),
    ("시설", CameraPurpose.FACILITY),  # 시설물관리, 시설관리
)


def classify_purpose(raw: str) -> CameraPurpose:
    """Map 설치목적구분 to :class:`CameraPurpose` (쓰레기단속 and 기타 are OTHER)."""
    norm = "".join(unicodedata.normalize("NFKC", raw).split())
    if not norm:
        return CameraPurpose.UNKNOWN
    for keyword, purpose in _PURPOSE_RULES:
        if keyword in norm:
            return purpose
    return CameraPurpose.OTHER


class YearMonth(NamedTuple):
    """An installation month; ``month`` is ``None`` when only the year was given."""

    year: int
    month: int | None

    def __str__(self) -> str:
        return f"{self.year:04d}" if self.month is None else f"{self.year:04d}-{self.month:02d}"


_YEAR_MONTH = re.compile(r"(\d{4})(?:\s*[-./년]?\s*(\d{1,2})(?:\s*[-./월].*|\d{2}.*)?)?\s*")
_DATE = re.compile(r"(\d{4})\s*[-./년]?\s*(\d{1,2})\s*[-./월]?\s*(\d{1,2})\s*일?(?:[ T].*)?")


def parse_year_month(text: str, *, today: date) -> YearMonth | None:
    """설치연월: ``2018-09``, ``201809``, ``2018.9``, ``2018년 9월``, ``2018-09-01``, ``2018``."""
    if not text:
        return None
    match = _YEAR_MONTH.fullmatch(text)
    if match is None:
        raise ImplausibleValue(f"not a year-month: {text!r}")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    if month is not None and not 1 <= month <= 12:
        raise ImplausibleValue(f"month {month} in {text!r}")
    if year < MIN_INSTALL_YEAR:
        raise ImplausibleValue(f"installed before {MIN_INSTALL_YEAR}: {text!r}")
    if (year, month or 1) > (today.year, today.month):
        raise ImplausibleValue(f"installed in the future ({text!r}, today is {today})")
    return YearMonth(year, month)


def parse_date(text: str, *, today: date) -> date | None:
    """데이터기준일자: ``2022-06-08``, ``20220608``, ``2022.6.8``; a time part is ignored."""
    if not text:
        return None
    match = _DATE.fullmatch(text)
    if match is None:
        raise ImplausibleValue(f"not a date: {text!r}")
    try:
        value = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as exc:
        raise ImplausibleValue(f"not a date: {text!r}") from exc
    if value > today:
        raise ImplausibleValue(f"in the future ({text!r}, today is {today})")
    return value


_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def _number(text: str, *, unit_words: tuple[str, ...]) -> Decimal:
    """A decimal number, allowing thousands separators and a trailing unit word."""
    body = unicodedata.normalize("NFKC", text).replace(",", "").strip()
    for word in unit_words:
        if body.endswith(word):
            body = body[: -len(word)].strip()
            break
    if not _NUMBER.fullmatch(body):
        raise ImplausibleValue(f"not a number: {text!r}")
    return Decimal(body)


def parse_camera_count(text: str) -> int | None:
    """카메라대수: a whole number from 1 to :data:`MAX_CAMERAS_PER_SITE`."""
    if not text:
        return None
    value = _number(text, unit_words=("대",))
    if value != value.to_integral_value() or not 1 <= value <= MAX_CAMERAS_PER_SITE:
        raise ImplausibleValue(f"camera count {text!r} is not 1..{MAX_CAMERAS_PER_SITE}")
    return int(value)


def parse_retention_days(text: str) -> int | None:
    """보관일수: days; ``0`` means not entered."""
    if not text:
        return None
    value = _number(text, unit_words=("일",))
    if value == 0:
        return None
    if value != value.to_integral_value() or not 0 < value <= MAX_RETENTION_DAYS:
        raise ImplausibleValue(f"retention {text!r} is not 1..{MAX_RETENTION_DAYS} days")
    return int(value)


_RESOLUTION = re.compile(r"(\d{3,5})\s*[x×*]\s*(\d{3,5})")


def parse_pixels(text: str) -> int | None:
    """카메라화소수 as a pixel count.

    ``200`` and ``200만`` are 만 화소 (2,000,000 pixels); ``2MP`` is megapixels;
    ``1920x1080`` is a resolution. A plain number of 100,000 or more is taken as
    a raw pixel count, because 100,000 만 화소 (1 gigapixel) is impossible.
    """
    if not text:
        return None
    norm = unicodedata.normalize("NFKC", text).strip().lower()
    resolution = _RESOLUTION.fullmatch(norm)
    if resolution:
        pixels = int(resolution.group(1)) * int(resolution.group(2))
    elif norm.endswith(("mp", "m")) and not norm.endswith("만"):
        pixels = int(_number(norm.rstrip("mp").rstrip("m"), unit_words=()) * 1_000_000)
    else:
        value = _number(norm, unit_words=("만화소", "만", "화소"))
        pixels = int(value) if value >= 100_000 else int(value * PIXEL_UNIT)
    if pixels == 0:
        return None
    if not 0 < pixels <= MAX_PIXELS:
        raise ImplausibleValue(f"pixel count {text!r} is not a camera resolution")
    return pixels


def parse_coordinate(text: str) -> Decimal | None:
    """A WGS84 degree value; ``None`` when blank, :class:`ImplausibleValue`
    when it is not a finite number."""
    norm = unicodedata.normalize("NFKC", text).strip()
    if not norm:
        return None
    try:
        value = Decimal(norm)
    except InvalidOperation as exc:
        raise ImplausibleValue(f"not a number: {text!r}") from exc
    if not value.is_finite():
        raise ImplausibleValue(f"not a number: {text!r}")
    return value


@dataclass(frozen=True, slots=True)
class BoundingBox:
    """A latitude/longitude box, edges included."""

    south: float
    north: float
    west: float
    east: float

    def contains(self, lat: Decimal, lon: Decimal) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


KOREA_TERRITORY: tuple[BoundingBox, ...] = (
    BoundingBox(south=33.0, north=38.7, west=124.5, east=129.7),
    BoundingBox(south=37.0, north=37.7, west=130.7, east=132.0),
)
"""South Korea as two boxes: the mainland with Jeju, Marado (33.11°N) and
Baengnyeongdo (124.6°E) — the mainland's easternmost point, Homigot, is at
about 129.57°E — and a box for Ulleungdo (130.8–130.9°E) and Dokdo (131.87°E).
One box reaching 132°E would accept the open sea east of Ulsan, where Busan's
file puts two 기장군 cameras (35.33°N at 130.29°E and 131.29°E; the address
suggests 129.29°E mistyped)."""

PLACEHOLDER_COORDINATES: frozenset[tuple[Decimal, Decimal]] = frozenset(
    {(Decimal("36.1"), Decimal("127.1"))}
)
"""Values publishers type when they do not know the place: Daejeon's 2025
batch puts 990 cameras at exactly (36.1, 127.1). Any zero coordinate is also a
placeholder (checked separately). Compared numerically: 36.10 matches 36.1."""
