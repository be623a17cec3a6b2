"""The test kit's fixtures, for every test (the root conftest loads this plugin).

- ``city_2023``: the shipped frameworks loaded, city-2023 returned;
- ``persona_city_population``: the persona cities get a population;
- ``console``: the ``smartcity`` console script on a copy of a migrated SQLite
  database (``console_on_empty_database``: on an empty file, for the one test
  that migrates as a new user would).

The helpers the fixtures use, and the ones tests call themselves, are plain
modules beside this one: ``call_calendar`` (the calendar, ``KST``, ``PDF``),
``certification`` (``open_call``, ``submit``, ``reported``, ...), ``console``.
Nothing here imports Django at load time: pure tests run with ``-p no:django``.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from smartcity.testing.console import (
    ConsoleScript,
    copy_database,
    migrated_template,
    remove_template,
)
from smartcity.testing.video import camera_simulator, video_gateways  # noqa: F401 - fixtures


@pytest.fixture
def city_2023(db: None) -> Any:
    """The framework of the city calls (loaded from the shipped files)."""
    from smartcity.frameworks.models import FrameworkVersion
    from smartcity.frameworks.services import load_shipped_frameworks

    load_shipped_frameworks()
    return FrameworkVersion.objects.get(code="city-2023")


@pytest.fixture
def persona_city_population(db: None) -> None:
    """City A (90001) is small/medium, city B (90002) large, so per-population
    indicators can be scored."""
    from smartcity.testing.certification import populate_persona_cities

    populate_persona_cities()


@pytest.fixture(scope="session")
def _migrated_template() -> Path:
    return migrated_template()


@pytest.fixture
def console(_migrated_template: Path, tmp_path: Path) -> ConsoleScript:
    """The console script on this test's own copy of a migrated database."""
    script = ConsoleScript(tmp_path / "smartcity.sqlite3", tmp_path)
    copy_database(_migrated_template, script.database)
    return script


@pytest.fixture
def console_on_empty_database(tmp_path: Path) -> ConsoleScript:
    """The console script on an empty database file, as a new user starts."""
    return ConsoleScript(tmp_path / "fresh.sqlite3", tmp_path)


# --- the migrated template's lifetime: one run ------------------------------


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist the controller names the run (the workers see it as
    ``PYTEST_XDIST_TESTRUNUID``), so that it can remove the run's template at
    the end."""
    is_worker = hasattr(config, "workerinput")
    unnamed = getattr(config.option, "testrunuid", "") is None  # xdist there, no --testrunuid
    if not is_worker and unnamed:
        config.option.testrunuid = uuid.uuid4().hex


def pytest_unconfigure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):
        return  # the controller cleans up after all workers
    remove_template(f"pid{os.getpid()}")
    testrunuid = getattr(config.option, "testrunuid", None)
    if testrunuid:
        remove_template(testrunuid)
