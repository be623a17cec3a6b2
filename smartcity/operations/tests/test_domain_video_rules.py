"""The video rules without a database: who gets video, on what ground, how long."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity.operations.domain.video_rules import (
    VIDEO_CRIME_TYPES,
    CrimeType,
    EscapeRoute,
    ExtendRefusal,
    GrantFacts,
    GrantRefusal,
    LegalGround,
    SessionState,
    ViewFacts,
    ViewRefusal,
    crime_type_of,
    decide_grant,
    decide_view,
    escape_route_refusal,
    extended_expiry,
    session_of,
)

T0 = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


def police(case_type: str, **overrides: object) -> GrantFacts:
    facts: dict[str, object] = {
        "agency_kind": "police", "sender": "112", "case_type": case_type,
        "incident_final": False, "camera_count": 3,
    }  # fmt: skip
    facts.update(overrides)
    return GrantFacts(**facts)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("case_type", "expected"),
    [
        ("살인", CrimeType.MURDER),
        ("강도", CrimeType.ROBBERY),
        ("날치기", CrimeType.SNATCHING),
        ("치기", CrimeType.SNATCHING),
        ("절도", CrimeType.THEFT),
        ("납치·감금", CrimeType.KIDNAPPING),
        ("납치 감금", CrimeType.KIDNAPPING),
        ("성폭력", CrimeType.SEXUAL_VIOLENCE),
        ("가정 폭력", CrimeType.DOMESTIC_VIOLENCE),
        ("robbery", CrimeType.ROBBERY),
        ("Domestic_Violence", CrimeType.DOMESTIC_VIOLENCE),
    ],
)
def test_the_seven_crime_types_are_recognised_in_their_usual_spellings(
    case_type: str, expected: CrimeType
) -> None:
    assert crime_type_of(case_type) is expected


@pytest.mark.parametrize("case_type", ["", "교통사고", "사기", "폭행", "실종", "주취자", "소음"])
def test_other_case_types_are_none_of_the_seven(case_type: str) -> None:
    assert crime_type_of(case_type) is None


def test_police_get_video_for_each_of_the_seven_types_on_the_crime_investigation_ground() -> None:
    assert len(VIDEO_CRIME_TYPES) == 7
    for crime in CrimeType:
        decision = decide_grant(police(crime.value))
        assert decision.allowed and decision.ground is LegalGround.CRIME_INVESTIGATION


@given(st.text(max_size=30))
def test_police_never_get_video_for_a_case_type_outside_the_seven(case_type: str) -> None:
    decision = decide_grant(police(case_type))
    assert decision.allowed == (crime_type_of(case_type) is not None)
    if not decision.allowed:
        assert decision.refusal is GrantRefusal.NOT_A_VIDEO_CRIME and decision.ground is None


def test_fire_and_disaster_rooms_get_video_only_for_their_own_incidents() -> None:
    fire = police("", agency_kind="fire", sender="119")
    assert decide_grant(fire).ground is LegalGround.URGENT_LIFE
    carrier = police("", agency_kind="fire", sender="WP1")
    assert decide_grant(carrier).ground is LegalGround.URGENT_LIFE
    assert decide_grant(police("강도", agency_kind="fire")).refusal is (
        GrantRefusal.AGENCY_NOT_ELIGIBLE
    )
    room = police("", agency_kind="disaster_room", sender="weather")
    assert decide_grant(room).ground is LegalGround.DISASTER_ACT
    assert not decide_grant(police("", agency_kind="disaster_room", sender="119")).allowed
    assert not decide_grant(police("강도", agency_kind="company")).allowed


def test_no_video_for_a_closed_incident_or_without_cameras() -> None:
    assert decide_grant(police("강도", incident_final=True)).refusal is GrantRefusal.INCIDENT_CLOSED
    assert decide_grant(police("강도", camera_count=0)).refusal is GrantRefusal.NO_CAMERAS


def test_break_glass_needs_a_real_justification_and_keeps_the_crime_rule() -> None:
    assert decide_grant(police("강도", break_glass=True, justification="급함")).refusal is (
        GrantRefusal.JUSTIFICATION_REQUIRED
    )
    reason = "센터 운영자 부재, 용의자 도주 중"
    assert decide_grant(police("강도", break_glass=True, justification=reason)).allowed
    assert decide_grant(police("사기", break_glass=True, justification=reason)).refusal is (
        GrantRefusal.NOT_A_VIDEO_CRIME
    )


def view(**overrides: object) -> ViewFacts:
    facts: dict[str, object] = {
        "now": T0, "officer_agency_id": 1, "certified_until": T0 + dt.timedelta(days=30),
        "grant_agency_id": 1, "grant_expires_at": T0 + dt.timedelta(minutes=20),
        "grant_revoked": False, "incident_final": False, "camera_in_grant": True,
    }  # fmt: skip
    facts.update(overrides)
    return ViewFacts(**facts)  # type: ignore[arg-type]


def test_a_certified_officer_of_the_agency_sees_a_granted_camera_until_the_session_ends() -> None:
    assert decide_view(view()) is None
    assert decide_view(view(now=T0 + dt.timedelta(minutes=19, seconds=59))) is None
    assert decide_view(view(now=T0 + dt.timedelta(minutes=20))) is ViewRefusal.EXPIRED


@pytest.mark.parametrize(
    ("overrides", "refusal"),
    [
        ({"officer_agency_id": None}, ViewRefusal.NOT_AN_OFFICER),
        ({"officer_agency_id": 2}, ViewRefusal.OTHER_AGENCY),
        ({"certified_until": None}, ViewRefusal.NOT_CERTIFIED),
        ({"certified_until": T0}, ViewRefusal.NOT_CERTIFIED),
        ({"grant_revoked": True}, ViewRefusal.REVOKED),
        ({"incident_final": True}, ViewRefusal.INCIDENT_CLOSED),
        ({"camera_in_grant": False}, ViewRefusal.CAMERA_NOT_GRANTED),
    ],
)
def test_every_other_view_is_refused_with_its_reason(
    overrides: dict[str, object], refusal: ViewRefusal
) -> None:
    assert decide_view(view(**overrides)) is refusal


def test_another_agencys_officer_is_refused_before_anything_about_the_grant_is_judged() -> None:
    # An expired grant of agency 1 seen by agency 2: "other agency", not "expired".
    facts = view(officer_agency_id=2, grant_expires_at=T0 - dt.timedelta(minutes=1))
    assert decide_view(facts) is ViewRefusal.OTHER_AGENCY


def test_the_session_warns_in_its_last_minute_and_ends_on_time() -> None:
    end = T0 + dt.timedelta(minutes=20)
    assert session_of(T0, end, 60).state is SessionState.ACTIVE
    assert session_of(T0, end, 60).remaining_s == 1200
    assert session_of(end - dt.timedelta(seconds=61), end, 60).state is SessionState.ACTIVE
    assert session_of(end - dt.timedelta(seconds=60), end, 60).state is SessionState.WARNING
    assert session_of(end, end, 60).state is SessionState.EXPIRED
    assert session_of(end + dt.timedelta(hours=1), end, 60).remaining_s == 0


def test_extending_gives_a_fresh_session_but_cannot_revive_an_ended_one() -> None:
    end = T0 + dt.timedelta(seconds=30)
    new = extended_expiry(now=T0, expires_at=end, session_s=1200, extensions=0, max_extensions=3)
    assert new == T0 + dt.timedelta(seconds=1200)
    assert extended_expiry(
        now=end, expires_at=end, session_s=1200, extensions=0, max_extensions=3
    ) is ExtendRefusal.EXPIRED  # fmt: skip
    assert extended_expiry(
        now=T0, expires_at=end, session_s=1200, extensions=3, max_extensions=3
    ) is ExtendRefusal.TOO_MANY  # fmt: skip
    # Extending early never shortens the session.
    later = T0 + dt.timedelta(hours=1)
    assert extended_expiry(
        now=T0, expires_at=later, session_s=1200, extensions=0, max_extensions=3
    ) == later  # fmt: skip


def test_one_camera_the_rules_did_not_offer_refuses_the_whole_grant() -> None:
    assert decide_grant(police("강도", cameras_not_offered=1)).refusal is (
        GrantRefusal.CAMERA_NOT_OFFERED
    )
    # The crime rule is judged first: a fraud gets the same answer either way.
    assert decide_grant(police("사기", cameras_not_offered=1)).refusal is (
        GrantRefusal.NOT_A_VIDEO_CRIME
    )


@pytest.mark.parametrize(
    ("route", "ok"),
    [
        (EscapeRoute(0, 1_000, 50), True),
        (EscapeRoute(359.9, 5_000, 300), True),
        (EscapeRoute(45, 50, 5), True),
        (EscapeRoute(360, 1_000, 50), False),
        (EscapeRoute(-1, 1_000, 50), False),
        (EscapeRoute(0, 7_600, 50), False),
        (EscapeRoute(0, 1_000, 301), False),
        (EscapeRoute(0, 49, 50), False),
        (EscapeRoute(float("nan"), 1_000, 50), False),
        (EscapeRoute(0, float("inf"), 50), False),
    ],
)
def test_an_escape_route_must_be_one_the_incident_page_can_search(
    route: EscapeRoute, ok: bool
) -> None:
    refusal = escape_route_refusal(route)
    assert (refusal is None) is ok
    if not ok:
        assert refusal is GrantRefusal.ROUTE_OUT_OF_BOUNDS
