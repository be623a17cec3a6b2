"""PostgreSQL: ``pg_dump -Fc`` of an exported snapshot, its check
(``pg_restore --list`` and a restore into a scratch database) and its
restore, through the client tools of a matching version.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connections, transaction

from smartcity.core.backup.base import (
    BackupError,
    CheckReport,
    Contents,
    database_alias,
    inspect_database,
    verify_contents,
)
from smartcity.core.domain.backup_manifest import Manifest


def pg_tool(name: str, server_major: int | None = None) -> str:
    """``pg_dump``/``pg_restore`` of a version that can read the server's data:
    ``SMARTCITY_PG_BIN`` if set, else Debian's ``/usr/lib/postgresql/N/bin``
    (newest first, at least the server's major version), else ``PATH``."""
    candidates: list[Path] = []
    if override := os.environ.get("SMARTCITY_PG_BIN"):
        candidates.append(Path(override) / name)
    base = Path("/usr/lib/postgresql")
    versions = sorted(
        (int(p.name) for p in base.glob("*") if p.name.isdigit()), reverse=True
    ) if base.is_dir() else []  # fmt: skip
    candidates += [
        base / str(v) / "bin" / name for v in versions if server_major is None or v >= server_major
    ]
    if found := shutil.which(name):
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        f"{name} not found: install the PostgreSQL {server_major or ''} client tools "
        "or set SMARTCITY_PG_BIN"
    )


def pg_server_major(alias: str = "default") -> int:
    connection = connections[alias]
    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def pg_args(
    settings_dict: dict[str, Any], database: str | None = None
) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for the PostgreSQL command-line tools."""
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    args += ["--dbname", database or str(settings_dict["NAME"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed (exit {done.returncode}): {done.stderr.strip()[:2000]}")
    return done.stdout


def snapshot_postgresql(payload: Path) -> tuple[Contents, str]:
    connection = connections["default"]
    pg_dump = pg_tool("pg_dump", pg_server_major())
    args, env = pg_args(connection.settings_dict)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])
        contents = inspect_database("default")
        # pg_dump reads the same snapshot while this transaction holds it.
        _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", "--file", str(payload), *args],
             env)  # fmt: skip
    return contents, str(connection.settings_dict["NAME"])


def check_postgresql(
    payload: Path, manifest: Manifest, report: CheckReport, *, quick: bool
) -> None:
    pg_restore = pg_tool("pg_restore")
    listing = _run([pg_restore, "--list", str(payload)])
    tables_with_data = {
        _toc_table(line)
        for line in listing.splitlines()
        if " TABLE DATA " in line and not line.startswith(";")
    }
    missing = sorted(set(manifest.row_counts) - tables_with_data)
    if missing:
        report.problems.append(f"tables missing from the dump: {', '.join(missing[:10])}")
        return
    report.checked.append("pg_restore --list")
    if quick:
        return
    with _scratch_postgresql_database() as (alias, database):
        args, env = pg_args(connections[alias].settings_dict, database)
        _run([pg_restore, "--no-owner", "--no-acl", "--exit-on-error", *args, str(payload)], env)
        report.problems += verify_contents(alias, manifest)
    report.checked.append(
        f"restored into a scratch database: row counts of {len(manifest.row_counts)} tables, "
        "audit chain"
    )


def _toc_table(line: str) -> str:
    """The table of a ``pg_restore --list`` line ``id; oid oid TABLE DATA schema name owner``."""
    fields = line.split(";", 1)[1].split()
    position = fields.index("DATA")
    return fields[position + 2]


@contextlib.contextmanager
def _scratch_postgresql_database() -> Iterator[tuple[str, str]]:
    """A new empty database beside the configured one, dropped afterwards."""
    base = str(connections["default"].settings_dict["NAME"])
    name = f"{base[:40]}_check_{uuid.uuid4().hex[:8]}"
    quoted = connections["default"].ops.quote_name(name)
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {quoted}")
    except DatabaseError as exc:
        raise BackupError(
            f"cannot create a scratch database to restore into ({exc}); grant CREATEDB, "
            "or use --quick to check checksums and the archive only"
        ) from exc
    try:
        with database_alias(NAME=name) as alias:
            yield alias, name
    finally:
        with connections["default"].cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


def existing_data_postgresql() -> list[str]:
    """Why the configured PostgreSQL database is not empty (nothing: it is)."""
    try:
        tables = connections["default"].introspection.table_names()
    except DatabaseError as exc:
        raise BackupError(
            f"cannot open the target database ({exc}); create it first (createdb)"
        ) from exc
    name = connections["default"].settings_dict["NAME"]
    return [f"the database {name} has {len(tables)} tables"] if tables else []


def restore_postgresql(payload: Path) -> None:
    connection = connections["default"]
    pg_restore = pg_tool("pg_restore", pg_server_major())
    args, env = pg_args(connection.settings_dict)
    connection.close()
    _run([pg_restore, "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
          *args, str(payload)], env)  # fmt: skip
