"""Calls, applying, documents and submission — on the server's clock."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.certification.domain.calls import Phase, Timeline, phase_at
from smartcity.certification.domain.files import check_upload
from smartcity.certification.models import Application, Attachment
from smartcity.certification.services import (
    SubmissionRefused,
    apply_to_call,
    create_call,
    set_attestation,
    start_self_assessment,
    submit_application,
    upload_attachment,
)
from smartcity.testing.call_calendar import CLOSES, KST, PDF, timeline
from smartcity.testing.certification import open_call
from smartcity.testing.submission import complete_for_submission


def test_phases_switch_at_their_boundaries() -> None:
    t = timeline()
    assert phase_at(t, CLOSES - dt.timedelta(days=3)) is Phase.ANNOUNCED
    assert phase_at(t, CLOSES) is Phase.OPEN
    assert phase_at(t, CLOSES + dt.timedelta(seconds=1)) is Phase.DOCUMENT_CHECK
    assert phase_at(t, dt.datetime(2026, 11, 20, tzinfo=KST)) is Phase.SITE_INSPECTION
    assert phase_at(t, dt.datetime(2027, 1, 1, tzinfo=KST)) is Phase.ANNOUNCED_RESULTS
    assert Timeline(*(t.__dict__[k] for k in t.__dict__)).problems() == []


def xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("신청서.pdf", b"", "empty"),
        ("신청서.pdf", b"MZ\x90\x00" + b"\x00" * 100, "executable"),
        ("report.pdf", b"\x7fELF\x02\x01", "executable"),
        ("사진.png", PDF, "type_mismatch"),
        ("notes.pdf", b"just some text", "unknown_type"),
        ("big.pdf", PDF + b"0" * 2048, "too_large"),
    ],
)
def test_bad_files_are_refused_by_content(name: str, data: bytes, problem: str) -> None:
    assert check_upload(name, data, max_bytes=1024).problem == problem


def test_good_files_are_recognised() -> None:
    assert check_upload("a.pdf", PDF, max_bytes=10_000).kind == "pdf"
    assert check_upload("표.xlsx", xlsx(), max_bytes=10_000).kind == "xlsx"
    assert check_upload("p.PNG", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, max_bytes=10_000).ok


@pytest.fixture
def call(city_2023, ministry_officer: User, clock):  # type: ignore[no-untyped-def]
    return open_call(ministry_officer, city_2023, clock=clock)


@pytest.fixture
def ready(call, applicant_city_a: User, clock, city_2023, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(settings.DATA_DIR / "test-uploads")
    clock.set(dt.datetime(2026, 10, 25, 10, 0, tzinfo=KST))
    draft = start_self_assessment(actor=applicant_city_a, framework=city_2023, title="가람시 신청")
    application = apply_to_call(actor=applicant_city_a, application=draft, call=call)
    upload_attachment(actor=applicant_city_a, application=application,
                      kind="application_form", name="신청서.pdf", data=PDF)  # fmt: skip
    set_attestation(actor=applicant_city_a, application=application, attested=True)
    complete_for_submission(applicant_city_a, application)
    return application


@pytest.mark.django_db
def test_submission_at_the_closing_second_is_accepted(
    ready: Application, applicant_city_a, clock
) -> None:  # type: ignore[no-untyped-def]
    clock.set(CLOSES)
    version = submit_application(actor=applicant_city_a, application=ready)
    assert version.number == 1
    assert "신청서.pdf" in [a["name"] for a in version.snapshot["attachments"]]
    ready.refresh_from_db()
    assert ready.status == "submitted"


@pytest.mark.django_db
def test_one_second_late_is_refused(ready: Application, applicant_city_a, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(CLOSES + dt.timedelta(seconds=1))
    with pytest.raises(SubmissionRefused) as refused:
        submit_application(actor=applicant_city_a, application=ready)
    assert refused.value.code == "deadline_passed"
    ready.refresh_from_db()
    assert ready.status == "draft" and ready.versions.count() == 0


@pytest.mark.django_db
def test_application_form_and_attestation_are_required(
    ready: Application, applicant_city_a, clock
) -> None:  # type: ignore[no-untyped-def]
    set_attestation(actor=applicant_city_a, application=ready, attested=False)
    with pytest.raises(SubmissionRefused, match="attestation_missing"):
        submit_application(actor=applicant_city_a, application=ready)
    set_attestation(actor=applicant_city_a, application=ready, attested=True)
    ready.attachments.filter(kind="application_form").delete()
    with pytest.raises(SubmissionRefused, match="application_form_missing"):
        submit_application(actor=applicant_city_a, application=ready)


@pytest.mark.django_db
def test_bad_upload_leaves_the_application_intact(ready: Application, applicant_city_a) -> None:  # type: ignore[no-untyped-def]
    before = list(ready.attachments.values_list("sha256", flat=True))
    for name, data in [("x.pdf", b""), ("virus.pdf", b"MZ\x00\x00"), ("a.hwp", PDF)]:
        with pytest.raises(SubmissionRefused):
            upload_attachment(actor=applicant_city_a, application=ready, kind="evidence",
                              name=name, data=data)  # fmt: skip
    assert list(ready.attachments.values_list("sha256", flat=True)) == before


@pytest.mark.django_db
def test_one_application_per_call(call, applicant_city_a, city_2023, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.datetime(2026, 10, 25, tzinfo=KST))
    first = start_self_assessment(actor=applicant_city_a, framework=city_2023, title="1")
    second = start_self_assessment(actor=applicant_city_a, framework=city_2023, title="2")
    apply_to_call(actor=applicant_city_a, application=first, call=call)
    with pytest.raises(SubmissionRefused, match="already_applied"):
        apply_to_call(actor=applicant_city_a, application=second, call=call)


@pytest.mark.django_db
def test_applying_keeps_claims_and_derives_the_size_class(
    call, applicant_city_a, city_2023, clock
) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.datetime(2026, 10, 25, tzinfo=KST))
    draft = start_self_assessment(actor=applicant_city_a, framework=city_2023, title="모의")
    application = apply_to_call(actor=applicant_city_a, application=draft, call=call)
    assert application.pk == draft.pk and application.kind == "application"
    assert application.size_class == "small_medium"  # persona city A: 320,000 residents


@pytest.mark.django_db
def test_files_are_served_only_to_those_with_access(
    ready: Application,
    applicant_city_a,
    applicant_city_b,
    ministry_officer,  # type: ignore[no-untyped-def]
) -> None:
    attachment = Attachment.objects.get(application=ready, kind="application_form")
    url = reverse("certification:attachment", args=[ready.pk, attachment.pk])
    for user, expected in [
        (applicant_city_a, 200),
        (ministry_officer, 200),
        (applicant_city_b, 404),
    ]:
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected
        if expected == 200:
            assert b"".join(response.streaming_content) == PDF
    assert Client().get(url).status_code == 302


@pytest.mark.django_db
def test_only_overseers_open_calls(city_2023, applicant_city_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        create_call(actor=applicant_city_a, year=2026, framework=city_2023, title_ko="x",
                    timeline=timeline(), announced_at=CLOSES)  # fmt: skip
