"""Checking a backup without touching the live data: every checksum, then
the engine's own check of the payload and its contents.
"""

from __future__ import annotations

import sqlite3
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.db import DatabaseError

from smartcity.core.backup.base import BackupError, CheckReport, copy_hashing
from smartcity.core.backup.postgresql import check_postgresql
from smartcity.core.backup.sqlite import check_sqlite
from smartcity.core.domain.backup_manifest import (
    MANIFEST_NAME,
    PAYLOAD_NAMES,
    Manifest,
    ManifestError,
    safe_media_path,
)


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
                check_sqlite(payload, manifest, report)
            else:
                check_postgresql(payload, manifest, report, quick=quick)
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
    digest = copy_hashing(source, payload)
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
        if copy_hashing(source, target) != manifest.media[relative]:
            report.problems.append(f"uploaded file {relative}: checksum mismatch")
        target.unlink()
    if manifest.media:
        report.checked.append(f"{len(manifest.media)} uploaded file(s) SHA-256")
