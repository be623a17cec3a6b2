"""The completeness loop (소명·보완), exclusion and withdrawal, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from smartcity.accounts.models import User
from smartcity.certification.access import can_edit_claims
from smartcity.certification.domain.claims import ClaimInput
from smartcity.certification.domain.versions import FieldChange, diff_snapshots
from smartcity.certification.domain.workflow import Action
from smartcity.certification.evaluation.models import Assignment
from smartcity.certification.models import Application, SupplementRequest
from smartcity.certification.services import save_claims, upload_attachment
from smartcity.certification.services.completeness import (
    TransitionRefused,
    answer_supplement,
    exclude_application,
    request_supplement,
    withdraw_application,
)
from smartcity.certification.services.workflow import available_actions
from smartcity.notifications.models import Notification
from smartcity.testing.call_calendar import DOCUMENT_CHECK, EVIDENCE, NUMBER_INDICATOR
from smartcity.testing.certification import open_call, submit

pytestmark = pytest.mark.django_db

DUE = DOCUMENT_CHECK + dt.timedelta(days=3)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def submitted(city_2023, ministry_officer, applicant_city_a, clock, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    call = open_call(ministry_officer, city_2023, clock=clock)
    return submit(applicant_city_a, call, clock=clock, then=DOCUMENT_CHECK)


def ask(staff: User, application: Application, due: dt.datetime = DUE) -> SupplementRequest:
    return request_supplement(
        actor=staff,
        application=application,
        message="교육 이수 비율의 산출 근거(분자·분모)를 보완하세요.",
        due_at=due,
        indicator_codes=[NUMBER_INDICATOR],
    )


def test_full_loop_the_diff_shows_exactly_what_the_applicant_changed(
    submitted: Application, operator_staff: User, applicant_city_a: User
) -> None:
    request = ask(operator_staff, submitted)
    submitted.refresh_from_db()
    assert submitted.status == "supplement_requested"
    assert request.version_before is not None and request.version_before.number == 1
    assert request.indicator_codes == [NUMBER_INDICATOR] and request.due_at == DUE

    assert can_edit_claims(applicant_city_a, submitted)
    save_claims(
        actor=applicant_city_a,
        application=submitted,
        inputs=[ClaimInput(NUMBER_INDICATOR, value="15", evidence_reference="부록1.pdf 3쪽")],
    )
    upload_attachment(
        actor=applicant_city_a, application=submitted, kind="evidence", name="산출근거.pdf",
        data=EVIDENCE,
    )  # fmt: skip
    version = answer_supplement(
        actor=applicant_city_a, application=submitted, note="산출 근거를 올렸습니다."
    )

    submitted.refresh_from_db()
    request.refresh_from_db()
    assert submitted.status == "submitted" and version.number == 2
    assert request.answered_at == DOCUMENT_CHECK and request.version_after == version
    assert request.answer_note == "산출 근거를 올렸습니다."
    diff = diff_snapshots(request.version_before.snapshot, version.snapshot)
    (change,) = diff.claims
    assert (change.indicator, change.kind) == (NUMBER_INDICATOR, "changed")
    assert change.fields == (FieldChange("value", "12.0000", "15.0000"),)
    assert [a["name"] for a in diff.attachments_added] == ["산출근거.pdf"]
    assert diff.attachments_removed == () and diff.area is None
    assert list(submitted.transitions.values_list("action", flat=True)) == [
        "submit",
        "request_supplement",
        "answer_supplement",
    ]
    assert not can_edit_claims(applicant_city_a, submitted)


def test_answer_at_the_deadline_second_is_accepted(
    submitted: Application, operator_staff: User, applicant_city_a: User, clock
) -> None:  # type: ignore[no-untyped-def]
    ask(operator_staff, submitted)
    clock.set(DUE)
    assert answer_supplement(actor=applicant_city_a, application=submitted).number == 2


def test_answer_one_second_late_is_refused_and_nothing_changes(
    submitted: Application, operator_staff: User, applicant_city_a: User, clock
) -> None:  # type: ignore[no-untyped-def]
    request = ask(operator_staff, submitted)
    clock.set(DUE + SECOND)
    assert not can_edit_claims(applicant_city_a, submitted)
    with pytest.raises(PermissionDenied):
        save_claims(
            actor=applicant_city_a,
            application=submitted,
            inputs=[ClaimInput(NUMBER_INDICATOR, value="99")],
        )
    with pytest.raises(TransitionRefused) as refused:
        answer_supplement(actor=applicant_city_a, application=submitted, note="늦었습니다")
    assert refused.value.code == "supplement_deadline_passed"
    submitted.refresh_from_db()
    request.refresh_from_db()
    assert submitted.status == "supplement_requested"
    assert submitted.versions.count() == 1 and request.answered_at is None
    assert submitted.claims.get(indicator_code=NUMBER_INDICATOR).value == 12
    assert submitted.transitions.count() == 2


def test_supplement_deadline_must_be_after_now_on_the_server_clock(
    submitted: Application, operator_staff: User
) -> None:
    with pytest.raises(TransitionRefused, match="supplement_due_in_past"):
        ask(operator_staff, submitted, due=DOCUMENT_CHECK)
    assert ask(operator_staff, submitted, due=DOCUMENT_CHECK + SECOND).due_at > DOCUMENT_CHECK


def test_refused_requests_write_nothing(submitted: Application, operator_staff: User) -> None:
    with pytest.raises(TransitionRefused, match="reason_required"):
        request_supplement(actor=operator_staff, application=submitted, message=" ", due_at=DUE)
    with pytest.raises(TransitionRefused, match="unknown_indicator"):
        request_supplement(
            actor=operator_staff,
            application=submitted,
            message="보완",
            due_at=DUE,
            indicator_codes=["Z9.9.Q9"],
        )
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    assert not SupplementRequest.objects.exists()
    assert submitted.transitions.count() == 1
    assert not Notification.objects.filter(kind="certification.request_supplement").exists()


def test_naive_deadlines_are_a_programming_error(
    submitted: Application, operator_staff: User
) -> None:
    with pytest.raises(ValueError, match="aware"):
        ask(operator_staff, submitted, due=dt.datetime(2026, 11, 1, 18, 0))  # noqa: DTZ001


def test_exclusion_records_the_reason_and_tells_the_applicant(
    submitted: Application, operator_staff: User, applicant_city_a: User, applicant_city_b: User
) -> None:
    ask(operator_staff, submitted)
    reason = "기한까지 소명·보완 자료를 제출하지 않았습니다."
    exclude_application(actor=operator_staff, application=submitted, reason=reason)
    submitted.refresh_from_db()
    assert submitted.status == "excluded" and submitted.exclusion_reason == reason
    assert submitted.transitions.last().reason == reason  # type: ignore[union-attr]
    notice = Notification.objects.get(kind="certification.exclude")
    assert notice.recipient == applicant_city_a and reason in notice.body
    assert not Notification.objects.filter(recipient=applicant_city_b).exists()
    assert available_actions(applicant_city_a, submitted) == []


def test_exclusion_needs_a_reason(submitted: Application, operator_staff: User) -> None:
    with pytest.raises(TransitionRefused, match="reason_required"):
        exclude_application(actor=operator_staff, application=submitted, reason="  ")
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.exclusion_reason == ""


def test_the_applicant_withdraws_and_nobody_else_can(
    submitted: Application, operator_staff: User, applicant_city_a: User
) -> None:
    with pytest.raises(TransitionRefused, match="not_your_action"):
        withdraw_application(actor=operator_staff, application=submitted)
    withdraw_application(actor=applicant_city_a, application=submitted)
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"
    with pytest.raises(TransitionRefused, match="wrong_state"):
        withdraw_application(actor=applicant_city_a, application=submitted)


def test_kict_staff_cannot_act_on_a_city_application(
    submitted: Application, service_operator_staff: User
) -> None:
    with pytest.raises(TransitionRefused, match="not_your_action"):
        ask(service_operator_staff, submitted)
    with pytest.raises(TransitionRefused, match="not_your_action"):
        exclude_application(actor=service_operator_staff, application=submitted, reason="x")
    assert available_actions(service_operator_staff, submitted) == []
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_applicants_and_ministry_cannot_ask_for_supplements(
    submitted: Application, applicant_city_a: User, ministry_officer: User
) -> None:
    for user in (applicant_city_a, ministry_officer):
        with pytest.raises(TransitionRefused, match="not_your_action"):
            ask(user, submitted)


def test_buttons_that_need_a_form_are_offered(
    submitted: Application, operator_staff: User, committee_member: User
) -> None:
    """``available_actions`` assumes the reason and deadline will be typed in."""
    actions = available_actions(operator_staff, submitted)
    assert Action.REQUEST_SUPPLEMENT in actions and Action.EXCLUDE in actions
    assert Action.START_REVIEW not in actions  # no members yet
    Assignment.objects.create(application=submitted, member=committee_member)
    assert Action.START_REVIEW in available_actions(operator_staff, submitted)


def test_a_second_request_compares_against_the_answer_of_the_first(
    submitted: Application, operator_staff: User, applicant_city_a: User
) -> None:
    ask(operator_staff, submitted)
    first_answer = answer_supplement(actor=applicant_city_a, application=submitted)
    second = ask(operator_staff, submitted)
    assert second.version_before == first_answer
