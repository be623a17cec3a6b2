"""Reads of the platform programme: calls, applicants, deployments, and the
five services each centre has linked (derived from its agencies, intake keys
and incidents: ``domain.five_services``)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, QuerySet

from smartcity.operations.domain.five_services import ServiceLink, service_links
from smartcity.operations.models import (
    AgencyLink,
    Incident,
    IntakeClient,
    PlatformDeployment,
    PlatformProgramme,
    ProgrammeApplicant,
    Tenant,
)


def programmes() -> QuerySet[PlatformProgramme]:
    return PlatformProgramme.objects.order_by("-year")


def applicants_of(programme: PlatformProgramme) -> QuerySet[ProgrammeApplicant]:
    return (
        ProgrammeApplicant.objects.filter(programme=programme)
        .select_related("municipality")
        .order_by("-selected", "municipality__code")
    )


def deployments() -> QuerySet[PlatformDeployment]:
    return PlatformDeployment.objects.select_related("municipality", "tenant", "programme")


def centres() -> QuerySet[Tenant]:
    return Tenant.objects.filter(is_active=True).select_related("municipality").order_by("code")


def centre_links(tenant_ids: list[int] | None = None) -> dict[int, list[ServiceLink]]:
    """Every active centre's five services (or those of ``tenant_ids``)."""
    tenants = centres()
    if tenant_ids is not None:
        tenants = tenants.filter(pk__in=tenant_ids)
    ids = list(tenants.values_list("pk", flat=True))
    kinds: dict[int, set[str]] = defaultdict(set)
    for tenant_id, kind in AgencyLink.objects.filter(
        tenant_id__in=ids, agency__is_active=True, stopped_at__isnull=True
    ).values_list("tenant_id", "agency__kind"):
        kinds[tenant_id].add(kind)
    sources: dict[int, set[str]] = defaultdict(set)
    for tenant_id, source in IntakeClient.objects.filter(
        tenant_id__in=ids, is_active=True
    ).values_list("tenant_id", "source"):
        sources[tenant_id].add(source)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Incident.objects.filter(origin_tenant_id__in=ids)
        .values("origin_tenant_id", "event_type_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[row["origin_tenant_id"]][row["event_type_id"]] = row["n"]
    return {
        i: service_links(
            agency_kinds=kinds[i], intake_sources=sources[i], incidents_by_type=counts[i]
        )
        for i in ids
    }


def centre_of(municipality_id: int) -> Tenant | None:
    """The centre through which a local government runs the platform: its
    recorded deployment, else the centre that serves it now."""
    deployment = deployments().filter(municipality_id=municipality_id).first()
    if deployment is not None:
        return deployment.tenant
    return (
        Tenant.objects.filter(
            is_active=True, memberships__municipality_id=municipality_id,
            memberships__left_at__isnull=True,
        ).first()
    )  # fmt: skip
