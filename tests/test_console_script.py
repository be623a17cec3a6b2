"""The ``smartcity`` console script before ``migrate``: a sentence that says
what to do, exit status 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SMARTCITY = str(Path(sys.executable).parent / "smartcity")


def test_a_command_on_an_unmigrated_database_says_to_migrate(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        SMARTCITY_DATA_DIR=str(tmp_path / "data"),
        LANGUAGE="ko",
    )
    done = subprocess.run(
        [SMARTCITY, "registry", "status"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert "smartcity migrate" in done.stderr
    assert "데이터베이스가 아직 준비되지 않았습니다" in done.stderr
    assert "Traceback" not in done.stderr
