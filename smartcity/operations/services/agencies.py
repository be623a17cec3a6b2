"""Agencies (112, 119, disaster rooms), their links to tenants, and the
certification of their officers for video."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from smartcity.accounts.choices import Role
from smartcity.accounts.models import Organisation, User
from smartcity.core.services import record_audit
from smartcity.operations.domain.video_rules import AgencyKind
from smartcity.operations.models import Agency, AgencyLink, OfficerCertification, Tenant


def create_agency(
    *, code: str, name_ko: str, kind: str, organisation: Organisation,
    tenants: Iterable[Tenant] = (), name_en: str = "", actor: Any = None,
) -> Agency:  # fmt: skip
    """Register an agency for an organisation of the same kind (idempotent by code)."""
    agency_kind = AgencyKind(kind)
    if organisation.kind != agency_kind.value:
        raise ValueError(f"organisation {organisation} is a {organisation.kind}, not a {kind}")
    with transaction.atomic():
        agency, created = Agency.objects.get_or_create(
            code=code,
            defaults={"name_ko": name_ko, "name_en": name_en, "kind": agency_kind.value,
                      "organisation": organisation},
        )  # fmt: skip
        linked = list(tenants)
        if linked:
            agency.tenants.add(*linked)
        record_audit(
            actor=actor,
            action="operations.agency_created" if created else "operations.agency_linked",
            object_type="operations.agency",
            object_id=agency.pk,
            data={"code": code, "kind": agency.kind, "tenants": sorted(t.code for t in linked)},
        )
    return agency


def link_agency(*, agency: Agency, tenant: Tenant, actor: Any = None, linked: bool = True) -> None:
    """Link (or unlink) an agency and a centre: only linked agencies receive its video."""
    with transaction.atomic():
        if linked:
            agency.tenants.add(tenant)
            AgencyLink.objects.filter(agency=agency, tenant=tenant).update(
                stopped_at=None, stopped_by=None
            )
        else:
            agency.tenants.remove(tenant)
        record_audit(
            actor=actor,
            action="operations.agency_linked" if linked else "operations.agency_unlinked",
            object_type="operations.agency",
            object_id=agency.pk,
            data={"tenant": tenant.code},
        )


def certify_officer(
    *, agency: Agency, officer: User, actor: Any = None, days: int | None = None,
    note: str = "", expires_at: dt.datetime | None = None,
) -> OfficerCertification:  # fmt: skip
    """Certify an officer of ``agency`` to receive video, for ``days`` from now
    (or until ``expires_at``, which must lie ahead)."""
    if officer.role != Role.AGENCY_OFFICER or officer.organisation_id != agency.organisation_id:
        raise ValueError(f"{officer} is not an officer of {agency}")
    now = timezone.now()
    valid = days if days is not None else int(settings.OPERATIONS_OFFICER_CERTIFICATION_DAYS)
    if expires_at is not None and expires_at <= now:
        raise ValueError("a certification must expire after it starts")
    with transaction.atomic():
        certification = OfficerCertification.objects.create(
            agency=agency, officer=officer, certified_at=now,
            expires_at=expires_at or now + dt.timedelta(days=valid),
            certified_by=actor if isinstance(actor, User) else None, note=note,
        )  # fmt: skip
        record_audit(
            actor=actor,
            action="operations.officer_certified",
            object_type="operations.officercertification",
            object_id=certification.pk,
            data={"agency": agency.code, "officer": officer.get_username(),
                  "expires_at": certification.expires_at.isoformat()},
        )  # fmt: skip
    return certification


def revoke_certification(*, officer: User, agency: Agency, actor: Any = None) -> int:
    """Withdraw an officer's current certifications at once; returns how many."""
    now = timezone.now()
    with transaction.atomic():
        count = OfficerCertification.objects.filter(
            officer=officer, agency=agency, revoked_at__isnull=True, expires_at__gt=now
        ).update(revoked_at=now)
        record_audit(
            actor=actor,
            action="operations.officer_certification_revoked",
            object_type="operations.agency",
            object_id=agency.pk,
            data={"officer": officer.get_username(), "revoked": count},
        )
    return count
