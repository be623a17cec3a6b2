"""The centre's own page: the local governments it serves now and before,
and the agencies linked to it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from smartcity.operations.access import access_operator_tenant
from smartcity.operations.selectors.centres import centre_memberships
from smartcity.operations.selectors.linkage import linked_agencies


@login_required
def centre(request: HttpRequest) -> HttpResponse:
    tenant = access_operator_tenant(request.user)
    memberships = list(centre_memberships(tenant))
    return render(
        request,
        "operations/centre.html",
        {
            "tenant": tenant,
            "current": [m for m in memberships if m.left_at is None],
            "past": [m for m in memberships if m.left_at is not None],
            "agencies": linked_agencies(tenant).order_by("kind", "code"),
        },
    )
