"""A framework document as an Excel workbook the operating body can edit.

Pure (openpyxl, no Django). ``document_to_workbook`` and ``workbook_to_document``
round-trip the engine's framework document exactly; reading reports every cell
it cannot understand with its sheet, row and column, and the indicator code.

Sheets: ``framework`` (key, value), ``grades``, ``areas``, ``items``,
``indicators`` (one row per indicator, the rule spread over columns).
Bands are written ``threshold=share; threshold=share``; maturity stage shares
``0.2; 0.4; …``; the five stage descriptors one per line in their cell.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# openpyxl is imported where a workbook is made or read: it costs about a
# second at start-up, which every process (console script, test worker) would pay.

from smartcity.core.domain.archives import UnsafeArchive, ZipLimits, open_zip
from smartcity.core.domain.spreadsheet import append_xlsx_row

SCALARS = (
    "schema_version",
    "code",
    "kind",
    "year",
    "field",
    "version",
    "name_ko",
    "name_en",
    "reconstructed",
    "total_points",
    "quantitative_total",
    "qualitative_total",
    "certification_threshold",
    "aggregation",
    "rounding_places",
    "rounding_mode",
    "disagreement_spread",
)
INDICATOR_COLUMNS = (
    "item_code",
    "code",
    "name_ko",
    "name_en",
    "description_ko",
    "description_en",
    "points",
    "evidence_required",
    "rule_type",
    "per",
    "scale",
    "inner_rule_type",
    "direction",
    "bands",
    "floor",
    "target",
    "stage_shares",
    "descriptors_ko",
    "descriptors_en",
)
_INTS = {"schema_version", "year", "rounding_places"}
WORKBOOK_LIMITS = ZipLimits(max_members=1_000, max_unpacked_bytes=64 * 1024 * 1024)
"""A framework workbook is five small sheets; openpyxl holds shared strings in
memory, so what it may unpack is bounded before it opens the file."""


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    code: str
    indicator: str = ""
    value: str = ""


class WorkbookError(ValueError):
    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the workbook")
        self.errors = errors


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def document_to_workbook(document: Mapping[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "framework"
    append_xlsx_row(sheet, ["key", "value"])
    rounding = document.get("rounding") or {}
    for key in SCALARS:
        if key == "rounding_places":
            value = rounding.get("places")
        elif key == "rounding_mode":
            value = rounding.get("mode")
        else:
            value = document.get(key)
        append_xlsx_row(
            sheet,
            [
                key,
                ""
                if value is None
                else str(value)
                if not isinstance(value, bool)
                else ("true" if value else "false"),
            ],
        )
    grades = book.create_sheet("grades")
    append_xlsx_row(grades, ["grade", "min_points"])
    for band in document.get("grade_bands", []):
        append_xlsx_row(grades, [band["grade"], band["min_points"]])
    areas = book.create_sheet("areas")
    append_xlsx_row(areas, ["code", "name_ko", "name_en"])
    items = book.create_sheet("items")
    append_xlsx_row(items, ["area_code", "code", "name_ko", "name_en"])
    indicators = book.create_sheet("indicators")
    append_xlsx_row(indicators, list(INDICATOR_COLUMNS))
    for area in document.get("areas", []):
        append_xlsx_row(areas, [area["code"], area["name_ko"], area["name_en"]])
        for item in area["items"]:
            append_xlsx_row(items, [area["code"], item["code"], item["name_ko"], item["name_en"]])
            for indicator in item["indicators"]:
                append_xlsx_row(indicators, _indicator_row(item["code"], indicator))
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 18
    for row in indicators.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _indicator_row(item_code: str, indicator: Mapping[str, Any]) -> list[str]:
    rule = indicator["rule"]
    values = dict.fromkeys(INDICATOR_COLUMNS, "")
    values.update(
        item_code=item_code,
        code=indicator["code"],
        name_ko=indicator["name_ko"],
        name_en=indicator["name_en"],
        description_ko=indicator.get("description_ko", ""),
        description_en=indicator.get("description_en", ""),
        points=indicator["points"],
        evidence_required=indicator.get("evidence_required", ""),
        rule_type=rule["type"],
    )
    inner = rule
    if rule["type"] == "normalised_count":
        values.update(per=rule["per"], scale=rule["scale"], inner_rule_type=rule["rule"]["type"])
        inner = rule["rule"]
    if inner["type"] == "bands":
        values["direction"] = inner["direction"]
        values["bands"] = "; ".join(f"{b['threshold']}={b['share']}" for b in inner["bands"])
    elif inner["type"] == "linear":
        values.update(direction=inner["direction"], floor=inner["floor"], target=inner["target"])
    elif inner["type"] == "maturity":
        values["stage_shares"] = "; ".join(inner["stage_shares"])
        values["descriptors_ko"] = "\n".join(inner["descriptors_ko"])
        values["descriptors_en"] = "\n".join(inner["descriptors_en"])
    return [values[c] for c in INDICATOR_COLUMNS]


def workbook_to_document(data: bytes) -> dict[str, Any]:
    """Read a workbook back into a framework document, or raise WorkbookError."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(_within_limits(data), read_only=True, data_only=True)
    except UnsafeArchive as unsafe:
        code = "not_a_workbook" if unsafe.code == "not_a_zip" else "unsafe_archive"
        raise WorkbookError([CellError("", 0, "", code, value=str(unsafe)[:200])]) from unsafe
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise WorkbookError([CellError("", 0, "", "not_a_workbook", value=str(exc)[:200])]) from exc
    errors: list[CellError] = []
    sheets = {}
    for name in ("framework", "grades", "areas", "items", "indicators"):
        if name not in book.sheetnames:
            errors.append(CellError(name, 0, "", "missing_sheet"))
        else:
            sheets[name] = _rows(book[name])
    if errors:
        raise WorkbookError(errors)
    document: dict[str, Any] = {}
    rounding: dict[str, Any] = {}
    for row_number, row in sheets["framework"]:
        key, value = _text(row.get("key")), _text(row.get("value"))
        if key not in SCALARS:
            errors.append(CellError("framework", row_number, "key", "unknown_key", value=key))
            continue
        parsed: Any = value or None
        if key in _INTS and value:
            try:
                parsed = int(float(value))
            except (ValueError, OverflowError):  # "1e999" is infinite
                errors.append(
                    CellError("framework", row_number, "value", "not_a_number", value=value)
                )
                continue
        if key == "reconstructed":
            parsed = value.lower() in {"true", "1", "yes", "y"}
        if key == "rounding_places":
            rounding["places"] = parsed
        elif key == "rounding_mode":
            rounding["mode"] = parsed
        else:
            document[key] = parsed
    document["rounding"] = rounding
    document["grade_bands"] = [
        {"grade": _int_or_text(r.get("grade")), "min_points": _text(r.get("min_points"))}
        for _, r in sheets["grades"]
    ]
    areas: dict[str, dict[str, Any]] = {}
    for _, r in sheets["areas"]:
        code = _text(r.get("code"))
        areas[code] = {
            "code": code,
            "name_ko": _text(r.get("name_ko")),
            "name_en": _text(r.get("name_en")),
            "items": [],
        }
    items: dict[str, dict[str, Any]] = {}
    for row_number, r in sheets["items"]:
        code = _text(r.get("code"))
        area = areas.get(_text(r.get("area_code")))
        if area is None:
            errors.append(
                CellError(
                    "items",
                    row_number,
                    "area_code",
                    "unknown_area",
                    value=_text(r.get("area_code")),
                )
            )
            continue
        items[code] = {
            "code": code,
            "name_ko": _text(r.get("name_ko")),
            "name_en": _text(r.get("name_en")),
            "indicators": [],
        }
        area["items"].append(items[code])
    for row_number, r in sheets["indicators"]:
        code = _text(r.get("code"))
        item = items.get(_text(r.get("item_code")))
        if item is None:
            errors.append(
                CellError(
                    "indicators",
                    row_number,
                    "item_code",
                    "unknown_item",
                    code,
                    _text(r.get("item_code")),
                )
            )
            continue
        indicator = _indicator_from_row(r, row_number, code, errors)
        if indicator is not None:
            item["indicators"].append(indicator)
    document["areas"] = list(areas.values())
    if errors:
        raise WorkbookError(errors)
    return document


def _within_limits(data: bytes) -> io.BytesIO:
    """The workbook's bytes, once its ZIP directory is within ``WORKBOOK_LIMITS``
    (``UnsafeArchive`` otherwise): a zip bomb is refused before openpyxl unpacks it."""
    stream = io.BytesIO(data)
    open_zip(stream, WORKBOOK_LIMITS).close()
    stream.seek(0)
    return stream


def _int_or_text(value: object) -> object:
    text = _text(value)
    try:
        return int(float(text))
    except (ValueError, OverflowError):  # "1e999" is infinite: left as text, refused later
        return text


def _rows(sheet: Worksheet) -> list[tuple[int, dict[str, object]]]:
    rows = sheet.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    result = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or _text(v) == "" for v in values):
            continue
        result.append((number, dict(zip(header, values, strict=False))))
    return result


def _number_text(value: object) -> str:
    text = _text(value)
    if text.endswith(".0") and text[:-2].lstrip("-").isdigit():
        return text[:-2]
    return text


def _indicator_from_row(
    r: Mapping[str, object], row_number: int, code: str, errors: list[CellError]
) -> dict[str, Any] | None:
    rule_type = _text(r.get("rule_type"))
    inner_type = _text(r.get("inner_rule_type")) if rule_type == "normalised_count" else rule_type
    inner: dict[str, Any] = {"type": inner_type}
    if inner_type == "bands":
        bands = []
        for part in [p.strip() for p in _text(r.get("bands")).split(";") if p.strip()]:
            threshold, sep, share = part.partition("=")
            if not sep:
                errors.append(
                    CellError("indicators", row_number, "bands", "malformed_band", code, part)
                )
                return None
            bands.append({"threshold": threshold.strip(), "share": share.strip()})
        inner.update(direction=_text(r.get("direction")), bands=bands)
    elif inner_type == "linear":
        inner.update(
            floor=_number_text(r.get("floor")),
            target=_number_text(r.get("target")),
            direction=_text(r.get("direction")),
        )
    elif inner_type == "maturity":
        inner["stage_shares"] = [
            s.strip() for s in _text(r.get("stage_shares")).split(";") if s.strip()
        ]
        inner["descriptors_ko"] = _text(r.get("descriptors_ko")).split("\n")
        inner["descriptors_en"] = _text(r.get("descriptors_en")).split("\n")
    rule = inner
    if rule_type == "normalised_count":
        rule = {
            "type": rule_type,
            "per": _text(r.get("per")),
            "scale": _number_text(r.get("scale")),
            "rule": inner,
        }
    return {
        "code": code,
        "name_ko": _text(r.get("name_ko")),
        "name_en": _text(r.get("name_en")),
        "description_ko": _text(r.get("description_ko")),
        "description_en": _text(r.get("description_en")),
        "points": _number_text(r.get("points")),
        "evidence_required": _text(r.get("evidence_required")),
        "rule": rule,
    }
