"""Columns, encodings and CSV records of the national CCTV standard data files.

Why columns are matched by name: the official layout has changed (14 columns
until about 2022, 18 now) and republished copies reorder, drop, rename
(``위도`` for ``WGS84위도``) or add columns (Seoul's ``법정동``). Headers are
compared after NFKC normalisation, lower-casing and removal of everything but
letters and digits, so ``WGS84 위도``, ``위도(WGS84)`` and ``WGS84위도`` match.

Why encodings are sniffed: official downloads are CP949 (a superset of EUC-KR),
re-saved files are UTF-8 with or without a BOM, and Excel's "Unicode text"
is UTF-16 with a BOM. A file that is valid UTF-8 is read as UTF-8: Korean text
in CP949 is almost never valid UTF-8, so the order of attempts is safe.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from smartcity.core.domain.csv_records import CsvProblem, read_csv


class Column(StrEnum):
    """Canonical columns, named after the current 18-column official layout."""

    LOCAL_GOV_CODE = "개방자치단체코드"
    MANAGEMENT_NUMBER = "관리번호"
    AGENCY = "관리기관명"
    ROAD_ADDRESS = "소재지도로명주소"
    LOT_ADDRESS = "소재지지번주소"
    PURPOSE = "설치목적구분"
    CAMERA_COUNT = "카메라대수"
    PIXELS = "카메라화소수"
    DIRECTION = "촬영방면정보"
    RETENTION_DAYS = "보관일수"
    INSTALLED = "설치연월"
    AGENCY_PHONE = "관리기관전화번호"
    LATITUDE = "WGS84위도"
    LONGITUDE = "WGS84경도"
    REFERENCE_DATE = "데이터기준일자"
    UPDATE_KIND = "데이터갱신구분"
    UPDATED_AT = "데이터갱신시점"
    MODIFIED_AT = "최종수정시점"
    SERIAL = "번호"
    """A row counter some republishers add (Busan's 14-column file). It is not
    data: two rows that differ only in it are the same row."""


STANDARD_COLUMNS: tuple[Column, ...] = tuple(c for c in Column if c is not Column.SERIAL)
"""The 18 columns of the current official layout, in their official order."""


def normalise_header(name: str) -> str:
    """Comparable form of a header: NFKC, lower case, letters and digits only."""
    folded = unicodedata.normalize("NFKC", name).lower()
    return "".join(ch for ch in folded if ch.isalnum())


_ALIASES: dict[Column, tuple[str, ...]] = {
    Column.LOCAL_GOV_CODE: ("개방자치단체코드", "자치단체코드", "개방자치단체"),
    Column.MANAGEMENT_NUMBER: ("관리번호", "cctv관리번호"),
    Column.AGENCY: ("관리기관명", "관리기관"),
    Column.ROAD_ADDRESS: ("소재지도로명주소", "도로명주소", "설치장소도로명주소"),
    Column.LOT_ADDRESS: ("소재지지번주소", "지번주소", "설치장소지번주소"),
    Column.PURPOSE: ("설치목적구분", "설치목적", "목적구분"),
    Column.CAMERA_COUNT: ("카메라대수", "카메라수", "cctv대수", "설치대수"),
    Column.PIXELS: ("카메라화소수", "카메라화소", "화소수", "화소"),
    Column.DIRECTION: ("촬영방면정보", "촬영방면", "촬영방향"),
    Column.RETENTION_DAYS: ("보관일수", "보관기간"),
    Column.INSTALLED: ("설치연월", "설치년월", "설치연도", "설치년도", "설치일자"),
    Column.AGENCY_PHONE: ("관리기관전화번호", "전화번호"),
    Column.LATITUDE: ("wgs84위도", "위도", "위도wgs84", "latitude", "lat"),
    Column.LONGITUDE: ("wgs84경도", "경도", "경도wgs84", "longitude", "lon", "lng"),
    Column.REFERENCE_DATE: ("데이터기준일자", "기준일자"),
    Column.UPDATE_KIND: ("데이터갱신구분",),
    Column.UPDATED_AT: ("데이터갱신시점", "데이터갱신일자"),
    Column.MODIFIED_AT: ("최종수정시점", "최종수정일자"),
    Column.SERIAL: ("번호", "연번", "순번", "no"),
}
_BY_ALIAS: dict[str, Column] = {
    normalise_header(alias): column for column, aliases in _ALIASES.items() for alias in aliases
}


@dataclass(frozen=True, slots=True)
class HeaderMap:
    """Where each recognised column is, and which headers were not recognised."""

    positions: Mapping[Column, int]
    headers: tuple[str, ...]
    unmapped: tuple[str, ...]

    @property
    def has_coordinates(self) -> bool:
        return Column.LATITUDE in self.positions and Column.LONGITUDE in self.positions

    @property
    def content_positions(self) -> tuple[int, ...]:
        """Columns that make up "the row's content" for duplicate detection."""
        serial = self.positions.get(Column.SERIAL)
        return tuple(i for i in range(len(self.headers)) if i != serial)


def map_headers(headers: list[str]) -> HeaderMap:
    """Map headers to canonical columns; the first header wins when two map to
    the same column (a later copy is listed as unmapped, never silently merged)."""
    positions: dict[Column, int] = {}
    unmapped: list[str] = []
    for index, header in enumerate(headers):
        column = _BY_ALIAS.get(normalise_header(header))
        if column is None or column in positions:
            unmapped.append(header)
        else:
            positions[column] = index
    return HeaderMap(positions=positions, headers=tuple(headers), unmapped=tuple(unmapped))


class UndecodableFile(ValueError):
    """Neither UTF-16 (with BOM), UTF-8 nor CP949."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for the encodings Korean public data comes in."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8", "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", "utf-16")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode(data, "cp949", "cp949")


def _decode(data: bytes, codec: str, label: str) -> tuple[str, str]:
    try:
        return data.decode(codec), label
    except UnicodeDecodeError as exc:
        raise UndecodableFile(f"{label}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One CSV record: ``row`` counts data records from 1 (header excluded);
    ``line`` is the physical line it starts on (header = line 1), which differs
    from ``row + 1`` once a quoted field has spanned lines."""

    row: int
    line: int
    values: tuple[str, ...]
    problem: CsvProblem | None = None
    """Set when the record could not be read (an unterminated quote, a field
    over the size limit, a NUL): the row is counted and rejected, not lost."""


def _delimiter(first_line: str) -> str:
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def read_records(text: str) -> tuple[list[str], Iterator[RawRecord]]:
    """Split decoded text into the header and an iterator of records.

    Blank lines and all-empty records (``,,,,`` left by spreadsheets) are
    skipped without taking a row number; quoted fields may contain newlines.
    Short records are padded with empty strings (exports often cut trailing
    empty columns); long ones are kept as they are so the caller can reject them.
    A record that cannot be read comes with its ``problem`` and no values; an
    unterminated quote no longer swallows the records after it
    (``core.domain.csv_records``).
    """
    first_line = text.lstrip().split("\n", 1)[0]
    reader = read_csv(text, delimiter=_delimiter(first_line))
    header: list[str] = []
    for item in reader:
        if isinstance(item, CsvProblem):
            break  # an unreadable header: no columns, so the layout is unknown
        if any(v.strip() for v in item.values):
            header = [v.strip().lstrip("\ufeff") for v in item.values]
            break
    width = len(header)

    def records() -> Iterator[RawRecord]:
        row = 0
        for item in reader if header else ():
            if isinstance(item, CsvProblem):
                row += 1
                yield RawRecord(row=row, line=item.line, values=(), problem=item)
                continue
            values = list(item.values)
            if not any(v.strip() for v in values):
                continue
            row += 1
            if len(values) < width:
                values = values + [""] * (width - len(values))
            yield RawRecord(row=row, line=item.line, values=tuple(values))

    return header, records()


_WHITESPACE = re.compile(r"\s+")


def clean(value: str) -> str:
    """Collapse runs of whitespace (quoted fields carry newlines) and trim."""
    return _WHITESPACE.sub(" ", value).strip()
