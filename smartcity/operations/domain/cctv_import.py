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

One row is read by ``cctv_rows`` (checks 1–5 and the natural key); this
module reads the file, finds duplicates (check 6) and keeps the tallies.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from smartcity.operations.domain.cctv_layout import (
    HeaderMap,
    UndecodableFile,
    decode_bytes,
    map_headers,
    read_records,
)
from smartcity.operations.domain.cctv_rows import (
    CameraRecord,
    RejectionReason,
    RowBuilder,
    RowRejected,
)
from smartcity.operations.domain.cctv_values import (
    KOREA_TERRITORY,
    PLACEHOLDER_COORDINATES,
    BoundingBox,
)
from smartcity.operations.domain.direction import DEFAULT_FOV_DEG

KST = timezone(timedelta(hours=9))


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why a row was not imported. ``field`` is the canonical column name
    (e.g. ``"WGS84위도"``) when one column is to blame."""

    row: int
    reason: RejectionReason
    field: str | None
    detail: str
    line: int = 0
    source: str = ""
    """The record as read (its fields joined by commas, at most
    :data:`SOURCE_EXCERPT` characters), for the rejected-rows report."""


SOURCE_EXCERPT = 300


def _excerpt(values: tuple[str, ...]) -> str:
    text = ",".join(values).replace("\x00", "\ufffd")
    return text[:SOURCE_EXCERPT]


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


def parse_cctv(
    data: bytes | str,
    *,
    today: date | None = None,
    territory: Collection[BoundingBox] = KOREA_TERRITORY,
    placeholders: Collection[tuple[Decimal, Decimal]] = PLACEHOLDER_COORDINATES,
    default_fov_deg: float = DEFAULT_FOV_DEG,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 500,
) -> CctvParseResult:
    """Parse one CCTV standard-data file (bytes as downloaded, or decoded text).

    ``today`` bounds installation and reference dates; it defaults to the
    current date in Korea and should be passed explicitly by tests.
    ``progress`` is called with the file line reached every
    ``progress_every`` records (a progress bar's numerator).
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
    builder = RowBuilder(header_map, today, territory, placeholders, default_fov_deg)
    cameras: list[CameraRecord] = []
    rejected: list[Rejection] = []
    seen_keys: dict[str, int] = {}
    seen_content: dict[tuple[str, ...], int] = {}
    rows = swapped = 0
    for record in records:
        rows += 1
        if progress is not None and rows % progress_every == 0:
            progress(record.line)
        try:
            camera = builder.build(record)
            content = builder.content(record)
            _check_duplicate(record.row, camera.key, content, seen_keys, seen_content)
        except RowRejected as problem:
            column = problem.column.value if problem.column else None
            rejected.append(
                Rejection(
                    record.row,
                    problem.reason,
                    column,
                    problem.detail,
                    record.line,
                    _excerpt(record.values),
                )
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
        raise RowRejected(RejectionReason.DUPLICATE, None, detail)
    if key in keys:
        contents[content] = row
        detail = f"same natural key {key} as row {keys[key]}, other columns differ"
        raise RowRejected(RejectionReason.DUPLICATE, None, detail)


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
