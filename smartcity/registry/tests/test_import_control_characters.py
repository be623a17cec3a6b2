"""A NUL or other control character in a decisions CSV is refused with its row
and column, before anything reaches the database or an export."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from smartcity.registry.domain.decisions_csv import RowError, parse_decisions_csv
from smartcity.registry.messages import describe_row_error
from smartcity.registry.models import Decision, Subject
from smartcity.registry.tests.conftest import csv_bytes

GOOD = "service,스마트 주차,,,new,2024-09-30,transport,가람시,,"


@pytest.mark.parametrize(
    ("row", "column", "code", "params"),
    [
        # A NUL is caught by the CSV reader itself (core/domain/csv_records.py).
        ("service,스마트\x00 주차,,,new,2024-09-30,transport,가람시,,", "subject",
         "nul_character", {}),
        ("service,스마트 주차,,,new,2024-09-30,transport,가람\x1b시,,", "holder",
         "control_character", {"chars": "U+001B"}),
        ('service,스마트 주차,,,new,2024-09-30,transport,가람시,"비고\x07",', "note",
         "control_character", {"chars": "U+0007"}),
        ('service,스마트 주차,,,new,2024-09-30,transport,가람시,"비고\x07\x00",', "note",
         "nul_character", {}),
    ],
)  # fmt: skip
def test_control_characters_are_row_and_column_errors(
    row: str, column: str, code: str, params: dict[str, str]
) -> None:
    parsed = parse_decisions_csv(csv_bytes(GOOD, row))
    assert parsed.errors == (RowError(3, column, code, params),)
    assert [r.row for r in parsed.rows] == [2]


def test_tabs_and_line_breaks_in_a_note_are_fine() -> None:
    parsed = parse_decisions_csv(
        csv_bytes('service,스마트 주차,,,new,2024-09-30,transport,가람시,"첫 줄\n\t둘째 줄",')
    )
    assert parsed.errors == () and parsed.rows[0].note == "첫 줄\n\t둘째 줄"


def test_the_message_names_row_column_and_character() -> None:
    error = RowError(3, "holder", "control_character", {"chars": "U+0000"})
    with translation.override("ko"):
        assert describe_row_error(error) == (
            "3행 [holder]: 제어 문자(U+0000)는 쓸 수 없습니다. 해당 문자를 지우고 다시 올리세요."
        )
    with translation.override("en"):
        assert "U+0000" in describe_row_error(error) and "control character" in (
            describe_row_error(error).lower()
        )


@pytest.mark.django_db
def test_a_nul_in_an_uploaded_file_is_a_400_with_the_row_and_nothing_is_saved(
    ministry_officer, municipal_register, client: Client
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(ministry_officer)
    data = csv_bytes(GOOD, "service,버스 정보,,,new,2024-09-30,transport,가람\x00시,,")
    response = client.post(
        reverse("registry:import"), {"file": SimpleUploadedFile("nul.csv", data, "text/csv")}
    )
    assert response.status_code == 400
    assert "3행 [holder]" in response.content.decode()
    assert not Subject.objects.exists() and not Decision.objects.exists()
