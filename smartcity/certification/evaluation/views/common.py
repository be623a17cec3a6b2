"""What every committee page needs."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from smartcity.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user (the pages are behind ``login_required``)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user
