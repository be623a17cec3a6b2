"""Framework import, export and publication: exact round trips, precise errors,
nothing half-imported, published versions immutable."""

from __future__ import annotations

import json

import pytest
import yaml

from smartcity.core.models import AuditEvent
from smartcity.frameworks.models import (
    CrosswalkEntry,
    FrameworkIndicator,
    FrameworkVersion,
    PublishedFrameworkError,
)
from smartcity.frameworks.services import (
    export_framework,
    import_framework,
    load_shipped_frameworks,
    publish_framework,
)
from smartcity.scoring import framework_hash, framework_to_dict, shipped_framework

pytestmark = pytest.mark.django_db


def document(code: str = "city-2023") -> dict:  # type: ignore[type-arg]
    doc = framework_to_dict(shipped_framework(code))
    doc["code"] = f"{code}-draft"
    return doc


def test_shipped_frameworks_load_published_with_their_hash() -> None:
    created = load_shipped_frameworks()
    assert set(created) == {
        "city-2021",
        "city-2023",
        "service-transport-2022",
        "service-environment-energy-2023",
    }
    city = FrameworkVersion.objects.get(code="city-2021")
    assert city.indicator_count == 63 and city.reconstructed
    assert city.content_hash == framework_hash(shipped_framework("city-2021"))
    assert FrameworkIndicator.objects.filter(framework__code="city-2023").count() == 53
    assert CrosswalkEntry.objects.filter(relation="retired").exists()
    assert load_shipped_frameworks() == []


@pytest.mark.parametrize("fmt", ["json", "yaml", "xlsx"])
def test_export_then_import_round_trips_exactly(fmt: str) -> None:
    result = import_framework(data=json.dumps(document()).encode(), file_name="d.json")
    assert result.ok
    exported = export_framework(result.framework, fmt)  # type: ignore[arg-type]
    FrameworkVersion.objects.all().delete()
    again = import_framework(data=exported, file_name=f"d.{fmt}")
    assert again.ok, again.problems
    assert again.framework is not None
    assert again.framework.document == document()


def test_points_that_do_not_add_up_name_the_problem_and_save_nothing() -> None:
    doc = document()
    doc["areas"][0]["items"][0]["indicators"][0]["points"] = "999"
    result = import_framework(data=yaml.safe_dump(doc, allow_unicode=True).encode())
    assert not result.ok
    assert any("total" in p.problem for p in result.problems), result.problems
    assert FrameworkVersion.objects.count() == 0


def test_duplicate_code_names_the_indicator() -> None:
    doc = document()
    indicators = doc["areas"][0]["items"][0]["indicators"]
    indicators[1]["code"] = indicators[0]["code"]
    result = import_framework(data=json.dumps(doc).encode())
    found = {(p.subject, p.problem) for p in result.problems}
    assert any(s == indicators[0]["code"] and "duplicate" in p for s, p in found), found
    assert FrameworkVersion.objects.count() == 0


def test_unknown_rule_type_names_the_indicator() -> None:
    doc = document()
    indicators = doc["areas"][0]["items"][0]["indicators"]
    indicators[2]["rule"] = {"type": "magic"}
    result = import_framework(data=json.dumps(doc).encode())
    assert (indicators[2]["code"], "unknown_rule_type") in {
        (p.subject, p.problem) for p in result.problems
    }


def test_overlapping_bands_are_reported() -> None:
    doc = document()
    for area in doc["areas"]:
        for item in area["items"]:
            for indicator in item["indicators"]:
                if indicator["rule"]["type"] == "bands":
                    bands = indicator["rule"]["bands"]
                    bands[1]["threshold"] = bands[0]["threshold"]
                    code = indicator["code"]
                    break
    result = import_framework(data=json.dumps(doc).encode())
    assert any(p.subject == code and "band" in p.problem for p in result.problems), result.problems


def test_bad_workbook_cell_names_sheet_row_and_indicator() -> None:
    import io

    from openpyxl import load_workbook

    first = import_framework(data=json.dumps(document()).encode())
    assert first.framework is not None
    book = load_workbook(io.BytesIO(export_framework(first.framework, "xlsx")))
    sheet = book["indicators"]
    bands_column = [c.value for c in sheet[1]].index("bands") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, bands_column).value:
            sheet.cell(row, bands_column).value = "1=0.4; nonsense"
            code = sheet.cell(row, 2).value
            bad_row = row
            break
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_framework(data=buffer.getvalue(), file_name="edited.xlsx")
    (problem,) = result.problems
    assert (problem.subject, problem.problem) == (code, "malformed_band")
    assert problem.location == f"indicators!{bad_row}:bands"


def test_missing_stage_descriptor_is_reported() -> None:
    doc = document()
    for area in doc["areas"]:
        for item in area["items"]:
            for indicator in item["indicators"]:
                if indicator["rule"]["type"] == "maturity":
                    indicator["rule"]["descriptors_ko"] = indicator["rule"]["descriptors_ko"][:4]
                    code = indicator["code"]
                    break
    result = import_framework(data=json.dumps(doc).encode())
    assert any(p.subject == code for p in result.problems), result.problems


def test_garbage_is_refused_clearly() -> None:
    for data in (b"\x00\x01\x02", b"[1, 2]", b"PK\x03\x04broken"):
        result = import_framework(data=data, file_name="x")
        assert not result.ok
        assert result.problems[0].problem


def test_published_version_cannot_change() -> None:
    result = import_framework(data=json.dumps(document()).encode(), publish=True)
    assert result.framework is not None and result.framework.status == "published"
    again = import_framework(data=json.dumps(document()).encode())
    assert [p.problem for p in again.problems] == ["already_published"]
    version = FrameworkVersion.objects.get()
    version.document = {**version.document, "name_ko": "바뀜"}
    with pytest.raises(PublishedFrameworkError):
        version.save()


def test_draft_is_replaced_and_publishing_is_audited() -> None:
    first = import_framework(data=json.dumps(document()).encode())
    doc = document()
    doc["name_ko"] = "수정본"
    second = import_framework(data=json.dumps(doc).encode())
    assert second.framework is not None and first.framework is not None
    assert second.framework.pk == first.framework.pk
    assert second.framework.name_ko == "수정본"
    publish_framework(framework=second.framework)
    assert AuditEvent.objects.filter(action="frameworks.published").count() == 1
