"""Every certification page against every persona, for both tracks.

The rule (``accounts.access.oversees``): the Ministry oversees both tracks,
an operating body only its own (KRIHS ``operator_staff``: cities; KICT
``service_operator_staff``: services). Outside one's track a call, an
application, its documents, its review and its result are a 404, exactly as
if they did not exist. 200 = may see; 302 = asked to sign in first.

The companion of ``accounts/tests/test_access_matrix.py`` (the site's pages).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.certification.evaluation.models import InspectionItem
from smartcity.certification.models import Application, Call
from smartcity.frameworks.models import FrameworkVersion
from smartcity.testing.certification import open_call, reported, submitted_application
from smartcity.testing.matrix import PERSONAS, everyone_of, statuses

pytestmark = pytest.mark.django_db

#: Who stands where, per track: the applicant and the track's operating body.
TRACKS = {
    "city": {"applicant": "applicant_city_a", "body": "operator_staff"},
    "service": {"applicant": "company_applicant", "body": "service_operator_staff"},
}
BOTH_BODIES = {"ministry_officer", "operator_staff", "service_operator_staff"}


def expect(allowed: set[str]) -> dict[str, int]:
    return {p: 302 if p == "anonymous" else 200 if p in allowed else 404 for p in PERSONAS}


def _application_pages(app: Application) -> dict[str, tuple[str, str]]:
    """Page → (url, who may see it: 'applicant', 'body', 'member', 'ministry')."""
    attachment = app.attachments.get(kind="application_form")
    return {
        "application": (reverse("certification:edit", args=[app.pk]), "applicant body member"),
        "explain": (reverse("certification:explain", args=[app.pk]), "applicant body member"),
        "documents": (reverse("certification:documents", args=[app.pk]), "applicant body member"),
        "document file": (
            reverse("certification:attachment", args=[app.pk, attachment.pk]),
            "applicant body member",
        ),
        "versions": (
            reverse("certification:version_diff", args=[app.pk, 1, 1]),
            "applicant body member",
        ),
        "receipt": (
            reverse("certification:receipt", args=[app.pk, 1]),
            "applicant body member",
        ),
        "review": (reverse("evaluation:review", args=[app.pk]), "body member"),
        "thread": (reverse("evaluation:thread", args=[app.pk]), "body member"),
        "consensus": (reverse("evaluation:consensus", args=[app.pk]), "body"),
        "inspection": (reverse("evaluation:inspection", args=[app.pk]), "body"),
        "result": (reverse("certification:result", args=[app.pk]), "body"),
    }


def _call_pages(call: Call) -> dict[str, tuple[str, str]]:
    return {
        "desk": (reverse("certification:desk", args=[call.pk]), "body"),
        "committees": (reverse("evaluation:committees", args=[call.pk]), "body"),
    }


def _allowed(who: str, track: str) -> set[str]:
    people = {"ministry_officer"}  # the Ministry oversees every track
    if "body" in who:
        people.add(TRACKS[track]["body"])
    if "applicant" in who:
        people.add(TRACKS[track]["applicant"])
    if "member" in who:
        people.add("committee_member")
    return people


@pytest.fixture
def everyone(request: pytest.FixtureRequest) -> dict[str, User | None]:
    return everyone_of(request)


@pytest.fixture
def cycle(  # type: ignore[no-untyped-def]
    everyone: dict[str, Any], city_2023: FrameworkVersion, clock, settings, tmp_path
) -> dict[str, tuple[Call, Application]]:
    """One call and one reported application per track, reviewed by the same
    committee member, each with a line on its site-inspection checklist."""
    settings.MEDIA_ROOT = str(tmp_path)
    ministry, member = everyone["ministry_officer"], everyone["committee_member"]
    frameworks = {
        "city": city_2023,
        "service": FrameworkVersion.objects.get(code="service-transport-2022"),
    }
    made = {}
    for track, framework in frameworks.items():
        call = open_call(ministry, framework, clock=clock)
        applicant = everyone[TRACKS[track]["applicant"]]
        application = submitted_application(clock, applicant, call, title=f"{track} 신청")
        if track == "service":  # per-population indicators: the service's city
            Application.objects.filter(pk=application.pk).update(
                municipality=everyone["applicant_city_a"].organisation.municipality
            )
            application.refresh_from_db()
        application = reported(
            clock, application, operator=everyone[TRACKS[track]["body"]], member=member,
            share=Decimal("0.8"),
        )  # fmt: skip
        claim = application.claims.order_by("pk").first()
        assert claim is not None
        InspectionItem.objects.create(
            application=application, indicator_code=claim.indicator_code, claimed=claim.value or "-"
        )
        made[track] = (call, application)
    return made


@pytest.mark.parametrize("track", sorted(TRACKS))
def test_certification_page_matrix_per_track(
    track: str, cycle: dict[str, tuple[Call, Application]], everyone: dict[str, User | None]
) -> None:
    call, application = cycle[track]
    pages = _application_pages(application) | _call_pages(call)
    seen = {page: statuses(everyone, url) for page, (url, _who) in pages.items()}
    expected = {page: expect(_allowed(who, track)) for page, (_url, who) in pages.items()}
    assert seen == expected


GLOBAL_PAGES: dict[str, tuple[Callable[[], str], dict[str, int]]] = {
    "calls": (lambda: reverse("certification:calls"), dict.fromkeys(PERSONAS, 200)),
    "my applications": (
        lambda: reverse("certification:list"),
        dict.fromkeys(PERSONAS, 200) | {"anonymous": 302},
    ),
    "approvals": (lambda: reverse("certification:approvals"), expect(BOTH_BODIES)),
    "committee calls": (lambda: reverse("evaluation:calls"), expect(BOTH_BODIES)),
    "my reviews": (lambda: reverse("evaluation:mine"), expect({"committee_member"})),
}


def test_certification_pages_outside_any_one_application(
    cycle: dict[str, tuple[Call, Application]], everyone: dict[str, User | None]
) -> None:
    seen = {page: statuses(everyone, url()) for page, (url, _e) in GLOBAL_PAGES.items()}
    assert seen == {page: expected for page, (_u, expected) in GLOBAL_PAGES.items()}


@pytest.mark.parametrize(
    ("body", "own", "other"),
    [("operator_staff", "city", "service"), ("service_operator_staff", "service", "city")],
)
def test_an_operating_body_lists_only_its_own_track(
    body: str,
    own: str,
    other: str,
    cycle: dict[str, tuple[Call, Application]],
    everyone: dict[str, User | None],
) -> None:
    client = Client()
    user = everyone[body]
    assert user is not None
    client.force_login(user)
    mine, theirs = cycle[own][1], cycle[other][1]
    for page in ("certification:list", "certification:approvals"):
        html = client.get(reverse(page)).content.decode()
        assert mine.title in html and theirs.title not in html, page
    committees = client.get(reverse("evaluation:calls")).content.decode()
    assert reverse("evaluation:committees", args=[cycle[own][0].pk]) in committees
    assert reverse("evaluation:committees", args=[cycle[other][0].pk]) not in committees


@pytest.mark.parametrize(
    ("body", "other"), [("operator_staff", "service"), ("service_operator_staff", "city")]
)
def test_an_operating_body_cannot_act_on_the_other_track(
    body: str, other: str, cycle: dict[str, tuple[Call, Application]], everyone: dict[str, Any]
) -> None:
    """Every button of the other track's pages is a 404 and changes nothing."""
    call, application = cycle[other]
    item = InspectionItem.objects.get(application=application)
    client = Client()
    client.force_login(everyone[body])
    posts = [
        reverse("certification:workflow", args=[application.pk, "return"]),
        reverse("certification:request_supplement", args=[application.pk]),
        reverse("certification:announce", args=[application.pk]),
        reverse("certification:announce_call", args=[call.pk]),
        reverse("certification:documents", args=[application.pk]),
        reverse("evaluation:thread", args=[application.pk]),
        reverse("evaluation:consensus", args=[application.pk]),
        reverse("evaluation:inspection", args=[application.pk]),
        reverse("evaluation:inspection_item", args=[item.pk]),
        reverse("evaluation:committees_create", args=[call.pk]),
        reverse("evaluation:committee_detect", args=[call.pk]),
    ]
    for url in posts:
        assert client.post(url, {"reason": "x", "body": "x"}).status_code == 404, url
    application.refresh_from_db()
    assert application.status == "reported" and not application.comments.exists()
