"""The call pages: who may manage which track's calls (a 404 for everyone
else), the public page and its Apply button, the confirmation before a call
is opened, and hostile input (a 400 with the error on its field, never a 5xx)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.certification.models import Call
from smartcity.frameworks.models import FrameworkVersion
from smartcity.testing.call_calendar import CLOSES, SUBMITTING, at
from smartcity.testing.certification import open_call
from smartcity.testing.matrix import PERSONAS, everyone_of, statuses

pytestmark = pytest.mark.django_db

BODY = {"city": "operator_staff", "service": "service_operator_staff"}
APPLICANTS = {"city": {"applicant_city_a", "applicant_city_b"}, "service": {"company_applicant"}}
OVERSIGHT = {"ministry_officer", "operator_staff", "service_operator_staff"}


def expect(allowed: set[str], *, anonymous: int = 302, others: int = 404) -> dict[str, int]:
    return {p: anonymous if p == "anonymous" else 200 if p in allowed else others for p in PERSONAS}


@pytest.fixture
def everyone(request: pytest.FixtureRequest) -> dict[str, User | None]:
    return everyone_of(request)


@pytest.fixture
def calls(everyone: dict[str, Any], city_2023: FrameworkVersion, clock: Any) -> dict[str, Call]:
    """Per track: a published call, open for submissions now, and a draft."""
    ministry = everyone["ministry_officer"]
    made = {}
    for track, code in (("city", "city-2023"), ("service", "service-transport-2022")):
        framework = FrameworkVersion.objects.get(code=code)
        made[track] = open_call(ministry, framework, clock=clock)
        made[f"{track} draft"] = open_call(ministry, framework, year=2027, publish=False)
    clock.set(SUBMITTING)
    return made


def form_data(version: FrameworkVersion, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "framework": str(version.pk),
        "year": "2026",
        "title_ko": "2026년 스마트도시 인증 공모",
        "title_en": "2026 smart city certification call",
        "notice": "신청 자격과 절차를 알립니다.",
        "population_reference_date": "2025-12-31",
        "required_documents": ["application_form", "proposal", "self_evaluation", "evidence"],
        "announced_at": "2026-06-01T09:00:00",
        "submission_opens_at": "2026-10-24T09:00:00",
        "submission_closes_at": "2026-10-26T18:00:00",
        "written_review_starts_at": "2026-11-02T09:00:00",
        "site_inspection_starts_at": "2026-11-16T09:00:00",
        "decision_starts_at": "2026-11-30T09:00:00",
        "approval_due_at": "2026-12-10T18:00:00",
        "results_announced_at": "2026-12-21T10:00:00",
        "field": "교통",
    }
    return data | changes


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("track", ["city", "service"])
def test_each_track_is_managed_by_its_oversight_only(
    track: str, calls: dict[str, Call], everyone: dict[str, User | None]
) -> None:
    published, draft = calls[track], calls[f"{track} draft"]
    managers = {"ministry_officer", BODY[track]}
    seen = {
        "manage": statuses(everyone, reverse("certification:calls_manage")),
        "create": statuses(everyone, reverse("certification:call_create", args=[track])),
        "edit": statuses(everyone, reverse("certification:call_edit", args=[published.pk])),
        "publish": statuses(everyone, reverse("certification:call_publish", args=[draft.pk])),
        "draft page": statuses(everyone, reverse("certification:call", args=[draft.pk])),
        "public page": statuses(everyone, reverse("certification:call", args=[published.pk])),
        "apply": statuses(everyone, reverse("certification:call_apply", args=[published.pk])),
    }
    assert seen == {
        "manage": expect(OVERSIGHT),
        "create": expect(managers),
        "edit": expect(managers),
        "publish": expect(managers),
        "draft page": expect(managers, anonymous=404),
        "public page": dict.fromkeys(PERSONAS, 200),
        "apply": expect(APPLICANTS[track], others=403),
    }


@pytest.mark.parametrize(
    ("body", "other"), [("operator_staff", "service"), ("service_operator_staff", "city")]
)
def test_an_operating_body_cannot_change_the_other_tracks_calls(
    body: str, other: str, calls: dict[str, Call], everyone: dict[str, Any]
) -> None:
    client = client_of(everyone[body])
    draft = calls[f"{other} draft"]
    framework = draft.framework
    assert (
        client.post(
            reverse("certification:call_publish", args=[draft.pk]), {"confirmed": "yes"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("certification:call_edit", args=[draft.pk]), form_data(framework, title_ko="x")
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("certification:call_create", args=[other]), form_data(framework)
        ).status_code
        == 404
    )
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.title_ko != "x"
    manage = client.get(reverse("certification:calls_manage")).content.decode()
    assert reverse("certification:call_edit", args=[draft.pk]) not in manage


def test_the_public_list_and_home_page_show_published_calls_only(
    calls: dict[str, Call],
) -> None:
    client = Client()
    listing = client.get(reverse("certification:calls")).content.decode()
    home = client.get(reverse("core:home")).content.decode()
    for page in (listing, home):
        assert reverse("certification:call", args=[calls["city"].pk]) in page
        assert reverse("certification:call", args=[calls["city draft"].pk]) not in page


def test_an_operating_body_creates_then_opens_a_call_after_confirming(
    calls: dict[str, Call], operator_staff: User, city_2023: FrameworkVersion, clock: Any
) -> None:
    clock.set(at(2026, 5, 20, 10))
    client = client_of(operator_staff)
    response = client.post(
        reverse("certification:call_create", args=["city"]), form_data(city_2023)
    )
    assert response.status_code == 302
    call = Call.objects.get(title_en="2026 smart city certification call")
    assert call.status == "draft"
    assert call.submission_closes_at == at(2026, 10, 26, 18)
    assert call.population_reference_date == dt.date(2025, 12, 31)
    confirm = client.get(reverse("certification:call_publish", args=[call.pk]))
    assert "공고 확정" in confirm.content.decode()
    call.refresh_from_db()
    assert call.status == "draft"  # a GET changes nothing
    done = client.post(
        reverse("certification:call_publish", args=[call.pk]), {"confirmed": "yes"}, follow=True
    )
    assert "공모를 공고했습니다." in done.content.decode()
    call.refresh_from_db()
    assert call.status == "published"


HOSTILE = [
    ({"title_ko": "가람\x00시"}, "title_ko"),
    ({"title_ko": "가" * 5000}, "title_ko"),
    ({"notice": "알림\x07"}, "notice"),
    ({"submission_opens_at": "2026-02-30T09:00:00"}, "submission_opens_at"),
    ({"submission_closes_at": "99999-01-01T00:00:00"}, "submission_closes_at"),
    ({"site_inspection_starts_at": "0001-01-01T00:00:00"}, "site_inspection_starts_at"),
    ({"results_announced_at": "9999-12-31T23:59:59"}, "results_announced_at"),
    ({"submission_closes_at": "2026-10-24T09:00:00"}, "submission_closes_at"),
    ({"written_review_starts_at": "2026-10-26T17:59:59"}, "written_review_starts_at"),
    ({"year": "99999999999999999999"}, "year"),
    ({"population_reference_date": "0001-01-01"}, "population_reference_date"),
    ({"required_documents": ["passport"]}, "required_documents"),
    ({"required_documents": []}, "required_documents"),
    ({"framework": "99999999999999999999"}, "framework"),
]


@pytest.mark.parametrize(("changes", "field"), HOSTILE)
def test_hostile_input_is_a_400_with_the_error_on_its_field(
    changes: dict[str, Any],
    field: str,
    calls: dict[str, Call],
    operator_staff: User,
    city_2023: FrameworkVersion,
) -> None:
    client = client_of(operator_staff)
    before = Call.objects.count()
    response = client.post(
        reverse("certification:call_create", args=["city"]), form_data(city_2023, **changes)
    )
    assert response.status_code == 400
    assert f'id="id_{field}-errors"' in response.content.decode()
    assert Call.objects.count() == before


def test_moving_a_passed_date_of_a_published_call_asks_for_a_reason(
    calls: dict[str, Call], operator_staff: User, city_2023: FrameworkVersion, clock: Any
) -> None:
    call = calls["city"]
    clock.set(CLOSES + dt.timedelta(hours=1))
    client = client_of(operator_staff)
    url = reverse("certification:call_edit", args=[call.pk])
    assert 'name="reason"' in client.get(url).content.decode()
    data = form_data(city_2023, submission_closes_at="2026-10-26T18:30:00")
    data |= {
        "announced_at": "2026-06-01T00:00:00",
        "written_review_starts_at": "2026-11-02T00:00:00",
        "site_inspection_starts_at": "2026-11-16T00:00:00",
        "decision_starts_at": "2026-11-30T00:00:00",
        "results_announced_at": "2026-12-21T00:00:00",
        "approval_due_at": "",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert 'id="id_reason-errors"' in refused.content.decode()
    call.refresh_from_db()
    assert call.submission_closes_at == CLOSES
    done = client.post(url, data | {"reason": "접수 시스템 장애로 30분 연장"}, follow=True)
    assert "공모를 고쳤습니다." in done.content.decode()
    call.refresh_from_db()
    assert call.submission_closes_at == at(2026, 10, 26, 18, 30)


def test_the_public_page_shows_the_call_and_apply_leads_to_an_application(
    calls: dict[str, Call], applicant_city_a: User
) -> None:
    call = calls["city"]
    page = Client().get(reverse("certification:call", args=[call.pk])).content.decode()
    apply_url = reverse("certification:call_apply", args=[call.pk])
    assert apply_url in page and "2026-10-26 18:00:00 KST" in page
    assert "주민등록인구" in page and "공모 신청서(지자체장 직인)" in page
    login = Client().get(apply_url)
    assert login.status_code == 302 and "login" in login["Location"]
    client = client_of(applicant_city_a)
    made = client.post(apply_url, {"action": "new", "title": "가람시 2026 신청"})
    assert made.status_code == 302
    application = call.applications.get()
    assert made["Location"] == reverse("certification:edit", args=[application.pk])
    again = client.get(apply_url)
    assert again.status_code == 302 and again["Location"] == made["Location"]


def test_the_public_page_reads_in_english(calls: dict[str, Call]) -> None:
    client = Client(headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    page = client.get(reverse("certification:call", args=[calls["service"].pk])).content
    text = page.decode()
    assert "Who may apply" in text and "Apply" in text and "신청 자격" not in text


def current_step(page: str) -> str:
    """The ``data-milestone`` of the schedule row marked current, or ""."""
    row = page.split('aria-current="step"', 1)[0].rsplit("data-milestone=", 1)
    return row[1].split('"')[1] if 'aria-current="step"' in page else ""


def test_the_notice_is_not_the_current_step_before_its_date_or_in_a_draft(
    calls: dict[str, Call], everyone: dict[str, Any], clock: Any
) -> None:
    published = reverse("certification:call", args=[calls["city"].pk])
    clock.set(at(2026, 5, 31, 23, 59))  # the notice is dated 1 June
    before = Client().get(published).content.decode()
    assert current_step(before) == "" and "아직 접수 전입니다" in before
    clock.set(at(2026, 6, 1))
    assert current_step(Client().get(published).content.decode()) == "notice"
    clock.set(at(2027, 6, 2))  # past the draft's notice date, still a draft
    draft = reverse("certification:call", args=[calls["city draft"].pk])
    preview = client_of(everyone["ministry_officer"]).get(draft).content.decode()
    assert "초안의 미리보기" in preview and current_step(preview) == ""
