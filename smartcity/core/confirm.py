"""The confirmation step of an irreversible action (house rule: "a
confirmation step and a success message after").

A view that acts on a POST asks ``is_confirmed(request)`` first. Until the
person has pressed the confirmation page's button it answers
``confirmation_page``: a page that says what will happen, what it acts on,
and a form that posts the same fields again with ``confirmed=yes`` (or goes
back without acting). The view then acts and tells what happened with a
success message (``django.contrib.messages``). Registry revocation
(``registry/revoke_confirm.html``) and the review submission have their own
richer pages built on the same idea.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

#: The field the confirmation page's button adds.
CONFIRM_FIELD = "confirmed"
_NOT_REPOSTED = frozenset({CONFIRM_FIELD, "csrfmiddlewaretoken"})


def is_confirmed(request: HttpRequest) -> bool:
    """True only for a POST that came from a confirmation page's button."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "yes"


def confirmation_page(
    request: HttpRequest,
    *,
    title: str,
    consequences: Sequence[str],
    back_url: str,
    button: str,
    facts: Sequence[tuple[str, str]] = (),
    fields: Sequence[tuple[str, str]] | None = None,
    danger: bool = True,
) -> HttpResponse:
    """The page that says what will happen and asks for the button.

    ``consequences`` are full sentences; ``facts`` are (label, value) rows of
    what the action acts on. ``fields`` are posted again with the button; by
    default every field of this POST (files excepted: a view that takes an
    upload passes its own). Nothing is changed by showing this page."""
    if fields is None:
        fields = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in _NOT_REPOSTED
            for value in values
        ]
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "facts": facts,
            "fields": fields,
            "back_url": back_url,
            "button": button,
            "danger": danger,
            "confirm_field": CONFIRM_FIELD,
        },
    )
