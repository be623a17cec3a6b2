"""Fixtures for every test: personas, fast password hashing, paths to shared data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent
SHARED = REPO.parent / "shared"

# The test kit's fixtures (smartcity/testing/plugin.py; its helpers are modules
# beside it).
pytest_plugins = ["smartcity.testing.plugin"]


def pytest_report_header() -> str:
    """Say which clock the run sees: scripts/test can shift it (SMARTCITY_CLOCK_SHIFT)."""
    import datetime as dt
    import os

    shift = os.environ.get("SMARTCITY_CLOCK_SHIFT", "")
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return f"clock: {now}" + (f" (shifted {shift}, tests/clockshift)" if shift else " (real)")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that start servers of their own (one serial group of several
    minutes, see tests/durability/conftest.py) go first, so that under
    pytest-xdist their chain starts at once instead of trailing the run. They
    use no Django test database, so the order pytest-django gives the rest
    (database tests before transactional ones) is kept."""
    grouped = [item for item in items if item.get_closest_marker("xdist_group")]
    if grouped:
        rest = [item for item in items if not item.get_closest_marker("xdist_group")]
        items[:] = grouped + rest


_YIELDED = False


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under pytest-xdist, the serial chain of server tests is the run's
    critical path: it alone takes most of a pass while the other workers share
    what CPU is left. A worker lowers its own priority (``nice``, inherited by
    the browsers and subprocesses it starts) before its first test outside that
    chain, so the chain's servers get a core when they need one and the rest
    fills the remaining time. ``SMARTCITY_TEST_NICE=0`` turns this off."""
    global _YIELDED
    import os

    if _YIELDED or not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    group = item.get_closest_marker("xdist_group")
    if group is not None and "servers" in (*group.args, *group.kwargs.values()):
        return
    _YIELDED = True
    increment = int(os.environ.get("SMARTCITY_TEST_NICE", "10"))
    if increment > 0:
        os.nice(increment)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """MD5 in tests only: the real hasher costs ~0.3 s a login."""
    if not request.config.pluginmanager.has_plugin("django"):
        return  # pure tests run with -p no:django
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test starts with empty rate-limit counters (core.middleware.RateLimitMiddleware
    # keeps them in the process's cache, which would otherwise carry over between tests).
    from django.core.cache import cache

    cache.clear()
    # Each test starts in the site's default language: a request in English
    # (LocaleMiddleware) leaves the worker's thread in English otherwise.
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_browser_event_loop(request: pytest.FixtureRequest) -> Iterator[None]:
    """Playwright's sync API (the session-scoped ``browser``) leaves its event
    loop marked as running in the worker's main thread. Django's sync test
    client then cannot call the async-only static-files middleware
    (ServeStatic): ``async_to_sync`` refuses inside a running loop. A test that
    does not drive the browser runs without that mark; it is put back after."""
    if {"page", "browser"} & set(request.fixturenames):
        yield
        return
    import asyncio

    loop = asyncio._get_running_loop()
    if loop is None:
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


@pytest.fixture
def shared_data() -> Path:
    """``../shared`` beside the checkout; tests that need it skip with a reason when absent."""
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED} (present in CI and on developer machines)")
    return SHARED


def _persona_fixture(name: str):  # type: ignore[no-untyped-def]
    @pytest.fixture(name=name)
    def fixture(db: None):  # type: ignore[no-untyped-def]
        from smartcity.testing.personas import make_persona

        return make_persona(name)

    return fixture


# Kept here (not imported from personas.py) so pure tests can run without Django.
PERSONA_NAMES = (
    "ministry_officer",
    "operator_staff",
    "service_operator_staff",
    "committee_member",
    "applicant_city_a",
    "applicant_city_b",
    "company_applicant",
    "platform_operator",
    "police_officer",
)

for _name in PERSONA_NAMES:
    globals()[_name] = _persona_fixture(_name)


@pytest.fixture
def anonymous():  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def municipal_register(db: None) -> None:
    """The 243 local governments. A migration loads them, but a transactional
    test's flush empties the table, so reload when needed."""
    from django.core.management import call_command

    from smartcity.municipalities.models import Municipality

    if not Municipality.objects.filter(code="11000").exists():
        call_command("municipalities", "load", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


class FrozenClock:
    """The server's clock, stopped at a chosen instant (``clock.set(...)``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import datetime as dt

        from django.utils import timezone

        self.now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, moment):  # type: ignore[no-untyped-def]
        self.now = moment
        return moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    """Freeze ``django.utils.timezone.now`` — the clock every deadline is judged on."""
    return FrozenClock(monkeypatch)


def _agency_officer_fixture(name: str, username: str, organisation: str, kind: str):  # type: ignore[no-untyped-def]
    """Officers of the linkage services' agencies (operations, issue 6 phase 2)."""

    @pytest.fixture(name=name)
    def fixture(db: None):  # type: ignore[no-untyped-def]
        from smartcity.accounts.choices import Role
        from smartcity.accounts.models import Organisation
        from smartcity.testing.factories import UserFactory

        org, _ = Organisation.objects.get_or_create(name_ko=organisation, defaults={"kind": kind})
        return UserFactory(username=username, role=Role.AGENCY_OFFICER, organisation=org)

    return fixture


fire_officer = _agency_officer_fixture("fire_officer", "fire", "가람소방서 119 상황실", "fire")
disaster_officer = _agency_officer_fixture(
    "disaster_officer", "disaster", "가람시 재난안전상황실", "disaster_room"
)
police_officer_b = _agency_officer_fixture(
    "police_officer_b", "police_b", "나래경찰서 112 상황실", "police"
)


@pytest.fixture(autouse=True)
def _reseed_after_flush(request: pytest.FixtureRequest) -> None:
    """A transactional test (live_server, transactional_db) starts from a
    flushed database: the rows data migrations seed are gone. Every such test
    gets the size-class rules back, so none depends on running first."""
    if {"live_server", "transactional_db"} & set(request.fixturenames):
        request.getfixturevalue("size_class_rules")


@pytest.fixture
def size_class_rules(db: None) -> None:
    """The size-class rules a data migration seeds; a transactional test's
    flush empties the table, so seed them again (same rows as the migration)."""
    from importlib import import_module

    from smartcity.municipalities.models import SizeClassRule

    seeded = import_module("smartcity.municipalities.migrations.0002_size_class_rules")
    for rule in seeded.RULES:
        SizeClassRule.objects.update_or_create(code=rule["code"], defaults=rule)


@pytest.fixture(autouse=True)
def _stop_intake_group_writer() -> Iterator[None]:
    """The intake endpoints store through a writer thread with its own
    database connection (ADR 0023): end it after a test that started it,
    before the test database is flushed or dropped."""
    yield
    from smartcity.operations.intake_writer import stop_group_writer

    stop_group_writer()
