from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
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
        "core/home.html",
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
    return render(request, "core/audit_log.html", {"page": page})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (no database work, so it stays cheap)."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers a query. 503 while it does not, so a
    load balancer or monitor takes the node out (docs/operations.md)."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        response = JsonResponse(
            {
                "status": "unavailable",
                "database": {
                    "status": "unavailable",
                    "vendor": connection.vendor,
                    "error": type(exc).__name__,
                },
            },
            status=503,
        )
        response["Retry-After"] = "5"
        return response
    elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
    return JsonResponse(
        {
            "status": "ok",
            "database": {"status": "ok", "vendor": connection.vendor, "ms": elapsed_ms},
        }
    )
