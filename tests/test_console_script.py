"""The ``smartcity`` console script before ``migrate``: a sentence that says
what to do, exit status 2, no traceback."""

from __future__ import annotations

from smartcity.testing.console import ConsoleScript


def test_a_command_on_an_unmigrated_database_says_to_migrate(
    console_on_empty_database: ConsoleScript,
) -> None:
    done = console_on_empty_database.run("registry", "status", LANGUAGE="ko")
    assert done.returncode == 2, done.stderr
    assert "smartcity migrate" in done.stderr
    assert "데이터베이스가 아직 준비되지 않았습니다" in done.stderr
    assert "Traceback" not in done.stderr
