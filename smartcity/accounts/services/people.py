"""Managing people: organisations, invitations by e-mail, deactivation and
role changes. The Ministry manages everyone; an operating body the
organisations and accounts of its own track (``accounts.domain.people``).

Every service checks the actor against the rule itself (views have loaded the
object through ``accounts.access`` already) and writes one audit row.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from smartcity.accounts.access import manager_of, manages_account_of, org_facts
from smartcity.accounts.choices import OrganisationKind
from smartcity.accounts.domain.people import (
    Manager,
    invitation_state,
    refuse_organisation,
    refuse_role,
)
from smartcity.accounts.models import Invitation, Organisation, User
from smartcity.accounts.tokens import invitation_tokens
from smartcity.core.services import record_audit

logger = logging.getLogger(__name__)


class PeopleRefused(Exception):
    """A refusal with a code (``accounts.messages.people_refusal_message``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _manager(actor: User) -> Manager:
    manager = manager_of(actor)
    if manager is None:
        raise PermissionDenied
    return manager


def register_organisation(
    *,
    actor: User,
    name_ko: str,
    kind: str,
    steward_track: str = "",
    name_en: str = "",
    municipality_id: int | None = None,
) -> Organisation:
    """A new organisation, stewarded by ``steward_track``'s operating body (an
    operating body registers only for its own track). A name in use is refused."""
    manager = _manager(actor)
    refusal = refuse_organisation(manager, kind, steward_track, frozenset(OrganisationKind.values))
    if refusal:
        raise PeopleRefused(refusal)
    with transaction.atomic():
        if Organisation.objects.filter(name_ko=name_ko).exists():
            raise PeopleRefused("organisation_exists")
        organisation = Organisation.objects.create(
            name_ko=name_ko,
            name_en=name_en,
            kind=kind,
            steward_track=steward_track,
            municipality_id=municipality_id,
        )
        record_audit(
            actor=actor,
            action="accounts.organisation_created",
            object_type="accounts.organisation",
            object_id=organisation.pk,
            data={
                "name_ko": name_ko,
                "kind": kind,
                "steward_track": steward_track,
                "municipality_id": municipality_id,
            },
        )
    return organisation


def invite_person(
    *,
    actor: User,
    organisation: Organisation,
    role: str,
    email: str,
    username: str,
    display_name: str = "",
) -> Invitation:
    """An inactive account without a password, and an invitation e-mailed to
    ``email`` (after commit) with a one-time link that sets the password."""
    refusal = refuse_role(_manager(actor), org_facts(organisation), role)
    if refusal:
        raise PeopleRefused(refusal)
    email = email.strip()
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise PeopleRefused("username_taken")
        if User.objects.filter(email__iexact=email).exists():
            raise PeopleRefused("email_in_use")
        account = User(
            username=username,
            email=email,
            role=role,
            organisation=organisation,
            display_name=display_name,
            is_active=False,
        )
        account.set_unusable_password()
        account.save()
        return _invite(actor, account, role=role, organisation=organisation.pk)


def _invite(actor: User, account: User, **audited: object) -> Invitation:
    """A new invitation for ``account``: stored, audited, mailed after commit."""
    now = timezone.now()
    invitation = Invitation.objects.create(
        user=account, invited_by=actor, created_at=now, sent_at=now
    )
    record_audit(
        actor=actor,
        action="accounts.invitation_sent",
        object_type="accounts.user",
        object_id=account.pk,
        data={
            "username": account.get_username(),
            "email": account.email,
            **audited,
            "invitation": invitation.pk,
        },
    )
    _mail_after_commit(invitation)
    return invitation


def _open_invitation_locked(actor: User, invitation: Invitation) -> Invitation:
    """The invitation, locked, if ``actor`` manages its account and it is still
    open (inside the caller's transaction)."""
    if not manages_account_of(actor, invitation.user):
        raise PermissionDenied
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise PeopleRefused("invitation_closed")
    return invitation


def resend_invitation(*, actor: User, invitation: Invitation) -> Invitation:
    """A new link, valid from now; the links sent before stop working."""
    with transaction.atomic():
        invitation = _open_invitation_locked(actor, invitation)
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
        record_audit(
            actor=actor,
            action="accounts.invitation_resent",
            object_type="accounts.user",
            object_id=invitation.user_id,
            data={"invitation": invitation.pk, "email": invitation.user.email},
        )
        _mail_after_commit(invitation)
    return invitation


def cancel_invitation(*, actor: User, invitation: Invitation) -> Invitation:
    """The link stops working; the account stays inactive."""
    with transaction.atomic():
        invitation = _open_invitation_locked(actor, invitation)
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
        record_audit(
            actor=actor,
            action="accounts.invitation_cancelled",
            object_type="accounts.user",
            object_id=invitation.user_id,
            data={"invitation": invitation.pk},
        )
    return invitation


def invitation_refusal(invitation: Invitation, token: str) -> str:
    """Why the link ``token`` cannot be used (a refusal code), or "" when it can."""
    state = invitation_state(
        accepted_at=invitation.accepted_at,
        cancelled_at=invitation.cancelled_at,
        sent_at=invitation.sent_at,
        now=timezone.now(),
        valid_for=dt.timedelta(seconds=int(settings.INVITATION_VALID_SECONDS)),
    )
    if state != "open":
        return f"invitation_{state}"
    verdict = invitation_tokens.verdict(invitation, token)
    return "" if verdict == "ok" else f"invitation_{verdict}"


def accept_invitation(*, invitation: Invitation, token: str, password: str) -> User:
    """Set the password and activate the account, once: the link is then spent."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        )
        refusal = invitation_refusal(invitation, token)
        if refusal:
            raise PeopleRefused(refusal)
        account = invitation.user
        validate_password(password, account)
        account.set_password(password)
        account.is_active = True
        account.save(update_fields=["password", "is_active"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        record_audit(
            actor=account,
            action="accounts.invitation_accepted",
            object_type="accounts.user",
            object_id=account.pk,
            data={"invitation": invitation.pk},
        )
    return account


def _set_active(*, actor: User, account: User, active: bool) -> User:
    if not manages_account_of(actor, account):
        raise PermissionDenied
    if account.pk == actor.pk:
        raise PeopleRefused("own_account")
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        cancelled = 0
        if not active:
            # Open invitations die with the account: a link must not revive it.
            cancelled = Invitation.objects.filter(
                user=account, accepted_at__isnull=True, cancelled_at__isnull=True
            ).update(cancelled_at=timezone.now())
        if account.is_active == active and not cancelled:
            return account
        account.is_active = active
        account.save(update_fields=["is_active"])
        record_audit(
            actor=actor,
            action="accounts.user_reactivated" if active else "accounts.user_deactivated",
            object_type="accounts.user",
            object_id=account.pk,
            data={"username": account.get_username(), "invitations_cancelled": cancelled},
        )
    return account


def deactivate_account(*, actor: User, account: User) -> User:
    """The person can no longer sign in; their records and audit rows stay."""
    return _set_active(actor=actor, account=account, active=False)


def reactivate_account(*, actor: User, account: User) -> User:
    """Let the person sign in again. An account that never set a password (its
    invitation was not accepted before it was deactivated) is not activated
    without one: it gets a new invitation instead (``reinvite_account``)."""
    if not account.has_usable_password():
        raise PeopleRefused("no_password_yet")
    return _set_active(actor=actor, account=account, active=True)


def reinvite_account(*, actor: User, account: User) -> Invitation:
    """A new invitation for an account that has never set a password; it
    becomes active when the person accepts it. Earlier open links stop."""
    if not manages_account_of(actor, account):
        raise PermissionDenied
    if account.pk == actor.pk:
        raise PeopleRefused("own_account")
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        if account.has_usable_password():
            raise PeopleRefused("password_already_set")
        Invitation.objects.filter(
            user=account, accepted_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=timezone.now())
        return _invite(actor, account, again=True)


def change_role(*, actor: User, account: User, role: str) -> User:
    """Give ``account`` another role within its organisation (one role per account)."""
    if not manages_account_of(actor, account):
        raise PermissionDenied
    if account.pk == actor.pk:
        raise PeopleRefused("own_account")
    if account.organisation is None:
        raise PeopleRefused("organisation_not_managed")
    refusal = refuse_role(_manager(actor), org_facts(account.organisation), role)
    if refusal:
        raise PeopleRefused(refusal)
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        old = account.role
        if old == role:
            return account
        account.role = role
        account.save(update_fields=["role"])
        record_audit(
            actor=actor,
            action="accounts.role_changed",
            object_type="accounts.user",
            object_id=account.pk,
            data={"username": account.get_username(), "from": old, "to": role},
        )
    return account


def complete_password_reset(*, account: User, password: str) -> User:
    """The new password from a reset link (Django's views have checked the
    link and the password's strength)."""
    with transaction.atomic():
        account.set_password(password)
        account.save(update_fields=["password"])
        record_audit(
            actor=account,
            action="accounts.password_reset",
            object_type="accounts.user",
            object_id=account.pk,
        )
    return account


def _mail_after_commit(invitation: Invitation) -> None:
    invitation_id = invitation.pk
    transaction.on_commit(lambda: _send_invitation(invitation_id))


def _send_invitation(invitation_id: int) -> None:
    """The e-mail: Korean first, English second, and the one-time link."""
    invitation = Invitation.objects.select_related("user", "user__organisation").get(
        pk=invitation_id
    )
    token = invitation_tokens.make_token(invitation)  # type: ignore[arg-type]
    path = reverse("accounts:invitation", args=[invitation.pk, token])
    context = {
        "invitation": invitation,
        "account": invitation.user,
        "link": f"{settings.SITE_URL}{path}",
        "valid_days": max(1, int(settings.INVITATION_VALID_SECONDS) // 86400),
    }
    parts = []
    for language in ("ko", "en"):
        with translation.override(language):
            parts.append(render_to_string("accounts/email/invitation.txt", context).strip())
    with translation.override("ko"):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    try:
        send_mail(
            subject=subject,
            message="\n\n----\n\n".join(parts),
            from_email=None,
            recipient_list=[invitation.user.email],
        )
    except (OSError, smtplib.SMTPException):
        # The invitation is committed; a mail server that is down must not
        # turn the page into a 500. The inviter is told and can send it again.
        logger.exception("invitation %s: e-mail not sent", invitation_id)
        Invitation.objects.filter(pk=invitation_id).update(mail_failed_at=timezone.now())
    else:
        Invitation.objects.filter(pk=invitation_id, mail_failed_at__isnull=False).update(
            mail_failed_at=None
        )
