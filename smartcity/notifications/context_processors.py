"""The unread count in the header: one cheap, indexed query, only when a
template asks for it (``notification_unread_idx``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from smartcity.accounts.models import User
from smartcity.notifications.selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user))}
