"""``smartcity cctv import FILE --tenant CODE [--format json|text] [--as-of DAY]``, ``stats``,
``simulate [--port 8554]`` (the camera simulator, ADR 0021) and
``use-simulator --tenant CODE [--base URL]`` (point cameras without a stream at it)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcity.operations.management.commands._tenants import tenant_by_code
from smartcity.operations.media.ffmpeg import ffmpeg_binary
from smartcity.operations.media.simulator import CameraSimulator
from smartcity.operations.messages import rejection_reason
from smartcity.operations.selectors.cameras import camera_stats
from smartcity.operations.services.cctv import import_cctv, use_camera_simulator

SHOWN_REJECTIONS = 20


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


class Command(BaseCommand):
    help = "CCTV 등록부 (The CCTV register of a tenant)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a national CCTV standard-data file (CSV)")
        imp.add_argument("file", type=Path)
        imp.add_argument("--tenant", required=True, help="tenant code (default: municipality code)")
        imp.add_argument("--format", choices=["text", "json"], default="text")
        imp.add_argument(
            "--no-area-check", action="store_true",
            help="keep cameras outside the tenant's boundary (not recommended)",
        )  # fmt: skip
        imp.add_argument(
            "--as-of", type=_day, default=None, metavar="YYYY-MM-DD",
            help="judge installation and reference dates as of this day (default: today); "
                 "dates after it are refused",
        )  # fmt: skip
        stats = sub.add_parser("stats", help="counts of a tenant's register")
        stats.add_argument("--tenant", required=True)
        stats.add_argument("--format", choices=["text", "json"], default="text")

        sim = sub.add_parser("simulate", help="serve simulated cameras (ffmpeg test pattern)")
        sim.add_argument("--host", default="127.0.0.1")
        sim.add_argument("--port", type=int, default=8554)
        use = sub.add_parser(
            "use-simulator", help="point a tenant's cameras without a stream at the simulator"
        )
        use.add_argument("--tenant", required=True)
        use.add_argument("--base", default="http://127.0.0.1:8554")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "simulate":
            self._simulate(options["host"], options["port"])
            return
        tenant = tenant_by_code(options["tenant"])
        if options["action"] == "use-simulator":
            try:
                count = use_camera_simulator(tenant=tenant, base_url=options["base"])
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{tenant.code}: {count} camera(s) now stream from {options['base']}")
            return
        if options["action"] == "import":
            self._import(
                tenant, options["file"], options["format"], not options["no_area_check"],
                options["as_of"],
            )  # fmt: skip
        else:
            self._stats(tenant, options["format"])

    def _import(
        self, tenant: Any, path: Path, fmt: str, check_area: bool, as_of: dt.date | None
    ) -> None:
        if not path.is_file():
            raise CommandError(f"file not found: {path}")
        result = import_cctv(
            tenant=tenant, data=path.read_bytes(), file_name=path.name, check_area=check_area,
            today=as_of,
        )  # fmt: skip
        if fmt == "json":
            self.stdout.write(json.dumps(result.summary(), ensure_ascii=False))
            return
        self.stdout.write(
            f"{path.name}: {result.rows} row(s), {result.accepted} accepted, "
            f"{result.rejected} rejected ({result.encoding}) / "
            f"{result.rows}행 중 {result.accepted}행 수용, {result.rejected}행 거부"
        )
        self.stdout.write(
            f"register: {result.created} new, {result.updated} changed, {result.unchanged} "
            f"unchanged, version {result.register_version}"
        )
        for reason, count in sorted(result.reasons.items()):
            self.stdout.write(f"  {reason:24} {count:7}  {rejection_reason(reason)}")
        for r in result.rejections[:SHOWN_REJECTIONS]:
            where = f"row {r.row}" + (f" (line {r.line})" if r.line else "")
            column = f" [{r.field}]" if r.field else ""
            self.stdout.write(f"  {where}{column}: {r.reason} — {r.detail}")
        if result.rejected > SHOWN_REJECTIONS:
            self.stdout.write(f"  … {result.rejected - SHOWN_REJECTIONS} more")

    def _simulate(self, host: str, port: int) -> None:
        binary = ffmpeg_binary()
        if binary is None:
            raise CommandError("ffmpeg not found: scripts/bootstrap installs it (Debian: ffmpeg)")
        try:
            simulator = CameraSimulator(binary, host, port)
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc}") from exc
        self.stdout.write(f"camera simulator on {simulator.base_url}/cameras/<id>.ts")
        try:
            simulator.server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            simulator.close()

    def _stats(self, tenant: Any, fmt: str) -> None:
        stats = camera_stats(tenant)
        if fmt == "json":
            self.stdout.write(json.dumps(stats, ensure_ascii=False))
            return
        self.stdout.write(
            f"{tenant.code}: {stats['sites']} site(s), {stats['with_bearing']} with a bearing, "
            f"{stats['all_round']} all-round; register version {stats['register_version']}"
        )
        for purpose, count in stats["by_purpose"].items():
            self.stdout.write(f"  {purpose:18} {count:7}")
