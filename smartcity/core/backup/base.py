"""What every step and engine shares: errors, the check report, hashing
files, temporary connection aliases and what a database holds.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connections

from smartcity.core.domain.backup_manifest import (
    PAYLOAD_NAMES,
    Manifest,
    count_differences,
    migration_heads,
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


def copy_hashing(source: IO[bytes], target: Path) -> str:
    digest = hashlib.sha256()
    with target.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def database_alias(**overrides: Any) -> Iterator[str]:
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


def sqlite_alias(path: Path) -> contextlib.AbstractContextManager[str]:
    # Read-only and no WAL switch: checking a file must not change it.
    return database_alias(NAME=str(path), OPTIONS={"init_command": "PRAGMA query_only=ON;"})


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


def verify_contents(alias: str, manifest: Manifest) -> list[str]:
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


def media_files() -> dict[str, Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }
