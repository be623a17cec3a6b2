"""SQLite: a snapshot through the online backup API (``Connection.backup``)
while the server keeps writing, its check (``PRAGMA integrity_check``) and
its restore into a new file.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from django.db import connections

from smartcity.core.backup.base import (
    BackupError,
    CheckReport,
    Contents,
    inspect_database,
    sqlite_alias,
    verify_contents,
)
from smartcity.core.domain.backup_manifest import Manifest


def snapshot_sqlite(payload: Path) -> tuple[Contents, str]:
    source = Path(str(connections["default"].settings_dict["NAME"]))
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    with (
        contextlib.closing(sqlite3.connect(source, timeout=30)) as src,
        contextlib.closing(sqlite3.connect(payload)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    with sqlite_alias(payload) as alias:
        contents = inspect_database(alias)
    return contents, str(source)


def check_sqlite(payload: Path, manifest: Manifest, report: CheckReport) -> None:
    # Through Django's connection: CHECK constraints call functions it registers (REGEXP).
    with sqlite_alias(payload) as alias:
        with connections[alias].cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            result = [str(row[0]) for row in cursor.fetchall()]
        if result != ["ok"]:
            report.problems.append(f"SQLite integrity check failed: {'; '.join(result[:5])}")
            return
        report.checked.append("SQLite integrity_check")
        report.problems += verify_contents(alias, manifest)
    report.checked.append(f"row counts of {len(manifest.row_counts)} tables, audit chain")


def existing_data_sqlite() -> list[str]:
    """Why the configured SQLite database is not empty (nothing: it is)."""
    target = Path(str(connections["default"].settings_dict["NAME"]))
    if not target.exists() or target.stat().st_size == 0:
        return []
    with contextlib.closing(sqlite3.connect(target)) as db:
        (tables,) = db.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()
    return [f"the SQLite database {target} has {tables} tables"] if tables else []


def restore_sqlite(payload: Path) -> None:
    target = Path(str(connections["default"].settings_dict["NAME"]))
    connections["default"].close()
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)  # empty (checked above)
    with (
        contextlib.closing(sqlite3.connect(payload)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)
