"""Expiry reminders, re-review (재검토) and extension (연장) (issue 4 §7)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.certification.domain.claims import ClaimInput
from smartcity.certification.models import Application, Call
from smartcity.certification.services import save_claims, set_attestation, submit_application
from smartcity.certification.services.extension import (
    ExtensionRefused,
    send_expiry_reminders,
    start_extension,
)
from smartcity.certification.services.results import AnnouncementRefused, announce_result
from smartcity.notifications.models import Notification
from smartcity.registry.models import Certificate
from smartcity.registry.services import revoke_certificate
from smartcity.testing.call_calendar import KST
from smartcity.testing.certification import (
    approved,
    open_call,
    reported,
    submitted_application,
)
from smartcity.testing.submission import complete_for_submission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "uploads")


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def certified_a(
    clock, city_2023, ministry_officer, applicant_city_a, operator_staff, committee_member
) -> Application:  # type: ignore[no-untyped-def]
    """City A, certified on 2026-12-21 (valid until 2028-12-20)."""
    call = open_call(ministry_officer, city_2023, clock=clock)
    application = submitted_application(clock, applicant_city_a, call)
    reported(
        clock, application, operator=operator_staff, member=committee_member, share=Decimal("0.75")
    )
    approved(clock, application, ministry=ministry_officer)
    clock.set(dt.datetime(2026, 12, 21, 10, 0, tzinfo=KST))
    return announce_result(actor=ministry_officer, application=application).application


@pytest.fixture
def certificate(certified_a: Application) -> Certificate:
    return Certificate.objects.get(decision=certified_a.decision)


@pytest.fixture
def call_2028(clock, ministry_officer, city_2023) -> Call:  # type: ignore[no-untyped-def]
    return open_call(ministry_officer, city_2023, clock=clock, year=2028)


def in_window(clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.datetime(2028, 10, 25, 10, 0, tzinfo=KST))


# --- reminders --------------------------------------------------------------


def test_reminder_goes_once_per_certificate_within_three_months_of_expiry(
    certificate: Certificate, applicant_city_a: User, applicant_city_b: User
) -> None:
    assert send_expiry_reminders(today=dt.date(2028, 9, 19)).notices == 0
    run = send_expiry_reminders(today=dt.date(2028, 9, 20))
    assert [c.number for c in run.certificates] == [certificate.number]
    assert run.notices == 1
    assert send_expiry_reminders(today=dt.date(2028, 10, 1)).notices == 0
    notices = Notification.objects.filter(kind="certification.expiry_reminder")
    assert [n.recipient for n in notices] == [applicant_city_a]
    notice = notices.get()
    assert notice.dedupe_key == f"expiry:{certificate.number}"
    assert "2028-12-20" in notice.subject
    assert send_expiry_reminders(today=dt.date(2028, 12, 21)).notices == 0  # expired: no


def test_remind_command_takes_a_date(certificate: Certificate) -> None:
    out = io.StringIO()
    call_command("certification", "remind", "--date", "2028-11-01", stdout=out)
    assert certificate.number in out.getvalue()
    assert "1 new notice" in out.getvalue()
    out = io.StringIO()
    call_command("certification", "remind", "--date", "2028-11-02", stdout=out)
    assert "0 new notice" in out.getvalue()


# --- starting the extension -------------------------------------------------


def test_extension_is_prefilled_from_the_certified_application(
    certificate: Certificate, certified_a: Application, call_2028: Call, applicant_city_a, clock
) -> None:  # type: ignore[no-untyped-def]
    in_window(clock)
    extension = start_extension(actor=applicant_city_a, certificate=certificate, call=call_2028)
    assert extension.kind == "application" and extension.status == "draft"
    assert extension.call == call_2028 and extension.framework == call_2028.framework
    assert extension.extends_certificate == certificate
    assert extension.previous_application == certified_a
    assert extension.claims.count() == certified_a.claims.count() > 0
    assert extension.area_km2 == certified_a.area_km2
    old = certified_a.attachments.get(kind="application_form")
    new = extension.attachments.get(kind="application_form")
    assert new.pk != old.pk and new.file.name == old.file.name and new.sha256 == old.sha256


def test_changes_page_shows_what_the_extension_changed(
    certificate: Certificate, call_2028: Call, applicant_city_a, applicant_city_b, clock
) -> None:  # type: ignore[no-untyped-def]
    in_window(clock)
    extension = start_extension(actor=applicant_city_a, certificate=certificate, call=call_2028)
    url = reverse("certification:changes", args=[extension.pk])
    assert "바뀐 내용이 없습니다" in login(applicant_city_a).get(url).content.decode()

    code = extension.claims.order_by("indicator_code").first().indicator_code  # type: ignore[union-attr]
    claim = extension.claims.get(indicator_code=code)
    save_claims(
        actor=applicant_city_a,
        application=extension,
        inputs=[
            ClaimInput(
                code,
                value="" if claim.value is None else "25",
                stage="" if claim.stage is None else "5",
                flag="" if claim.flag is None else "yes",
                evidence_reference="2028 평가제안서 p.7",
            )
        ],
    )
    body = login(applicant_city_a).get(url).content.decode()
    assert f'data-indicator="{code}"' in body and "2028 평가제안서 p.7" in body
    assert login(applicant_city_b).get(url).status_code == 404


def test_other_applicants_cannot_reach_the_extension(
    certificate: Certificate, call_2028: Call, applicant_city_b, company_applicant, clock
) -> None:  # type: ignore[no-untyped-def]
    in_window(clock)
    for user in (applicant_city_b, company_applicant):
        with pytest.raises(PermissionDenied):
            start_extension(actor=user, certificate=certificate, call=call_2028)
        url = reverse("certification:extension", args=[certificate.number])
        assert login(user).get(url).status_code == 404
        assert login(user).post(url, {"call": call_2028.pk}).status_code == 404
    assert not Application.objects.filter(extends_certificate=certificate).exists()


def test_extension_page_starts_the_application_in_an_open_call(
    certificate: Certificate, call_2028: Call, applicant_city_a, clock
) -> None:  # type: ignore[no-untyped-def]
    in_window(clock)
    url = reverse("certification:extension", args=[certificate.number])
    body = login(applicant_city_a).get(url).content.decode()
    assert call_2028.title_ko in body
    asked = login(applicant_city_a).post(url, {"call": call_2028.pk})
    assert asked.status_code == 200 and "연장 신청 확인" in asked.content.decode()
    assert not Application.objects.filter(extends_certificate=certificate).exists()
    response = login(applicant_city_a).post(url, {"call": call_2028.pk, "confirmed": "yes"})
    extension = Application.objects.get(extends_certificate=certificate)
    assert response.status_code == 302
    assert response["Location"] == reverse("certification:changes", args=[extension.pk])


def test_extension_link_shows_while_the_window_is_open(
    certificate: Certificate, certified_a: Application, applicant_city_a, applicant_city_b, clock
) -> None:  # type: ignore[no-untyped-def]
    link = reverse("certification:extension", args=[certificate.number])
    result = reverse("certification:result", args=[certified_a.pk])
    page = reverse("registry:certificate", args=[certificate.number])
    clock.set(dt.datetime(2028, 9, 19, 12, 0, tzinfo=KST))
    assert link not in login(applicant_city_a).get(result).content.decode()
    assert link not in login(applicant_city_a).get(page).content.decode()
    clock.set(dt.datetime(2028, 9, 20, 12, 0, tzinfo=KST))
    assert link in login(applicant_city_a).get(result).content.decode()
    assert link in login(applicant_city_a).get(page).content.decode()
    assert link not in login(applicant_city_b).get(page).content.decode()


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("revoked", "certificate_revoked"),
        ("lapsed", "certificate_lapsed"),
        ("max", "too_many_extensions"),
    ],
)
def test_extension_is_refused_for_revoked_lapsed_or_fully_extended_certificates(
    setup: str,
    code: str,
    certificate: Certificate,
    call_2028: Call,
    applicant_city_a,
    ministry_officer,
    clock,
    settings,
) -> None:  # type: ignore[no-untyped-def]
    in_window(clock)
    if setup == "revoked":
        clock.set(dt.datetime(2027, 3, 2, 10, 0, tzinfo=KST))
        revoke_certificate(
            actor=ministry_officer,
            certificate=certificate,
            ground_kind="fraud",
            ground="허위 증빙",
            effective_on=dt.date(2027, 3, 2),
        )
        in_window(clock)
    elif setup == "lapsed":
        clock.set(dt.datetime(2029, 6, 21, 10, 0, tzinfo=KST))  # past the 6-month grace
    else:
        settings.CERTIFICATION_MAX_EXTENSIONS = 0
    certificate.refresh_from_db()
    with pytest.raises(ExtensionRefused, match=code):
        start_extension(actor=applicant_city_a, certificate=certificate, call=call_2028)


# --- the extension's announcement -------------------------------------------


@pytest.fixture
def reviewed_extension(
    clock,
    certificate,
    call_2028,
    applicant_city_a,
    operator_staff,
    committee_member,
    ministry_officer,
):  # type: ignore[no-untyped-def]
    """``through_review(share)``: the certificate's extension, reviewed at ``share``
    of every indicator's points and approved; the clock on the announcement day."""

    def through_review(share: Decimal) -> Application:
        in_window(clock)
        extension = start_extension(actor=applicant_city_a, certificate=certificate, call=call_2028)
        set_attestation(actor=applicant_city_a, application=extension, attested=True)
        complete_for_submission(applicant_city_a, extension)
        submit_application(actor=applicant_city_a, application=extension)
        reported(clock, extension, operator=operator_staff, member=committee_member, share=share)
        extension = approved(clock, extension, ministry=ministry_officer)
        clock.set(dt.datetime(2028, 12, 10, 10, 0, tzinfo=KST))
        return extension

    return through_review


def test_a_certified_extension_becomes_an_extension_decision(
    certificate: Certificate, reviewed_extension, ministry_officer
) -> None:  # type: ignore[no-untyped-def]
    extension = reviewed_extension(Decimal("0.8"))
    outcome = announce_result(actor=ministry_officer, application=extension)
    assert outcome.application.decision is not None
    assert outcome.application.decision.decision == "extension"
    new = outcome.certificate
    assert new is not None and new.granted_by == "extension" and new.extension_number == 1
    assert new.subject == certificate.subject
    assert new.valid_from == dt.date(2028, 12, 10) and new.valid_until == dt.date(2030, 12, 9)
    certificate.refresh_from_db()
    assert certificate.ended_by == "extended" and certificate.valid_until == dt.date(2028, 12, 9)


def test_an_extension_not_certified_lets_the_certificate_lapse(
    certificate: Certificate, reviewed_extension, applicant_city_a, ministry_officer
) -> None:  # type: ignore[no-untyped-def]
    extension = reviewed_extension(Decimal("0.6"))
    outcome = announce_result(actor=ministry_officer, application=extension)
    assert outcome.certificate is None and outcome.lapses_on == dt.date(2028, 12, 20)
    assert Certificate.objects.count() == 1
    notice = Notification.objects.filter(kind="certification.result").latest("id")
    assert "2028-12-20" in notice.subject
    body = login(applicant_city_a).get(reverse("certification:result", args=[extension.pk]))
    assert "2028-12-20에 만료" in body.content.decode()


def test_an_extension_beyond_the_maximum_is_refused_at_announcement(
    certificate: Certificate, reviewed_extension, ministry_officer, settings
) -> None:  # type: ignore[no-untyped-def]
    extension = reviewed_extension(Decimal("0.8"))
    settings.CERTIFICATION_MAX_EXTENSIONS = 0
    with pytest.raises(AnnouncementRefused, match="too_many_extensions"):
        announce_result(actor=ministry_officer, application=extension)
    extension.refresh_from_db()
    assert extension.status == "approved" and extension.decision is None
    assert Certificate.objects.count() == 1
