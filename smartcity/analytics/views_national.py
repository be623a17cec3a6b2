"""The national view of the integrated platform (Ministry; public where the
data is public, docs/adr/0022) and the platform evidence offered on an
applicant's self-assessment form."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from smartcity.accounts.access import is_ministry
from smartcity.analytics.domain.evidence import (
    CENTRE_RUNNING,
    LINKED_SERVICES,
    IndicatorFacts,
    evidence_kind,
)
from smartcity.analytics.national_tables import coverage_table, outcome_tables, service_names
from smartcity.analytics.selectors.national import (
    COLOURS,
    coverage,
    map_geojson,
    map_rows,
    outcome_figures,
    programme_register,
    progress,
)
from smartcity.analytics.views import _csv_response
from smartcity.certification.access import access_application, can_edit_claims
from smartcity.frameworks.models import FrameworkIndicator
from smartcity.operations.domain.five_services import linked_count
from smartcity.operations.models import Tenant, VideoGrant
from smartcity.operations.selectors.programme import centre_links, centre_of

_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,20}$")


def national(request: HttpRequest) -> HttpResponse:
    """Programme register, coverage and map for everyone; the outcome
    figures for the Ministry only (nationally or for ``?centre=CODE``)."""
    ministry = is_ministry(request.user)
    centre: Tenant | None = None
    code = request.GET.get("centre", "")
    if code and ministry:
        # A slug or nothing: NUL and the like never reach the database.
        centre = Tenant.objects.filter(code=code).first() if _SLUG.match(code) else None
        if centre is None:
            raise Http404
    rows = coverage()
    tables = [coverage_table(rows)]
    figures = outcome_figures(tenant=centre) if ministry else None
    if figures is not None:
        tables += outcome_tables(figures)
    wanted = request.GET.get("csv")
    if wanted:
        table = next((t for t in tables if t.slug == wanted), None)
        if table is None:
            raise Http404
        return _csv_response(table.csv(), f"smartcity-platform-{table.slug}")
    register = programme_register()
    return render(
        request,
        "analytics/national.html",
        {
            "register": register,
            "coverage": rows,
            "services": service_names(),
            "progress": progress(),
            "map_rows": map_rows(),
            "colours": COLOURS,
            "coverage_table": tables[0],
            "tables": tables[1:],
            "figures": figures,
            "ministry": ministry,
            "centre": centre,
            "centres": Tenant.objects.order_by("code") if ministry else [],
            "query": request.GET.urlencode(),
            "today": timezone.localdate(),
        },
    )


def national_features(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(map_geojson(map_rows()))
    response["Cache-Control"] = "public, max-age=300"
    return response


def platform_evidence(request: HttpRequest, application_id: int) -> HttpResponse:
    """Out-of-band fragments for the applicant's form: the platform record
    of the applicant city, for each indicator it can evidence."""
    application = access_application(request.user, application_id)
    if not can_edit_claims(request.user, application) or application.municipality_id is None:
        return HttpResponse(status=204)
    tenant = centre_of(application.municipality_id)
    if tenant is None:
        return HttpResponse(status=204)
    linked = linked_count(centre_links([tenant.pk]).get(tenant.pk, []))
    provisions = VideoGrant.objects.filter(tenant=tenant).count()
    offers = []
    for i in FrameworkIndicator.objects.filter(framework=application.framework).order_by(
        "position"
    ):
        kind = evidence_kind(IndicatorFacts(i.code, i.name_ko, i.rule_type))
        if kind:
            value = str(linked) if kind == LINKED_SERVICES else "yes"
            offers.append({"code": i.code, "kind": kind, "value": value})
    if not offers:
        return HttpResponse(status=204)
    return render(
        request,
        "analytics/partials/_platform_evidence.html",
        {
            "offers": offers,
            "linked": linked,
            "provisions": provisions,
            "tenant": tenant,
            "as_of": timezone.localdate(),
            "LINKED_SERVICES": LINKED_SERVICES,
            "CENTRE_RUNNING": CENTRE_RUNNING,
        },
    )
