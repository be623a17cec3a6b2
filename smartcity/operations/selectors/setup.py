"""Reads of the centre set-up pages: sending systems, agencies and officers
(with the state of each certification), camera imports and layers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet
from django.utils import timezone

from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.core.domain.spreadsheet import csv_row
from smartcity.operations.messages import rejection_reason
from smartcity.operations.models import (
    Agency,
    AgencyLink,
    CameraImport,
    IntakeClient,
    LayerItem,
    LayerKind,
    OfficerCertification,
    Tenant,
)

#: A certification ending within this many days is flagged as expiring.
EXPIRY_WARNING_DAYS = 30


def intake_clients(tenant: Tenant) -> QuerySet[IntakeClient]:
    """The centre's sending systems, active first."""
    return IntakeClient.objects.filter(tenant=tenant).order_by("-is_active", "source", "name")


def centre_agencies(tenant: Tenant) -> QuerySet[AgencyLink]:
    """The centre's links to agencies, running ones first (``link.is_active``)."""
    return (
        AgencyLink.objects.filter(tenant=tenant)
        .select_related("agency__organisation")
        .order_by(F("stopped_at").desc(nulls_first=True), "-agency__is_active", "agency__kind",
                  "agency__name_ko")
    )  # fmt: skip


def other_centres(link: AgencyLink) -> list[Tenant]:
    """The other centres whose link to the same agency runs (a stop here leaves them be)."""
    return list(
        Tenant.objects.filter(agency_links__agency_id=link.agency_id,
                              agency_links__stopped_at__isnull=True)
        .exclude(pk=link.tenant_id)
        .order_by("name_ko")
    )  # fmt: skip


@dataclass(frozen=True)
class OfficerRow:
    officer: User
    certification: OfficerCertification | None
    state: str
    """``valid``, ``expiring`` (within :data:`EXPIRY_WARNING_DAYS`),
    ``expired`` (the latest one ended) or ``none``."""


def current_certification(agency: Agency, officer: User) -> OfficerCertification | None:
    """The officer's certification for ``agency`` in force now, if any."""
    return (
        OfficerCertification.objects.filter(
            agency=agency, officer=officer, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )


def valid_through(certification: OfficerCertification) -> dt.date:
    """The last local day a certification is valid on (it ends at the next midnight)."""
    return (timezone.localtime(certification.expires_at) - dt.timedelta(microseconds=1)).date()


def certification_state(
    certification: OfficerCertification | None, now: dt.datetime, *, revoked: bool = False
) -> str:
    if certification is None or revoked:
        return "none"
    if certification.expires_at <= now:
        return "expired"
    if certification.expires_at - now <= dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring"
    return "valid"


def agency_officers(agency: Agency) -> list[OfficerRow]:
    """The agency's officer accounts with their latest certification."""
    now = timezone.now()
    officers = User.objects.filter(
        organisation_id=agency.organisation_id, role=Role.AGENCY_OFFICER
    ).order_by("-is_active", "display_name", "username")
    latest: dict[int, OfficerCertification] = {}
    for cert in OfficerCertification.objects.filter(agency=agency).order_by("expires_at", "id"):
        latest[cert.officer_id] = cert
    rows = []
    for officer in officers:
        found = latest.get(officer.pk)
        revoked = found is not None and found.revoked_at is not None
        rows.append(OfficerRow(officer, found, certification_state(found, now, revoked=revoked)))
    return rows


def camera_imports(tenant: Tenant) -> QuerySet[CameraImport]:
    return CameraImport.objects.filter(tenant=tenant).defer("rejections")


REPORT_HEADER = ["row", "line", "reason", "reason_text", "field", "detail", "source"]


def rejection_report(batch: CameraImport) -> Iterator[list[object]]:
    """The rejected rows of an import for the CSV report, formula-safe
    (``core.domain.spreadsheet``): ``source`` echoes the rejected record, so a
    cell typed as ``=HYPERLINK(…)`` must open as text."""
    for item in batch.rejections:
        yield csv_row([
            item.get("row", ""), item.get("line", ""), item.get("reason", ""),
            rejection_reason(str(item.get("reason", ""))), item.get("field") or "",
            item.get("detail", ""), item.get("source", ""),
        ])  # fmt: skip


def layer_counts(tenant: Tenant) -> list[tuple[str, str, int]]:
    """(layer code, label, points) for every 119 layer, zero included."""
    counts = dict(
        LayerItem.objects.filter(tenant=tenant)
        .values_list("layer")
        .annotate(n=Count("id"))
        .values_list("layer", "n")
    )
    return [(kind.value, str(kind.label), counts.get(kind.value, 0)) for kind in LayerKind]
