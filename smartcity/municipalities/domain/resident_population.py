"""The shipped resident registration population (주민등록인구): a compact
table derived from the Ministry of the Interior's yearly table, one row per
local government and year (``data/resident_population.csv``; its README
names the source and licence). Size classes read it out of the box;
``smartcity municipalities import-population`` adds newer years. Pure."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Final

from smartcity.municipalities.domain.population_table import DEFAULT_SOURCE
from smartcity.municipalities.domain.register import PopulationRecord

SHIPPED_FILE: Final = Path(__file__).resolve().parent.parent / "data" / "resident_population.csv"
#: The same source the importer writes for the Ministry's table, so importing
#: the official file the table came from changes nothing.
SHIPPED_SOURCE: Final = DEFAULT_SOURCE


def load_shipped_resident_population(path: Path = SHIPPED_FILE) -> list[PopulationRecord]:
    """Every row of the shipped table: the population on 31 December of its year."""
    text = path.read_text(encoding="utf-8")
    return [
        PopulationRecord(
            row["code"],
            date(int(row["year"]), 12, 31),
            int(row["population"]),
            SHIPPED_SOURCE,
            "resident_registration",
        )
        for row in csv.DictReader(io.StringIO(text))
    ]


def shipped_years(path: Path = SHIPPED_FILE) -> tuple[int, ...]:
    return tuple(sorted({r.reference_date.year for r in load_shipped_resident_population(path)}))
