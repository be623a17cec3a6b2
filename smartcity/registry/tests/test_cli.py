"""The command line, as a user runs it: a fresh database, the real console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SMARTCITY = Path(sys.executable).parent / "smartcity"


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SMARTCITY), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


@pytest.fixture
def fresh_db(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    env["SMARTCITY_DATA_DIR"] = str(tmp_path)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


@pytest.mark.slow
def test_migrate_import_status_on_an_empty_database(shared_data, fresh_db) -> None:  # type: ignore[no-untyped-def]
    history = shared_data / "domain" / "certification_history.csv"
    assert run("migrate", "-v0", env=fresh_db).returncode == 0
    first = run("registry", "import-decisions", str(history), env=fresh_db)
    assert first.returncode == 0, first.stderr
    assert "imported 56" in first.stdout
    second = run("registry", "import-decisions", str(history), env=fresh_db)
    assert "imported 0" in second.stdout and "56 already" in second.stdout

    status = run("registry", "status", "--on", "2025-12-31", "--format", "json", env=fresh_db)
    rows = json.loads(status.stdout)
    assert len(rows) == 31
    assert {"kind", "subject", "subject_code", "size_class", "granted_by", "valid_from",
            "valid_until"} <= set(rows[0])  # fmt: skip
    assert "대전광역시" not in {r["subject"] for r in rows}
    granted = {r["granted_by"] for r in rows}
    assert granted == {"new", "extension"}

    for code, year, expected in [
        ("36110", "2021", "large"),
        ("36110", "2024", "small_medium"),
        ("11710", "2024", "small_medium"),
        ("48250", "2024", "large"),
        ("41150", "2024", "small_medium"),
    ]:
        answer = run("municipalities", "size-class", code, "--call-year", year, env=fresh_db)
        assert answer.stdout.strip() == expected, (code, year, answer.stderr)


@pytest.mark.slow
def test_bad_file_reports_rows_and_exits_non_zero(tmp_path: Path, fresh_db) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "kind,subject,subject_code,size_class,decision,decided_on,field,holder,note,source\n"
        "city,대구광역시,27000,large,new,2021-09-10,,,,\n"
        "city,없는시,99999,large,new,2021-09-10,,,,\n"
        "city,김해시,48250,large,extension,2024-11-25,,,,\n",
        encoding="utf-8",
    )
    assert run("migrate", "-v0", env=fresh_db).returncode == 0
    result = run("registry", "import-decisions", str(bad), env=fresh_db)
    assert result.returncode != 0
    assert "3행 [subject_code]" in result.stderr
    assert "4행 [decision]" in result.stderr
    status = run("registry", "status", "--on", "2022-01-01", "--format", "json", env=fresh_db)
    assert json.loads(status.stdout) == []
