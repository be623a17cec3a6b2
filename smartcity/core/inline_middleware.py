"""Django's middleware, run on the event loop under ASGI instead of a thread hop per hook.

Under ASGI, ``MiddlewareMixin`` runs every ``process_request``,
``process_view`` and ``process_response`` through ``sync_to_async``: some
twenty thread hops per request for the settings' middleware, each waiting for
the loop and the GIL. When the loop is busy (a thousand board streams being
fed), the intake request that feeds them waited on its own middleware
(issue 17). Most of these hooks only read headers and set attributes, so
:class:`InlineHooks` calls them directly on the loop, and hops to a thread
only for the requests where a hook may touch the database or render a page:

- ``SessionMiddleware`` saves a modified session (a thread);
- ``MessageMiddleware`` stores messages used or added (into the session: a
  thread);
- the product's ``ControlCharacterMiddleware`` refuses (renders a page) and
  ``RateLimitMiddleware`` counts a rate-limited view (reads the user, the
  cache) on a thread.

Django's ``SecurityMiddleware``, ``CsrfViewMiddleware`` and
``XFrameOptionsMiddleware`` are left as they are (six hops per request):
``check --deploy`` finds them by their dotted path only, and the checks that
depend on them (HSTS, secure cookies, nosniff, frame options) would be
skipped silently for a subclass.

Under WSGI (and Django's sync test client) nothing changes: the classes are
the same middleware, called synchronously.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponseBase
from django.middleware.common import CommonMiddleware
from django.middleware.locale import LocaleMiddleware


class InlineHooks:
    """A ``MiddlewareMixin`` whose hooks run on the event loop in async mode,
    except where ``*_inline`` says a request needs a thread."""

    async_mode: bool
    get_response: Any

    def __init__(self, get_response: Any) -> None:
        super().__init__(get_response)  # type: ignore[call-arg]
        if self.async_mode and hasattr(self, "process_view"):
            # Django's handler hops for a sync process_view; an async one it awaits.
            sync_view = self.process_view

            async def process_view(
                request: HttpRequest, view: Any, args: Any, kwargs: Any
            ) -> HttpResponseBase | None:
                if self.view_inline(request, view):
                    return sync_view(request, view, args, kwargs)  # type: ignore[no-any-return]
                return await sync_to_async(sync_view, thread_sensitive=True)(  # type: ignore[no-any-return]
                    request, view, args, kwargs
                )

            setattr(self, "process_view", process_view)  # noqa: B010 - an instance attribute

    def request_inline(self, request: HttpRequest) -> bool:
        return True

    def view_inline(self, request: HttpRequest, view: Any) -> bool:
        return True

    def response_inline(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        return True

    async def __acall__(self, request: HttpRequest) -> HttpResponseBase:
        response = None
        process_request = getattr(self, "process_request", None)
        if process_request is not None:
            if self.request_inline(request):
                response = process_request(request)
            else:
                response = await sync_to_async(process_request, thread_sensitive=True)(request)
        response = response or await self.get_response(request)
        process_response = getattr(self, "process_response", None)
        if process_response is not None:
            if self.response_inline(request, response):
                response = process_response(request, response)
            else:
                response = await sync_to_async(process_response, thread_sensitive=True)(
                    request, response
                )
        return response  # type: ignore[no-any-return]


class InlineSessionMiddleware(InlineHooks, SessionMiddleware):
    def response_inline(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        session = getattr(request, "session", None)
        if session is None:
            return True
        return not (session.modified or settings.SESSION_SAVE_EVERY_REQUEST)


class InlineLocaleMiddleware(InlineHooks, LocaleMiddleware):
    pass


class InlineCommonMiddleware(InlineHooks, CommonMiddleware):
    pass


class InlineAuthenticationMiddleware(InlineHooks, AuthenticationMiddleware):
    pass  # request.user stays lazy: nothing is read until a view asks


class InlineMessageMiddleware(InlineHooks, MessageMiddleware):
    def response_inline(self, request: HttpRequest, response: HttpResponseBase) -> bool:
        storage = getattr(request, "_messages", None)
        return storage is None or not (storage.used or storage.added_new)
