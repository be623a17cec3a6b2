"""Hostile framework documents: each one is a problem with its place in the
document — never a 5xx, a traceback or a half-saved framework — through the
service, the import page and the console command, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from smartcity.frameworks.models import FrameworkIndicator, FrameworkVersion
from smartcity.frameworks.services import import_framework
from smartcity.scoring import framework_to_dict, shipped_framework

pytestmark = pytest.mark.django_db


def document() -> dict[str, Any]:
    doc: dict[str, Any] = framework_to_dict(shipped_framework("city-2023"))
    doc["code"] = "city-2023-draft"
    return doc


def first_indicator(doc: dict[str, Any]) -> dict[str, Any]:
    indicator: dict[str, Any] = doc["areas"][0]["items"][0]["indicators"][0]
    return indicator


def _set(path: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: object):  # type: ignore[no-untyped-def]
    def change(doc: dict[str, Any]) -> None:
        path(doc)[key] = value

    return change


def _mutated(change: Callable[[dict[str, Any]], None]) -> bytes:
    doc = document()
    change(doc)
    return json.dumps(doc, ensure_ascii=False).encode()


DEEP_JSON = ('{"code": ' + "[" * 100_000 + "]" * 100_000 + "}").encode()
DEEP_YAML = ("code: " + "[" * 100_000 + "]" * 100_000 + "\n").encode()
DEEP_BUT_PARSEABLE = ('{"code": "x", "areas": ' + "[" * 200 + "]" * 200 + "}").encode()

HOSTILE: dict[str, tuple[bytes, str, str]] = {
    "deep json": (DEEP_JSON, "nesting_too_deep", ""),
    "deep yaml": (DEEP_YAML, "nesting_too_deep", ""),
    "deep but parseable": (DEEP_BUT_PARSEABLE, "nesting_too_deep", "areas" + "[0]" * 29),
    "nul in a name": (
        _mutated(_set(first_indicator, "name_ko", "지표\x00이름")),
        "nul_character",
        "areas[0].items[0].indicators[0].name_ko",
    ),
    "over-long code": (_mutated(_set(lambda d: d, "code", "c" * 61)), "too_long", "code"),
    "over-long indicator name": (
        _mutated(_set(first_indicator, "name_en", "n" * 301)),
        "too_long",
        "areas[0].items[0].indicators[0].name_en",
    ),
    "huge year": (_mutated(_set(lambda d: d, "year", 10**12)), "out_of_range", "year"),
    "huge points": (
        _mutated(_set(first_indicator, "points", "1e999999999")),
        "out_of_range",
        "areas[0].items[0].indicators[0].points",
    ),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_document_is_a_located_problem_and_saves_nothing(name: str) -> None:
    data, problem, location = HOSTILE[name]
    result = import_framework(data=data, file_name="hostile.json")
    assert [(p.problem, p.location) for p in result.problems][:1] == [(problem, location)]
    assert FrameworkVersion.objects.count() == 0
    assert FrameworkIndicator.objects.count() == 0


@pytest.mark.parametrize("name", ["deep json", "nul in a name", "over-long code", "huge year"])
def test_hostile_document_gets_a_400_on_the_import_page(
    name: str,
    ministry_officer,  # type: ignore[no-untyped-def]
    client: Client,
) -> None:
    data, problem, _location = HOSTILE[name]
    client.force_login(ministry_officer)
    upload = SimpleUploadedFile("hostile.json", data, "application/json")
    response = client.post(reverse("frameworks:import"), {"file": upload})
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert FrameworkVersion.objects.count() == 0


def test_hostile_document_is_reported_by_the_command_without_a_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "deep.json"
    path.write_bytes(DEEP_JSON)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("frameworks", "import", str(path), stderr=err)
    assert "nesting_too_deep" in err.getvalue()


def _edited_workbook(sheet_name: str, key: str, value: str) -> bytes:
    from openpyxl import load_workbook

    from smartcity.frameworks.domain.workbook import document_to_workbook

    book = load_workbook(io.BytesIO(document_to_workbook(document())))
    sheet = book[sheet_name]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == key or sheet_name == "grades":
            sheet.cell(row, 2 if sheet_name == "framework" else 1).value = value
            break
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(("sheet", "key", "location"), [
    ("framework", "year", "framework!"),
    ("grades", "", "grade_bands[0].grade"),
])  # fmt: skip
def test_an_infinite_number_in_a_workbook_is_a_located_problem(
    sheet: str, key: str, location: str
) -> None:
    result = import_framework(data=_edited_workbook(sheet, key, "1e999"), file_name="x.xlsx")
    assert result.problems and result.problems[0].location.startswith(location)
    assert FrameworkVersion.objects.count() == 0
