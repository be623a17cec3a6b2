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

DESCRIPTION = """스마트도시 인증·통합플랫폼 API (Smart city certification and integrated platform)

## 연계 시스템의 API 키 받기 (How a sending system gets a key)

112·119·이동통신사(WP1)·재난안전상황실과 센터의 자체 시스템은 상황을
`/api/operations/` 로 보냅니다. 키는 통합운영센터 관리자가 발급합니다:
[센터 설정 → 연계 시스템·API 키](/operations/setup/keys/) 에서 시스템을 등록하면
키(`sck_…`)를 **한 번만** 보여 줍니다. 요청마다 `X-Api-Key` 머리글로 보내세요.
재발급하면 이전 키는 곧바로 쓸 수 없고, 폐기한 키로 보낸 요청은 401로 거부됩니다.
마지막 사용 일시는 같은 화면에 나옵니다.

A sending system (police 112, fire 119, carriers WP1, disaster rooms, the
centre's own subsystems) reports to `/api/operations/`. Its key is issued by
the centre administrator on [Centre set-up → Sending systems and API
keys](/operations/setup/keys/): the key (`sck_…`) is shown **once**; send it
in the `X-Api-Key` header of every request. Rotating a key ends the old one at
once; a revoked key is answered 401. The page shows when each key was last
used. Administrators can also issue keys on the command line:
`smartcity operations issue-key --tenant CODE --source 112 --name NAME`.

[← 사이트로 돌아가기 (back to the site)](/)
"""

api = NinjaAPI(
    title="smartcity API",
    version="1.0",
    description=DESCRIPTION,
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
