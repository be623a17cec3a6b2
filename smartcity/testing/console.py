"""The ``smartcity`` console script as a user runs it: a subprocess with its own
environment and its own SQLite file (also when the suite itself runs on
PostgreSQL), the test process's clock shift included (``PYTHONPATH``).

Migrating an empty database takes the console script 8–10 s of CPU, so the
tests that are not about migrating start from a copy of one migrated
template: ``migrated_template`` builds it once per test run (under
pytest-xdist once for all workers, under a file lock) and ``copy_database``
copies it with SQLite's backup API. No Django here: the plugin imports this
module before Django is set up.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SMARTCITY = Path(sys.executable).parent / "smartcity"
TIMEOUT = 300  # seconds: a busy CI machine runs six of these at once


@dataclass(frozen=True)
class ConsoleScript:
    """``smartcity`` on one SQLite file in one data directory."""

    database: Path
    data_dir: Path

    @property
    def env(self) -> dict[str, str]:
        """The test process's environment, pointed at this database and data directory."""
        env = dict(os.environ)
        env["DATABASE_URL"] = f"sqlite:///{self.database}"
        env["SMARTCITY_DATA_DIR"] = str(self.data_dir)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        return env

    def command(self, *args: str) -> list[str]:
        return [str(SMARTCITY), *args]

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """Run ``smartcity *args`` to the end (``env``: variables to add or
        override); output captured as text, never checked."""
        return subprocess.run(
            self.command(*args),
            capture_output=True,
            text=True,
            env=self.env | env,
            timeout=TIMEOUT,
            check=False,
        )

    def popen(self, *args: str) -> subprocess.Popen[str]:
        """Start ``smartcity *args`` (a server); stdout and stderr are pipes."""
        return subprocess.Popen(
            self.command(*args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.env,
        )


def run_key() -> str:
    """What identifies this test run: pytest-xdist's id shared by all workers,
    else this process (a run without workers)."""
    return os.environ.get("PYTEST_XDIST_TESTRUNUID") or f"pid{os.getpid()}"


def template_directory(key: str) -> Path:
    return Path(tempfile.gettempdir()) / f"smartcity-test-template-{key}"


def migrated_template() -> Path:
    """The path of this run's migrated SQLite database, built on first use.

    The first worker to get here migrates (the console script, as a user
    would); the others wait on the lock and then find the file. The file is
    switched out of WAL mode so that it is one self-contained file to copy."""
    directory = template_directory(run_key())
    directory.mkdir(exist_ok=True)
    template = directory / "migrated.sqlite3"
    with (directory / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            building = directory / "building.sqlite3"
            for stale in directory.glob("building.sqlite3*"):
                stale.unlink()
            console = ConsoleScript(building, directory)
            done = console.run("migrate", "-v0")
            if done.returncode != 0:
                raise RuntimeError(f"smartcity migrate failed:\n{done.stdout}{done.stderr}")
            connection = sqlite3.connect(building)
            try:
                connection.execute("PRAGMA journal_mode=DELETE")
            finally:
                connection.close()
            building.replace(template)
    return template


def copy_database(source: Path, target: Path) -> None:
    """Copy an SQLite database page by page (the backup API: consistent even
    if someone else has it open)."""
    reading = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writing = sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        writing.close()
        reading.close()


def remove_template(key: str) -> None:
    shutil.rmtree(template_directory(key), ignore_errors=True)
