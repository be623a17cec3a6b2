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
from django.db.models import Q, QuerySet
from django.http import Http404

from smartcity.accounts.choices import OperatingTrack, Role
from smartcity.accounts.domain.people import Manager, Org, manages_account, manages_organisation
from smartcity.accounts.models import Invitation, Organisation, User

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


# --- people: organisations and accounts (accounts.domain.people) ----------------------


def manager_of(user: AnyUser) -> Manager | None:
    """``user`` as a manager of organisations and accounts, or None: the
    Ministry, or an operating body's staff for its own track."""
    if is_ministry(user):
        return Manager(is_ministry=True)
    if not isinstance(user, User) or not _active(user) or user.organisation is None:
        return None
    track = user.organisation.track
    if is_operating_body_of(user, track):
        return Manager(is_ministry=False, track=track)
    return None


def org_facts(organisation: Organisation) -> Org:
    return Org(organisation.kind, organisation.track, organisation.steward_track)


def can_manage_people(user: AnyUser) -> bool:
    return manager_of(user) is not None


def manages_organisation_of(user: AnyUser, organisation: Organisation) -> bool:
    manager = manager_of(user)
    return manager is not None and manages_organisation(manager, org_facts(organisation))


def manages_account_of(user: AnyUser, account: User) -> bool:
    manager = manager_of(user)
    if manager is None:
        return False
    org = org_facts(account.organisation) if account.organisation is not None else None
    return manages_account(manager, org, account.role, superuser=account.is_superuser)


def managed_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """The organisations ``user`` manages (none for anyone who manages nothing)."""
    manager = manager_of(user)
    if manager is None:
        return Organisation.objects.none()
    if manager.is_ministry:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        Q(steward_track=manager.track) | Q(steward_track="", track=manager.track)
    )


def access_organisation_for_management(user: AnyUser, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not manages_organisation_of(user, organisation):
        raise Http404
    return organisation


def access_account_for_management(user: AnyUser, account_id: int) -> User:
    account = User.objects.select_related("organisation").filter(pk=account_id).first()
    if account is None or not manages_account_of(user, account):
        raise Http404
    return account


def access_invitation_for_management(user: AnyUser, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_related("user", "user__organisation")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not manages_account_of(user, invitation.user):
        raise Http404
    return invitation


def access_invitation_by_link(invitation_id: int) -> Invitation:
    """The page a link in an invitation e-mail opens: anyone holding the link
    (the token is checked by the service). A missing invitation is a 404."""
    invitation = Invitation.objects.select_related("user").filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation
