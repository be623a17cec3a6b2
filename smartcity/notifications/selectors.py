"""Reads of a person's own notices."""

from __future__ import annotations

from django.db.models import QuerySet

from smartcity.accounts.models import User
from smartcity.notifications.models import Notification


def notifications_for(user: User) -> QuerySet[Notification]:
    """The person's own notices, newest first (never anyone else's)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
