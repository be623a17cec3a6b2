"""The project's one HTTP API (django-ninja), mounted at ``/api/``.

Every app adds its router here, so all endpoints share one OpenAPI document
(``/api/openapi.json``, browsable at ``/api/docs`` with the Swagger UI that
django-ninja ships as static files — no CDN).

django-ninja's own refusals (401 without a valid key, 400 for a body that is
not JSON) answer in the request's language and, for a body, say where it
broke; the bodies keep ninja's shape (``{"detail": "…"}``).
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError

from smartcity.analytics.api import router as open_data_router
from smartcity.operations.api import router as operations_router

api = NinjaAPI(
    title="smartcity API",
    version="1.0",
    description="스마트도시 인증·통합플랫폼 API (Smart city certification and integrated platform)",
    urls_namespace="api",
)
api.add_router("/operations/", operations_router)
api.add_router("/", open_data_router)


def _refusal_detail(exc: HttpError) -> str:
    if isinstance(exc, AuthenticationError):
        return _("API 키(X-Api-Key)가 없거나 올바르지 않습니다.")
    cause = exc.__cause__
    if exc.status_code == 400 and isinstance(cause, json.JSONDecodeError):
        return _("요청 본문이 올바른 JSON이 아닙니다: %(line)s행 %(column)s열, %(reason)s.") % {
            "line": cause.lineno, "column": cause.colno, "reason": cause.msg,
        }  # fmt: skip
    if exc.status_code == 400 and isinstance(cause, ValueError):
        return _("요청 본문을 읽을 수 없습니다. UTF-8로 쓴 JSON이어야 합니다.")
    return str(exc)


def _refusal(request: HttpRequest, exc: HttpError | type[HttpError]) -> HttpResponse:
    assert isinstance(exc, HttpError)  # ninja passes the instance (its signature allows a class)
    return api.create_response(request, {"detail": _refusal_detail(exc)}, status=exc.status_code)


api.add_exception_handler(HttpError, _refusal)
