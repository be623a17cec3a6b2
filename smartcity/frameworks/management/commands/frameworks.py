"""``smartcity frameworks list | load-shipped | import FILE | export CODE | publish CODE``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.services import (
    export_framework,
    import_framework,
    load_shipped_frameworks,
    publish_framework,
)


class Command(BaseCommand):
    help = "평가 지표 체계 (Indicator frameworks)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="list framework versions")
        sub.add_parser("load-shipped", help="load the shipped (reconstructed) frameworks")
        imp = sub.add_parser("import", help="import a YAML, JSON or Excel framework document")
        imp.add_argument("file", type=Path)
        imp.add_argument("--publish", action="store_true", help="publish after importing")
        exp = sub.add_parser("export", help="export a framework document")
        exp.add_argument("code")
        exp.add_argument("--format", choices=["yaml", "json", "xlsx"], default="yaml")
        exp.add_argument("-o", "--output", type=Path, help="file (default: standard output)")
        pub = sub.add_parser("publish", help="publish a draft (it becomes immutable)")
        pub.add_argument("code")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for fw in FrameworkVersion.objects.order_by("kind", "year", "code"):
                flag = " (재구성본/reconstructed)" if fw.reconstructed else ""
                self.stdout.write(
                    f"{fw.code:36} {fw.status:9} {fw.indicator_count:3} indicators  "
                    f"{fw.total_points:>8} points  {fw.content_hash[:12]}{flag}"
                )
        elif action == "load-shipped":
            created = load_shipped_frameworks()
            self.stdout.write(f"loaded: {', '.join(created) if created else 'nothing new'}")
        elif action == "import":
            self._import(options["file"], options["publish"])
        elif action == "export":
            self._export(options["code"], options["format"], options["output"])
        else:
            framework = FrameworkVersion.objects.filter(code=options["code"]).first()
            if framework is None:
                raise CommandError(f"unknown framework: {options['code']}")
            published = publish_framework(framework=framework)
            self.stdout.write(f"published {published.code} {published.content_hash}")

    def _import(self, path: Path, publish: bool) -> None:
        if not path.is_file():
            raise CommandError(f"file not found: {path}")
        result = import_framework(data=path.read_bytes(), file_name=path.name, publish=publish)
        if not result.ok:
            for p in result.problems:
                where = f"{p.location} " if p.location else ""
                subject = f"[{p.subject}] " if p.subject else ""
                detail = f" ({p.detail})" if p.detail else ""
                self.stderr.write(f"{where}{subject}{p.problem}{detail}")
            raise CommandError(f"{len(result.problems)} problem(s); nothing imported")
        assert result.framework is not None
        self.stdout.write(
            f"imported {result.framework.code} ({result.framework.status}, "
            f"{result.framework.indicator_count} indicators)"
        )

    def _export(self, code: str, fmt: str, output: Path | None) -> None:
        framework = FrameworkVersion.objects.filter(code=code).first()
        if framework is None:
            raise CommandError(f"unknown framework: {code}")
        data = export_framework(framework, fmt)
        if output is None:
            if fmt == "xlsx":
                raise CommandError("give --output for an Excel export")
            sys.stdout.write(data.decode())
        else:
            output.write_bytes(data)
            self.stdout.write(f"wrote {output}")
