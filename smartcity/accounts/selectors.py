"""Reads for the people pages: the accounts and invitations a manager manages."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from smartcity.accounts.access import AnyUser, managed_organisations, manager_of
from smartcity.accounts.domain.people import grantable_roles
from smartcity.accounts.models import Invitation, Organisation, User


def organisations_for(user: AnyUser) -> QuerySet[Organisation]:
    return managed_organisations(user).annotate(member_count=Count("members")).order_by("name_ko")


def accounts_for(user: AnyUser) -> QuerySet[User]:
    """The accounts ``user`` manages (``access.manages_account_of`` as a query)."""
    manager = manager_of(user)
    if manager is None:
        return User.objects.none()
    rows = User.objects.filter(is_superuser=False).select_related("organisation")
    if not manager.is_ministry:
        rows = rows.filter(
            organisation__in=managed_organisations(user), role__in=grantable_roles(manager)
        )
    return rows.order_by("organisation__name_ko", "username")


def open_invitations_for(user: AnyUser) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            user__in=accounts_for(user), accepted_at__isnull=True, cancelled_at__isnull=True
        )
        .select_related("user", "user__organisation", "invited_by")
        .order_by("-sent_at", "-pk")
    )
