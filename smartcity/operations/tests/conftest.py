"""Fixtures of the integrated platform: the event model, two tenants and their operators."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest


@pytest.fixture
def event_model(db: None) -> None:
    """The seeded event types, grades and statuses (a transactional test's
    flush empties the tables, so reseed from the data migration when needed)."""
    from django.apps import apps

    from smartcity.operations.models import EventStatus

    if not EventStatus.objects.exists():
        migration = importlib.import_module("smartcity.operations.migrations.0002_event_model")
        migration.seed(apps, None)


@pytest.fixture(autouse=True)
def _fresh_camera_indexes(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts without cached indexes or vocabulary (ids repeat across databases)."""
    if not request.config.pluginmanager.has_plugin("django"):
        yield  # pure tests run with -p no:django
        return
    from smartcity.operations.selectors.cameras import clear_camera_indexes
    from smartcity.operations.selectors.vocabulary import clear_vocabulary_cache

    clear_camera_indexes()
    clear_vocabulary_cache()
    yield
    clear_camera_indexes()
    clear_vocabulary_cache()


@pytest.fixture
def tenant_a(platform_operator, event_model):  # type: ignore[no-untyped-def]
    """가람시's centre: the tenant of the ``platform_operator`` persona."""
    from smartcity.operations.tests.factories import TenantFactory

    return TenantFactory(municipality=platform_operator.organisation.municipality)


@pytest.fixture
def tenant_b(event_model):  # type: ignore[no-untyped-def]
    from smartcity.core.testing.factories import MunicipalityFactory
    from smartcity.operations.tests.factories import TenantFactory

    return TenantFactory(municipality=MunicipalityFactory(code="90002", name_ko="나래시"))


@pytest.fixture
def operator_b(tenant_b):  # type: ignore[no-untyped-def]
    """An operator of 나래시's centre: must never see 가람시's data."""
    from smartcity.operations.tests.factories import operator_for

    return operator_for(tenant_b, "operator_b")
