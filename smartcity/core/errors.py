"""The product's error pages (templates/400.html, 403, 404, 500), and the
refusal a view raises when it can say *why* the page does not exist.

``config/urls.py`` names these handlers. A plain ``Http404`` (``get_object_or_404``,
the ``access_*`` functions) shows no reason, so "missing" and "forbidden" stay
indistinguishable; ``NotFoundWithReason`` carries a sentence written for the
reader, and the 404 page shows it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise


class NotFoundWithReason(Http404):
    """A 404 whose reason (a translated sentence) the reader may see."""

    def __init__(self, reason: str | Promise) -> None:
        super().__init__(str(reason))
        self.reason = reason


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    reason = exception.reason if isinstance(exception, NotFoundWithReason) else ""
    return render(request, "404.html", {"reason": reason}, status=404)


def permission_denied(request: HttpRequest, exception: PermissionDenied) -> HttpResponse:
    # The exception's text is written for developers (and may name a rule): never shown.
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def refuse(request: HttpRequest, reason: str | Promise) -> HttpResponse:
    """A 400 page saying what in the address or the form could not be used."""
    return render(request, "400.html", {"reason": reason}, status=400)
