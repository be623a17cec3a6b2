"""Fixtures of the integrated platform: the event model, two tenants and their operators."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

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


@pytest.fixture
def municipality_register(db: None) -> None:
    """The shipped register of local governments, reseeded from its data
    migrations after a transactional test's flush (intake tests are
    transactional: the group writer's connection must see their data, ADR
    0023). Seconds, so only for the tests that need the real register."""
    from django.apps import apps

    from smartcity.municipalities.models import Municipality

    if Municipality.objects.exists():
        return
    for name, step in (
        ("0002_size_class_rules", "seed"),
        ("0003_load_shipped_register", "load"),
        ("0004_resident_population", "load"),
    ):
        migration = importlib.import_module(f"smartcity.municipalities.migrations.{name}")
        getattr(migration, step)(apps, None)


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
    from smartcity.operations.tests.factories import TenantFactory
    from smartcity.testing.factories import MunicipalityFactory

    return TenantFactory(municipality=MunicipalityFactory(code="90002", name_ko="나래시"))


@pytest.fixture
def operator_b(tenant_b):  # type: ignore[no-untyped-def]
    """An operator of 나래시's centre: must never see 가람시's data."""
    from smartcity.operations.tests.factories import operator_for

    return operator_for(tenant_b, "operator_b")


@pytest.fixture
def centre_admin(tenant_a):  # type: ignore[no-untyped-def]
    """The administrator of 가람시's centre (sets it up)."""
    from smartcity.operations.tests.factories import admin_for

    return admin_for(tenant_a, "centre_admin")


@pytest.fixture
def centre_admin_b(tenant_b):  # type: ignore[no-untyped-def]
    """The administrator of 나래시's centre: must never reach 가람시's set-up."""
    from smartcity.operations.tests.factories import admin_for

    return admin_for(tenant_b, "centre_admin_b")


def _linked_agency_fixture(
    name: str, officer: str, tenant: str, code: str, name_ko: str, kind: str
) -> Any:
    """An agency of ``officer``'s organisation, linked to ``tenant``'s centre,
    with ``officer`` certified."""

    @pytest.fixture(name=name)
    def fixture(request: pytest.FixtureRequest) -> Any:
        from smartcity.operations.services.agencies import certify_officer, create_agency

        person = request.getfixturevalue(officer)
        agency = create_agency(
            code=code, name_ko=name_ko, kind=kind, organisation=person.organisation,
            tenants=[request.getfixturevalue(tenant)],
        )  # fmt: skip
        certify_officer(agency=agency, officer=person)
        return agency

    return fixture


# 가람경찰서's and 나래경찰서's 112 rooms (agency B linked to 나래시), 가람시's 119
# room and disaster room.
police_agency = _linked_agency_fixture(
    "police_agency", "police_officer", "tenant_a", "garam-112", "가람경찰서 112 상황실", "police"
)
police_agency_b = _linked_agency_fixture(
    "police_agency_b",
    "police_officer_b",
    "tenant_b",
    "narae-112",
    "나래경찰서 112 상황실",
    "police",
)
fire_agency = _linked_agency_fixture(
    "fire_agency", "fire_officer", "tenant_a", "garam-119", "가람소방서 119 상황실", "fire"
)
disaster_agency = _linked_agency_fixture(
    "disaster_agency", "disaster_officer", "tenant_a", "garam-disaster", "가람시 재난안전상황실",
    "disaster_room",
)  # fmt: skip


@pytest.fixture
def scene(tenant_a):  # type: ignore[no-untyped-def]
    """A robbery reported by 112 in 가람시, with three cameras around it (≈0, 110
    and 330 m away) and one 2 km off."""
    from decimal import Decimal

    from smartcity.operations.tests.factories import CameraFactory, IncidentFactory

    incident = IncidentFactory(tenant=tenant_a, case_type="강도")
    near = [
        CameraFactory(tenant=tenant_a, latitude=Decimal("37.50000000") + Decimal(dlat))
        for dlat in ("0.00001", "0.001", "0.003")
    ]
    far = CameraFactory(tenant=tenant_a, latitude=Decimal("37.52000000"))
    return {"incident": incident, "cameras": near, "far": far}


@pytest.fixture
def granted(scene, police_agency, platform_operator):  # type: ignore[no-untyped-def]
    """The centre's grant of the three scene cameras to 가람경찰서."""
    from smartcity.operations.services.video.grants import grant_video

    incident = scene["incident"]
    return grant_video(
        tenant=incident.tenant, incident_id=incident.pk, agency_id=police_agency.pk,
        camera_ids=[c.pk for c in scene["cameras"]], actor=platform_operator,
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _fake_frames_unless_real_video(request: pytest.FixtureRequest) -> Iterator[None]:
    """The app's tests judge the token gate on the fake backend's PNG frames,
    chosen explicitly here; tests marked ``real_video`` keep the default
    (ffmpeg gateways, ADR 0021), as do the browser tests in ``tests/``."""
    if request.node.get_closest_marker("real_video") or not request.config.pluginmanager.has_plugin(
        "django"
    ):
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.OPERATIONS_VMS_BACKEND = "fake"
    yield
