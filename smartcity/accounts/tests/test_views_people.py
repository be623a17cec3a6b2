"""The people pages, the invitation link and the password reset, through the
test client: who reaches them, the one-time link, confirmations and errors."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from smartcity.accounts.choices import OperatingTrack, OrganisationKind, Role
from smartcity.accounts.models import Invitation, Organisation, User
from smartcity.accounts.services import attempt_sign_in, register_organisation
from smartcity.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "quiet-river-stone-42"
LINK = re.compile(r"https?://[^/\s]+(/accounts/(?:invitations|password-reset)/\S+/)")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def link_in(message: mail.EmailMessage) -> str:
    match = LINK.search(str(message.body))
    assert match is not None, message.body
    return match.group(1)


@pytest.fixture
def university(operator_staff: User) -> Organisation:
    return register_organisation(
        actor=operator_staff,
        name_ko="한빛대학교",
        kind=OrganisationKind.EXPERT_BODY,
        steward_track=OperatingTrack.CITY,
    )


def invite_by_page(client: Client, organisation: Organisation, capture: Any) -> Invitation:
    with capture(execute=True):
        response = client.post(
            reverse("accounts:invite"),
            {
                "organisation": organisation.pk,
                "role": Role.COMMITTEE_MEMBER,
                "email": "prof.kim@example.ac.kr",
                "username": "prof_kim",
                "display_name": "김교수",
            },
        )
    assert response.status_code == 302, response.content.decode()
    return Invitation.objects.get(user__username="prof_kim")


def test_other_track_and_applicants_get_404_on_people_pages(
    operator_staff: User,
    service_operator_staff: User,
    applicant_city_a: User,
    committee_member: User,
    ministry_officer: User,
) -> None:
    krihs_page = reverse("accounts:account", args=[operator_staff.pk])
    assert client_for(ministry_officer).get(krihs_page).status_code == 200
    assert client_for(service_operator_staff).get(krihs_page).status_code == 404
    for user in (applicant_city_a, committee_member):
        client = client_for(user)
        assert client.get(reverse("accounts:people")).status_code == 404
        assert client.get(reverse("accounts:invite")).status_code == 404
        assert client.get(krihs_page).status_code == 404
    # The Ministry's own account is not the operating body's to manage.
    ministry_page = reverse("accounts:account", args=[ministry_officer.pk])
    assert client_for(operator_staff).get(ministry_page).status_code == 404
    deactivate = reverse("accounts:account_deactivate", args=[ministry_officer.pk])
    assert client_for(operator_staff).post(deactivate).status_code == 404
    ministry_officer.refresh_from_db()
    assert ministry_officer.is_active


def test_the_list_shows_only_the_own_tracks_people(
    operator_staff: User, service_operator_staff: User, university: Organisation
) -> None:
    krihs = client_for(operator_staff).get(reverse("accounts:people")).content.decode()
    kict = client_for(service_operator_staff).get(reverse("accounts:people")).content.decode()
    assert "한빛대학교" in krihs and "krihs" in krihs
    assert "한빛대학교" not in kict and "krihs" not in kict and "kict" in kict


def test_invite_accept_once_then_a_clear_error(
    operator_staff: User, university: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    invite_by_page(client_for(operator_staff), university, django_capture_on_commit_callbacks)
    path = link_in(mail.outbox[0])
    visitor = Client()
    form = visitor.get(path)
    assert form.status_code == 200 and "prof_kim" in form.content.decode()
    done = visitor.post(
        path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert done.redirect_chain[-1][0] == reverse("accounts:login")
    assert "계정이 활성화되었습니다" in done.content.decode()
    signed_in = attempt_sign_in(username="prof_kim", password=NEW_PASSWORD, address="192.0.2.1")
    assert signed_in.user is not None
    again = visitor.get(path)
    assert again.status_code == 400
    assert "이미 사용되었습니다" in again.content.decode()
    posted_again = visitor.post(
        path, {"new_password1": "other-pass-2026!", "new_password2": "other-pass-2026!"}
    )
    assert posted_again.status_code == 400
    assert User.objects.get(username="prof_kim").check_password(NEW_PASSWORD)


def test_an_expired_or_tampered_link_says_so(
    operator_staff: User,
    university: Organisation,
    django_capture_on_commit_callbacks: Any,
    clock: Any,
    settings: Any,
) -> None:
    invite_by_page(client_for(operator_staff), university, django_capture_on_commit_callbacks)
    path = link_in(mail.outbox[0])
    tampered = re.sub(r"-[0-9a-f]{4}", "-0000", path, count=1)
    assert "올바르지 않거나" in Client().get(tampered).content.decode()
    assert Client().get("/accounts/invitations/999999/x-1/").status_code == 404
    clock.set(clock.now + dt.timedelta(seconds=settings.INVITATION_VALID_SECONDS + 60))
    response = Client().get(path)
    assert response.status_code == 400
    assert 'data-code="invitation_expired"' in response.content.decode()
    assert "유효기간이 지났습니다" in response.content.decode()


def test_resend_and_cancel_from_the_account_page(
    operator_staff: User,
    university: Organisation,
    django_capture_on_commit_callbacks: Any,
    clock: Any,
) -> None:
    client = client_for(operator_staff)
    invitation = invite_by_page(client, university, django_capture_on_commit_callbacks)
    first = link_in(mail.outbox[0])
    clock.set(clock.now + dt.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))
    second = link_in(mail.outbox[1])
    assert Client().get(first).status_code == 400
    assert Client().get(second).status_code == 200
    cancel = reverse("accounts:invitation_cancel", args=[invitation.pk])
    assert "취소할까요?" in client.get(cancel).content.decode()
    done = client.post(cancel, follow=True)
    assert "초대를 취소했습니다" in done.content.decode()
    assert "취소되었습니다" in Client().get(second).content.decode()


def test_deactivation_asks_first_then_says_it_is_done(
    ministry_officer: User, company_applicant: User
) -> None:
    client = client_for(ministry_officer)
    url = reverse("accounts:account_deactivate", args=[company_applicant.pk])
    confirm = client.get(url)
    assert "비활성화할까요?" in confirm.content.decode()
    company_applicant.refresh_from_db()
    assert company_applicant.is_active
    done = client.post(url, follow=True)
    assert "비활성화했습니다" in done.content.decode()
    company_applicant.refresh_from_db()
    assert not company_applicant.is_active
    assert AuditEvent.objects.filter(
        action="accounts.user_deactivated", actor=ministry_officer
    ).exists()
    client.post(reverse("accounts:account_reactivate", args=[company_applicant.pk]))
    company_applicant.refresh_from_db()
    assert company_applicant.is_active


def test_a_role_that_does_not_fit_is_refused_on_its_field(
    ministry_officer: User, company_applicant: User
) -> None:
    url = reverse("accounts:account_role", args=[company_applicant.pk])
    response = client_for(ministry_officer).post(url, {"role": Role.PLATFORM_OPERATOR})
    assert response.status_code == 400
    assert "이 유형의 기관에 둘 수 없습니다" in response.content.decode()
    response = client_for(ministry_officer).post(url, {"role": Role.COMMITTEE_MEMBER})
    assert response.status_code == 302
    company_applicant.refresh_from_db()
    assert company_applicant.role == Role.COMMITTEE_MEMBER


@pytest.mark.parametrize(
    ("name", "needle"),
    [("한빛\x00대학교", "null"), ("한빛\x07대학교", "U+0007"), ("가" * 201, "200")],
)
def test_bad_organisation_names_are_refused_on_their_field(
    ministry_officer: User, name: str, needle: str
) -> None:
    response = client_for(ministry_officer).post(
        reverse("accounts:organisation_new"), {"name_ko": name, "kind": OrganisationKind.COMPANY}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "errorlist" in body and (needle in body or "제어 문자" in body)
    assert not Organisation.objects.filter(name_ko__startswith="한빛").exists()


def test_password_reset_through_djangos_views_with_the_mail_outbox(
    company_applicant: User, client: Client
) -> None:
    company_applicant.email = "kim@smart-traffic.example"
    company_applicant.save()
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in login_page
    sent = client.post(
        reverse("accounts:password_reset"), {"email": "kim@smart-traffic.example"}, follow=True
    )
    assert "재설정 링크를 보냈습니다" in sent.content.decode()
    (message,) = mail.outbox
    assert message.to == ["kim@smart-traffic.example"]
    path = link_in(message)
    form = client.get(path, follow=True)
    set_url = form.redirect_chain[-1][0]
    assert "새 비밀번호 정하기" in form.content.decode()
    done = client.post(
        set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "비밀번호를 바꾸었습니다" in done.content.decode()
    company_applicant.refresh_from_db()
    assert company_applicant.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(
        action="accounts.password_reset", actor=company_applicant
    ).exists()
    # The link is spent: the password it set changed the hash it was bound to.
    spent = Client().get(path, follow=True)
    assert "이미 사용되었거나" in spent.content.decode()


def test_password_reset_page_in_english(client: Client) -> None:
    client.cookies["django_language"] = "en"
    body = client.get(reverse("accounts:password_reset"), HTTP_ACCEPT_LANGUAGE="en").content
    assert "Send the reset link" in body.decode()


def test_admin_saves_by_a_superuser_write_the_same_audit_rows(
    company_applicant: User, client: Client
) -> None:
    admin = User.objects.create_superuser("root", "root@example.kr", NEW_PASSWORD)
    client.force_login(admin)
    organisation = company_applicant.organisation
    assert organisation is not None
    response = client.post(
        reverse("admin:accounts_organisation_change", args=[organisation.pk]),
        {
            "name_ko": organisation.name_ko,
            "name_en": "Smart Traffic Co.",
            "kind": organisation.kind,
            "track": "",
            "steward_track": OperatingTrack.SERVICE,
            "municipality": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = AuditEvent.objects.get(action="accounts.organisation_changed")
    assert row.actor == admin and row.data["fields"] == ["name_en", "steward_track"]
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newcomer",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
            "role": Role.COMPANY_APPLICANT,
            "organisation": organisation.pk,
            "display_name": "새 사람",
            "email": "new@example.kr",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = AuditEvent.objects.get(action="accounts.user_created", actor=admin)
    assert created.data["username"] == "newcomer" and created.data["admin"] is True


def test_a_municipality_organisation_names_its_municipality_by_code(
    operator_staff: User, municipal_register: None
) -> None:
    """Without the code, or with an unknown one, the field says so; with a
    known code the organisation is tied to that municipality."""
    client = client_for(operator_staff)
    url = reverse("accounts:organisation_new")
    form = {"name_ko": "고양시", "kind": OrganisationKind.MUNICIPALITY, "steward_track": "city"}
    missing = client.post(url, form)
    assert missing.status_code == 400
    assert "행정코드를 입력해야 합니다" in missing.content.decode()
    unknown = client.post(url, {**form, "municipality_code": "99999"})
    assert unknown.status_code == 400
    assert "행정코드 &#x27;99999&#x27;인 지방자치단체가 없습니다" in unknown.content.decode()
    assert not Organisation.objects.filter(name_ko="고양시").exists()
    assert client.post(url, {**form, "municipality_code": "41280"}).status_code == 302
    organisation = Organisation.objects.get(name_ko="고양시")
    assert organisation.municipality is not None and organisation.municipality.code == "41280"
    event = AuditEvent.objects.get(
        action="accounts.organisation_created", object_id=organisation.pk
    )
    assert event.data["municipality_id"] == organisation.municipality_id


def closed_port() -> int:
    """A local TCP port nothing listens on: a mail server that is down."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_is_told_to_the_inviter_and_a_resend_clears_it(
    operator_staff: User, university: Organisation, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    client = client_for(operator_staff)
    response = client.post(
        reverse("accounts:invite"),
        {
            "organisation": university.pk,
            "role": Role.COMMITTEE_MEMBER,
            "email": "prof.lee@example.ac.kr",
            "username": "prof_lee",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "전자우편을 보내지 못했습니다" in page and "초대 전자우편을 보냈습니다" not in page
    assert "전자우편 발송 실패" in page  # the account page, after the redirect
    invitation = Invitation.objects.get(user__username="prof_lee")
    assert invitation.mail_failed_at is not None and invitation.is_open

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = client.post(
        reverse("accounts:invitation_resend", args=[invitation.pk]), follow=True
    ).content.decode()
    assert "초대를 다시 보냈습니다" in again and "전자우편 발송 실패" not in again
    invitation.refresh_from_db()
    assert invitation.mail_failed_at is None
    assert [m.to for m in mail.outbox] == [["prof.lee@example.ac.kr"]]


def test_reactivating_an_account_that_never_set_a_password_sends_a_new_invitation(
    operator_staff: User, university: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(operator_staff)
    first = invite_by_page(client, university, django_capture_on_commit_callbacks)
    account = first.user
    client.post(reverse("accounts:account_deactivate", args=[account.pk]))
    first.refresh_from_db()
    assert first.cancelled_at is not None
    page = client.get(reverse("accounts:account", args=[account.pk])).content.decode()
    assert "초대 다시 보내기" in page and "다시 활성화" not in page

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("accounts:account_reactivate", args=[account.pk]), follow=True)
    assert "새 초대를 보냈습니다" in done.content.decode()
    account.refresh_from_db()
    assert not account.is_active and not account.has_usable_password()
    assert account.invitations.filter(cancelled_at__isnull=True).count() == 1
    # The new link works and activates the account; the first one does not.
    new_link = link_in(mail.outbox[-1])
    assert link_in(mail.outbox[0]) != new_link
    Client().post(new_link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    account.refresh_from_db()
    assert account.is_active and account.check_password(NEW_PASSWORD)
