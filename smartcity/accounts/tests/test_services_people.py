"""People: organisations, invitations with a one-time link, deactivation and
role changes, each through accounts services with its audit row."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from smartcity.accounts.choices import OperatingTrack, OrganisationKind, Role
from smartcity.accounts.models import Invitation, Organisation, User
from smartcity.accounts.services import (
    PeopleRefused,
    accept_invitation,
    cancel_invitation,
    change_role,
    deactivate_account,
    invitation_refusal,
    invite_person,
    reactivate_account,
    register_organisation,
    resend_invitation,
)
from smartcity.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet-river-stone-42"
LINK = re.compile(r"/accounts/invitations/(\d+)/([0-9a-z]+-[0-9a-f]+)/")


def audits(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


@pytest.fixture
def university(operator_staff: User) -> Organisation:
    """A committee member's home organisation, stewarded by the city track (KRIHS)."""
    return register_organisation(
        actor=operator_staff,
        name_ko="한빛대학교",
        kind=OrganisationKind.EXPERT_BODY,
        steward_track=OperatingTrack.CITY,
    )


def invite(actor: User, organisation: Organisation, capture: Any, **kw: Any) -> Invitation:
    with capture(execute=True):
        return invite_person(
            actor=actor,
            organisation=organisation,
            role=kw.get("role", Role.COMMITTEE_MEMBER),
            email=kw.get("email", "prof.kim@example.ac.kr"),
            username=kw.get("username", "prof_kim"),
            display_name="김교수",
        )


def token_in(message: mail.EmailMessage) -> tuple[int, str]:
    match = LINK.search(str(message.body))
    assert match is not None, message.body
    return int(match.group(1)), match.group(2)


def test_an_operating_body_registers_an_organisation_for_its_own_track_only(
    operator_staff: User, university: Organisation
) -> None:
    assert university.steward_track == OperatingTrack.CITY
    assert audits("accounts.organisation_created")[-1].object_id == str(university.pk)
    with pytest.raises(PeopleRefused) as refused:
        register_organisation(
            actor=operator_staff,
            name_ko="다른대학교",
            kind=OrganisationKind.EXPERT_BODY,
            steward_track=OperatingTrack.SERVICE,
        )
    assert refused.value.code == "other_track"
    with pytest.raises(PeopleRefused) as refused:
        register_organisation(
            actor=operator_staff,
            name_ko="한빛대학교",
            kind=OrganisationKind.EXPERT_BODY,
            steward_track=OperatingTrack.CITY,
        )
    assert refused.value.code == "organisation_exists"


def test_an_applicant_manages_nobody(applicant_city_a: User) -> None:
    with pytest.raises(PermissionDenied):
        register_organisation(actor=applicant_city_a, name_ko="x", kind=OrganisationKind.COMPANY)


def test_an_invitation_makes_an_inactive_account_and_mails_a_one_time_link(
    operator_staff: User, university: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = invite(operator_staff, university, django_capture_on_commit_callbacks)
    account = invitation.user
    assert not account.is_active and not account.has_usable_password()
    assert account.role == Role.COMMITTEE_MEMBER and account.organisation == university
    (message,) = mail.outbox
    assert message.to == ["prof.kim@example.ac.kr"]
    assert "한빛대학교" in str(message.body) and "you have been invited" in str(message.body)
    invitation_id, token = token_in(message)
    assert invitation_id == invitation.pk
    assert invitation_refusal(invitation, token) == ""
    row = audits("accounts.invitation_sent")[0]
    assert row.actor == operator_staff and row.data["email"] == "prof.kim@example.ac.kr"


def test_the_link_works_once_then_says_it_was_used(
    operator_staff: User, university: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = invite(operator_staff, university, django_capture_on_commit_callbacks)
    _id, token = token_in(mail.outbox[0])
    account = accept_invitation(invitation=invitation, token=token, password=NEW_PASSWORD)
    account.refresh_from_db()
    assert account.is_active and account.check_password(NEW_PASSWORD)
    assert audits("accounts.invitation_accepted")[0].actor == account
    with pytest.raises(PeopleRefused) as refused:
        accept_invitation(invitation=invitation, token=token, password="another-pass-999")
    assert refused.value.code == "invitation_accepted"
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused_as_expired(
    operator_staff: User,
    university: Organisation,
    django_capture_on_commit_callbacks: Any,
    clock: Any,
    settings: Any,
) -> None:
    invitation = invite(operator_staff, university, django_capture_on_commit_callbacks)
    _id, token = token_in(mail.outbox[0])
    clock.set(clock.now + dt.timedelta(seconds=settings.INVITATION_VALID_SECONDS + 1))
    with pytest.raises(PeopleRefused) as refused:
        accept_invitation(invitation=invitation, token=token, password=NEW_PASSWORD)
    assert refused.value.code == "invitation_expired"
    invitation.user.refresh_from_db()
    assert not invitation.user.is_active


def test_resending_makes_the_old_link_useless_and_cancelling_every_link(
    operator_staff: User,
    university: Organisation,
    django_capture_on_commit_callbacks: Any,
    clock: Any,
) -> None:
    invitation = invite(operator_staff, university, django_capture_on_commit_callbacks)
    _id, old = token_in(mail.outbox[0])
    clock.set(clock.now + dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        resend_invitation(actor=operator_staff, invitation=invitation)
    _id, new = token_in(mail.outbox[1])
    invitation.refresh_from_db()
    assert invitation_refusal(invitation, old) == "invitation_invalid"
    assert invitation_refusal(invitation, new) == ""
    assert invitation_refusal(invitation, "garbage") == "invitation_invalid"
    cancel_invitation(actor=operator_staff, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation_refusal(invitation, new) == "invitation_cancelled"
    assert [
        len(audits(a)) for a in ("accounts.invitation_resent", "accounts.invitation_cancelled")
    ] == [1, 1]
    with pytest.raises(PeopleRefused):
        cancel_invitation(actor=operator_staff, invitation=invitation)


def test_a_weak_password_is_refused_and_the_link_stays_usable(
    operator_staff: User, university: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = invite(operator_staff, university, django_capture_on_commit_callbacks)
    _id, token = token_in(mail.outbox[0])
    with pytest.raises(ValidationError):
        accept_invitation(invitation=invitation, token=token, password="1234")
    invitation.refresh_from_db()
    assert invitation_refusal(invitation, token) == ""


def test_inviting_outside_the_track_or_with_a_wrong_role_is_refused(
    service_operator_staff: User,
    operator_staff: User,
    university: Organisation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with pytest.raises(PeopleRefused) as refused:
        invite(service_operator_staff, university, django_capture_on_commit_callbacks)
    assert refused.value.code == "organisation_not_managed"
    with pytest.raises(PeopleRefused) as refused:
        invite(
            operator_staff, university, django_capture_on_commit_callbacks,
            role=Role.MINISTRY_OFFICER,
        )  # fmt: skip
    assert refused.value.code == "role_not_grantable"
    invite(operator_staff, university, django_capture_on_commit_callbacks)
    with pytest.raises(PeopleRefused) as refused:
        invite(operator_staff, university, django_capture_on_commit_callbacks, email="x@y.kr")
    assert refused.value.code == "username_taken"
    with pytest.raises(PeopleRefused) as refused:
        invite(operator_staff, university, django_capture_on_commit_callbacks, username="other")
    assert refused.value.code == "email_in_use"
    assert len(mail.outbox) == 1


def test_deactivation_stops_sign_in_kills_open_links_and_is_audited(
    operator_staff: User, university: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = invite(operator_staff, university, django_capture_on_commit_callbacks)
    _id, token = token_in(mail.outbox[0])
    account = accept_invitation(invitation=invitation, token=token, password=NEW_PASSWORD)
    deactivate_account(actor=operator_staff, account=account)
    account.refresh_from_db()
    assert not account.is_active
    reactivate_account(actor=operator_staff, account=account)
    account.refresh_from_db()
    assert account.is_active
    assert [e.action for e in AuditEvent.objects.filter(object_id=str(account.pk))][-2:] == [
        "accounts.user_deactivated",
        "accounts.user_reactivated",
    ]
    with pytest.raises(PeopleRefused) as refused:
        deactivate_account(actor=operator_staff, account=operator_staff)
    assert refused.value.code == "own_account"


def test_an_open_invitation_dies_with_a_deactivated_account(
    operator_staff: User, university: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = invite(operator_staff, university, django_capture_on_commit_callbacks)
    deactivate_account(actor=operator_staff, account=invitation.user)
    invitation.refresh_from_db()
    assert invitation.cancelled_at is not None


def test_a_role_change_is_audited_with_both_roles_and_must_fit(
    ministry_officer: User, company_applicant: User
) -> None:
    with pytest.raises(PeopleRefused) as refused:
        change_role(actor=ministry_officer, account=company_applicant, role=Role.PLATFORM_OPERATOR)
    assert refused.value.code == "role_does_not_fit_organisation"
    change_role(actor=ministry_officer, account=company_applicant, role=Role.COMMITTEE_MEMBER)
    company_applicant.refresh_from_db()
    assert company_applicant.role == Role.COMMITTEE_MEMBER
    row = audits("accounts.role_changed")[0]
    assert row.data["from"] == Role.COMPANY_APPLICANT and row.data["to"] == Role.COMMITTEE_MEMBER


def test_an_operating_body_cannot_touch_the_other_tracks_people(
    service_operator_staff: User, operator_staff: User, company_applicant: User
) -> None:
    for action in (deactivate_account, reactivate_account):
        with pytest.raises(PermissionDenied):
            action(actor=service_operator_staff, account=operator_staff)
    with pytest.raises(PermissionDenied):
        change_role(
            actor=operator_staff, account=company_applicant, role=Role.COMMITTEE_MEMBER
        )  # the company is not stewarded by any track: the Ministry's


def test_a_mail_server_that_is_down_does_not_undo_or_break_the_invitation(
    operator_staff: User,
    university: Organisation,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    # The real SMTP backend, against a local port nothing listens on.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    invitation = invite(operator_staff, university, django_capture_on_commit_callbacks)
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert audits("accounts.invitation_sent")
