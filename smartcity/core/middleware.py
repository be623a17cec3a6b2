"""A database outage answers 503 with Retry-After, not 500 with a stack trace.

When PostgreSQL restarts or is down (or SQLite stays locked past its busy
timeout), the ORM raises ``OperationalError`` or ``InterfaceError``. Nothing
was committed then — or, if the connection broke during ``COMMIT``, the sender
cannot know — so the honest answer is "try again": 503 with ``Retry-After``.
A sending system retries with the same ``Idempotency-Key`` and gets either its
new incident or the replay of the one that did commit; never a false ack.

API paths (``/api/``) get problem JSON like the intake API's other errors
(``{"code": "database_unavailable", "detail": ...}``); pages get plain text.
The next request opens a fresh connection (``CONN_MAX_AGE`` 0, or the health
check of ``CONN_HEALTH_CHECKS``), so service resumes once the database is back.
"""

from __future__ import annotations

import json
import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _

logger = logging.getLogger("smartcity.database")

RETRY_AFTER_SECONDS = 5


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    detail = _("데이터베이스에 잠시 연결할 수 없습니다. 잠시 후 다시 시도해 주십시오.")
    if request.path.startswith("/api/"):
        body = json.dumps({"code": "database_unavailable", "detail": detail}, ensure_ascii=False)
        response = HttpResponse(body, status=503, content_type="application/json")
    else:
        response = HttpResponse(detail, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware(MiddlewareMixin):
    """Turn a lost or refused database connection into 503 + Retry-After."""

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # One line, no traceback: during an outage every request fails the same way.
        logger.error(
            "database unavailable: %s %s -> 503 (%s: %s)",
            request.method, request.path, type(exception).__name__,
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
        )  # fmt: skip
        return database_unavailable_response(request)
