"""Who may manage whose account, and which role fits which organisation.

Pure rules over plain values (role, kind and track codes as stored), so they
are tested without the database. The Ministry manages every organisation and
account; an operating body manages only what its own certification track
stewards (``Organisation.steward_track``, or the operating body's own
``track``), and grants only the roles that certification needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: Which organisation kinds each role may belong to.
ROLE_KINDS: dict[str, frozenset[str]] = {
    "ministry_officer": frozenset({"ministry"}),
    "operating_body_staff": frozenset({"operating_body"}),
    # A committee member acts in a personal capacity; their home organisation
    # is whatever they come from (a university, a company, a city...).
    "committee_member": frozenset(
        {"expert_body", "company", "municipality", "ministry", "operating_body"}
    ),
    "municipality_applicant": frozenset({"municipality"}),
    "company_applicant": frozenset({"company"}),
    "platform_operator": frozenset({"operations_centre"}),
    "agency_officer": frozenset({"police", "fire", "disaster_room"}),
}

#: The roles an operating body may grant, within organisations it stewards.
OPERATING_BODY_ROLES = frozenset(
    {"operating_body_staff", "committee_member", "municipality_applicant", "company_applicant"}
)
#: The organisation kinds an operating body may register (for its own track).
OPERATING_BODY_KINDS = frozenset({"municipality", "company", "expert_body"})


@dataclass(frozen=True)
class Manager:
    """The person managing accounts: the Ministry, or an operating body's
    staff for ``track``."""

    is_ministry: bool
    track: str = ""


@dataclass(frozen=True)
class Org:
    kind: str
    track: str = ""
    steward_track: str = ""

    @property
    def stewarded_by(self) -> str:
        """The track whose operating body manages this organisation ("" = the Ministry only)."""
        return self.steward_track or self.track


def role_fits_kind(role: str, kind: str) -> bool:
    return kind in ROLE_KINDS.get(role, frozenset())


def manages_organisation(manager: Manager, org: Org) -> bool:
    if manager.is_ministry:
        return True
    return bool(manager.track) and org.stewarded_by == manager.track


def grantable_roles(manager: Manager) -> frozenset[str]:
    return frozenset(ROLE_KINDS) if manager.is_ministry else OPERATING_BODY_ROLES


def creatable_kinds(manager: Manager, all_kinds: frozenset[str]) -> frozenset[str]:
    return all_kinds if manager.is_ministry else OPERATING_BODY_KINDS


def manages_account(manager: Manager, org: Org | None, role: str, *, superuser: bool) -> bool:
    """An account is managed by whoever manages its organisation, when its
    role is one they may grant. Superusers are managed in the admin only."""
    if superuser:
        return False
    if org is None:
        return manager.is_ministry
    return manages_organisation(manager, org) and role in grantable_roles(manager)


def refuse_role(manager: Manager, org: Org, role: str) -> str:
    """Why ``manager`` may not give ``role`` in ``org`` (a refusal code), or ""."""
    if not manages_organisation(manager, org):
        return "organisation_not_managed"
    if role not in grantable_roles(manager):
        return "role_not_grantable"
    if not role_fits_kind(role, org.kind):
        return "role_does_not_fit_organisation"
    return ""


def refuse_organisation(
    manager: Manager, kind: str, steward_track: str, kinds: frozenset[str]
) -> str:
    """Why ``manager`` may not register an organisation of ``kind`` stewarded
    by ``steward_track`` (a refusal code), or ""."""
    if kind not in creatable_kinds(manager, kinds):
        return "kind_not_allowed"
    if not manager.is_ministry and steward_track != manager.track:
        return "other_track"
    return ""


def invitation_state(
    *,
    accepted_at: dt.datetime | None,
    cancelled_at: dt.datetime | None,
    sent_at: dt.datetime,
    now: dt.datetime,
    valid_for: dt.timedelta,
) -> str:
    """``accepted``, ``cancelled``, ``expired`` or ``open``."""
    if accepted_at is not None:
        return "accepted"
    if cancelled_at is not None:
        return "cancelled"
    if now - sent_at > valid_for:
        return "expired"
    return "open"
