"""``smartcity layers import FILE --layer water|device|parking|hazard|road
--tenant CODE``: the 119 dispatch service's layers from the public standard datasets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcity.operations.domain.cctv_layout import UndecodableFile
from smartcity.operations.domain.layers import Layer
from smartcity.operations.management.commands._tenants import tenant_by_code
from smartcity.operations.messages import rejection_reason
from smartcity.operations.services.layers import import_layer

SHOWN_REJECTIONS = 20


class Command(BaseCommand):
    help = (
        "119 출동 지원 레이어(소방용수시설, 비상소화장치, 주차장, 위험시설물, 이면도로 폭) "
        "가져오기."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a fire water facility or parking-lot file")
        imp.add_argument("file")
        imp.add_argument("--layer", required=True, choices=[layer.value for layer in Layer])
        imp.add_argument("--tenant", required=True)
        imp.add_argument("--format", choices=["text", "json"], default="text")
        imp.add_argument(
            "--no-area-check", action="store_true",
            help="keep points outside the tenant's boundary (not recommended)",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        tenant = tenant_by_code(options["tenant"])
        try:
            report = import_layer(
                tenant=tenant, layer=options["layer"], data=path.read_bytes(),
                file_name=path.name, check_area=not options["no_area_check"],
            )  # fmt: skip
        except UndecodableFile as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        self.stdout.write(
            f"{options['layer']}: {report['accepted']} accepted ({report['created']} new, "
            f"{report['updated']} updated), {report['rejected']} rejected"
        )
        for reason, count in report["reasons"].items():
            self.stdout.write(f"  {reason}: {count}  {rejection_reason(reason)}")
        for r in report["rejections"][:SHOWN_REJECTIONS]:
            column = f" [{r['field']}]" if r["field"] else ""
            detail = f" — {r['detail']}" if r["detail"] else ""
            self.stdout.write(f"  line {r['line']}{column}: {r['reason']}{detail}")
        if report["rejected"] > SHOWN_REJECTIONS:
            self.stdout.write(f"  … {report['rejected'] - SHOWN_REJECTIONS} more")
