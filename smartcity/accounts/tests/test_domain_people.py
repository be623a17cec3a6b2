"""Who manages whose account, and which role fits which organisation (pure rules)."""

from __future__ import annotations

import datetime as dt

from smartcity.accounts.domain.people import (
    Manager,
    Org,
    invitation_state,
    manages_account,
    manages_organisation,
    refuse_organisation,
    refuse_role,
)

MINISTRY = Manager(is_ministry=True)
KRIHS = Manager(is_ministry=False, track="city")
KICT = Manager(is_ministry=False, track="service")
CITY_UNIVERSITY = Org("expert_body", steward_track="city")
SHARED_CITY = Org("municipality")
KRIHS_ORG = Org("operating_body", track="city")
KINDS = frozenset(
    {"ministry", "operating_body", "municipality", "company", "expert_body", "police"}
)
NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)


def test_an_operating_body_manages_only_what_its_track_stewards() -> None:
    assert manages_organisation(KRIHS, CITY_UNIVERSITY)
    assert manages_organisation(KRIHS, KRIHS_ORG)
    assert not manages_organisation(KICT, CITY_UNIVERSITY)
    assert not manages_organisation(KICT, KRIHS_ORG)
    assert not manages_organisation(KRIHS, SHARED_CITY)
    assert manages_organisation(MINISTRY, SHARED_CITY)


def test_an_operating_body_grants_only_certification_roles_that_fit() -> None:
    assert refuse_role(KRIHS, CITY_UNIVERSITY, "committee_member") == ""
    assert refuse_role(KRIHS, CITY_UNIVERSITY, "ministry_officer") == "role_not_grantable"
    assert refuse_role(KRIHS, CITY_UNIVERSITY, "company_applicant") == (
        "role_does_not_fit_organisation"
    )
    assert refuse_role(KICT, CITY_UNIVERSITY, "committee_member") == "organisation_not_managed"
    assert refuse_role(MINISTRY, Org("police"), "agency_officer") == ""
    assert refuse_role(MINISTRY, Org("police"), "committee_member") == (
        "role_does_not_fit_organisation"
    )


def test_superusers_and_accounts_outside_the_track_are_not_managed() -> None:
    assert not manages_account(MINISTRY, SHARED_CITY, "municipality_applicant", superuser=True)
    assert manages_account(MINISTRY, None, "", superuser=False)
    assert not manages_account(KRIHS, None, "", superuser=False)
    assert manages_account(KRIHS, CITY_UNIVERSITY, "committee_member", superuser=False)
    assert not manages_account(KRIHS, KRIHS_ORG, "ministry_officer", superuser=False)


def test_an_operating_body_registers_its_own_track_and_kinds_only() -> None:
    assert refuse_organisation(KRIHS, "expert_body", "city", KINDS) == ""
    assert refuse_organisation(KRIHS, "expert_body", "service", KINDS) == "other_track"
    assert refuse_organisation(KRIHS, "expert_body", "", KINDS) == "other_track"
    assert refuse_organisation(KRIHS, "police", "city", KINDS) == "kind_not_allowed"
    assert refuse_organisation(MINISTRY, "police", "", KINDS) == ""


def test_invitation_states_in_order_of_precedence() -> None:
    sent = NOW - dt.timedelta(days=1)
    args = {"sent_at": sent, "now": NOW, "valid_for": WEEK}
    assert invitation_state(accepted_at=None, cancelled_at=None, **args) == "open"
    assert invitation_state(accepted_at=NOW, cancelled_at=None, **args) == "accepted"
    assert invitation_state(accepted_at=None, cancelled_at=NOW, **args) == "cancelled"
    late = {"sent_at": NOW - WEEK - dt.timedelta(seconds=1), "now": NOW, "valid_for": WEEK}
    assert invitation_state(accepted_at=None, cancelled_at=None, **late) == "expired"
    assert invitation_state(accepted_at=NOW, cancelled_at=None, **late) == "accepted"
