"""Writing a backup: the manifest, the database payload and the uploaded
files in one ``.tar.gz`` that appears only once complete.
"""

from __future__ import annotations

import datetime as dt
import os
import tarfile
import tempfile
from pathlib import Path
from typing import IO

from smartcity.core.backup.base import default_backup_dir, engine_name, media_files, sha256_file
from smartcity.core.backup.postgresql import snapshot_postgresql
from smartcity.core.backup.sqlite import snapshot_sqlite
from smartcity.core.domain.backup_manifest import (
    MANIFEST_NAME,
    MEDIA_PREFIX,
    PAYLOAD_NAMES,
    Manifest,
)


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
            contents, source = snapshot_sqlite(payload)
        else:
            contents, source = snapshot_postgresql(payload)
        media = media_files() if include_media else {}
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
