"""Factories of the integrated platform's tests (on top of core's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.accounts.models import User
from smartcity.accounts.services import create_organisation
from smartcity.operations.models import Camera, CentreMembership, Incident, Tenant
from smartcity.operations.services.tenancy import issue_intake_client
from smartcity.testing.factories import MunicipalityFactory, UserFactory


class TenantFactory(DjangoModelFactory[Tenant]):
    class Meta:
        model = Tenant
        django_get_or_create = ("municipality",)
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    code = factory.LazyAttribute(lambda o: o.municipality.code)
    name_ko = factory.LazyAttribute(lambda o: f"{o.municipality.name_ko} 스마트도시 통합운영센터")

    @factory.post_generation
    def serves_seat(obj: Tenant, create: bool, extracted: Any, **kwargs: Any) -> None:
        """A one-member centre, as ``create_tenant`` opens it (``serves_seat=False``: none)."""
        if create and extracted is not False:
            CentreMembership.objects.get_or_create(
                municipality=obj.municipality, left_at=None,
                defaults={"tenant": obj, "joined_at": obj.created_at},
            )  # fmt: skip


def operator_for(tenant: Tenant, username: str) -> User:
    """A platform operator of ``tenant``'s operations centre."""
    organisation = create_organisation(
        name_ko=f"{tenant.municipality.name_ko} 통합운영센터 ({username})",
        kind=OrganisationKind.OPERATIONS_CENTRE,
        municipality_id=tenant.municipality_id,
    )
    user: User = UserFactory(
        username=username, role=Role.PLATFORM_OPERATOR, organisation=organisation
    )
    return user


def admin_for(tenant: Tenant, username: str) -> User:
    """A centre administrator of ``tenant``'s operations centre."""
    organisation = create_organisation(
        name_ko=f"{tenant.municipality.name_ko} 통합운영센터 관리 ({username})",
        kind=OrganisationKind.OPERATIONS_CENTRE,
        municipality_id=tenant.municipality_id,
    )
    user: User = UserFactory(username=username, role=Role.CENTRE_ADMIN, organisation=organisation)
    return user


def api_key(tenant: Tenant, source: str = "112", name: str = "") -> str:
    _, raw = issue_intake_client(tenant=tenant, name=name or f"{source} 상황실", source=source)
    return raw


class CameraFactory(DjangoModelFactory[Camera]):
    class Meta:
        model = Camera

    tenant = factory.SubFactory(TenantFactory)
    key = factory.Sequence(lambda n: f"mn:TEST-{n}")
    management_number = factory.LazyAttribute(lambda o: o.key.removeprefix("mn:"))
    agency = "가람시청"
    road_address = factory.Sequence(lambda n: f"가람로 {n}")
    purpose = "crime_prevention"
    purpose_raw = "생활방범"
    camera_count = 1
    latitude = Decimal("37.50000000")
    longitude = Decimal("127.00000000")
    fov_deg = 360.0
    content_hash = "x" * 64


class IncidentFactory(DjangoModelFactory[Incident]):
    class Meta:
        model = Incident

    tenant = factory.SubFactory(TenantFactory)
    origin_tenant = factory.SelfAttribute("tenant")
    event_type_id = "112UC001"
    grade_id = "10"
    status_id = "10"
    sender = "112"
    external_id = factory.Sequence(lambda n: f"C{n:06d}")
    latitude = Decimal("37.50000000")
    longitude = Decimal("127.00000000")
    address = factory.Sequence(lambda n: f"가람로 {n}")
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=5))


def report_body(**overrides: Any) -> dict[str, Any]:
    """A valid intake body (112 emergency video in the middle of Seoul)."""
    body: dict[str, Any] = {
        "event_type": "112UC001",
        "external_id": "2026-0301-0001",
        "occurred_at": "2026-03-01T21:15:00+09:00",
        "latitude": "37.5665",
        "longitude": "126.9780",
        "address": "서울특별시 중구 세종대로 110",
        "detail": "강도 신고",
    }
    body.update(overrides)
    return body
