"""Export cells open as text: no formula, no illegal XML character."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from smartcity.core.domain.spreadsheet import (
    append_xlsx_row,
    control_characters,
    csv_cell,
    looks_like_formula,
    restore_csv_cell,
    xml_safe,
)

ATTACKS = [
    '=HYPERLINK("http://evil.example","클릭")',
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "   =1+1",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_formula_looking_text_gets_an_apostrophe_in_csv(attack: str) -> None:
    assert looks_like_formula(attack)
    assert csv_cell(attack) == "'" + attack


@pytest.mark.parametrize("value", ["가람시", "-3", "+0.5", "1e5", "", "a=b", 12, None])
def test_ordinary_values_and_plain_numbers_pass_unchanged(value: object) -> None:
    assert csv_cell(value) == value


@given(st.text())
def test_restoring_a_csv_cell_gives_back_the_stored_text(text: str) -> None:
    cell = csv_cell(text)
    assert isinstance(cell, str)
    assert not looks_like_formula(cell)
    assert restore_csv_cell(cell) == text


def test_xml_illegal_characters_are_replaced() -> None:
    assert xml_safe("가\x00람\x1f시\t\n") == "가\ufffd람\ufffd시\t\n"
    assert control_characters("a\x00b\x07c\td") == ["U+0000", "U+0007"]


def test_xlsx_rows_keep_the_text_as_a_quote_prefixed_string() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    append_xlsx_row(sheet, ["name", "n"])
    append_xlsx_row(sheet, [ATTACKS[0], 3])
    append_xlsx_row(sheet, ["가\x00람시", -1])
    out = io.BytesIO()
    book.save(out)
    read = load_workbook(io.BytesIO(out.getvalue()))
    cells = read.active[2]  # type: ignore[index]
    assert cells[0].data_type == "s" and cells[0].value == ATTACKS[0]
    assert cells[0].quotePrefix
    assert cells[1].value == 3
    assert read.active["A3"].value == "가\ufffd람시"  # type: ignore[index]
