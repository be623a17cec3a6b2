"""The framework workbook: formula-looking names are exported as text (never a
formula cell) and still round-trip exactly."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook

from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.services import export_framework, import_framework
from smartcity.scoring import framework_to_dict, shipped_framework

pytestmark = pytest.mark.django_db


def hostile_document() -> dict:  # type: ignore[type-arg]
    doc = framework_to_dict(shipped_framework("city-2023"))
    doc["code"] = "city-2023-hostile"
    doc["name_ko"] = '=HYPERLINK("http://evil.example","지표 체계")'
    indicator = doc["areas"][0]["items"][0]["indicators"][0]
    indicator["name_ko"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    indicator["description_en"] = "+1+1"
    doc["areas"][0]["name_en"] = "-2+3+cmd|' /C calc'!A0"
    return doc


def test_formula_looking_text_is_exported_as_text_and_round_trips() -> None:
    result = import_framework(data=json.dumps(hostile_document()).encode(), file_name="h.json")
    assert result.ok, result.problems
    exported = export_framework(result.framework, "xlsx")  # type: ignore[arg-type]
    book = load_workbook(io.BytesIO(exported))
    formulas = [
        f"{ws.title}!{c.coordinate}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert formulas == []
    FrameworkVersion.objects.all().delete()
    again = import_framework(data=exported, file_name="h.xlsx")
    assert again.ok, again.problems
    assert again.framework is not None
    assert again.framework.document == hostile_document()
