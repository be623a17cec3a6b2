"""``smartcity scoring run --framework FILE_OR_CODE --observations FILE.csv``.

Scores many applicants at once (mock certification, research) and prints each
applicant's total, area totals, grade and certified flag.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcity.core.domain.text_files import UndecodableFile, decode_text
from smartcity.frameworks.selectors import register_context, resolve_framework
from smartcity.frameworks.services import parse_framework_file
from smartcity.scoring import (
    Framework,
    FrameworkDocumentError,
    ScoringContext,
    framework_from_dict,
    parse_observations_csv,
    score_many,
)


class Command(BaseCommand):
    help = "지표 체계로 여러 신청자를 한꺼번에 채점합니다 (Batch scoring)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="score applicants from a CSV of observations")
        run.add_argument("--framework", required=True, help="a framework code or a file")
        run.add_argument("--observations", required=True, type=Path)
        run.add_argument(
            "--context",
            type=Path,
            help="CSV of applicant,population,area_km2 for per-population or per-area "
            "indicators (applicants named by a municipality code use the register)",
        )
        run.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        framework = self._framework(options["framework"])
        path: Path = options["observations"]
        if not path.is_file():
            raise CommandError(f"file not found: {path}")
        try:
            text, _ = decode_text(path.read_bytes())
        except UndecodableFile as exc:
            raise CommandError(f"cannot read {path}: not UTF-8 or CP949") from exc
        rows, errors = parse_observations_csv(text)
        for e in errors:
            self.stderr.write(f"row {e.row} [{e.field}]: {e.problem} {e.detail}".rstrip())
        if errors:
            raise CommandError(f"{len(errors)} problem(s) in {path.name}; nothing scored")
        contexts = self._contexts(options["context"])
        rows = tuple(
            replace(row, context=contexts.get(row.applicant) or register_context(row.applicant))
            for row in rows
        )
        outcomes = score_many(framework, rows)
        report = [self._outcome(o) for o in outcomes]
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "framework": framework.code,
                        "applicants": report,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for r in report:
                if "error" in r:
                    self.stdout.write(f"{r['applicant']:30} ERROR {r['error']}")
                else:
                    self.stdout.write(
                        f"{r['applicant']:30} {r['total']:>10} grade {r['grade']} "
                        f"{'certified' if r['certified'] else 'not certified'}"
                    )
        if any("error" in r for r in report):
            raise CommandError("some applicants could not be scored")

    def _contexts(self, path: Path | None) -> dict[str, ScoringContext]:
        if path is None:
            return {}
        if not path.is_file():
            raise CommandError(f"file not found: {path}")
        text, _ = decode_text(path.read_bytes())
        contexts = {}
        for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            try:
                population = row.get("population") or ""
                area = row.get("area_km2") or ""
                contexts[row["applicant"].strip()] = ScoringContext(
                    population=int(population) if population.strip() else None,
                    area_km2=Decimal(area) if area.strip() else None,
                )
            except (KeyError, ValueError, InvalidOperation) as exc:
                raise CommandError(f"{path.name} row {number}: {exc}") from exc
        return contexts

    def _framework(self, spec: str) -> Framework:
        path = Path(spec)
        if path.is_file():
            try:
                return framework_from_dict(parse_framework_file(path.read_bytes(), path.name))
            except FrameworkDocumentError as exc:
                raise CommandError(f"invalid framework {path}: {exc}") from exc
            except ValueError as exc:
                raise CommandError(f"cannot read framework {path}: {exc}") from exc
        framework = resolve_framework(spec)
        if framework is None:
            raise CommandError(f"unknown framework (neither a file nor a code): {spec}")
        return framework

    @staticmethod
    def _outcome(outcome: Any) -> dict[str, Any]:
        if outcome.result is None:
            return {"applicant": outcome.applicant, "error": str(outcome.error)}
        result = outcome.result
        return {
            "applicant": outcome.applicant,
            "total": str(result.total),
            "areas": {a.code: str(a.points) for a in result.areas},
            "grade": result.grade,
            "certified": result.certified,
            "engine_version": result.engine_version,
            "framework_hash": result.framework_hash,
        }
