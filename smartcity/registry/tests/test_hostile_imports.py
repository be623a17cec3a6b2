"""Hostile decision files: each one is a row-and-field error through the
service, the import page and the console command — never a 5xx, a traceback
or a half-saved registry — and numbering stays right past 9,999."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from smartcity.registry.models import Certificate, Decision, ImportBatch
from smartcity.registry.services import import_decisions
from smartcity.registry.tests.conftest import HEADER, csv_bytes
from smartcity.testing.console import ConsoleScript

pytestmark = pytest.mark.django_db

DAEGU = "city,대구광역시,27000,large,new,2021-09-10,,,,"

SERVICE = "service,서비스,12345678901,,new,2021-09-10,교통,기관,,"
HOSTILE: dict[str, tuple[bytes, tuple[int, str, str]]] = {
    "long field": (csv_bytes(DAEGU, DAEGU + "x" * 140_000), (3, "source", "field_too_long")),
    "nul": (csv_bytes(DAEGU, "service,교통\x00서비스,,,new,2021-09-10,교통,기관,,"),
            (3, "subject", "nul_character")),
    "unterminated quote": (csv_bytes('city,"김해시,48250,large,new,2022-09-29,,,,', DAEGU),
                           (2, "subject", "unterminated_quote")),
    "long holder": (csv_bytes(DAEGU, "service,서비스,,,new,2021-09-10,교통," + "가" * 201 + ",,"),
                    (3, "holder", "too_long")),
    "long service code": (csv_bytes(DAEGU, SERVICE),
                          (3, "subject_code", "too_long")),
    "year 9999": (csv_bytes(DAEGU, "city,김해시,48250,large,new,9999-09-29,,,,"),
                  (3, "decided_on", "date_out_of_range")),
}  # fmt: skip


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_is_a_row_error_and_saves_nothing(name: str, municipal_register) -> None:  # type: ignore[no-untyped-def]
    data, expected = HOSTILE[name]
    result = import_decisions(data=data, file_name="hostile.csv")
    assert [(e.row, e.field, e.code) for e in result.errors] == [expected]
    assert Decision.objects.count() == 0
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_gets_a_400_with_the_line_on_the_import_page(
    name: str,
    ministry_officer,  # type: ignore[no-untyped-def]
    municipal_register,
    client: Client,
) -> None:
    data, (line, field, _code) = HOSTILE[name]
    client.force_login(ministry_officer)
    upload = SimpleUploadedFile("hostile.csv", data, "text/csv")
    response = client.post(reverse("registry:import"), {"file": upload})
    assert response.status_code == 400
    assert f"{line}행 [{field}]" in response.content.decode()
    assert Decision.objects.count() == 0


def test_certificate_numbers_go_on_past_9999(municipal_register) -> None:  # type: ignore[no-untyped-def]
    assert import_decisions(data=csv_bytes(DAEGU), file_name="a.csv").ok
    Certificate.objects.update(number="2021-C-9999")
    assert import_decisions(
        data=csv_bytes("city,김해시,48250,large,new,2021-09-29,,,,"), file_name="b.csv"
    ).ok
    assert import_decisions(
        data=csv_bytes("city,서울특별시,11000,large,new,2021-10-29,,,,"), file_name="c.csv"
    ).ok
    numbers = list(Certificate.objects.order_by("pk").values_list("number", flat=True))
    assert numbers == ["2021-C-9999", "2021-C-10000", "2021-C-10001"]


@pytest.mark.slow
def test_console_command_reports_hostile_rows_without_a_traceback(
    tmp_path: Path, console: ConsoleScript
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        (HEADER + DAEGU + "x" * 140_000 + "\n" + 'city,"김해시,48250,large,new,2022-09-29,,,,\n'
         + "service,교통\x00서비스,,,new,2021-09-10,교통,기관,,\n").encode()
    )  # fmt: skip
    result = console.run("registry", "import-decisions", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "2행 [source]" in result.stderr
    assert "3행 [subject]" in result.stderr
