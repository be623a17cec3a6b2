"""``smartcity backup create | check | restore`` through the real command line.

A backup of a database with incidents, their timelines, idempotency records,
outbox events, an audit chain and an uploaded file is checked, restored into a
new database and compared row by row; a damaged or altered backup fails its
check with a message that says what is wrong; restore refuses without
``--yes`` and over existing data.
"""

from __future__ import annotations

import io
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.durability.conftest import Deployment
from tests.durability.harness import (
    MAIN_PG,
    ROOT,
    SMARTCITY,
    DbReader,
    app_env,
    pg_database,
)

COMPARED = (
    "operations_tenant",
    "operations_intakeclient",
    "operations_incident",
    "operations_incidentevent",
    "operations_idempotencyrecord",
    "realtime_outboxevent",
    "core_auditevent",
    "core_audithead",
    "django_migrations",
)


def smartcity(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SMARTCITY, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"{done.args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def seed(deployment: Deployment) -> dict[str, str]:
    """Three incidents from the demo command, and an uploaded document."""
    env = deployment.env()
    ok(smartcity(env, "operations", "demo"))
    upload = deployment.data_dir / "uploads" / "applications" / "1" / "계획서.pdf"
    upload.parent.mkdir(parents=True)
    upload.write_bytes(b"%PDF-1.4 durability test\n")
    return env


def table_rows(database_url: str) -> dict[str, list[tuple[object, ...]]]:
    with DbReader(database_url) as db:
        rows = {table: db.rows(f"SELECT * FROM {table} ORDER BY id") for table in COMPARED}  # noqa: S608
    assert rows["operations_incident"] and rows["core_auditevent"], "nothing to compare"
    return rows


def rewrite_backup(source: Path, target: Path, change: dict[str, bytes]) -> None:
    """Copy a backup archive with some members' contents replaced."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            handle = old.extractfile(member)
            assert handle is not None
            data = change.get(member.name, handle.read())
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


def round_trip(source: Deployment, target_env: dict[str, str], target_url: str, tmp: Path) -> None:
    env = seed(source)
    backup = tmp / "smartcity.tar.gz"
    created = ok(smartcity(env, "backup", "create", "--output", str(backup)))
    assert "backup written" in created
    checked = ok(smartcity(env, "backup", "check", str(backup)))
    assert "backup OK" in checked and "audit chain" in checked, checked

    refused = smartcity(target_env, "backup", "restore", str(backup))
    assert refused.returncode != 0 and "--yes" in refused.stderr, refused
    restored = ok(smartcity(target_env, "backup", "restore", str(backup), "--yes"))
    assert "audit chain verified" in restored, restored
    assert table_rows(target_url) == table_rows(source.database_url)
    media = Path(target_env["SMARTCITY_DATA_DIR"]) / "uploads" / "applications" / "1" / "계획서.pdf"
    assert media.read_bytes() == b"%PDF-1.4 durability test\n"

    again = smartcity(target_env, "backup", "restore", str(backup), "--yes")
    assert again.returncode != 0 and "refusing to restore over existing data" in again.stderr


def test_sqlite_backup_round_trip_and_refusals(sqlite_deployment: Deployment) -> None:
    with tempfile.TemporaryDirectory(prefix="smartcity-durability-restore-") as tmp:
        target_url = f"sqlite:///{tmp}/restored.sqlite3"
        round_trip(sqlite_deployment, app_env(Path(tmp), target_url), target_url, Path(tmp))


def test_a_damaged_or_altered_backup_fails_its_check(sqlite_deployment: Deployment) -> None:
    env = seed(sqlite_deployment)
    with tempfile.TemporaryDirectory(prefix="smartcity-durability-tamper-") as name:
        tmp = Path(name)
        backup = tmp / "good.tar.gz"
        ok(smartcity(env, "backup", "create", "--output", str(backup)))
        with tarfile.open(backup, "r:gz") as archive:
            handle = archive.extractfile("database.sqlite3")
            assert handle is not None
            payload = bytearray(handle.read())
            manifest = archive.extractfile("manifest.json")
            assert manifest is not None
            manifest_text = manifest.read().decode()

        # 1. A flipped byte in the payload: the checksum catches it.
        flipped = bytearray(payload)
        flipped[len(flipped) // 2] ^= 0xFF
        damaged = tmp / "damaged.tar.gz"
        rewrite_backup(backup, damaged, {"database.sqlite3": bytes(flipped)})
        result = smartcity(env, "backup", "check", str(damaged))
        assert result.returncode != 0
        assert "FAILED its check" in result.stderr
        assert "checksum mismatch" in result.stderr, result.stderr

        # 2. An audit row edited and the manifest's checksum forged to match:
        #    the hash chain catches it.
        database = tmp / "edited.sqlite3"
        database.write_bytes(bytes(payload))
        with sqlite3.connect(database) as db:
            db.execute(
                "UPDATE core_auditevent SET actor_label = 'someone else'"
                " WHERE id = (SELECT MIN(id) FROM core_auditevent)"
            )
        edited = database.read_bytes()
        import hashlib
        import json

        forged = json.loads(manifest_text)
        forged["payload_sha256"] = hashlib.sha256(edited).hexdigest()
        forged["payload_bytes"] = len(edited)
        altered = tmp / "altered.tar.gz"
        rewrite_backup(
            backup, altered,
            {"database.sqlite3": edited, "manifest.json": json.dumps(forged).encode()},
        )  # fmt: skip
        result = smartcity(env, "backup", "check", str(altered))
        assert result.returncode != 0
        assert "audit chain broken at row" in result.stderr, result.stderr

        # 3. Not a backup at all.
        junk = tmp / "junk.tar.gz"
        junk.write_bytes(b"not a tarball " + uuid.uuid4().bytes)
        result = smartcity(env, "backup", "check", str(junk))
        assert result.returncode != 0 and "not a readable .tar.gz" in result.stderr, result.stderr


@pytest.mark.slow
def test_postgresql_backup_round_trip_and_refusals(postgres_deployment: Deployment) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="smartcity-durability-restore-") as tmp,
        pg_database(MAIN_PG, f"durability_restore_{uuid.uuid4().hex[:8]}") as target_url,
    ):
        round_trip(postgres_deployment, app_env(Path(tmp), target_url), target_url, Path(tmp))
