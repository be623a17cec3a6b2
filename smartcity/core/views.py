from __future__ import annotations

import time

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse


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
