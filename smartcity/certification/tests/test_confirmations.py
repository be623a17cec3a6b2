"""Every irreversible certification action asks for confirmation first and
says what it did after (house rule; issue 13 "irreversible actions").

Each case lays the application where the action is open, then
``testing.confirm.walk_confirmation`` checks: a GET acts not, a POST without
the confirmation shows the page and acts not, the page's own form acts and
shows the success message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.certification.domain.workflow import Action
from smartcity.certification.evaluation.models import Assignment, Consensus, InspectionItem
from smartcity.certification.models import Application, Call
from smartcity.certification.services import (
    apply_to_call,
    start_self_assessment,
    upload_attachment,
)
from smartcity.certification.services.completeness import request_supplement as ask_supplement
from smartcity.certification.services.results import announce_result
from smartcity.certification.services.workflow import perform
from smartcity.registry.models import Certificate, Decision
from smartcity.testing.call_calendar import DOCUMENT_CHECK, KST, PDF, at
from smartcity.testing.certification import (
    approved,
    claims_for,
    fix_consensus_rows,
    open_call,
    reported,
    submit,
    submitted_application,
)
from smartcity.testing.confirm import Irreversible, walk_confirmation

pytestmark = pytest.mark.django_db

CERTIFIED = Decimal("0.75")


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path / "uploads")


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def status_is(application: Application, status: str) -> Callable[[], bool]:
    return lambda: Application.objects.get(pk=application.pk).status == status


def workflow(application: Application, action: str) -> str:
    return reverse("certification:workflow", args=[application.pk, action])


class World:
    """The personas, the clock and the call, for the cases below."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self.clock = request.getfixturevalue("clock")
        self.ministry: User = request.getfixturevalue("ministry_officer")
        self.operator: User = request.getfixturevalue("operator_staff")
        self.applicant: User = request.getfixturevalue("applicant_city_a")
        self.member: User = request.getfixturevalue("committee_member")
        self.framework = request.getfixturevalue("city_2023")
        self.call: Call = open_call(self.ministry, self.framework, clock=self.clock)

    def submitted(self, **kwargs: Any) -> Application:
        return submit(self.applicant, self.call, clock=self.clock, then=DOCUMENT_CHECK, **kwargs)

    def reviewed(self, *, verify_first: bool = False) -> Application:
        """Under review, the member's review submitted (no consensus yet)."""
        application = submit(
            self.applicant,
            self.call,
            clock=self.clock,
            claims=claims_for(self.framework, verify_first=verify_first),
            area_km2=Decimal("120.50"),
        )
        self.clock.set(at(self.call.year, 11, 3, 10))
        Assignment.objects.get_or_create(application=application, member=self.member)
        perform(actor=self.operator, application=application, action=Action.START_REVIEW)
        Assignment.objects.filter(application=application).update(submitted_at=self.clock.now)
        return application

    def reported(self) -> Application:
        application = submitted_application(self.clock, self.applicant, self.call)
        return reported(
            self.clock, application, operator=self.operator, member=self.member, share=CERTIFIED
        )

    def approved(self) -> Application:
        application = approved(self.clock, self.reported(), ministry=self.ministry)
        self.clock.set(dt.datetime(2026, 12, 21, 10, 0, tzinfo=KST))
        return application

    def certificate(self) -> Certificate:
        application = self.approved()
        announced = announce_result(actor=self.ministry, application=application).application
        return Certificate.objects.get(decision=announced.decision)


def withdraw(w: World) -> Irreversible:
    app = w.submitted()
    return Irreversible(
        "withdraw",
        login(w.applicant),
        workflow(app, "withdraw"),
        {},
        status_is(app, "withdrawn"),
        "신청을 철회했습니다",
    )


def exclude(w: World) -> Irreversible:
    app = w.submitted()
    return Irreversible(
        "exclude",
        login(w.operator),
        workflow(app, "exclude"),
        {"reason": "공모 신청서 원본 미제출"},
        status_is(app, "excluded"),
        "평가 대상에서 제외했습니다",
    )


def request_supplement(w: World) -> Irreversible:
    app = w.submitted()
    due = (DOCUMENT_CHECK + dt.timedelta(days=3)).astimezone(KST).strftime("%Y-%m-%dT%H:%M")
    return Irreversible(
        "request_supplement",
        login(w.operator),
        reverse("certification:request_supplement", args=[app.pk]),
        {"message": "산출 근거를 보완하세요.", "due_at": due, "indicator_codes": ""},
        lambda: app.supplement_requests.exists(),
        "소명·보완을 요청했습니다",
    )


def answer_supplement(w: World) -> Irreversible:
    app = w.submitted()
    ask_supplement(
        actor=w.operator,
        application=app,
        message="산출 근거를 보완하세요.",
        due_at=DOCUMENT_CHECK + dt.timedelta(days=3),
    )
    return Irreversible(
        "answer_supplement",
        login(w.applicant),
        reverse("certification:answer_supplement", args=[app.pk]),
        {"note": "근거 명단을 올렸습니다."},
        lambda: app.versions.count() == 2 and status_is(app, "submitted")(),
        "소명·보완 자료를 제출했습니다",
    )


def reopen_review(w: World) -> Irreversible:
    app = w.reviewed()
    assignment = Assignment.objects.get(application=app, member=w.member)
    return Irreversible(
        "reopen_review",
        login(w.operator),
        reverse("evaluation:reopen", args=[app.pk, assignment.pk]),
        {"reason": "입력 착오 정정"},
        lambda: Assignment.objects.get(pk=assignment.pk).submitted_at is None,
        "위원의 평가를 다시 열었습니다",
    )


def start_review(w: World) -> Irreversible:
    app = w.submitted()
    w.clock.set(at(w.call.year, 11, 3, 10))
    Assignment.objects.create(application=app, member=w.member)
    return Irreversible(
        "start_review",
        login(w.operator),
        workflow(app, "start_review"),
        {},
        status_is(app, "under_review"),
        "서면평가를 시작했습니다",
    )


def consensus(w: World) -> Irreversible:
    app = w.reviewed()
    return Irreversible(
        "consensus",
        login(w.operator),
        reverse("evaluation:consensus", args=[app.pk]),
        {"minutes": "1차 회의"},
        lambda: Consensus.objects.filter(application=app).exists(),
        "합의 점수를 확정했습니다",
    )


def start_inspection(w: World) -> Irreversible:
    app = w.reviewed(verify_first=True)
    fix_consensus_rows(app, w.operator, CERTIFIED)
    return Irreversible(
        "start_inspection",
        login(w.operator),
        reverse("evaluation:inspection", args=[app.pk]),
        {},
        lambda: InspectionItem.objects.filter(application=app).exists(),
        "현장실사를 시작했습니다",
    )


def report(w: World) -> Irreversible:
    app = w.reviewed()
    fix_consensus_rows(app, w.operator, CERTIFIED)
    w.clock.set(at(w.call.year, 11, 30, 10))
    return Irreversible(
        "report",
        login(w.operator),
        workflow(app, "report"),
        {},
        status_is(app, "reported"),
        "국토교통부에 보고했습니다",
    )


def approve(w: World) -> Irreversible:
    app = w.reported()
    return Irreversible(
        "approve",
        login(w.ministry),
        reverse("certification:approval", args=[app.pk, "approve"]),
        {},
        status_is(app, "approved"),
        "평가 결과를 승인했습니다",
    )


def return_(w: World) -> Irreversible:
    app = w.reported()
    return Irreversible(
        "return",
        login(w.ministry),
        reverse("certification:approval", args=[app.pk, "return"]),
        {"reason": "지표 B-3 재확인 필요"},
        status_is(app, "under_review"),
        "운영기관에 재검토를 요청했습니다",
    )


def announce(w: World) -> Irreversible:
    app = w.approved()
    return Irreversible(
        "announce",
        login(w.ministry),
        reverse("certification:announce", args=[app.pk]),
        {},
        status_is(app, "announced"),
        "인증 결과를 발표했습니다",
    )


def announce_call(w: World) -> Irreversible:
    app = w.approved()
    return Irreversible(
        "announce_call",
        login(w.operator),
        reverse("certification:announce_call", args=[w.call.pk]),
        {},
        status_is(app, "announced"),
        "1건의 결과를 발표했습니다",
    )


def document_withdraw(w: World) -> Irreversible:
    w.clock.set(at(w.call.year, 10, 25, 10))
    draft = start_self_assessment(actor=w.applicant, framework=w.framework, title="가람시 신청")
    app = apply_to_call(actor=w.applicant, application=draft, call=w.call)
    upload_attachment(
        actor=w.applicant, application=app, kind="application_form", name="신청서.pdf", data=PDF
    )
    item = app.attachments.get()
    return Irreversible(
        "document_withdraw",
        login(w.applicant),
        reverse("certification:documents", args=[app.pk]),
        {"action": "withdraw", "attachment": str(item.pk)},
        lambda: not app.attachments.filter(pk=item.pk).exists(),
        "서류를 철회했습니다: 신청서.pdf",
    )


def extension(w: World) -> Irreversible:
    certificate = w.certificate()
    call_2028 = open_call(w.ministry, w.framework, clock=w.clock, year=2028)
    w.clock.set(dt.datetime(2028, 10, 25, 10, 0, tzinfo=KST))
    return Irreversible(
        "extension",
        login(w.applicant),
        reverse("certification:extension", args=[certificate.number]),
        {"call": str(call_2028.pk)},
        lambda: Application.objects.filter(extends_certificate=certificate).exists(),
        "연장(재검토) 신청서를 만들었습니다",
    )


def revoke(w: World) -> Irreversible:
    certificate = w.certificate()
    w.clock.set(dt.datetime(2027, 3, 2, 10, 0, tzinfo=KST))
    return Irreversible(
        "revoke",
        login(w.ministry),
        reverse("registry:revoke", args=[certificate.number]),
        {"ground_kind": "shortfall", "ground": "인증 기준 미달", "effective_on": "2027-03-02"},
        lambda: Decision.objects.filter(
            subject=certificate.subject, decision="revocation"
        ).exists(),
        "의 인증을 2027-03-02부로 취소했습니다",
    )


CASES = [
    withdraw,
    exclude,
    request_supplement,
    answer_supplement,
    start_review,
    reopen_review,
    consensus,
    start_inspection,
    report,
    approve,
    return_,
    announce,
    announce_call,
    document_withdraw,
    extension,
    revoke,
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__.rstrip("_"))
def test_an_irreversible_action_is_confirmed_then_said(
    case: Callable[[World], Irreversible], request: pytest.FixtureRequest
) -> None:
    walk_confirmation(case(World(request)))
