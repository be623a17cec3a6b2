from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from smartcity.accounts.access import can_view_audit_log
from smartcity.core.models import AuditEvent
from smartcity.registry.selectors import certificates_valid_on


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    valid = certificates_valid_on(today)
    return render(
        request,
        "site/home.html",
        {
            "today": today,
            "valid_cities": valid.filter(kind="city").count(),
            "valid_services": valid.filter(kind="service").count(),
        },
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not can_view_audit_log(request.user):
        raise Http404
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "site/audit_log.html", {"page": page})
