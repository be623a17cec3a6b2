"""Who may see and do what. Views load protected objects only through these.

A refusal and a missing object look the same (404), so probing IDs reveals
nothing about other applicants.

One oversight rule (issue 12): the Ministry oversees both certification
tracks; an operating body oversees only the track it runs (KRIHS the city
track, KICT the service track, ``OperatingTrack``). Every per-track check in
the product asks :func:`oversees`; pages that belong to no track (the audit
log, the programme's statistics) ask :func:`is_oversight`, which is the same
rule over all tracks.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from smartcity.accounts.choices import OperatingTrack, Role
from smartcity.accounts.models import Organisation, User

AnyUser = User | AnonymousUser


def role_of(user: AnyUser) -> str:
    if not user.is_authenticated or not isinstance(user, User):
        return ""
    return user.role


def _active(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def is_ministry(user: AnyUser) -> bool:
    """A Ministry officer (or a superuser, who stands in for one)."""
    return (
        _active(user)
        and isinstance(user, User)
        and (user.is_superuser or user.role == Role.MINISTRY_OFFICER)
    )


def is_operating_body_of(user: AnyUser, track: str) -> bool:
    """Staff of the operating body that runs ``track`` (운영기관)."""
    return (
        _active(user)
        and isinstance(user, User)
        and user.role == Role.OPERATING_BODY_STAFF
        and user.organisation is not None
        and bool(track)
        and user.organisation.track == track
    )


def oversees(user: AnyUser, track: str) -> bool:
    """The oversight rule: the Ministry every track, an operating body its own."""
    return is_ministry(user) or is_operating_body_of(user, track)


def tracks_overseen(user: AnyUser) -> list[str]:
    """The tracks whose calls, applications, reviews and results ``user`` sees."""
    return [track for track in OperatingTrack.values if oversees(user, track)]


def is_oversight(user: AnyUser) -> bool:
    """Oversight of at least one track: for pages that belong to no track."""
    return bool(tracks_overseen(user))


CENTRE_ROLES = (Role.PLATFORM_OPERATOR, Role.CENTRE_ADMIN)
"""The roles of an operations centre's staff. A centre administrator is an
operator too (the board, the cameras) and also sets the centre up: its sending
systems and their keys, agencies and officers, camera register and layers."""


def is_centre_staff(user: AnyUser) -> bool:
    """An active operator or administrator of an operations centre (which
    centre is the organisation's to decide: ``operations.access``)."""
    return _active(user) and isinstance(user, User) and user.role in CENTRE_ROLES


def is_centre_admin(user: AnyUser) -> bool:
    """An active centre administrator (통합운영센터 관리자)."""
    return _active(user) and isinstance(user, User) and user.role == Role.CENTRE_ADMIN


def can_view_audit_log(user: AnyUser) -> bool:
    return is_oversight(user)


def can_manage_registry(user: AnyUser) -> bool:
    """Importing decisions is the Ministry's and the city track's operating body's."""
    return oversees(user, OperatingTrack.CITY)


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
