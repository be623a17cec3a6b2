"""The one oversight rule (``accounts.access.oversees``), person by person."""

from __future__ import annotations

import pytest

from smartcity.accounts.access import (
    can_manage_registry,
    is_oversight,
    oversees,
    tracks_overseen,
)
from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.accounts.models import User
from smartcity.testing.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_ministry_oversees_both_tracks_each_body_its_own(
    ministry_officer: User, operator_staff: User, service_operator_staff: User
) -> None:
    assert tracks_overseen(ministry_officer) == ["city", "service"]
    assert tracks_overseen(operator_staff) == ["city"]
    assert tracks_overseen(service_operator_staff) == ["service"]
    assert not oversees(operator_staff, "service") and not oversees(service_operator_staff, "city")
    assert not oversees(operator_staff, "")


@pytest.mark.parametrize(
    "persona",
    ["committee_member", "applicant_city_a", "company_applicant", "platform_operator", "anonymous"],
)
def test_nobody_else_oversees_anything(persona: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(persona)
    assert tracks_overseen(user) == [] and not is_oversight(user)


def test_a_deactivated_officer_and_a_body_without_a_track_oversee_nothing(
    ministry_officer: User,
) -> None:
    ministry_officer.is_active = False
    trackless = UserFactory(
        role=Role.OPERATING_BODY_STAFF,
        organisation=OrganisationFactory(kind=OrganisationKind.OPERATING_BODY, track=""),
    )
    assert not is_oversight(ministry_officer) and not is_oversight(trackless)


def test_registry_import_is_the_ministrys_and_the_city_bodys(
    ministry_officer: User, operator_staff: User, service_operator_staff: User
) -> None:
    assert can_manage_registry(ministry_officer) and can_manage_registry(operator_staff)
    assert not can_manage_registry(service_operator_staff)
