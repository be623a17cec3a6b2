"""Approval by the Ministry, announcement, and the result report (issue 4 §5, §6)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.certification.domain.workflow import Action
from smartcity.certification.models import Application, Call
from smartcity.certification.services.results import (
    AnnouncementRefused,
    announce_result,
    result_report,
)
from smartcity.certification.services.workflow import TransitionRefused, perform
from smartcity.core.models import AuditEvent
from smartcity.notifications.models import Notification
from smartcity.registry.models import Certificate, Decision
from smartcity.testing.call_calendar import KST
from smartcity.testing.certification import (
    approved,
    open_call,
    reported,
    submitted_application,
)

pytestmark = pytest.mark.django_db

CERTIFIED = Decimal("0.75")  # 1,500 of 2,000: grade 3
NOT_CERTIFIED = Decimal("0.6")  # 1,200: grade 4


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "uploads")


@pytest.fixture
def call(clock, ministry_officer: User, city_2023) -> Call:  # type: ignore[no-untyped-def]
    return open_call(ministry_officer, city_2023, clock=clock)


@pytest.fixture
def reported_a(clock, call, applicant_city_a, operator_staff, committee_member) -> Application:  # type: ignore[no-untyped-def]
    application = submitted_application(clock, applicant_city_a, call)
    return reported(
        clock, application, operator=operator_staff, member=committee_member, share=CERTIFIED
    )


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- approval ---------------------------------------------------------------


def test_approvals_page_lists_reported_results_with_deadline_and_overdue_flag(
    reported_a: Application, ministry_officer: User, clock
) -> None:  # type: ignore[no-untyped-def]
    assert reported_a.approval_due_at == reported_a.reported_at + dt.timedelta(days=10)
    body = login(ministry_officer).get(reverse("certification:approvals")).content.decode()
    assert reported_a.title in body and "1500.00" in body and "3등급" in body
    assert timezoneless(reported_a.approval_due_at) in body
    assert 'data-overdue="1"' not in body

    clock.set(reported_a.approval_due_at + dt.timedelta(seconds=1))
    body = login(ministry_officer).get(reverse("certification:approvals")).content.decode()
    assert 'data-overdue="1"' in body and "기한 지남" in body


def timezoneless(moment: dt.datetime | None) -> str:
    assert moment is not None
    return moment.astimezone(KST).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    "persona", ["applicant_city_a", "applicant_city_b", "committee_member", "company_applicant"]
)
def test_approvals_page_is_for_oversight_only(
    reported_a: Application, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert login(user).get(reverse("certification:approvals")).status_code == 404
    response = login(user).post(reverse("certification:approval", args=[reported_a.pk, "approve"]))
    assert response.status_code == 404
    reported_a.refresh_from_db()
    assert reported_a.status == "reported"


def test_approval_one_second_after_the_deadline_is_refused(
    reported_a: Application, ministry_officer: User, clock
) -> None:  # type: ignore[no-untyped-def]
    due = reported_a.approval_due_at
    assert due is not None
    clock.set(due + dt.timedelta(seconds=1))
    url = reverse("certification:approval", args=[reported_a.pk, "approve"])
    response = login(ministry_officer).post(url, {"confirmed": "yes"}, follow=True)
    assert "승인 기한이 지났습니다" in response.content.decode()
    reported_a.refresh_from_db()
    assert reported_a.status == "reported" and reported_a.approved_at is None

    clock.set(due)
    login(ministry_officer).post(url, {"confirmed": "yes"})
    reported_a.refresh_from_db()
    assert reported_a.status == "approved" and reported_a.approved_at == due


def test_operating_body_cannot_approve_its_own_report(
    reported_a: Application, operator_staff: User
) -> None:
    with pytest.raises(TransitionRefused, match="not_your_action"):
        perform(actor=operator_staff, application=reported_a, action=Action.APPROVE)


def test_return_needs_a_reason_and_sends_the_result_back_to_review(
    reported_a: Application, ministry_officer: User
) -> None:
    url = reverse("certification:approval", args=[reported_a.pk, "return"])
    login(ministry_officer).post(url, {"reason": "  ", "confirmed": "yes"})
    reported_a.refresh_from_db()
    assert reported_a.status == "reported"
    login(ministry_officer).post(url, {"reason": "지표 B-3 재확인 필요", "confirmed": "yes"})
    reported_a.refresh_from_db()
    assert reported_a.status == "under_review" and reported_a.approval_due_at is None
    assert reported_a.transitions.last().reason == "지표 B-3 재확인 필요"  # type: ignore[union-attr]


# --- announcement -----------------------------------------------------------


def test_announcing_a_certified_result_issues_a_new_decision_and_its_certificate(
    reported_a: Application, ministry_officer: User, applicant_city_a: User, clock
) -> None:  # type: ignore[no-untyped-def]
    approved(clock, reported_a, ministry=ministry_officer)
    # 23:30 UTC is already the next day in Korea: the decision takes the local date.
    clock.set(dt.datetime(2026, 12, 20, 23, 30, tzinfo=dt.UTC))
    outcome = announce_result(actor=ministry_officer, application=reported_a)

    application = outcome.application
    assert application.status == "announced"
    decision = application.decision
    assert decision is not None
    assert decision.decision == "new" and decision.decided_on == dt.date(2026, 12, 21)
    assert decision.source == "smartcity workflow"
    assert decision.subject.kind == "city" and decision.subject.municipality.code == "90001"
    certificate = outcome.certificate
    assert certificate is not None and certificate.decision == decision
    assert certificate.valid_from == dt.date(2026, 12, 21)
    assert certificate.valid_until == dt.date(2028, 12, 20)
    assert certificate.number == "2026-C-0001"

    notice = Notification.objects.get(recipient=applicant_city_a, kind="certification.result")
    assert notice.url == f"/applications/{application.pk}/result/"
    assert "2026-C-0001" in notice.subject and "3등급" in notice.subject
    assert AuditEvent.objects.filter(action="certification.announce").exists()
    # The decision went through the registry's one write path, which audits it.
    recorded = AuditEvent.objects.get(action="registry.decision_recorded")
    assert recorded.object_id == str(decision.pk) and recorded.actor == ministry_officer


def test_a_result_below_the_threshold_is_announced_without_a_decision(
    clock, call, applicant_city_a, operator_staff, committee_member, ministry_officer
) -> None:  # type: ignore[no-untyped-def]
    application = submitted_application(clock, applicant_city_a, call)
    reported(
        clock, application, operator=operator_staff, member=committee_member, share=NOT_CERTIFIED
    )
    approved(clock, application, ministry=ministry_officer)
    outcome = announce_result(actor=ministry_officer, application=application)
    assert outcome.application.status == "announced"
    assert outcome.application.result_certified is False
    assert outcome.certificate is None and outcome.application.decision is None
    assert not Decision.objects.exists()
    notice = Notification.objects.get(recipient=applicant_city_a, kind="certification.result")
    assert "미달" in notice.subject


def test_a_refused_decision_rolls_the_announcement_back(
    reported_a: Application, ministry_officer: User, clock
) -> None:  # type: ignore[no-untyped-def]
    approved(clock, reported_a, ministry=ministry_officer)
    # The same subject already got a new certification today (e.g. imported):
    # the registry refuses a second one, and nothing of the announcement stays.
    first = announce_result(actor=ministry_officer, application=reported_a)
    assert first.certificate is not None
    Application.objects.filter(pk=reported_a.pk).update(status="approved", decision=None)
    with pytest.raises(AnnouncementRefused, match="duplicate_decision"):
        announce_result(actor=ministry_officer, application=reported_a)
    reported_a.refresh_from_db()
    assert reported_a.status == "approved" and reported_a.decision is None
    assert Decision.objects.count() == 1


def test_announcing_only_approved_results(reported_a: Application, operator_staff: User) -> None:
    with pytest.raises(TransitionRefused, match="wrong_state"):
        announce_result(actor=operator_staff, application=reported_a)
    assert not Decision.objects.exists()


def test_oversight_announces_a_whole_call_from_the_approvals_page(
    clock,
    call,
    reported_a,
    applicant_city_b,
    operator_staff,
    committee_member,
    ministry_officer,  # type: ignore[no-untyped-def]
) -> None:
    b = submitted_application(clock, applicant_city_b, call, title="나래시 인증 신청")
    reported(clock, b, operator=operator_staff, member=committee_member, share=NOT_CERTIFIED)
    approved(clock, reported_a, ministry=ministry_officer)
    approved(clock, b, ministry=ministry_officer)
    body = login(operator_staff).get(reverse("certification:approvals")).content.decode()
    assert reverse("certification:announce_call", args=[call.pk]) in body

    clock.set(dt.datetime(2026, 12, 21, 10, 0, tzinfo=KST))
    response = login(operator_staff).post(
        reverse("certification:announce_call", args=[call.pk]), {"confirmed": "yes"}, follow=True
    )
    assert "2건의 결과를 발표했습니다" in response.content.decode()
    statuses = set(Application.objects.filter(call=call).values_list("status", flat=True))
    assert statuses == {"announced"}
    assert Certificate.objects.count() == 1  # only A was certified


def test_applicants_cannot_announce(
    reported_a: Application, ministry_officer: User, applicant_city_a: User, clock
) -> None:  # type: ignore[no-untyped-def]
    approved(clock, reported_a, ministry=ministry_officer)
    call_id = reported_a.call_id
    assert (
        login(applicant_city_a)
        .post(reverse("certification:announce_call", args=[call_id]))
        .status_code
        == 404
    )
    assert (
        login(applicant_city_a)
        .post(reverse("certification:announce", args=[reported_a.pk]))
        .status_code
        == 404
    )
    reported_a.refresh_from_db()
    assert reported_a.status == "approved"


# --- the result report ------------------------------------------------------


def test_result_report_has_points_by_area_grade_and_the_gap_to_the_next_grade(
    reported_a: Application,
) -> None:
    report = result_report(reported_a)
    assert report.total == Decimal("1500.00") and report.grade == "3" and report.certified
    assert sum(a.points for a in report.areas) == report.total
    assert {line.level for line in report.lines} == {"area", "item", "indicator"}
    gaps = {target: answer for target, answer, _steps in report.gaps}
    assert gaps["certification"].status == "already_met"
    next_grade = gaps["next_grade"]
    assert next_grade.status == "reachable" and next_grade.target_grade == 2
    assert next_grade.current.total == report.total
    assert next_grade.resulting.total >= Decimal("1600")


def test_applicant_sees_the_result_only_after_announcement(
    reported_a: Application,
    ministry_officer: User,
    operator_staff: User,
    applicant_city_a: User,
    applicant_city_b: User,
    clock,
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("certification:result", args=[reported_a.pk])
    pdf = reverse("certification:result_pdf", args=[reported_a.pk])
    assert login(applicant_city_a).get(url).status_code == 404
    assert login(operator_staff).get(url).status_code == 200
    assert login(ministry_officer).get(url).status_code == 200

    approved(clock, reported_a, ministry=ministry_officer)
    announce_result(actor=ministry_officer, application=reported_a)
    response = login(applicant_city_a).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "1500.00점, 3등급" in body and "2026-C-0001" in body
    assert "다음 등급까지" in body and 'data-status="reachable"' in body
    for path in (url, pdf):
        assert login(applicant_city_b).get(path).status_code == 404


def test_result_before_the_report_is_hidden_even_from_oversight(
    clock, call, applicant_city_a, ministry_officer
) -> None:  # type: ignore[no-untyped-def]
    application = submitted_application(clock, applicant_city_a, call)
    url = reverse("certification:result", args=[application.pk])
    assert login(ministry_officer).get(url).status_code == 404


@pytest.fixture
def poppler() -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext missing: scripts/bootstrap installs poppler-utils")


ARTEFACTS = Path(__file__).resolve().parents[3] / "var" / "test-artefacts"


def _pdf_text(data: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    if shutil.which("pdftoppm"):  # a picture of page 1 for people to look at
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        stem = ARTEFACTS / f"result-{path.stem}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-singlefile", str(path), str(stem)],
            check=True,
        )
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_result_pdf_in_korean_and_english(
    poppler, reported_a: Application, ministry_officer: User, city_2023, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    client = login(ministry_officer)
    response = client.get(reverse("certification:result_pdf", args=[reported_a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    korean = _pdf_text(response.content, tmp_path, "ko.pdf")
    report = result_report(reported_a)
    assert "인증 평가 결과" in korean and "1500.00" in korean and "3등급" in korean
    for area in report.areas:
        assert area.name_ko in korean

    response = client.get(reverse("certification:result_pdf", args=[reported_a.pk]), {"lang": "en"})
    english = _pdf_text(response.content, tmp_path, "en.pdf")
    assert "evaluation result" in english and "Points by area" in english
    assert "grade 3" in english and "1500.00" in english
    assert report.areas[0].name_en in english
