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
import secrets
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _

from smartcity.core.inline_middleware import InlineHooks

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


class ContentSecurityPolicyMiddleware(InlineHooks, MiddlewareMixin):
    """Send ``Content-Security-Policy`` (settings ``CONTENT_SECURITY_POLICY``)
    on every response that does not set its own.

    django-csp is not installed, and Django 5.2 has no CSP of its own, so this
    small middleware does it. Each request gets a fresh nonce
    (``request.csp_nonce``, ``{{ csp_nonce }}`` in templates) added to
    ``script-src`` and ``style-src``: an inline ``<script nonce="…">`` or
    ``<style nonce="…">`` still runs; injected markup without it does not.
    The product's own pages load scripts and styles from ``/static/`` only.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.csp_nonce = secrets.token_urlsafe(18)  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if "Content-Security-Policy" in response:
            return response
        nonce = getattr(request, "csp_nonce", "")
        response["Content-Security-Policy"] = content_security_policy(
            settings.CONTENT_SECURITY_POLICY, nonce=nonce
        )
        return response


def content_security_policy(directives: dict[str, list[str]], *, nonce: str) -> str:
    """The header's value: ``directives`` with the nonce added to the
    ``script-src`` and ``style-src`` lists."""
    parts = []
    for name, sources in directives.items():
        values = list(sources)
        if nonce and name in {"script-src", "style-src"}:
            values.append(f"'nonce-{nonce}'")
        parts.append(" ".join([name, *values]))
    return "; ".join(parts)


_LOOPBACK_ADDRESSES = {"127.0.0.1", "::1"}


class DevelopmentKeyGuardMiddleware(InlineHooks, MiddlewareMixin):
    """With the public development key (no ``SMARTCITY_SECRET_KEY``), answer
    only clients on the loopback interface: anyone can read that key in the
    source and forge sessions and video tokens with it. ``ALLOWED_HOSTS`` is
    already limited to loopback names (settings); this also refuses a remote
    client that sends such a name."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        if not settings.DEVELOPMENT_KEY_IN_USE:
            return None
        address = request.META.get("REMOTE_ADDR", "")
        # No address at all: no network peer (a Unix socket, an in-process WSGI
        # client); the loopback-only ALLOWED_HOSTS still applies.
        if not address or address in _LOOPBACK_ADDRESSES or address.startswith("127."):
            return None
        detail = _(
            "이 서버는 공개된 개발용 키로 실행 중이어서 이 컴퓨터(127.0.0.1)에서만 "
            "접속할 수 있습니다. 운영자는 SMARTCITY_SECRET_KEY를 설정해야 합니다."
        )
        return HttpResponse(detail, status=403, content_type="text/plain; charset=utf-8")


class RateLimitMiddleware(InlineHooks, MiddlewareMixin):
    """A per-client rate limit on expensive pages (PDFs, open-data downloads).

    Which views (``RATE_LIMITED_VIEWS``: view name → scope) and how many
    requests per window (``RATE_LIMITS``: scope → (requests, seconds)) are
    settings. A client is its account when signed in, else its address. The
    counts live in Django's cache (fixed windows on the server clock): per
    process with the default local-memory cache, so with N workers a client
    gets at most N times the limit — still bounded. Over the limit: 429 with
    ``Retry-After`` and a translated reason, before the view does any work.
    """

    def _scope(self, request: HttpRequest) -> str | None:
        match = request.resolver_match
        scope: str | None = settings.RATE_LIMITED_VIEWS.get(match.view_name if match else "")
        return scope

    def view_inline(self, request: HttpRequest, view: Any) -> bool:
        return self._scope(request) is None  # counting reads the user and the cache

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        scope = self._scope(request)
        if scope is None:
            return None
        limit, seconds = settings.RATE_LIMITS[scope]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            client = f"user:{user.pk}"
        else:
            client = f"addr:{request.META.get('REMOTE_ADDR', '')}"
        now = timezone.now().timestamp()
        window = int(now // seconds)
        key = f"ratelimit:{scope}:{client}:{window}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: this is the first request
            cache.set(key, 1, timeout=seconds + 1)
            count = 1
        if count <= limit:
            return None
        retry_after = max(1, int((window + 1) * seconds - now))
        detail = _("요청이 너무 많습니다. %(seconds)s초 뒤에 다시 시도해 주십시오.") % {
            "seconds": retry_after
        }
        response = HttpResponse(detail, status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(retry_after)
        return response


#: C0 control characters (NUL, line breaks, escapes…) have no place in an
#: address: PostgreSQL refuses NUL in any text value, and a path segment or a
#: query value reaches lookups directly.
_CONTROL = frozenset(chr(code) for code in range(32)) | {"\x7f"}
#: Paths whose views refuse (and log) hostile segments themselves.
_OWN_REFUSALS = ("/api/", "/operations/video/")


class ControlCharacterMiddleware(InlineHooks, MiddlewareMixin):
    """A request whose path holds a control character is a 400 with a reason,
    before any view looks anything up with a path segment (the crawl,
    tests/test_crawl.py, found NUL in path segments answered 500 on
    PostgreSQL). Query strings and form bodies are left to the forms and
    views, which refuse NUL themselves and say which field; uploaded files
    may hold any byte. Sync and async (``MiddlewareMixin``; a refusal renders
    its page on a thread)."""

    @staticmethod
    def _refuses(request: HttpRequest) -> bool:
        # The API answers in its own documented shapes (its views check their
        # parameters), and the video gate logs a malformed token (a path
        # segment) before refusing it; query values are left to the forms and
        # views, which name the bad field.
        return not request.path.startswith(_OWN_REFUSALS) and any(
            ch in _CONTROL for ch in request.path
        )

    def request_inline(self, request: HttpRequest) -> bool:
        return not self._refuses(request)

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        if self._refuses(request):
            from smartcity.core.errors import refuse

            return refuse(
                request,
                _("주소에 쓸 수 없는 문자(제어 문자)가 들어 있습니다. 주소를 확인해 주십시오."),
            )
        return None
