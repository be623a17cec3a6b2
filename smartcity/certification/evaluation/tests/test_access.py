"""Who reaches the committee's pages: every persona against every page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.access import oversees
from smartcity.accounts.models import User
from smartcity.certification.access import can_see_member_scores
from smartcity.certification.evaluation.access import can_fix_consensus, can_join_thread
from smartcity.certification.evaluation.services import (
    declare_conflict,
)
from smartcity.certification.evaluation.tests.conftest import score_everything
from smartcity.certification.models import Application

pytestmark = pytest.mark.django_db

PAGES = ("mine", "calls", "committees", "review", "thread", "consensus", "inspection")

#: Expected status per persona, in the order of PAGES.
MATRIX = {
    "ministry_officer": (404, 200, 200, 200, 200, 200, 200),
    "operator_staff": (404, 200, 200, 200, 200, 200, 200),
    "service_operator_staff": (404, 200, 404, 404, 404, 404, 404),
    "committee_member": (200, 404, 404, 200, 200, 404, 404),
    "member_with_conflict": (200, 404, 404, 404, 404, 404, 404),
    "applicant_city_a": (404, 404, 404, 404, 404, 404, 404),
    "applicant_city_b": (404, 404, 404, 404, 404, 404, 404),
}


def url_of(page: str, application: Application) -> str:
    if page in ("mine", "calls"):
        return reverse(f"evaluation:{page}")
    if page == "committees":
        return reverse("evaluation:committees", args=[application.call_id])
    return reverse(f"evaluation:{page}", args=[application.pk])


@pytest.mark.parametrize("persona", list(MATRIX))
def test_every_persona_reaches_exactly_its_pages(
    persona: str, under_review: Application, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(persona)
    client = Client()
    client.force_login(user)
    got = tuple(client.get(url_of(page, under_review)).status_code for page in PAGES)
    assert dict(zip(PAGES, got, strict=True)) == dict(zip(PAGES, MATRIX[persona], strict=True))


def test_anonymous_visitors_are_sent_to_sign_in(under_review: Application) -> None:
    client = Client()
    for page in PAGES:
        response = client.get(url_of(page, under_review))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_the_other_citys_application_is_as_closed_to_a_member_as_a_missing_one(
    under_review: Application, app_b: Application, committee_member: User
) -> None:
    client = Client()
    client.force_login(committee_member)
    for page in ("review", "thread"):
        assert client.get(url_of(page, app_b)).status_code == 404
        assert client.get(reverse(f"evaluation:{page}", args=[999_999])).status_code == 404


def test_writes_are_closed_to_those_who_may_only_read(
    under_review: Application, ministry_officer: User, committee_member: User
) -> None:
    client = Client()
    client.force_login(ministry_officer)
    assert client.post(url_of("consensus", under_review), {}).status_code == 404
    assert client.post(url_of("inspection", under_review), {}).status_code == 404
    client.force_login(committee_member)
    response = client.post(reverse("evaluation:committee_auto_assign", args=[under_review.call_id]))
    assert response.status_code == 404


def test_a_member_who_declares_a_conflict_loses_every_page_of_that_application(
    under_review: Application, committee_member: User
) -> None:
    client = Client()
    client.force_login(committee_member)
    assert client.get(url_of("review", under_review)).status_code == 200
    declare_conflict(actor=committee_member, application=under_review)
    for page in ("review", "thread"):
        assert client.get(url_of(page, under_review)).status_code == 404
    assert client.get(reverse("certification:explain", args=[under_review.pk])).status_code == 404
    assert under_review.title not in client.get(url_of("mine", under_review)).content.decode()


def test_member_scores_stay_hidden_until_the_member_submits(
    under_review: Application,
    committee_member: User,
    member_two: User,
    operator_staff: User,
    applicant_city_a: User,
    member_with_conflict: User,
) -> None:
    score_everything(under_review, member_two, points=Decimal(0))
    assert not can_see_member_scores(committee_member, under_review)
    assert can_see_member_scores(operator_staff, under_review)
    assert not can_see_member_scores(applicant_city_a, under_review)
    assert not can_see_member_scores(member_with_conflict, under_review)
    score_everything(under_review, committee_member)
    assert can_see_member_scores(committee_member, under_review)


def test_track_oversight_and_thread_rights(
    under_review: Application,
    ministry_officer: User,
    operator_staff: User,
    service_operator_staff: User,
    committee_member: User,
    applicant_city_a: User,
    member_with_conflict: User,
) -> None:
    assert oversees(ministry_officer, "city") and oversees(ministry_officer, "service")
    assert oversees(operator_staff, "city") and not oversees(operator_staff, "service")
    assert not oversees(service_operator_staff, "city")
    joined = {
        u.username: can_join_thread(u, under_review)
        for u in (
            ministry_officer,
            operator_staff,
            service_operator_staff,
            committee_member,
            applicant_city_a,
            member_with_conflict,
        )
    }
    assert joined == {
        "ministry": True,
        "krihs": True,
        "kict": False,
        "member": True,
        "city_a": False,
        "local": False,
    }
    assert can_fix_consensus(operator_staff, under_review)
    assert not can_fix_consensus(ministry_officer, under_review)
    assert not can_fix_consensus(service_operator_staff, under_review)
