"""The project's one HTTP API (django-ninja), mounted at ``/api/``.

Every app adds its router here, so all endpoints share one OpenAPI document
(``/api/openapi.json``, browsable at ``/api/docs`` with the Swagger UI that
django-ninja ships as static files — no CDN).
"""

from __future__ import annotations

from ninja import NinjaAPI

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
