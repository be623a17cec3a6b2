"""Who may see and do what. Views load protected objects only through these.

A refusal and a missing object look the same (404), so probing IDs reveals
nothing about other applicants.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from smartcity.accounts.choices import Role
from smartcity.accounts.models import Organisation, User

AnyUser = User | AnonymousUser

OVERSIGHT_ROLES = frozenset({Role.MINISTRY_OFFICER, Role.OPERATING_BODY_STAFF})


def role_of(user: AnyUser) -> str:
    if not user.is_authenticated or not isinstance(user, User):
        return ""
    return user.role


def is_oversight(user: AnyUser) -> bool:
    """The Ministry and the operating bodies oversee the certification programme."""
    return role_of(user) in OVERSIGHT_ROLES or bool(getattr(user, "is_superuser", False))


def can_view_audit_log(user: AnyUser) -> bool:
    return is_oversight(user)


def can_manage_registry(user: AnyUser) -> bool:
    """Importing decisions is the Ministry's and the city track's operating body's."""
    return is_oversight(user)


def access_organisation(user: AnyUser, organisation_id: int) -> Organisation:
    """An organisation's page: its own members and the overseers only."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not user.is_authenticated:
        raise Http404
    if is_oversight(user):
        return organisation
    if isinstance(user, User) and user.organisation_id == organisation.pk:
        return organisation
    raise Http404
