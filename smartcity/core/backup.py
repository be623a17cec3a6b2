"""Backups: create one, check one, restore one into an empty database.

``smartcity backup create|check|restore`` (docs/operations.md). A backup is one
``.tar.gz`` holding ``manifest.json`` (see ``core.domain.backup_manifest``), the
database payload and the uploaded documents (``MEDIA_ROOT``) under ``media/``.

* **SQLite**: the online backup API (``sqlite3.Connection.backup``) copies a
  consistent snapshot while the server keeps writing (WAL content included).
* **PostgreSQL**: ``pg_dump -Fc`` of a snapshot exported from a REPEATABLE READ
  transaction, in which the manifest's row counts and audit head are read too,
  so the manifest describes exactly what the dump holds.

``check`` needs no live data: it verifies every member's SHA-256, opens the
payload (``PRAGMA integrity_check``; ``pg_restore --list`` and a restore into a
scratch database), compares row counts with the manifest and verifies the
audit hash chain. ``restore`` writes only into an empty database (and an empty
media directory) and verifies the result the same way.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction

from smartcity.core.domain.backup_manifest import (
    MANIFEST_NAME,
    MEDIA_PREFIX,
    PAYLOAD_NAMES,
    Manifest,
    ManifestError,
    count_differences,
    migration_heads,
    safe_media_path,
)
from smartcity.core.domain.hash_chain import GENESIS_HASH
from smartcity.core.models import AuditEvent
from smartcity.core.selectors import verify_audit_chain

CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup cannot be made, read or restored; the message says why."""


@dataclass
class CheckReport:
    """What ``check_backup`` found: ``problems`` empty means the backup is good."""

    path: Path
    manifest: Manifest | None = None
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.manifest is not None and not self.problems


# --- helpers --------------------------------------------------------------------


def engine_name(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in PAYLOAD_NAMES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def default_backup_dir() -> Path:
    return Path(settings.DATA_DIR) / "backups"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(source: IO[bytes], target: Path) -> str:
    digest = hashlib.sha256()
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


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


def _pg_server_major(alias: str = "default") -> int:
    connection = connections[alias]
    connection.ensure_connection()
    return int(connection.pg_version) // 10000  # type: ignore[attr-defined]


def _pg_args(
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


@contextlib.contextmanager
def _database_alias(**overrides: Any) -> Iterator[str]:
    """A temporary connection alias like ``default`` but for another database
    (a backup's payload, a scratch database), so the ORM and the audit chain's
    own verifier can read it."""
    alias = f"backup_{uuid.uuid4().hex[:10]}"
    config = copy.deepcopy(connections.settings["default"])
    config.update(overrides)
    config["CONN_MAX_AGE"] = 0
    connections.settings[alias] = config
    try:
        yield alias
    finally:
        with contextlib.suppress(Exception):
            connections[alias].close()
        with contextlib.suppress(AttributeError):
            del connections[alias]
        connections.settings.pop(alias, None)


def _sqlite_alias(path: Path) -> contextlib.AbstractContextManager[str]:
    # Read-only and no WAL switch: checking a file must not change it.
    return _database_alias(NAME=str(path), OPTIONS={"init_command": "PRAGMA query_only=ON;"})


@dataclass(frozen=True)
class Contents:
    row_counts: dict[str, int]
    migrations: dict[str, str]
    audit_rows: int
    audit_head: str


def inspect_database(alias: str = "default") -> Contents:
    """Row counts of every table, migration heads and the audit chain's head."""
    connection = connections[alias]
    tables = sorted(connection.introspection.table_names())
    counts: dict[str, int] = {}
    applied: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
        if "django_migrations" in counts:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = [(str(app), str(name)) for app, name in cursor.fetchall()]
    head = GENESIS_HASH
    if counts.get(AuditEvent._meta.db_table):
        head = str(
            AuditEvent.objects.using(alias).order_by("-id").values_list("hash", flat=True).first()
        )
    return Contents(
        counts, migration_heads(applied), counts.get(AuditEvent._meta.db_table, 0), head
    )


def _verify_contents(alias: str, manifest: Manifest) -> list[str]:
    """Problems between a database's contents and the manifest."""
    contents = inspect_database(alias)
    problems = count_differences(manifest.row_counts, contents.row_counts)
    if AuditEvent._meta.db_table in contents.row_counts:
        broken = verify_audit_chain(using=alias)
        if broken is not None:
            at = "" if broken.row_id is None else f" at row {broken.row_id}"
            problems.append(f"audit chain broken{at}: {broken.describe()}")
    if contents.audit_head != manifest.audit_head:
        problems.append(
            f"audit chain head {contents.audit_head[:16]}… differs from the manifest's "
            f"{manifest.audit_head[:16]}…"
        )
    return problems


def _media_files() -> dict[str, Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


# --- create ---------------------------------------------------------------------


def create_backup(
    *, output: Path | None = None, include_media: bool = True
) -> tuple[Path, Manifest]:
    """Write a backup of the database (and ``MEDIA_ROOT``) to ``output`` (default:
    ``DATA_DIR/backups/smartcity-<engine>-<UTC time>.tar.gz``); returns its path
    and manifest. The file appears only once complete (written beside, renamed)."""
    engine = engine_name()
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if output is None:
        output = default_backup_dir() / f"smartcity-{engine}-{created:%Y%m%dT%H%M%SZ}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="smartcity-backup-") as tmp:
        payload = Path(tmp) / PAYLOAD_NAMES[engine]
        if engine == "sqlite":
            contents, source = _snapshot_sqlite(payload)
        else:
            contents, source = _snapshot_postgresql(payload)
        media = _media_files() if include_media else {}
        manifest = Manifest(
            engine=engine,
            created_at=created.isoformat(),
            payload=payload.name,
            payload_sha256=sha256_file(payload),
            payload_bytes=payload.stat().st_size,
            migrations=contents.migrations,
            row_counts=contents.row_counts,
            audit_rows=contents.audit_rows,
            audit_head=contents.audit_head,
            media={name: sha256_file(path) for name, path in media.items()},
            source=source,
        )
        partial = output.with_name(output.name + ".part")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                data = manifest.to_json().encode()
                info = tarfile.TarInfo(MANIFEST_NAME)
                info.size, info.mtime, info.mode = len(data), int(created.timestamp()), 0o600
                archive.addfile(info, fileobj=_bytes_io(data))
                archive.add(payload, arcname=payload.name, recursive=False)
                for name, path in media.items():
                    archive.add(path, arcname=MEDIA_PREFIX + name, recursive=False)
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    return output, manifest


def _bytes_io(data: bytes) -> IO[bytes]:
    import io

    return io.BytesIO(data)


def _snapshot_sqlite(payload: Path) -> tuple[Contents, str]:
    source = Path(str(connections["default"].settings_dict["NAME"]))
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    with (
        contextlib.closing(sqlite3.connect(source, timeout=30)) as src,
        contextlib.closing(sqlite3.connect(payload)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    with _sqlite_alias(payload) as alias:
        contents = inspect_database(alias)
    return contents, str(source)


def _snapshot_postgresql(payload: Path) -> tuple[Contents, str]:
    connection = connections["default"]
    pg_dump = pg_tool("pg_dump", _pg_server_major())
    args, env = _pg_args(connection.settings_dict)
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


# --- check ----------------------------------------------------------------------


def check_backup(path: Path, *, quick: bool = False) -> CheckReport:
    """Check a backup without touching the live data. ``quick``: checksums and
    the payload's readability only (PostgreSQL: no scratch restore)."""
    report = CheckReport(path)
    with tempfile.TemporaryDirectory(prefix="smartcity-backup-check-") as tmp:
        payload = _extract_and_verify(path, Path(tmp), report)
        if payload is None or report.manifest is None or report.problems:
            return report
        manifest = report.manifest
        try:
            if manifest.engine == "sqlite":
                _check_sqlite(payload, manifest, report)
            else:
                _check_postgresql(payload, manifest, report, quick=quick)
        except (BackupError, DatabaseError, sqlite3.Error) as exc:
            report.problems.append(f"the database in the backup cannot be read: {exc}")
    return report


def _extract_and_verify(path: Path, tmp: Path, report: CheckReport) -> Path | None:
    """Read the manifest, extract the payload and verify every checksum."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            return _read_archive(archive, tmp, report)
    except (OSError, tarfile.TarError, EOFError, zlib.error) as exc:
        report.problems.append(f"not a readable .tar.gz backup, or a damaged one: {exc}")
        return None


def _read_archive(archive: tarfile.TarFile, tmp: Path, report: CheckReport) -> Path | None:
    members = {m.name: m for m in archive.getmembers()}
    manifest_member = members.get(MANIFEST_NAME)
    if manifest_member is None or not manifest_member.isfile():
        report.problems.append(f"{MANIFEST_NAME} is missing")
        return None
    handle = archive.extractfile(manifest_member)
    assert handle is not None
    try:
        manifest = Manifest.from_json(handle.read().decode("utf-8"))
    except (ManifestError, UnicodeDecodeError) as exc:
        report.problems.append(str(exc))
        return None
    report.manifest = manifest
    member = members.get(manifest.payload)
    if manifest.payload != PAYLOAD_NAMES[manifest.engine] or member is None or not member.isfile():
        report.problems.append(f"database payload {manifest.payload} is missing")
        return None
    payload = tmp / manifest.payload
    source = archive.extractfile(member)
    assert source is not None
    digest = _copy_hashing(source, payload)
    size = payload.stat().st_size
    if digest != manifest.payload_sha256 or size != manifest.payload_bytes:
        report.problems.append(
            f"database payload checksum mismatch: SHA-256 {digest[:16]}…, the manifest "
            f"says {manifest.payload_sha256[:16]}… (the backup is damaged or was altered)"
        )
    report.checked.append(f"payload SHA-256 ({size:,} bytes)")
    _verify_media(archive, members, manifest, tmp / "media-check", report)
    return payload


def _verify_media(
    archive: tarfile.TarFile, members: dict[str, tarfile.TarInfo], manifest: Manifest,
    scratch: Path, report: CheckReport,
) -> None:  # fmt: skip
    present = {}
    for name, member in members.items():
        if name in (MANIFEST_NAME, manifest.payload):
            continue
        relative = safe_media_path(name)
        if relative is None or not member.isfile():
            report.problems.append(f"unexpected member {name!r} in the backup")
            continue
        present[relative] = member
    for relative in sorted(set(manifest.media) - set(present)):
        report.problems.append(f"uploaded file {relative} is missing from the backup")
    for relative in sorted(set(present) - set(manifest.media)):
        report.problems.append(f"uploaded file {relative} is not in the manifest")
    scratch.mkdir(exist_ok=True)
    for relative in sorted(set(present) & set(manifest.media)):
        source = archive.extractfile(present[relative])
        assert source is not None
        target = scratch / "file"
        if _copy_hashing(source, target) != manifest.media[relative]:
            report.problems.append(f"uploaded file {relative}: checksum mismatch")
        target.unlink()
    if manifest.media:
        report.checked.append(f"{len(manifest.media)} uploaded file(s) SHA-256")


def _check_sqlite(payload: Path, manifest: Manifest, report: CheckReport) -> None:
    # Through Django's connection: CHECK constraints call functions it registers (REGEXP).
    with _sqlite_alias(payload) as alias:
        with connections[alias].cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            result = [str(row[0]) for row in cursor.fetchall()]
        if result != ["ok"]:
            report.problems.append(f"SQLite integrity check failed: {'; '.join(result[:5])}")
            return
        report.checked.append("SQLite integrity_check")
        report.problems += _verify_contents(alias, manifest)
    report.checked.append(f"row counts of {len(manifest.row_counts)} tables, audit chain")


def _check_postgresql(
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
        args, env = _pg_args(connections[alias].settings_dict, database)
        _run([pg_restore, "--no-owner", "--no-acl", "--exit-on-error", *args, str(payload)], env)
        report.problems += _verify_contents(alias, manifest)
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
        with _database_alias(NAME=name) as alias:
            yield alias, name
    finally:
        with connections["default"].cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")


# --- restore --------------------------------------------------------------------


def restore_backup(path: Path) -> Manifest:
    """Restore a backup into the configured database, which must be empty (or,
    for SQLite, not exist yet), and ``MEDIA_ROOT``, which must be empty too.
    Verifies row counts and the audit chain of the result."""
    report = check_backup(path, quick=True)
    if not report.ok or report.manifest is None:
        raise BackupError("the backup does not pass its check: " + "; ".join(report.problems))
    manifest = report.manifest
    engine = engine_name()
    if manifest.engine != engine:
        raise BackupError(
            f"the backup is of a {manifest.engine} database; the configured one is {engine}"
        )
    refusals = _target_not_empty(engine) + _media_not_empty(manifest)
    if refusals:
        raise BackupError("refusing to restore over existing data: " + "; ".join(refusals))
    with (
        tempfile.TemporaryDirectory(prefix="smartcity-restore-") as tmp,
        tarfile.open(path, "r:gz") as archive,
    ):
        payload = Path(tmp) / manifest.payload
        source = archive.extractfile(manifest.payload)
        assert source is not None
        if _copy_hashing(source, payload) != manifest.payload_sha256:
            raise BackupError("the payload changed while restoring")
        if engine == "sqlite":
            _restore_sqlite(payload)
        else:
            _restore_postgresql(payload)
        _restore_media(archive, manifest)
    problems = _verify_contents("default", manifest)
    if problems:
        raise BackupError(
            "restored, but the result differs from the backup: " + "; ".join(problems)
        )
    return manifest


def _target_not_empty(engine: str) -> list[str]:
    if engine == "sqlite":
        target = Path(str(connections["default"].settings_dict["NAME"]))
        if not target.exists() or target.stat().st_size == 0:
            return []
        with contextlib.closing(sqlite3.connect(target)) as db:
            (tables,) = db.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            ).fetchone()
        return [f"the SQLite database {target} has {tables} tables"] if tables else []
    try:
        tables = connections["default"].introspection.table_names()
    except DatabaseError as exc:
        raise BackupError(
            f"cannot open the target database ({exc}); create it first (createdb)"
        ) from exc
    name = connections["default"].settings_dict["NAME"]
    return [f"the database {name} has {len(tables)} tables"] if tables else []


def _media_not_empty(manifest: Manifest) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    if manifest.media and root.is_dir() and any(root.iterdir()):
        return [f"the media directory {root} is not empty"]
    return []


def _restore_sqlite(payload: Path) -> None:
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


def _restore_postgresql(payload: Path) -> None:
    connection = connections["default"]
    pg_restore = pg_tool("pg_restore", _pg_server_major())
    args, env = _pg_args(connection.settings_dict)
    connection.close()
    _run([pg_restore, "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
          *args, str(payload)], env)  # fmt: skip


def _restore_media(archive: tarfile.TarFile, manifest: Manifest) -> None:
    root = Path(settings.MEDIA_ROOT)
    for relative in sorted(manifest.media):
        source = archive.extractfile(MEDIA_PREFIX + relative)
        assert source is not None
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if _copy_hashing(source, target) != manifest.media[relative]:
            raise BackupError(f"uploaded file {relative} changed while restoring")
