"""The backup manifest: round trip, refusal of foreign or broken manifests,
row-count comparison, migration heads, and member paths that cannot escape."""

from __future__ import annotations

import json

import pytest

from smartcity.core.domain.backup_manifest import (
    FORMAT,
    Manifest,
    ManifestError,
    count_differences,
    migration_heads,
    safe_media_path,
)


def _manifest() -> Manifest:
    return Manifest(
        engine="sqlite",
        created_at="2026-11-23T00:00:00+00:00",
        payload="database.sqlite3",
        payload_sha256="ab" * 32,
        payload_bytes=4096,
        migrations={"core": "0002_audit_head", "operations": "0004_x"},
        row_counts={"core_auditevent": 3, "operations_incident": 2},
        audit_rows=3,
        audit_head="cd" * 32,
        media={"docs/a.pdf": "ef" * 32},
        source="/srv/smartcity.sqlite3",
    )


def test_manifest_round_trips_through_json() -> None:
    manifest = _manifest()
    assert Manifest.from_json(manifest.to_json()) == manifest
    assert json.loads(manifest.to_json())["format"] == FORMAT


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not JSON"),
        ("[]", "not a JSON object"),
        (json.dumps({"format": "other/9"}), "unknown backup format"),
        (json.dumps({"format": FORMAT, "engine": "oracle"}), "unknown database engine"),
        (json.dumps({"format": FORMAT, "engine": "sqlite"}), "missing or invalid"),
    ],
)
def test_a_foreign_or_broken_manifest_is_refused(text: str, message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        Manifest.from_json(text)


def test_count_differences_names_each_table() -> None:
    assert count_differences({"a": 1, "b": 2}, {"a": 1, "b": 2}) == []
    assert count_differences({"a": 1, "b": 2, "c": 0}, {"a": 1, "b": 3, "d": 5}) == [
        "table b: 3 rows, the manifest says 2",
        "table c: in the manifest, missing from the backup",
        "table d: in the backup, not in the manifest",
    ]


def test_migration_heads_are_the_newest_applied_per_app() -> None:
    applied = [("core", "0001_initial"), ("core", "0002_audit_head"), ("auth", "0012_x"),
               ("auth", "0003_y")]  # fmt: skip
    assert migration_heads(applied) == {"core": "0002_audit_head", "auth": "0012_x"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("media/docs/a.pdf", "docs/a.pdf"),
        ("media/계획서.pdf", "계획서.pdf"),
        ("media/../etc/passwd", None),
        ("media//etc/passwd", None),
        ("media/", None),
        ("media/a/./b", None),
        ("other/a", None),
        ("media/a\\..\\b", None),
    ],
)
def test_only_plain_relative_media_paths_are_accepted(name: str, expected: str | None) -> None:
    assert safe_media_path(name) == expected
