"""What a backup says about itself, and how to compare it with what it holds.

A backup (``smartcity backup create``) is one ``.tar.gz``: ``manifest.json``,
the database payload (an SQLite file made with the online backup API, or a
``pg_dump -Fc`` archive) and the uploaded documents under ``media/``. The
manifest records, at the moment of the snapshot, the row count of every table,
the applied migrations, the audit chain's length and head hash, and the
SHA-256 of every other member, so ``smartcity backup check`` can tell a good
backup from a damaged or altered one without the live database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

FORMAT = "smartcity-backup/1"
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
PAYLOAD_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


class ManifestError(ValueError):
    """The manifest is missing, unreadable, or not one this version writes."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    created_at: str
    """ISO 8601, UTC: when the snapshot was taken."""
    payload: str
    payload_sha256: str
    payload_bytes: int
    migrations: Mapping[str, str]
    """App label → the last applied migration (the migration heads)."""
    row_counts: Mapping[str, int]
    audit_rows: int
    audit_head: str
    """The hash of the newest audit row (the chain's head), or the genesis hash."""
    media: Mapping[str, str] = field(default_factory=dict)
    """Relative path under ``media/`` → SHA-256 of the file."""
    source: str = ""
    """Where it was taken (database name or file), for people reading it."""
    format: str = FORMAT

    def to_json(self) -> str:
        data = asdict(self)
        data["migrations"] = dict(sorted(self.migrations.items()))
        data["row_counts"] = dict(sorted(self.row_counts.items()))
        data["media"] = dict(sorted(self.media.items()))
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ManifestError(f"manifest is not JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise ManifestError("manifest is not a JSON object")
        if data.get("format") != FORMAT:
            raise ManifestError(f"unknown backup format {data.get('format')!r} (expected {FORMAT})")
        if data.get("engine") not in PAYLOAD_NAMES:
            raise ManifestError(f"unknown database engine {data.get('engine')!r}")
        try:
            return cls(
                engine=str(data["engine"]),
                created_at=str(data["created_at"]),
                payload=str(data["payload"]),
                payload_sha256=str(data["payload_sha256"]),
                payload_bytes=int(data["payload_bytes"]),
                migrations={str(k): str(v) for k, v in _mapping(data, "migrations").items()},
                row_counts={str(k): int(v) for k, v in _mapping(data, "row_counts").items()},
                audit_rows=int(data["audit_rows"]),
                audit_head=str(data["audit_head"]),
                media={str(k): str(v) for k, v in _mapping(data, "media").items()},
                source=str(data.get("source", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ManifestError(f"manifest field missing or invalid: {exc}") from exc


def _mapping(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ManifestError(f"manifest field {name!r} is not an object")
    return value


def count_differences(expected: Mapping[str, int], actual: Mapping[str, int]) -> list[str]:
    """Tables whose row count differs between the manifest and the payload."""
    problems = []
    for table in sorted(set(expected) | set(actual)):
        if table not in actual:
            problems.append(f"table {table}: in the manifest, missing from the backup")
        elif table not in expected:
            problems.append(f"table {table}: in the backup, not in the manifest")
        elif expected[table] != actual[table]:
            problems.append(
                f"table {table}: {actual[table]} rows, the manifest says {expected[table]}"
            )
    return problems


def migration_heads(applied: list[tuple[str, str]]) -> dict[str, str]:
    """App label → its last applied migration, from ``django_migrations`` rows.

    Migration names start with a zero-padded number, so the greatest name is
    the newest.
    """
    heads: dict[str, str] = {}
    for app, name in applied:
        if name > heads.get(app, ""):
            heads[app] = name
    return heads


def safe_media_path(name: str) -> str | None:
    """The relative path of a ``media/`` member, or None if it could escape
    the media directory (absolute, ``..``, empty parts)."""
    if not name.startswith(MEDIA_PREFIX):
        return None
    relative = name[len(MEDIA_PREFIX) :]
    parts = relative.split("/")
    if not relative or relative.startswith("/") or any(p in {"", ".", ".."} for p in parts):
        return None
    if "\\" in relative or "\x00" in relative:
        return None
    return relative
