"""The register as users drive it: the population import and size classes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from smartcity.municipalities.models import Municipality, PopulationCount
from smartcity.municipalities.selectors import size_class_for

pytestmark = pytest.mark.django_db


def test_migrate_loads_the_243_local_governments(municipal_register) -> None:  # type: ignore[no-untyped-def]
    assert Municipality.objects.count() == 243
    assert Municipality.objects.filter(parent__isnull=True).count() == 17


def test_ministry_population_table_imports_idempotently(
    shared_data, municipal_register, capsys
) -> None:  # type: ignore[no-untyped-def]
    table = shared_data / "data" / "admin" / "sigungu_population_2022_2024.csv"
    # The shipped table holds these very figures: importing the file changes nothing.
    call_command("municipalities", "import-population", str(table))
    assert "729 unchanged" in capsys.readouterr().out
    PopulationCount.objects.filter(basis="resident_registration").delete()
    call_command("municipalities", "import-population", str(table))
    assert "729 created" in capsys.readouterr().out
    call_command("municipalities", "import-population", str(table))
    assert "729 unchanged" in capsys.readouterr().out
    # The Ministry's 2024 count now decides Sejong's class for the 2025 call.
    answer = size_class_for("36110", call_year=2025)
    assert answer.population_date is not None and answer.population_date.year == 2024
    assert answer.size_class == "small_medium"


def test_bad_population_file_imports_nothing(tmp_path, municipal_register) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text("아무,열\n1,2\n", encoding="utf-8")
    before = PopulationCount.objects.count()
    with pytest.raises(CommandError):
        call_command("municipalities", "import-population", str(bad))
    assert PopulationCount.objects.count() == before


@pytest.mark.parametrize(
    ("code", "year", "expected"),
    [
        ("36110", 2021, "large"),
        ("36110", 2024, "small_medium"),
        ("11710", 2024, "small_medium"),
        ("48250", 2024, "large"),
        ("41150", 2024, "small_medium"),
    ],
)
def test_size_class_command(
    municipal_register, capsys, code: str, year: int, expected: str
) -> None:  # type: ignore[no-untyped-def]
    call_command("municipalities", "size-class", code, "--call-year", str(year))
    assert capsys.readouterr().out.strip() == expected


def test_unknown_code_is_a_clear_error(municipal_register) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="unknown municipality code: 99999"):
        call_command("municipalities", "size-class", "99999", "--call-year", "2024")


def test_hostile_population_file_is_reported_by_line_and_imports_nothing(  # type: ignore[no-untyped-def]
    tmp_path, municipal_register, capsys
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "행정기관코드,시군구명,2024년_총인구수\n"
        "1171000000,송파구,649646\n"
        "1168000000,강남구," + "9" * 5000 + "\n"
        '1174000000,"강동구,1\n',
        encoding="utf-8",
    )
    before = PopulationCount.objects.count()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("municipalities", "import-population", str(bad))
    err = capsys.readouterr().err
    assert "line 3 [2024년_총인구수]: malformed_number" in err
    assert "line 4 [시군구명]: unreadable_row" in err
    assert PopulationCount.objects.count() == before
