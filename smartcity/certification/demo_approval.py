"""Demo: a call whose review is finished and waits for the Ministry.

So that the Ministry's approval page is not empty after ``scripts/serve``,
the demo replays one small city round through the product's own services:
two cities apply and submit, the operating body assigns three committee
members, every member scores every indicator and submits, the consensus is
fixed, the claim marked "to verify" is inspected and both results are
reported. One city is certified, the other falls short; both wait for the
Ministry's approval (within its deadline), then its announcement.

Every step is dated relative to the day the demo is loaded (the window
opened twelve weeks before, the results were reported yesterday), and each
service runs with the server clock set to its step's moment, since the
services check deadlines on the server clock. The audit log keeps the real
time of the load. Idempotent: nothing is created when the call exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.accounts.models import User
from smartcity.accounts.services import create_organisation, create_user
from smartcity.certification.domain.calls import Timeline
from smartcity.certification.domain.claims import ClaimInput, indicator_kind, indicators_by_code
from smartcity.certification.domain.workflow import Action
from smartcity.certification.evaluation.selectors import proposal_lookup
from smartcity.certification.evaluation.services import (
    add_member,
    assign_member,
    create_committees,
    fix_consensus,
    record_inspection,
    record_member_score,
    start_inspection,
    submit_review,
)
from smartcity.certification.models import Application, Call
from smartcity.certification.services.applications import (
    save_claims,
    set_attestation,
    start_self_assessment,
)
from smartcity.certification.services.calls import create_call
from smartcity.certification.services.submission import (
    apply_to_call,
    submit_application,
    upload_attachment,
)
from smartcity.certification.services.workflow import perform
from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.selectors import engine_framework
from smartcity.municipalities.models import Municipality

KST = ZoneInfo("Asia/Seoul")
TITLE = "%(year)s년 스마트도시 인증 공모(데모, 심사 완료·승인 대기)"
TITLE_EN = "%(year)s smart city certification call (demo, review finished, awaiting approval)"
DEMO_PASSWORD = "smartcity-demo-2026"  # noqa: S105 - the demo's one password, printed by serve

# (city, applicant login, display name, share of each indicator's points the members give)
CITIES = (
    ("천안시", "cheonan", "천안담당", Decimal("0.86")),
    ("춘천시", "chuncheon", "춘천담당", Decimal("0.52")),
)
# The two members who review beside the demo's ``member`` login.
MEMBERS = (
    ("member2", "서평가", "스마트도시연구소"),
    ("member3", "오심사", "도시정보학회"),
)
#: A labelled stand-in for each required document (a minimal, well-formed PDF).
DEMO_PDF = b"%PDF-1.7\n% smartcity demo document (not a real submission)\ntrailer<<>>\n%%EOF\n"
RATIONALE = "데모: 제출 증빙과 자체평가서를 검토하여 부여함"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=KST)


def reviewed_timeline(today: dt.date) -> Timeline:
    """A round twelve weeks old: submission closed nine weeks ago, the
    decision phase running now, the results announced in two weeks."""
    return Timeline(
        submission_opens_at=_at(today - dt.timedelta(days=84), 9),
        submission_closes_at=_at(today - dt.timedelta(days=63), 18),
        written_review_starts_at=_at(today - dt.timedelta(days=56), 9),
        site_inspection_starts_at=_at(today - dt.timedelta(days=35), 9),
        decision_starts_at=_at(today - dt.timedelta(days=7), 9),
        results_announced_at=_at(today + dt.timedelta(days=14), 9),
    )


@contextmanager
def _clock(moment: dt.datetime) -> Iterator[None]:
    """Run a step with the server clock at ``moment`` (the services read it)."""
    with mock.patch.object(timezone, "now", return_value=moment.astimezone(dt.UTC)):
        yield


def reviewed_call_title(today: dt.date) -> str:
    return TITLE % {"year": (today - dt.timedelta(days=84)).year}


def lay_reviewed_call(*, ministry: User, operating_body: User) -> Call | None:
    """The reviewed round, dated relative to today; ``None`` if it exists."""
    today = timezone.localdate()
    title = reviewed_call_title(today)
    if Call.objects.filter(title_ko=title).exists():
        return None
    timeline = reviewed_timeline(today)
    year = timeline.submission_opens_at.year
    framework = FrameworkVersion.objects.get(code="city-2023")
    with transaction.atomic():
        with _clock(timeline.submission_opens_at - dt.timedelta(days=14)):
            call = create_call(
                actor=ministry,
                year=year,
                framework=framework,
                title_ko=title,
                title_en=TITLE_EN % {"year": year},
                timeline=timeline,
                announced_at=timeline.submission_opens_at - dt.timedelta(days=14),
            )
            members = _members(operating_body, call)
        applications = [
            _submitted(city, login, name, call, framework, timeline)
            for city, login, name, _share in CITIES
        ]
        for application, (*_, share) in zip(applications, CITIES, strict=True):
            _reviewed(application, operating_body, members, share, timeline, today)
    return call


def _members(operating_body: User, call: Call) -> list[User]:
    committees = create_committees(actor=operating_body, call=call)
    members = list(User.objects.filter(username="member", role=Role.COMMITTEE_MEMBER))
    for username, display_name, institute in MEMBERS:
        existing = User.objects.filter(username=username).first()
        members.append(
            existing
            or create_user(
                username=username,
                password=DEMO_PASSWORD,
                role=Role.COMMITTEE_MEMBER,
                organisation=create_organisation(
                    name_ko=institute, kind=OrganisationKind.EXPERT_BODY
                ),
                display_name=display_name,
                validate=False,
            )
        )
    for member in members:
        add_member(actor=operating_body, committee=committees[0], member=member, is_common=True)
    return members


def _applicant(city: str, login: str, name: str) -> User:
    existing = User.objects.filter(username=login).first()
    if existing is not None:
        return existing
    municipality = Municipality.objects.filter(name_ko=city).order_by("code").first()
    return create_user(
        username=login,
        password=DEMO_PASSWORD,
        role=Role.MUNICIPALITY_APPLICANT,
        organisation=create_organisation(
            name_ko=city,
            kind=OrganisationKind.MUNICIPALITY,
            municipality_id=municipality.pk if municipality else None,
        ),
        display_name=name,
        validate=False,
    )


def _claims(framework: FrameworkVersion) -> list[ClaimInput]:
    """Every indicator answered: a stage, a yes, or a value with its evidence."""
    inputs = []
    for index, (code, indicator) in enumerate(
        sorted(indicators_by_code(engine_framework(framework)).items())
    ):
        kind = indicator_kind(indicator)
        inputs.append(
            ClaimInput(
                code,
                value="60" if kind == "number" else "",
                stage="4" if kind == "maturity" else "",
                flag="yes" if kind == "yes_no" else "",
                evidence_reference=f"증빙자료.pdf {index + 1}쪽",
                to_verify=index == 0,
            )
        )
    return inputs


def _submitted(
    city: str,
    login: str,
    name: str,
    call: Call,
    framework: FrameworkVersion,
    timeline: Timeline,
) -> Application:
    applicant = _applicant(city, login, name)
    with _clock(timeline.submission_opens_at + dt.timedelta(days=7)):
        draft = start_self_assessment(
            actor=applicant, framework=framework, title=f"{city} 스마트도시 인증 신청(데모)"
        )
        application = apply_to_call(actor=applicant, application=draft, call=call)
        save_claims(actor=applicant, application=application, inputs=_claims(framework))
        for kind in call.required_documents:
            upload_attachment(
                actor=applicant,
                application=application,
                kind=kind,
                name=f"{kind}-demo.pdf",
                data=DEMO_PDF,
            )
        set_attestation(actor=applicant, application=application, attested=True)
    with _clock(timeline.submission_closes_at - dt.timedelta(days=2)):
        submit_application(actor=applicant, application=application)
    return application


def _reviewed(
    application: Application,
    operating_body: User,
    members: list[User],
    share: Decimal,
    timeline: Timeline,
    today: dt.date,
) -> None:
    with _clock(timeline.written_review_starts_at):
        for member in members:
            assign_member(actor=operating_body, application=application, member=member)
        perform(actor=operating_body, application=application, action=Action.START_REVIEW)
    indicators = indicators_by_code(engine_framework(application.framework))
    with _clock(timeline.written_review_starts_at + dt.timedelta(days=10)):
        proposals = proposal_lookup(application)
        for offset, member in enumerate(members):
            for code, indicator in indicators.items():
                # Members differ a little (±5 % of the points), as real panels do.
                level = min(Decimal(1), share + Decimal(offset - 1) * Decimal("0.05"))
                points = (Decimal(indicator.points) * level).quantize(Decimal("0.01"))
                record_member_score(
                    actor=member,
                    application=application,
                    indicator_code=code,
                    points=points,
                    rationale=RATIONALE,
                    proposals=proposals,
                )
            submit_review(actor=member, application=application)
    with _clock(timeline.site_inspection_starts_at):
        fix_consensus(
            actor=operating_body,
            application=application,
            scores={},
            minutes="데모: 위원 3인의 평균으로 합의 점수를 확정함",
        )
        for item in start_inspection(actor=operating_body, application=application):
            record_inspection(
                actor=operating_body, item=item, outcome="confirmed", note="데모: 현장 확인"
            )
    with _clock(_at(today - dt.timedelta(days=1))):
        perform(actor=operating_body, application=application, action=Action.REPORT)
