"""The workflow pages: the desk, the buttons, the supplement loop and the diff."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from smartcity.accounts.models import User
from smartcity.certification.evaluation.models import Assignment
from smartcity.certification.models import Application, ApplicationTransition, Call
from smartcity.certification.services import start_self_assessment
from smartcity.certification.services.completeness import request_supplement
from smartcity.certification.services.workflow import situation_from, situation_of
from smartcity.certification.views_desk import desk_applications
from smartcity.testing.call_calendar import DOCUMENT_CHECK, EVIDENCE, KST, NUMBER_INDICATOR
from smartcity.testing.certification import open_call, submit

pytestmark = pytest.mark.django_db

DUE = DOCUMENT_CHECK + dt.timedelta(days=3)


@pytest.fixture
def call(city_2023, ministry_officer, clock, settings, tmp_path) -> Call:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    return open_call(ministry_officer, city_2023, clock=clock)


@pytest.fixture
def app_a(call, city_2023, applicant_city_a, clock) -> Application:  # type: ignore[no-untyped-def]
    return submit(applicant_city_a, call, clock=clock, then=DOCUMENT_CHECK)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def ask(staff: User, application: Application, due: dt.datetime = DUE) -> None:
    request_supplement(
        actor=staff,
        application=application,
        message="산출 근거를 보완하세요.",
        due_at=due,
        indicator_codes=[NUMBER_INDICATOR],
    )


def workflow_url(application: Application, action: str) -> str:
    return reverse("certification:workflow", args=[application.pk, action])


# --- the desk ----------------------------------------------------------------


def test_the_desk_lists_every_application_with_its_actions(
    call: Call, app_a: Application, operator_staff: User
) -> None:
    response = client_for(operator_staff).get(reverse("certification:desk", args=[call.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "가람시" in html and "중소도시" in html and "v1" in html
    assert reverse("certification:request_supplement", args=[app_a.pk]) in html
    assert workflow_url(app_a, "exclude") in html
    assert workflow_url(app_a, "start_review") not in html  # no members assigned yet


def test_the_desk_shows_the_open_supplement_deadline(
    call: Call, app_a: Application, operator_staff: User
) -> None:
    ask(operator_staff, app_a)
    html = client_for(operator_staff).get(reverse("certification:desk", args=[call.pk])).content
    assert timezone.localtime(DUE).strftime("%Y-%m-%d %H:%M:%S").encode() in html
    assert reverse("certification:request_supplement", args=[app_a.pk]).encode() not in html


def test_the_desk_query_count_does_not_grow_with_applications(
    call: Call,
    app_a: Application,
    applicant_city_b: User,
    operator_staff: User,
    city_2023,  # type: ignore[no-untyped-def]
    clock,  # type: ignore[no-untyped-def]
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for(operator_staff)
    url = reverse("certification:desk", args=[call.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    submit(applicant_city_b, call, clock=clock, then=DOCUMENT_CHECK)
    ask(operator_staff, app_a)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count('<tr id="application-') == 2
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    assert len(two) == len(one)


@pytest.mark.parametrize(
    "persona",
    ["service_operator_staff", "applicant_city_a", "applicant_city_b", "committee_member"],
)
def test_the_desk_is_hidden_from_everyone_but_the_track_and_the_ministry(
    call: Call, app_a: Application, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    url = reverse("certification:desk", args=[call.pk])
    assert client_for(user).get(url).status_code == 404
    ministry = request.getfixturevalue("ministry_officer")
    assert client_for(ministry).get(url).status_code == 200
    assert client_for(None).get(url).status_code == 302
    assert client_for(ministry).get(reverse("certification:desk", args=[999])).status_code == 404


def test_the_calls_page_links_the_desk_for_the_track_only(
    call: Call, operator_staff: User, service_operator_staff: User, applicant_city_a: User
) -> None:
    desk = reverse("certification:desk", args=[call.pk]).encode()
    calls = reverse("certification:calls")
    assert desk in client_for(operator_staff).get(calls).content
    assert desk not in client_for(service_operator_staff).get(calls).content
    assert desk not in client_for(applicant_city_a).get(calls).content


def test_the_desk_situation_equals_situation_of(
    call: Call,
    app_a: Application,
    applicant_city_b: User,
    operator_staff: User,
    committee_member: User,
    city_2023,  # type: ignore[no-untyped-def]
    clock,  # type: ignore[no-untyped-def]
) -> None:
    app_b = submit(applicant_city_b, call, clock=clock, then=DOCUMENT_CHECK)
    ask(operator_staff, app_a)
    Assignment.objects.create(application=app_b, member=committee_member)
    now = timezone.now()
    rows = desk_applications(call)
    assert len(rows) == 2
    for application in rows:
        assert situation_from(application, now=now) == situation_of(application, now=now)
    facts = {a.pk: situation_of(a, now=now) for a in rows}
    assert facts[app_b.pk].assignments == 1 and facts[app_b.pk].reviews_pending == 1
    assert facts[app_a.pk].supplement_due_at == DUE and facts[app_a.pk].assignments == 0


# --- the generic endpoint ---------------------------------------------------------


def test_exclude_by_post_records_the_reason_and_says_so(
    app_a: Application, operator_staff: User
) -> None:
    client = client_for(operator_staff)
    asked = client.post(workflow_url(app_a, "exclude"), {"reason": "공모 신청서 원본 미제출"})
    assert asked.status_code == 200 and "평가 제외 확인" in asked.content.decode()
    app_a.refresh_from_db()
    assert app_a.status == "submitted"  # the confirmation page changes nothing
    response = client.post(
        workflow_url(app_a, "exclude"),
        {"reason": "공모 신청서 원본 미제출", "confirmed": "yes"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("certification:edit", args=[app_a.pk])
    assert "평가 대상에서 제외했습니다" in response.content.decode()
    app_a.refresh_from_db()
    assert app_a.status == "excluded" and app_a.exclusion_reason == "공모 신청서 원본 미제출"


def test_a_refusal_is_a_message_not_an_error(app_a: Application, operator_staff: User) -> None:
    response = client_for(operator_staff).post(
        workflow_url(app_a, "exclude"), {"reason": ""}, follow=True
    )
    assert response.status_code == 200
    assert "사유를 적어야 합니다." in response.content.decode()
    app_a.refresh_from_db()
    assert app_a.status == "submitted"


def test_kict_staff_pressing_a_button_on_a_city_application_find_nothing(
    app_a: Application, service_operator_staff: User
) -> None:
    """Outside its track an operating body sees no application at all (404),
    not a refusal that would confirm the application exists."""
    client = client_for(service_operator_staff)
    for action in ("exclude", "start_review", "withdraw", "approve", "return"):
        response = client.post(workflow_url(app_a, action), {"reason": "x"})
        assert response.status_code == 404
    app_a.refresh_from_db()
    assert app_a.status == "submitted" and app_a.transitions.count() == 1


def test_the_endpoint_takes_only_simple_actions_by_post(
    app_a: Application, operator_staff: User
) -> None:
    client = client_for(operator_staff)
    assert client.get(workflow_url(app_a, "exclude")).status_code == 404
    for action in ("announce", "request_supplement", "submit", "nonsense"):
        assert client.post(workflow_url(app_a, action), {"reason": "x"}).status_code == 404


def test_next_is_followed_only_within_the_site(app_a: Application, operator_staff: User) -> None:
    client = client_for(operator_staff)
    desk = reverse("certification:desk", args=[app_a.call_id])
    response = client.post(workflow_url(app_a, "exclude"), {"reason": "", "next": desk})
    assert response["Location"] == desk
    response = client.post(
        workflow_url(app_a, "exclude"), {"reason": "", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("certification:edit", args=[app_a.pk])


def test_the_applicant_withdraws_from_the_application_page(
    app_a: Application, applicant_city_a: User
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(applicant_city_a)
    page = client.get(reverse("certification:edit", args=[app_a.pk])).content.decode()
    form = page[page.index(f'action="{workflow_url(app_a, "withdraw")}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None  # the panel's forms carry the CSRF token
    asked = client.post(workflow_url(app_a, "withdraw"), {"csrfmiddlewaretoken": token[1]})
    assert asked.status_code == 200  # the confirmation page, with its own token
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', asked.content.decode())
    assert token is not None
    response = client.post(
        workflow_url(app_a, "withdraw"), {"csrfmiddlewaretoken": token[1], "confirmed": "yes"}
    )
    assert response.status_code == 302
    app_a.refresh_from_db()
    assert app_a.status == "withdrawn"


def test_another_applicant_gets_404_everywhere(
    app_a: Application, applicant_city_a: User, applicant_city_b: User, operator_staff: User
) -> None:
    ask(operator_staff, app_a)
    client_for(applicant_city_a).post(
        reverse("certification:answer_supplement", args=[app_a.pk]),
        {"note": "", "confirmed": "yes"},
    )
    b = client_for(applicant_city_b)
    urls_get = [
        reverse("certification:desk", args=[app_a.call_id]),
        reverse("certification:version_diff", args=[app_a.pk, 1, 2]),
        reverse("certification:edit", args=[app_a.pk]),
    ]
    for url in urls_get:
        assert b.get(url).status_code == 404, url
    urls_post = [
        workflow_url(app_a, "withdraw"),
        workflow_url(app_a, "exclude"),
        reverse("certification:answer_supplement", args=[app_a.pk]),
        reverse("certification:request_supplement", args=[app_a.pk]),
    ]
    for url in urls_post:
        assert b.post(url, {"reason": "x", "note": "x", "message": "x"}).status_code == 404, url
    app_a.refresh_from_db()
    assert app_a.status == "submitted"


# --- the supplement loop through the pages -------------------------------------------


def test_supplement_loop_through_the_pages(
    app_a: Application, operator_staff: User, applicant_city_a: User
) -> None:
    staff = client_for(operator_staff)
    response = staff.post(
        reverse("certification:request_supplement", args=[app_a.pk]),
        {
            "message": "교육 이수 비율의 분자·분모를 보완하세요.",
            "due_at": "2026-10-31T18:00",
            "indicator_codes": NUMBER_INDICATOR,
            "confirmed": "yes",
        },
        follow=True,
    )
    assert "소명·보완을 요청했습니다" in response.content.decode()
    app_a.refresh_from_db()
    request = app_a.supplement_requests.get()
    assert app_a.status == "supplement_requested"
    assert request.due_at == dt.datetime(2026, 10, 31, 18, 0, tzinfo=KST)

    applicant = client_for(applicant_city_a)
    edit_url = reverse("certification:edit", args=[app_a.pk])
    page = applicant.get(edit_url).content.decode()
    assert "2026-10-31 18:00:00" in page and "교육 이수 비율의 분자·분모를 보완하세요." in page
    assert reverse("certification:answer_supplement", args=[app_a.pk]) in page
    # The existing edit and documents pages accept changes until the deadline.
    form = {f"v-{NUMBER_INDICATOR}": "15", f"e-{NUMBER_INDICATOR}": "부록1.pdf 3쪽"}
    assert applicant.post(edit_url, form).status_code == 200
    upload = SimpleUploadedFile("산출근거.pdf", EVIDENCE, content_type="application/pdf")
    documents = reverse("certification:documents", args=[app_a.pk])
    assert applicant.post(documents, {"kind": "evidence", "file": upload}).status_code == 302
    assert 'value="submit"' not in applicant.get(documents).content.decode()

    response = applicant.post(
        reverse("certification:answer_supplement", args=[app_a.pk]),
        {"note": "분자·분모 자료를 올렸습니다.", "next": edit_url, "confirmed": "yes"},
        follow=True,
    )
    page = response.content.decode()
    assert "소명·보완 자료를 제출했습니다" in page
    diff_url = reverse("certification:version_diff", args=[app_a.pk, 1, 2])
    assert diff_url in page

    for user in (applicant_city_a, operator_staff):
        diff = client_for(user).get(diff_url)
        assert diff.status_code == 200
        html = diff.content.decode()
        assert f'data-indicator="{NUMBER_INDICATOR}"' in html
        assert html.count("data-indicator=") == 1  # one field of one claim
        assert "12.0000" in html and "15.0000" in html
        assert "산출근거.pdf" in html and "신청서.pdf" not in html


def test_late_answer_through_the_page_is_refused_and_changes_nothing(
    app_a: Application, operator_staff: User, applicant_city_a: User, clock
) -> None:  # type: ignore[no-untyped-def]
    ask(operator_staff, app_a)
    clock.set(DUE + dt.timedelta(seconds=1))
    applicant = client_for(applicant_city_a)
    edit_url = reverse("certification:edit", args=[app_a.pk])
    assert applicant.post(edit_url, {f"v-{NUMBER_INDICATOR}": "99"}).status_code == 404
    response = applicant.post(
        reverse("certification:answer_supplement", args=[app_a.pk]), {"note": ""}, follow=True
    )
    assert "소명·보완 기한이 지나 제출할 수 없습니다" in response.content.decode()
    app_a.refresh_from_db()
    assert app_a.status == "supplement_requested" and app_a.versions.count() == 1
    assert app_a.claims.get(indicator_code=NUMBER_INDICATOR).value == 12


def test_request_with_a_past_deadline_or_no_message_is_refused(
    app_a: Application, operator_staff: User
) -> None:
    staff = client_for(operator_staff)
    url = reverse("certification:request_supplement", args=[app_a.pk])
    response = staff.post(url, {"message": "보완", "due_at": "2026-10-27T18:00"}, follow=True)
    assert "소명·보완 기한은 지금(서버 시각)보다 뒤여야 합니다." in response.content.decode()
    response = staff.post(url, {"message": "", "due_at": "2026-10-31T18:00"}, follow=True)
    assert response.status_code == 200
    app_a.refresh_from_db()
    assert app_a.status == "submitted" and not app_a.supplement_requests.exists()


def test_diff_of_a_missing_version_is_404(app_a: Application, applicant_city_a: User) -> None:
    url = reverse("certification:version_diff", args=[app_a.pk, 1, 7])
    assert client_for(applicant_city_a).get(url).status_code == 404


def test_diff_is_open_to_assigned_members_only(app_a: Application, committee_member: User) -> None:
    url = reverse("certification:version_diff", args=[app_a.pk, 1, 1])
    assert client_for(committee_member).get(url).status_code == 404
    Assignment.objects.create(application=app_a, member=committee_member)
    response = client_for(committee_member).get(url)
    assert response.status_code == 200
    assert "두 제출본 사이에 바뀐 내용이 없습니다." in response.content.decode()


# --- the panel ---------------------------------------------------------------------


def test_history_shows_internal_reasons_to_the_bodies_only(
    app_a: Application, operator_staff: User, ministry_officer: User, applicant_city_a: User
) -> None:
    ApplicationTransition.objects.create(
        application=app_a,
        action="return",
        from_status="reported",
        to_status="under_review",
        actor=ministry_officer,
        at=timezone.now(),
        reason="내부 검토 메모",
    )
    url = reverse("certification:edit", args=[app_a.pk])
    staff_page = client_for(operator_staff).get(url).content.decode()
    applicant_page = client_for(applicant_city_a).get(url).content.decode()
    assert "내부 검토 메모" in staff_page and "재검토 요청" in staff_page
    assert "내부 검토 메모" not in applicant_page and "재검토 요청" in applicant_page
    assert "처리 이력" in applicant_page


def test_self_assessments_have_no_workflow_panel(city_2023, applicant_city_a: User, clock) -> None:  # type: ignore[no-untyped-def]
    draft = start_self_assessment(actor=applicant_city_a, framework=city_2023, title="모의")
    page = client_for(applicant_city_a).get(reverse("certification:edit", args=[draft.pk]))
    assert page.status_code == 200 and "처리 이력" not in page.content.decode()
