"""Restoring a backup into an empty database and an empty media directory,
then verifying the result like a check.
"""

from __future__ import annotations

import tarfile
import tempfile
from pathlib import Path

from django.conf import settings

from smartcity.core.backup.base import BackupError, copy_hashing, engine_name, verify_contents
from smartcity.core.backup.check import check_backup
from smartcity.core.backup.postgresql import existing_data_postgresql, restore_postgresql
from smartcity.core.backup.sqlite import existing_data_sqlite, restore_sqlite
from smartcity.core.domain.backup_manifest import MEDIA_PREFIX, Manifest


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
        if copy_hashing(source, payload) != manifest.payload_sha256:
            raise BackupError("the payload changed while restoring")
        if engine == "sqlite":
            restore_sqlite(payload)
        else:
            restore_postgresql(payload)
        _restore_media(archive, manifest)
    problems = verify_contents("default", manifest)
    if problems:
        raise BackupError(
            "restored, but the result differs from the backup: " + "; ".join(problems)
        )
    return manifest


def _target_not_empty(engine: str) -> list[str]:
    return existing_data_sqlite() if engine == "sqlite" else existing_data_postgresql()


def _media_not_empty(manifest: Manifest) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    if manifest.media and root.is_dir() and any(root.iterdir()):
        return [f"the media directory {root} is not empty"]
    return []


def _restore_media(archive: tarfile.TarFile, manifest: Manifest) -> None:
    root = Path(settings.MEDIA_ROOT)
    for relative in sorted(manifest.media):
        source = archive.extractfile(MEDIA_PREFIX + relative)
        assert source is not None
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if copy_hashing(source, target) != manifest.media[relative]:
            raise BackupError(f"uploaded file {relative} changed while restoring")
