"""``smartcity backup create [--output FILE] | check FILE | restore FILE --yes``.

See ``smartcity.core.backup`` for what a backup holds and how it is checked,
and docs/operations.md for schedules and the restore procedure.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from smartcity.core.backup.base import BackupError
from smartcity.core.backup.check import check_backup
from smartcity.core.backup.create import create_backup
from smartcity.core.backup.restore import restore_backup


class Command(BaseCommand):
    help = "백업을 만들고 검사하고 복원합니다 (Create, check and restore backups)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="back up the database and uploaded files")
        create.add_argument(
            "--output", default="", help="FILE.tar.gz (default: DATA_DIR/backups/…)"
        )
        create.add_argument("--no-media", action="store_true", help="leave out uploaded files")
        check = sub.add_parser("check", help="verify a backup without touching live data")
        check.add_argument("file")
        check.add_argument(
            "--quick", action="store_true",
            help="checksums and archive only (PostgreSQL: no restore into a scratch database)",
        )  # fmt: skip
        check.add_argument("--format", choices=["text", "json"], default="text")
        restore = sub.add_parser("restore", help="restore into an EMPTY database")
        restore.add_argument("file")
        restore.add_argument(
            "--yes",
            action="store_true",
            help="confirm: write the backup into the configured database",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc

    def _create(self, options: dict[str, Any]) -> None:
        output = Path(options["output"]) if options["output"] else None
        path, manifest = create_backup(output=output, include_media=not options["no_media"])
        rows = sum(manifest.row_counts.values())
        self.stdout.write(
            f"backup written: {path}\n"
            f"  engine {manifest.engine}, {len(manifest.row_counts)} tables, {rows:,} rows, "
            f"{manifest.audit_rows:,} audit rows (head {manifest.audit_head[:16]}…), "
            f"{len(manifest.media)} uploaded file(s)\n"
            f"  payload SHA-256 {manifest.payload_sha256}\n"
            f"백업 완료: {path}"
        )

    def _check(self, options: dict[str, Any]) -> None:
        report = check_backup(Path(options["file"]), quick=options["quick"])
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "file": str(report.path),
                        "ok": report.ok,
                        "created_at": report.manifest.created_at if report.manifest else None,
                        "engine": report.manifest.engine if report.manifest else None,
                        "checked": report.checked,
                        "problems": report.problems,
                    },
                    ensure_ascii=False,
                )
            )
        if not report.ok:
            raise CommandError(
                f"backup {report.path} FAILED its check / 백업 검사 실패:\n  - "
                + "\n  - ".join(report.problems or ["unreadable"])
            )
        if options["format"] == "text":
            assert report.manifest is not None
            self.stdout.write(
                f"backup OK: {report.path} ({report.manifest.engine}, "
                f"taken {report.manifest.created_at})\n  checked: "
                + "; ".join(report.checked)
                + "\n백업 정상"
            )

    def _restore(self, options: dict[str, Any]) -> None:
        if not options["yes"]:
            raise CommandError(
                "restore writes into the configured database, which must be empty; "
                "run again with --yes to confirm / 확인하려면 --yes를 붙여 다시 실행하십시오"
            )
        manifest = restore_backup(Path(options["file"]))
        self.stdout.write(
            f"restored {options['file']} (taken {manifest.created_at}): "
            f"{sum(manifest.row_counts.values()):,} rows, audit chain verified "
            f"({manifest.audit_rows:,} rows)\n"
            "next: smartcity migrate (if this code is newer than the backup), then start the "
            "server / 복원 완료"
        )
