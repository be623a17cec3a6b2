"""``smartcity programme import-calls FILE | import-applicants FILE |
deploy CODE --centre CODE --since YYYY-MM-DD [--year Y] [--national W] [--local W] |
list``: the integrated platform's roll-out programme and deployment register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcity.municipalities.models import Municipality
from smartcity.municipalities.selectors import register_code
from smartcity.operations.management.commands._tenants import tenant_by_code
from smartcity.operations.messages import programme_error_message
from smartcity.operations.models import PlatformProgramme
from smartcity.operations.selectors.programme import applicants_of, deployments, programmes
from smartcity.operations.services.programme import (
    DeploymentRefused,
    ProgrammeImport,
    import_programme_applicants,
    import_programmes,
    record_deployment,
)


class Command(BaseCommand):
    help = "통합플랫폼 보급 사업 (Platform programme: calls, selections, deployments)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("import-calls", "the calls (one row per year)"),
                           ("import-applicants", "applicants and selections")):  # fmt: skip
            p = sub.add_parser(name, help=f"import {text} from a CSV file (all or nothing)")
            p.add_argument("file", type=Path)
        deploy = sub.add_parser("deploy", help="record that a local government runs the platform")
        deploy.add_argument("municipality")
        deploy.add_argument("--centre", required=True)
        deploy.add_argument("--since", required=True, type=dt.date.fromisoformat)
        deploy.add_argument("--year", type=int, default=None, help="the programme year")
        deploy.add_argument("--national", type=int, default=0, help="national subsidy (won)")
        deploy.add_argument("--local", type=int, default=0, help="local share (won)")
        sub.add_parser("list", help="the calls, their selections and the deployments")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action in {"import-calls", "import-applicants"}:
            path: Path = options["file"]
            if not path.is_file():
                raise CommandError(f"no such file: {path}")
            run = import_programmes if action == "import-calls" else import_programme_applicants
            self._report(run(data=path.read_bytes(), file_name=path.name))
        elif action == "deploy":
            self._deploy(options)
        else:
            for p in programmes():
                rows = list(applicants_of(p))
                selected = [a.municipality.name_ko for a in rows if a.selected]
                self.stdout.write(
                    f"{p.year} {p.title_ko}: applicants {p.applicants_reported} "
                    f"(named {len(rows)}), selected {p.selections_reported}: {', '.join(selected)}"
                )
            for d in deployments():
                year = d.programme.year if d.programme else "-"
                self.stdout.write(f"deployed {d.municipality.code} {d.municipality.name_ko} "
                                  f"via {d.tenant.code} since {d.since} ({year})")  # fmt: skip

    def _report(self, result: ProgrammeImport) -> None:
        for e in result.errors:
            self.stderr.write(programme_error_message(e.row, e.field, e.code, e.params))
        if not result.ok:
            raise CommandError(f"{len(result.errors)} problem(s); nothing imported")
        self.stdout.write(f"created {result.created}, updated {result.updated}, "
                          f"unchanged {result.unchanged}")  # fmt: skip

    def _deploy(self, options: dict[str, Any]) -> None:
        municipality = Municipality.objects.filter(
            code=register_code(options["municipality"])
        ).first()
        if municipality is None:
            raise CommandError(f"unknown municipality: {options['municipality']}")
        programme = None
        if options["year"] is not None:
            programme = PlatformProgramme.objects.filter(year=options["year"]).first()
            if programme is None:
                raise CommandError(f"unknown programme year: {options['year']}")
        try:
            d = record_deployment(
                municipality=municipality, tenant=tenant_by_code(options["centre"]),
                since=options["since"], programme=programme,
                national_subsidy_won=options["national"], local_subsidy_won=options["local"],
            )  # fmt: skip
        except DeploymentRefused as exc:
            raise CommandError(programme_error_message(0, "", exc.code, {})) from exc
        self.stdout.write(f"deployment {d.pk}: {municipality.name_ko} via {d.tenant.code}")
