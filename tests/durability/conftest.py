"""Fixtures of the durability tests: provisioned databases (migrated, with the
고양시 tenant and a 112 intake key) for servers the tests start themselves."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.durability.harness import (
    MAIN_PG,
    app_env,
    copy_sqlite,
    pg_database,
    pg_reachable,
    provision,
    unavailable,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.durability)
            # They start, kill and restart servers of their own: one at a time,
            # on one worker, while the other workers run the rest of the suite.
            item.add_marker(pytest.mark.xdist_group("servers"))


@dataclass
class Deployment:
    """A provisioned database and the environment of the app's processes."""

    database_url: str
    data_dir: Path
    api_key: str

    def env(self, **extra: str) -> dict[str, str]:
        return app_env(self.data_dir, self.database_url, **extra)


@pytest.fixture(scope="session")
def sqlite_template() -> Iterator[tuple[Path, str]]:
    """One provisioned SQLite file per session (provisioning costs ~10 s)."""
    with tempfile.TemporaryDirectory(prefix="smartcity-durability-tmpl-") as tmp:
        path = Path(tmp) / "template.sqlite3"
        key = provision(app_env(Path(tmp), f"sqlite:///{path}"))
        yield path, key


@pytest.fixture
def sqlite_deployment(sqlite_template: tuple[Path, str]) -> Iterator[Deployment]:
    template, key = sqlite_template
    with tempfile.TemporaryDirectory(prefix="smartcity-durability-") as tmp:
        path = Path(tmp) / "smartcity.sqlite3"
        copy_sqlite(template, path)
        yield Deployment(f"sqlite:///{path}", Path(tmp), key)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[tuple[str, str]]:
    """One provisioned PostgreSQL database per session (migrating costs ~30 s);
    tests get copies (``CREATE DATABASE … TEMPLATE``)."""
    problem = pg_reachable(MAIN_PG)
    if problem is not None:
        unavailable(problem + " (set SMARTCITY_DURABILITY_PG)")
    name = f"durability_tmpl_{uuid.uuid4().hex[:8]}"
    with (
        tempfile.TemporaryDirectory(prefix="smartcity-durability-tmpl-") as tmp,
        pg_database(MAIN_PG, name) as url,
    ):
        yield name, provision(app_env(Path(tmp), url))


@pytest.fixture
def postgres_deployment(postgres_template: tuple[str, str]) -> Iterator[Deployment]:
    """A new database ``durability_<hex>`` on the machine's PostgreSQL."""
    template, key = postgres_template
    name = f"durability_{uuid.uuid4().hex[:8]}"
    with (
        tempfile.TemporaryDirectory(prefix="smartcity-durability-") as tmp,
        pg_database(MAIN_PG, name, template=template) as url,
    ):
        yield Deployment(url, Path(tmp), key)
