"""The command line, as a user runs it: its own database, the real console script."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartcity.testing.console import ConsoleScript


@pytest.mark.slow
def test_migrate_import_status_on_an_empty_database(  # type: ignore[no-untyped-def]
    shared_data, console_on_empty_database: ConsoleScript
) -> None:
    """The one test that migrates an empty database as a new user does; the
    other console-script tests start from a copy of a migrated one."""
    console = console_on_empty_database
    history = shared_data / "domain" / "certification_history.csv"
    assert console.run("migrate", "-v0").returncode == 0
    first = console.run("registry", "import-decisions", str(history))
    assert first.returncode == 0, first.stderr
    assert "imported 56" in first.stdout
    second = console.run("registry", "import-decisions", str(history))
    assert "imported 0" in second.stdout and "56 already" in second.stdout

    status = console.run("registry", "status", "--on", "2025-12-31", "--format", "json")
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
        answer = console.run("municipalities", "size-class", code, "--call-year", year)
        assert answer.stdout.strip() == expected, (code, year, answer.stderr)


@pytest.mark.slow
def test_bad_file_reports_rows_and_exits_non_zero(tmp_path: Path, console: ConsoleScript) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "kind,subject,subject_code,size_class,decision,decided_on,field,holder,note,source\n"
        "city,대구광역시,27000,large,new,2021-09-10,,,,\n"
        "city,없는시,99999,large,new,2021-09-10,,,,\n"
        "city,김해시,48250,large,extension,2024-11-25,,,,\n",
        encoding="utf-8",
    )
    result = console.run("registry", "import-decisions", str(bad))
    assert result.returncode != 0
    assert "3행 [subject_code]" in result.stderr
    assert "4행 [decision]" in result.stderr
    status = console.run("registry", "status", "--on", "2022-01-01", "--format", "json")
    assert json.loads(status.stdout) == []
