"""A city call with its two committees, two submitted applications (city A is
small/medium, city B large), three committee members, one of them from an
organisation in city A (a conflict of interest)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.accounts.models import User
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
from smartcity.certification.services.workflow import perform
from smartcity.frameworks.models import FrameworkVersion
from smartcity.testing.call_calendar import SUBMITTING, WRITTEN_REVIEW
from smartcity.testing.certification import claims_for, open_call, submit
from smartcity.testing.factories import MunicipalityFactory, OrganisationFactory, UserFactory


@pytest.fixture
def city_call(city_2023: FrameworkVersion, ministry_officer: User, clock: Any) -> Call:
    return open_call(ministry_officer, city_2023, clock=clock)


def submit_for(applicant: User, call: Call) -> Application:
    """Every indicator claimed, the first maturity claim to be verified on site."""
    return submit(
        applicant,
        call,
        claims=claims_for(call.framework, number="1000000", verify_first=True),
        area_km2=Decimal("120.5"),
        title=f"{applicant} 신청",
    )


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
    a = submit_for(applicant_city_a, city_call)
    b = submit_for(applicant_city_b, city_call)
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


def fill_review(application: Application, member: User, points: Decimal | None = None) -> None:
    """A member scores every indicator (the proposal, or ``points`` capped to each
    indicator's maximum with a rationale), without submitting."""
    result = application_score(application)
    for outcome in result.indicators:
        if points is None:
            value = outcome.proposal_points or Decimal(0)
            rationale = "" if outcome.proposal_points is not None else "제안 없음"
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


def score_everything(application: Application, member: User, points: Decimal | None = None) -> None:
    """:func:`fill_review`, then submit."""
    fill_review(application, member, points)
    submit_review(actor=member, application=application)
