"""Writes for accounts (the only write path): signing in, accounts and
organisations, invitations, deactivation, role changes, password resets and
the admin's saves. Every change writes an audit row."""

from smartcity.accounts.services.directory import (
    create_organisation,
    create_user,
    set_display_name,
    set_user_active,
)
from smartcity.accounts.services.people import (
    PeopleRefused,
    accept_invitation,
    cancel_invitation,
    change_role,
    complete_password_reset,
    deactivate_account,
    invitation_refusal,
    invite_person,
    reactivate_account,
    register_organisation,
    reinvite_account,
    resend_invitation,
)
from smartcity.accounts.services.sign_in import SignInResult, attempt_sign_in

__all__ = [
    "PeopleRefused",
    "SignInResult",
    "accept_invitation",
    "attempt_sign_in",
    "cancel_invitation",
    "change_role",
    "complete_password_reset",
    "create_organisation",
    "create_user",
    "deactivate_account",
    "invitation_refusal",
    "invite_person",
    "reactivate_account",
    "register_organisation",
    "reinvite_account",
    "resend_invitation",
    "set_display_name",
    "set_user_active",
]
