"""Calls drafted, edited and published through the services, by the
oversight of their track only; a published call's dates that have passed
move only with a reason, audited old → new and told to those concerned."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from smartcity.accounts.models import User
from smartcity.certification.domain.calls import SCHEDULE_FIELDS
from smartcity.certification.evaluation.services.committees import add_member, create_committees
from smartcity.certification.models import Call
from smartcity.certification.services import (
    SubmissionRefused,
    apply_to_call,
    start_application,
    start_self_assessment,
)
from smartcity.certification.services.calls import (
    CallDetails,
    details_of,
    draft_call,
    publish_call,
    update_call,
)
from smartcity.core.models import AuditEvent
from smartcity.frameworks.models import FrameworkVersion
from smartcity.notifications.models import Notification
from smartcity.testing.call_calendar import CLOSES, SUBMITTING, at, timeline
from smartcity.testing.certification import submitted_application

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)


def details(framework: FrameworkVersion, **changes: Any) -> CallDetails:
    plan = timeline(2026)
    dates: dict[str, dt.datetime | None] = {
        "announced_at": at(2026, 6, 1),
        "approval_due_at": at(2026, 12, 10),
        **{name: getattr(plan, name) for name in SCHEDULE_FIELDS if hasattr(plan, name)},
    }
    values: dict[str, Any] = {
        "year": 2026,
        "framework": framework,
        "title_ko": "2026년 스마트도시 인증 공모",
        "notice": "공고문 본문",
        "population_reference_date": dt.date(2025, 12, 31),
    }
    return CallDetails(**(values | changes | {"dates": dates | changes.get("dates", {})}))


@pytest.fixture
def service_2022(city_2023: FrameworkVersion) -> FrameworkVersion:
    return FrameworkVersion.objects.get(code="service-transport-2022")


def audits(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_a_draft_is_saved_then_published_with_an_audit_row_each(
    city_2023: FrameworkVersion, operator_staff: User, clock: Any
) -> None:
    clock.set(at(2026, 5, 20, 10))
    call = draft_call(actor=operator_staff, details=details(city_2023))
    assert call.status == "draft" and call.published_at is None
    assert call.track == "city" and call.size_class_rule is not None
    assert call.population_reference_date == dt.date(2025, 12, 31)
    assert call.approval_due_at == at(2026, 12, 10)
    published = publish_call(actor=operator_staff, call=call)
    assert published.status == "published" and published.published_at == at(2026, 5, 20, 10)
    assert [a.data["status"] for a in audits("certification.call_created")] == ["draft"]
    assert len(audits("certification.call_published")) == 1
    with pytest.raises(ValidationError) as again:
        publish_call(actor=operator_staff, call=published)
    assert again.value.message_dict == {"status": ["already_published"]}


@pytest.mark.parametrize(
    ("persona", "framework_code", "allowed"),
    [
        ("ministry_officer", "city-2023", True),
        ("ministry_officer", "service-transport-2022", True),
        ("operator_staff", "city-2023", True),
        ("operator_staff", "service-transport-2022", False),
        ("service_operator_staff", "service-transport-2022", True),
        ("service_operator_staff", "city-2023", False),
        ("applicant_city_a", "city-2023", False),
        ("committee_member", "city-2023", False),
    ],
)
def test_only_the_oversight_of_the_track_makes_its_calls(
    persona: str,
    framework_code: str,
    allowed: bool,
    city_2023: FrameworkVersion,
    request: pytest.FixtureRequest,
) -> None:
    user = request.getfixturevalue(persona)
    framework = FrameworkVersion.objects.get(code=framework_code)
    if allowed:
        assert draft_call(actor=user, details=details(framework)).track == framework.kind
        return
    with pytest.raises(PermissionDenied):
        draft_call(actor=user, details=details(framework))
    assert not Call.objects.exists()


def test_an_operating_body_cannot_edit_or_publish_the_other_tracks_call(
    service_2022: FrameworkVersion, operator_staff: User, service_operator_staff: User
) -> None:
    call = draft_call(actor=service_operator_staff, details=details(service_2022))
    assert call.field == service_2022.field
    with pytest.raises(PermissionDenied):
        update_call(actor=operator_staff, call=call, details=details(service_2022, title_ko="x"))
    with pytest.raises(PermissionDenied):
        publish_call(actor=operator_staff, call=call)
    call.refresh_from_db()
    assert call.status == "draft" and call.title_ko != "x"


def test_refusals_name_each_field(city_2023: FrameworkVersion, operator_staff: User) -> None:
    bad = details(
        city_2023,
        dates={"submission_closes_at": at(2026, 10, 24, 9), "approval_due_at": at(2027, 1, 1)},
        required_documents=["application_form", "passport"],
        population_reference_date=dt.date(1, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        draft_call(actor=operator_staff, details=bad)
    assert refused.value.message_dict == {
        "submission_closes_at": ["window_empty"],
        "results_announced_at": ["before_previous"],
        "required_documents": ["unknown_document"],
        "population_reference_date": ["out_of_range"],
    }
    assert not Call.objects.exists()


def test_a_draft_is_edited_freely_and_audited_old_to_new(
    city_2023: FrameworkVersion, operator_staff: User, clock: Any
) -> None:
    clock.set(at(2026, 11, 1))  # every date of the draft but the last ones has passed
    call = draft_call(actor=operator_staff, details=details(city_2023))
    moved = details(city_2023, dates={"submission_opens_at": at(2026, 10, 23, 9)})
    result = update_call(actor=operator_staff, call=call, details=moved)
    assert result.moved_in_the_past == [] and result.notified == 0
    row = audits("certification.call_updated")[-1]
    assert row.data["changes"] == {
        "submission_opens_at": [at(2026, 10, 24, 9).isoformat(), at(2026, 10, 23, 9).isoformat()]
    }


def test_a_published_calls_passed_date_moves_only_with_a_reason_and_is_told(
    city_2023: FrameworkVersion,
    operator_staff: User,
    ministry_officer: User,
    applicant_city_a: User,
    committee_member: User,
    clock: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    clock.set(at(2026, 6, 1))
    call = draft_call(actor=operator_staff, details=details(city_2023), publish=True)
    committees = create_committees(actor=operator_staff, call=call)
    add_member(actor=operator_staff, committee=committees[0], member=committee_member)
    submitted_application(clock, applicant_city_a, call)
    clock.set(CLOSES + dt.timedelta(days=1))
    before = details_of(call)
    later = replace(before, dates=before.dates | {"submission_closes_at": CLOSES + 2 * SECOND})

    with pytest.raises(ValidationError) as refused:
        update_call(actor=operator_staff, call=call, details=later)
    assert refused.value.message_dict == {"reason": ["reason_required"]}
    assert details_of(Call.objects.get(pk=call.pk)) == before
    assert not audits("certification.call_updated")

    result = update_call(actor=operator_staff, call=call, details=later, reason="전산 장애")
    assert result.moved_in_the_past == ["submission_closes_at"]
    assert Call.objects.get(pk=call.pk).submission_closes_at == CLOSES + 2 * SECOND
    row = audits("certification.call_updated")[-1]
    assert row.data["reason"] == "전산 장애"
    assert row.data["changes"]["submission_closes_at"] == [
        CLOSES.isoformat(),
        (CLOSES + 2 * SECOND).isoformat(),
    ]
    told = Notification.objects.filter(kind="certification.call_updated")
    assert {n.recipient for n in told} == {applicant_city_a, committee_member}
    assert all("전산 장애" in n.body for n in told)
    assert result.notified == 2


def test_a_published_calls_framework_is_fixed(
    city_2023: FrameworkVersion, service_2022: FrameworkVersion, ministry_officer: User
) -> None:
    call = draft_call(actor=ministry_officer, details=details(city_2023), publish=True)
    with pytest.raises(ValidationError) as refused:
        update_call(actor=ministry_officer, call=call, details=details(service_2022))
    assert refused.value.message_dict == {"framework": ["framework_fixed"]}


def test_nothing_changed_writes_nothing(city_2023: FrameworkVersion, operator_staff: User) -> None:
    call = draft_call(actor=operator_staff, details=details(city_2023))
    result = update_call(actor=operator_staff, call=call, details=details_of(call))
    assert result.changes == {} and not audits("certification.call_updated")


def test_a_draft_call_takes_no_application_until_it_is_published(
    city_2023: FrameworkVersion, operator_staff: User, applicant_city_a: User, clock: Any
) -> None:
    clock.set(at(2026, 6, 1))
    call = draft_call(actor=operator_staff, details=details(city_2023))
    clock.set(SUBMITTING)
    draft = start_self_assessment(actor=applicant_city_a, framework=city_2023, title="가람시")
    with pytest.raises(SubmissionRefused) as refused:
        apply_to_call(actor=applicant_city_a, application=draft, call=call)
    assert refused.value.code == "call_not_open"
    publish_call(actor=operator_staff, call=call)
    call.refresh_from_db()
    application = start_application(actor=applicant_city_a, call=call, title="가람시 신청")
    assert application.kind == "application" and application.call == call
    assert application.framework == city_2023


def test_applying_without_the_citys_population_is_refused_not_a_crash(
    city_2023: FrameworkVersion, operator_staff: User, applicant_city_a: User, clock: Any
) -> None:
    from smartcity.municipalities.models import PopulationCount

    PopulationCount.objects.all().delete()
    clock.set(at(2026, 6, 1))
    call = draft_call(actor=operator_staff, details=details(city_2023), publish=True)
    clock.set(SUBMITTING)
    with pytest.raises(SubmissionRefused) as refused:
        start_application(actor=applicant_city_a, call=call, title="가람시 신청")
    assert refused.value.code == "population_missing"
    assert not call.applications.exists()
    assert not applicant_city_a.organisation.applications.exists()  # type: ignore[union-attr]
