"""Signing in: lock-out after repeated failures, on the server's clock; audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from smartcity.accounts.models import LoginThrottle, User
from smartcity.accounts.services import attempt_sign_in, create_user
from smartcity.core.models import AuditEvent
from smartcity.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

OFFICE = "192.0.2.10"
ATTACKER = "203.0.113.66"


def test_correct_password_signs_in_and_is_audited(ministry_officer: User) -> None:
    result = attempt_sign_in(username="ministry", password=TEST_PASSWORD, address=OFFICE)
    assert result.user == ministry_officer
    assert AuditEvent.objects.filter(action="accounts.signed_in", actor=ministry_officer).exists()


def test_five_failures_lock_the_account_even_with_the_right_password(
    ministry_officer: User,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(4):
        assert not attempt_sign_in(username="ministry", password="wrong", address=OFFICE).locked
    assert attempt_sign_in(username="ministry", password="wrong", address=OFFICE).locked
    refused = attempt_sign_in(username="ministry", password=TEST_PASSWORD, address=OFFICE)
    assert refused.user is None and refused.locked
    assert AuditEvent.objects.filter(action="accounts.sign_in_refused_locked").count() == 1


def test_lock_expires_on_the_server_clock(ministry_officer: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURE_LIMIT = 2
    attempt_sign_in(username="ministry", password="wrong", address=OFFICE)
    attempt_sign_in(username="ministry", password="wrong", address=OFFICE)
    throttle = LoginThrottle.objects.get(username="ministry", address=OFFICE)
    throttle.locked_until = timezone.now() - dt.timedelta(seconds=1)
    throttle.save()
    assert (
        attempt_sign_in(username="ministry", password=TEST_PASSWORD, address=OFFICE).user
        == ministry_officer
    )
    assert LoginThrottle.objects.get(username="ministry", address=OFFICE).failures == 0


def test_unknown_names_are_throttled_too(db: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        result = attempt_sign_in(username="nobody", password="x", address=OFFICE)
    assert result.locked


def test_weak_password_is_refused_by_the_validators(db: None) -> None:
    with pytest.raises(ValidationError):
        create_user(username="weak", password="1234", role="", organisation=None)


def test_login_page_signs_in_and_out(ministry_officer: User, client: Client) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "ministry", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:audit_log")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("core:audit_log")).status_code == 302


def test_wrong_password_shows_a_translated_error(ministry_officer: User, client: Client) -> None:
    response = client.post(reverse("accounts:login"), {"username": "ministry", "password": "no"})
    assert response.status_code == 400
    assert "아이디 또는 비밀번호가 올바르지 않습니다" in response.content.decode()


def test_open_redirect_is_refused(ministry_officer: User, client: Client) -> None:
    response = client.post(
        reverse("accounts:login"),
        {"username": "ministry", "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("core:home")


def test_sessions_expire(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_failures_from_one_address_do_not_lock_the_account_for_others(
    ministry_officer: User,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    """Five bad passwords from an attacker's address used to lock the
    account everywhere; now only the (name, address) pair is locked."""
    settings.LOGIN_FAILURE_LIMIT = 5
    for _ in range(5):
        attempt_sign_in(username="ministry", password="wrong", address=ATTACKER)
    refused = attempt_sign_in(username="ministry", password=TEST_PASSWORD, address=ATTACKER)
    assert refused.user is None and refused.reason == "account_locked"
    owner = attempt_sign_in(username="ministry", password=TEST_PASSWORD, address=OFFICE)
    assert owner.user == ministry_officer


def test_one_address_trying_many_names_is_throttled(
    ministry_officer: User,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    for n in range(20):
        attempt_sign_in(username=f"guess{n}", password="x", address=ATTACKER)
    refused = attempt_sign_in(username="ministry", password=TEST_PASSWORD, address=ATTACKER)
    assert refused.user is None and refused.reason == "address_locked"
    assert refused.locked_until is not None
    assert AuditEvent.objects.filter(action="accounts.sign_in_refused_address").count() == 1
    other = attempt_sign_in(username="ministry", password=TEST_PASSWORD, address=OFFICE)
    assert other.user == ministry_officer


def test_address_failures_spread_over_time_do_not_add_up(
    clock,  # type: ignore[no-untyped-def]
    db: None,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    settings.LOGIN_ADDRESS_WINDOW_SECONDS = 600
    for n in range(5):
        result = attempt_sign_in(username=f"typo{n}", password="x", address=OFFICE)
        assert result.reason != "address_locked"
        clock.set(clock.now + dt.timedelta(seconds=601))


def test_a_locked_address_gets_429_with_retry_after(
    ministry_officer: User,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    attacker = Client(REMOTE_ADDR="127.0.0.9")
    for n in range(3):
        response = attacker.post(reverse("accounts:login"), {"username": f"n{n}", "password": "x"})
        assert response.status_code == 400
    response = attacker.post(
        reverse("accounts:login"), {"username": "ministry", "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "이 주소에서" in response.content.decode()
    office = Client(REMOTE_ADDR="127.0.0.1")
    response = office.post(
        reverse("accounts:login"), {"username": "ministry", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


def test_an_organisation_is_created_once_with_an_audit_row(ministry_officer: User) -> None:
    from smartcity.accounts.services import create_organisation
    from smartcity.testing.factories import MunicipalityFactory

    goyang = MunicipalityFactory(code="41280", name_ko="고양시")
    centre = create_organisation(
        name_ko="고양시 스마트도시 통합운영센터",
        kind="operations_centre",
        municipality_id=goyang.pk,
        actor=ministry_officer,
    )
    assert (centre.kind, centre.municipality) == ("operations_centre", goyang)
    created = AuditEvent.objects.filter(
        action="accounts.organisation_created", object_id=str(centre.pk)
    )
    event = created.get()
    assert event.actor == ministry_officer
    assert event.data["municipality_id"] == goyang.pk
    # Run again (the demo, the linkage command): the same row, no second audit.
    again = create_organisation(name_ko="고양시 스마트도시 통합운영센터", kind="police")
    assert again == centre and again.kind == "operations_centre"
    assert created.count() == 1
