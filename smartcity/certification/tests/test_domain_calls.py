"""The call form's rules, without the database: milestones in order, the
submission window to the second, changes that touch the past, documents, and
the phase a call is in (the notice only once it is out)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartcity.certification.domain.calls import (
    SCHEDULE_FIELDS,
    Phase,
    changed_fields,
    document_problems,
    moved_in_the_past,
    phase_at,
    schedule_problems,
)
from smartcity.testing.call_calendar import KST, at, timeline

SECOND = dt.timedelta(seconds=1)


def dates(**changes: dt.datetime | None) -> dict[str, dt.datetime | None]:
    plan = timeline(2026)
    base: dict[str, dt.datetime | None] = {
        "announced_at": at(2026, 6, 1),
        "approval_due_at": at(2026, 12, 10),
        **{name: getattr(plan, name) for name in SCHEDULE_FIELDS if hasattr(plan, name)},
    }
    return base | changes


def test_the_test_calendar_is_a_valid_schedule() -> None:
    assert schedule_problems(dates()) == {}
    assert schedule_problems(dates(approval_due_at=None)) == {}


def test_each_milestone_must_follow_the_one_before() -> None:
    assert schedule_problems(dates(written_review_starts_at=at(2026, 10, 26, 17))) == {
        "written_review_starts_at": "before_previous"
    }
    assert schedule_problems(dates(results_announced_at=at(2026, 12, 9))) == {
        "results_announced_at": "before_previous"
    }


def test_the_submission_window_is_checked_to_the_second() -> None:
    opens = at(2026, 10, 24, 9)
    assert schedule_problems(dates(submission_closes_at=opens)) == {
        "submission_closes_at": "window_empty"
    }
    assert schedule_problems(dates(submission_closes_at=opens + SECOND)) == {}


def test_missing_naive_and_far_off_dates_are_named_by_field() -> None:
    found = schedule_problems(
        dates(
            announced_at=None,
            submission_opens_at=dt.datetime(2026, 10, 24, 9),  # noqa: DTZ001 (the point)
            site_inspection_starts_at=dt.datetime(9999, 1, 1, tzinfo=KST),
        )
    )
    assert found == {
        "announced_at": "required",
        "submission_opens_at": "naive_datetime",
        "site_inspection_starts_at": "out_of_range",
    }


def test_a_change_touches_the_past_when_an_old_or_a_new_date_has_passed() -> None:
    before = dates()
    now = at(2026, 10, 25, 10)  # submissions open
    later_close = before | {"submission_closes_at": at(2026, 10, 27, 18)}
    assert moved_in_the_past(before, later_close, now) == []
    reopened = before | {"submission_opens_at": at(2026, 10, 23, 9)}
    assert moved_in_the_past(before, reopened, now) == ["submission_opens_at"]
    into_past = before | {"submission_closes_at": now - SECOND}
    assert moved_in_the_past(before, into_past, now) == ["submission_closes_at"]
    assert moved_in_the_past(before, before, now) == []


def test_changed_fields_are_old_and_new() -> None:
    assert changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": (2, 3)}


@pytest.mark.parametrize(
    ("chosen", "problem"),
    [
        (["application_form", "evidence"], ""),
        ([], "no_documents"),
        (["application_form", "passport"], "unknown_document"),
        (["evidence", "evidence"], "duplicate_document"),
    ],
)
def test_required_documents_come_from_the_known_kinds(chosen: list[str], problem: str) -> None:
    known = {"application_form", "proposal", "self_evaluation", "evidence", "other"}
    assert document_problems(chosen, known) == problem


# --- the notice (공고) phase: only once the call is out ----------------------------

NOTICE = at(2026, 6, 1)
#: Any instant from a year before the notice to a year after the results.
instants = st.datetimes(
    min_value=dt.datetime(2025, 6, 1),  # noqa: DTZ001 (hypothesis wants naive bounds)
    max_value=dt.datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.just(KST),
)


def test_before_the_notice_date_no_phase_is_the_notice() -> None:
    plan = dataclasses.replace(timeline(2026), announced_at=NOTICE)
    assert phase_at(plan, NOTICE - SECOND) is Phase.UPCOMING
    assert phase_at(plan, NOTICE) is Phase.ANNOUNCED
    assert phase_at(plan, plan.submission_opens_at) is Phase.OPEN


def test_a_call_not_published_is_upcoming_whatever_the_date() -> None:
    draft = dataclasses.replace(timeline(2026), announced_at=NOTICE, published=False)
    for moment in (NOTICE - SECOND, NOTICE, at(2026, 10, 25, 10), at(2027, 1, 1)):
        assert phase_at(draft, moment) is Phase.UPCOMING


def test_the_notice_date_is_checked_against_the_submission_window() -> None:
    plan = dataclasses.replace(timeline(2026), announced_at=at(2026, 10, 25))
    assert plan.problems() == ["out_of_order"]
    assert dataclasses.replace(plan, announced_at=NOTICE).problems() == []


@given(now=instants, published=st.booleans())
def test_the_notice_is_current_only_when_published_and_on_or_after_its_date(
    now: dt.datetime, published: bool
) -> None:
    plan = dataclasses.replace(timeline(2026), announced_at=NOTICE, published=published)
    phase = phase_at(plan, now)
    if phase is Phase.ANNOUNCED:
        assert published and NOTICE <= now < plan.submission_opens_at
    assert (phase is Phase.UPCOMING) == (not published or now < NOTICE)


@given(a=instants, b=instants)
def test_phases_never_go_back_as_time_goes_on(a: dt.datetime, b: dt.datetime) -> None:
    plan = dataclasses.replace(timeline(2026), announced_at=NOTICE)
    order = list(Phase)
    earlier, later = sorted((a, b))
    assert order.index(phase_at(plan, earlier)) <= order.index(phase_at(plan, later))
