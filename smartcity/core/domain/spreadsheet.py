"""Cells that spreadsheet programs open as text, never as formulas.

Pure (no Django, no openpyxl import): every CSV and XLSX export passes its
values through here, so a name, note or justification typed as
``=HYPERLINK(...)`` or ``@SUM(...)`` reaches the reader as the text it was.

- CSV: a text cell that a spreadsheet would start evaluating (first character
  ``=``, ``+``, ``-``, ``@``, tab, CR or LF, or one of ``=+-@`` after leading
  spaces) gets a leading apostrophe, the usual neutraliser. Plain numbers
  (``-3``, ``+0.5``) are data, not formulas, and are left alone. A value that
  already starts with an apostrophe before such a character gets one more, so
  ``restore_csv_cell`` gives back exactly what was stored.
- XLSX: the value is kept as it is (the framework workbook must round-trip),
  written as a text cell with Excel's own "quote prefix" instead of a formula;
  characters XML 1.0 forbids (NUL and the other C0 controls but tab, LF, CR)
  are replaced by U+FFFD, so a stored control character cannot break the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Protocol

_TRIGGERS = frozenset("=+-@\t\r\n")
_AFTER_SPACES = frozenset("=+-@")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet program could take ``text`` as a formula."""
    if not text or _NUMBER.fullmatch(text):
        return False
    if text[0] in _TRIGGERS:
        return True
    stripped = text.lstrip(" ")
    return stripped[:1] in _AFTER_SPACES and not _NUMBER.fullmatch(stripped)


def _quoted_formula(text: str) -> bool:
    """``'`` + (formula-like or already quoted): needs one more apostrophe."""
    return text.startswith("'") and (looks_like_formula(text[1:]) or _quoted_formula(text[1:]))


def csv_cell(value: object) -> object:
    """A CSV cell value that opens as text; non-text values pass unchanged."""
    if isinstance(value, str) and (looks_like_formula(value) or _quoted_formula(value)):
        return "'" + value
    return value


def csv_row(values: Iterable[object]) -> list[object]:
    return [csv_cell(v) for v in values]


def restore_csv_cell(text: str) -> str:
    """The stored value behind an exported CSV cell (undoes ``csv_cell``)."""
    if text.startswith("'") and (looks_like_formula(text[1:]) or _quoted_formula(text[1:])):
        return text[1:]
    return text


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold replaced by U+FFFD."""
    return _XML_ILLEGAL.sub(REPLACEMENT, text)


def control_characters(text: str) -> list[str]:
    """The forbidden control characters in ``text``, as ``U+0000`` labels
    (tab, LF and CR are allowed: notes span lines)."""
    return sorted({f"U+{ord(c):04X}" for c in _XML_ILLEGAL.findall(text)})


class _Cell(Protocol):
    value: Any
    data_type: str
    quotePrefix: bool  # openpyxl's name


class _Sheet(Protocol):
    max_row: int

    def append(self, iterable: Any) -> None: ...

    def __getitem__(self, key: int) -> tuple[_Cell, ...]: ...


def xlsx_value(value: object) -> object:
    return xml_safe(value) if isinstance(value, str) else value


def append_xlsx_row(sheet: _Sheet, values: Iterable[object]) -> None:
    """Append one row to an openpyxl worksheet: text stays text (a formula-like
    value becomes a quote-prefixed text cell), illegal characters are replaced."""
    sheet.append([xlsx_value(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and looks_like_formula(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True
