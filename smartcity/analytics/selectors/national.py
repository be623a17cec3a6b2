"""The national view of the integrated platform: the programme register,
each centre's five services and the outcome figures, read from the
operational record (``operations``; analytics only reads it).

The register and the coverage are public; the outcome figures are for the
Ministry (docs/adr/0022-national-platform-view.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Min
from django.urls import reverse

from smartcity.analytics.domain.geometry import ATTRIBUTION, national_geometry
from smartcity.analytics.domain.outcomes import GrantFact, Outcomes, RefusalFact, TimingFact
from smartcity.analytics.domain.outcomes import outcomes as compute_outcomes
from smartcity.municipalities.models import Municipality
from smartcity.operations.choices import AccessStep
from smartcity.operations.domain.five_services import ServiceLink, linked_count
from smartcity.operations.models import (
    PlatformDeployment,
    PlatformProgramme,
    ProgrammeApplicant,
    Tenant,
    VideoAccessEntry,
    VideoGrant,
    ViewingSession,
)
from smartcity.operations.selectors.programme import (
    applicants_of,
    centre_links,
    centres,
    deployments,
    programmes,
)

TIMED_SENDERS = ("112", "119")
REFUSAL_STEPS = (AccessStep.GRANT, AccessStep.BREAK_GLASS)


@dataclass(frozen=True)
class ProgrammeView:
    programme: PlatformProgramme
    applicants: list[ProgrammeApplicant]
    named_selected: int
    unnamed_applicants: int | None  # reported − named (None when not reported)
    unnamed_selections: int | None


def programme_register() -> list[ProgrammeView]:
    out = []
    for p in programmes():
        rows = list(applicants_of(p))
        selected = sum(1 for a in rows if a.selected)
        out.append(
            ProgrammeView(
                programme=p,
                applicants=rows,
                named_selected=selected,
                unnamed_applicants=None
                if p.applicants_reported is None
                else max(p.applicants_reported - len(rows), 0),
                unnamed_selections=None
                if p.selections_reported is None
                else max(p.selections_reported - selected, 0),
            )
        )
    return out


@dataclass(frozen=True)
class CentreCoverage:
    tenant: Tenant
    links: list[ServiceLink]
    deployments: list[PlatformDeployment]

    @property
    def linked(self) -> int:
        return linked_count(self.links)


def coverage() -> list[CentreCoverage]:
    links = centre_links()
    by_tenant: dict[int, list[PlatformDeployment]] = {}
    for d in deployments():
        by_tenant.setdefault(d.tenant_id, []).append(d)
    return [CentreCoverage(t, links.get(t.pk, []), by_tenant.get(t.pk, [])) for t in centres()]


@dataclass(frozen=True)
class Progress:
    deployed: int
    target: int | None
    target_year: int | None


def progress() -> Progress:
    """Local governments recorded as running the platform, against the
    latest call's announced target."""
    latest = programmes().exclude(target_count__isnull=True).first()
    return Progress(
        deployed=PlatformDeployment.objects.count(),
        target=latest.target_count if latest else None,
        target_year=latest.target_year if latest else None,
    )


COLOURS = {"deployed": "#1b7837", "selected": "#7fbf7b", "none": "#f0f0f0"}


def map_rows() -> list[dict[str, Any]]:
    """Local governments with a deployment or a selection, for the map and its table."""
    rows: dict[str, dict[str, Any]] = {}
    for a in ProgrammeApplicant.objects.filter(selected=True).select_related(
        "municipality", "programme"
    ):
        m = a.municipality
        rows[m.code] = {"code": m.code, "name": m.full_name_ko, "state": "selected",
                        "year": a.programme.year, "centre": ""}  # fmt: skip
    for d in deployments():
        m = d.municipality
        row = rows.setdefault(m.code, {"code": m.code, "name": m.full_name_ko, "year": ""})
        row.update(state="deployed", centre=d.tenant.name_ko, since=d.since)
    return sorted(rows.values(), key=lambda r: r["code"])


def map_geojson(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Every local government, coloured by its state (deployed, selected, none)."""
    state = {r["code"]: r["state"] for r in rows}
    features = []
    for code, name in Municipality.objects.order_by("code").values_list("code", "full_name_ko"):
        geometry = national_geometry(code)
        if geometry is None:
            continue
        status = state.get(code, "none")
        level = "metro" if code.endswith("000") else "basic"
        features.append({
            "type": "Feature", "id": code, "geometry": geometry,
            "properties": {"code": code, "name": name, "level": level, "status": status,
                           "score": None, "colour": COLOURS[status],
                           "url": reverse("analytics:city", args=[code])},
        })  # fmt: skip
    return {"type": "FeatureCollection", "features": features, "attribution": ATTRIBUTION}


def outcome_figures(*, tenant: Tenant | None = None) -> Outcomes:
    """Every figure of the page from the records, nationally or for one centre."""
    grants = VideoGrant.objects.select_related("tenant", "agency")
    refusals = VideoAccessEntry.objects.filter(step__in=REFUSAL_STEPS, granted=False)
    sessions = ViewingSession.objects.filter(grant__incident__sender__in=TIMED_SENDERS)
    if tenant is not None:
        grants = grants.filter(tenant=tenant)
        refusals = refusals.filter(tenant=tenant)
        sessions = sessions.filter(grant__incident__origin_tenant=tenant)
    names = dict(Tenant.objects.values_list("pk", "name_ko"))
    timings = (
        sessions.values("grant__incident_id", "grant__incident__created_at",
                        "grant__incident__origin_tenant_id")
        .annotate(first=Min("opened_at")).order_by()
    )  # fmt: skip
    return compute_outcomes(
        (GrantFact(g.created_at, g.tenant.name_ko, g.agency.name_ko, g.break_glass)
         for g in grants.iterator()),
        (RefusalFact(e.at, names.get(e.tenant_id or 0, ""), e.agency_label or "—", e.reason or "—")
         for e in refusals.only("at", "tenant_id", "agency_label", "reason").iterator()),
        (TimingFact(t["grant__incident__created_at"], t["first"],
                    names.get(t["grant__incident__origin_tenant_id"], ""))
         for t in timings),
    )  # fmt: skip
