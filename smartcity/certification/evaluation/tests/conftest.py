"""A city call with its two committees, two submitted applications (city A is
small/medium, city B large), three committee members, one of them from an
organisation in city A (a conflict of interest)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.accounts.models import User
from smartcity.certification.domain.calls import Timeline
from smartcity.certification.domain.claims import ClaimInput, indicator_kind
from smartcity.certification.domain.workflow import Action
from smartcity.certification.evaluation.models import Committee
from smartcity.certification.evaluation.services import (
    add_member,
    assign_member,
    create_committees,
    record_member_score,
    submit_review,
)
from smartcity.certification.models import Application, Call
from smartcity.certification.selectors import application_score
from smartcity.certification.services import (
    apply_to_call,
    create_call,
    save_claims,
    set_area,
    set_attestation,
    start_self_assessment,
    submit_application,
    upload_attachment,
)
from smartcity.certification.services.workflow import perform
from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.selectors import engine_framework
from smartcity.frameworks.services import load_shipped_frameworks
from smartcity.municipalities.models import PopulationCount
from smartcity.testing.factories import MunicipalityFactory, OrganisationFactory, UserFactory

KST = dt.timezone(dt.timedelta(hours=9))
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SUBMITTING = dt.datetime(2026, 10, 25, 10, 0, tzinfo=KST)
WRITTEN_REVIEW = dt.datetime(2026, 11, 3, 10, 0, tzinfo=KST)


def timeline() -> Timeline:
    return Timeline(
        submission_opens_at=dt.datetime(2026, 10, 24, 9, 0, tzinfo=KST),
        submission_closes_at=dt.datetime(2026, 10, 26, 18, 0, tzinfo=KST),
        written_review_starts_at=dt.datetime(2026, 11, 2, tzinfo=KST),
        site_inspection_starts_at=dt.datetime(2026, 11, 16, tzinfo=KST),
        decision_starts_at=dt.datetime(2026, 11, 30, tzinfo=KST),
        results_announced_at=dt.datetime(2026, 12, 21, tzinfo=KST),
    )


@pytest.fixture(autouse=True)
def _population_for_persona_cities(db: None) -> None:
    """City A (90001) is small/medium, city B (90002) large."""
    for code, population in (("90001", 320_000), ("90002", 610_000)):
        municipality = MunicipalityFactory(code=code)
        PopulationCount.objects.get_or_create(
            municipality=municipality,
            reference_date=dt.date(2025, 11, 1),
            defaults={"population": population, "source": "test"},
        )


@pytest.fixture
def city_2023(db: None) -> FrameworkVersion:
    load_shipped_frameworks()
    return FrameworkVersion.objects.get(code="city-2023")


@pytest.fixture
def city_call(city_2023: FrameworkVersion, ministry_officer: User, clock: Any) -> Call:
    clock.set(dt.datetime(2026, 6, 1, tzinfo=KST))
    return create_call(
        actor=ministry_officer,
        year=2026,
        framework=city_2023,
        title_ko="2026년 스마트도시 인증 공모",
        timeline=timeline(),
        announced_at=dt.datetime(2026, 6, 1, tzinfo=KST),
    )


def claims_for(framework: FrameworkVersion) -> list[ClaimInput]:
    """A claim for every indicator; the first maturity claim is to be verified on site."""
    inputs = []
    marked = False
    for indicator in engine_framework(framework).indicators:
        kind = indicator_kind(indicator)
        if kind == "maturity":
            inputs.append(
                ClaimInput(
                    indicator.code,
                    stage="3",
                    evidence_reference="부록 1, 3쪽",
                    to_verify=not marked,
                )
            )
            marked = True
        elif kind == "yes_no":
            inputs.append(ClaimInput(indicator.code, flag="yes", evidence_reference="p.2"))
        else:
            inputs.append(ClaimInput(indicator.code, value="1000000", evidence_reference="p.3"))
    return inputs


def submit_for(applicant: User, call: Call, framework: FrameworkVersion) -> Application:
    draft = start_self_assessment(actor=applicant, framework=framework, title=f"{applicant} 신청")
    save_claims(actor=applicant, application=draft, inputs=claims_for(framework))
    set_area(actor=applicant, application=draft, area_km2=Decimal("120.5"))
    application = apply_to_call(actor=applicant, application=draft, call=call)
    upload_attachment(
        actor=applicant, application=application, kind="application_form", name="a.pdf", data=PDF
    )
    set_attestation(actor=applicant, application=application, attested=True)
    submit_application(actor=applicant, application=application)
    application.refresh_from_db()
    return application


@pytest.fixture
def applications(
    city_call: Call,
    city_2023: FrameworkVersion,
    applicant_city_a: User,
    applicant_city_b: User,
    clock: Any,
    settings: Any,
    tmp_path: Path,
) -> tuple[Application, Application]:
    settings.MEDIA_ROOT = str(tmp_path)
    clock.set(SUBMITTING)
    a = submit_for(applicant_city_a, city_call, city_2023)
    b = submit_for(applicant_city_b, city_call, city_2023)
    clock.set(WRITTEN_REVIEW)
    return a, b


@pytest.fixture
def app_a(applications: tuple[Application, Application]) -> Application:
    return applications[0]


@pytest.fixture
def app_b(applications: tuple[Application, Application]) -> Application:
    return applications[1]


@pytest.fixture
def member_two(db: None) -> User:
    organisation = OrganisationFactory(name_ko="미래도시연구소", kind=OrganisationKind.EXPERT_BODY)
    return UserFactory(username="member2", role=Role.COMMITTEE_MEMBER, organisation=organisation)


@pytest.fixture
def member_with_conflict(db: None) -> User:
    """A professor at a university in city A (90001)."""
    organisation = OrganisationFactory(
        name_ko="가람대학교",
        kind=OrganisationKind.EXPERT_BODY,
        municipality=MunicipalityFactory(code="90001"),
    )
    return UserFactory(username="local", role=Role.COMMITTEE_MEMBER, organisation=organisation)


@pytest.fixture
def committees(
    city_call: Call,
    operator_staff: User,
    committee_member: User,
    member_two: User,
    member_with_conflict: User,
) -> dict[str, Committee]:
    """Both committees: ``committee_member`` common (and chair of small/medium),
    ``member_two`` on both, ``member_with_conflict`` on small/medium."""
    by_group = {c.group: c for c in create_committees(actor=operator_staff, call=city_call)}
    small, large = by_group["small_medium"], by_group["large"]
    add_member(
        actor=operator_staff,
        committee=small,
        member=committee_member,
        is_common=True,
        is_chair=True,
    )
    add_member(actor=operator_staff, committee=small, member=member_two)
    add_member(actor=operator_staff, committee=large, member=member_two)
    add_member(actor=operator_staff, committee=small, member=member_with_conflict)
    return by_group


@pytest.fixture
def assigned(
    app_a: Application,
    committees: dict[str, Committee],
    operator_staff: User,
    committee_member: User,
    member_two: User,
) -> Application:
    """City A's application with two members assigned (conflicts detected on the way)."""
    assign_member(actor=operator_staff, application=app_a, member=committee_member)
    assign_member(actor=operator_staff, application=app_a, member=member_two)
    return app_a


@pytest.fixture
def under_review(assigned: Application, operator_staff: User) -> Application:
    return perform(actor=operator_staff, application=assigned, action=Action.START_REVIEW)


def score_everything(application: Application, member: User, points: Decimal | None = None) -> None:
    """A member scores every indicator (the proposal, or ``points`` capped to each
    indicator's maximum with a rationale) and submits."""
    result = application_score(application)
    for outcome in result.indicators:
        if points is None:
            value = outcome.proposal_points or Decimal(0)
            rationale = ""
        else:
            value = min(points, outcome.max_points)
            rationale = "위원 판단"
        record_member_score(
            actor=member,
            application=application,
            indicator_code=outcome.code,
            points=value,
            rationale=rationale,
        )
    submit_review(actor=member, application=application)
