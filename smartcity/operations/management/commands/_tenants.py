"""Shared by the platform's commands: finding a tenant by its code."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import Q

from smartcity.operations.models import Tenant


def tenant_by_code(code: str) -> Tenant:
    """A tenant by its code or its municipality's code."""
    tenant = (
        Tenant.objects.select_related("municipality")
        .filter(Q(code=code) | Q(municipality__code=code))
        .first()
    )
    if tenant is None:
        raise CommandError(
            f"unknown tenant: {code} (create it with `smartcity operations add-tenant CODE`)"
        )
    return tenant
