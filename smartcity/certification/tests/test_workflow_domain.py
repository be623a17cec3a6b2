"""``decide`` is pure: every action, for every actor, from every state.

These tests build :class:`Situation` values by hand and never query the
database (the package conftest's autouse fixture still opens it).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

import pytest
from django.utils import translation

from smartcity.certification.choices import ApplicationStatus, WorkflowAction
from smartcity.certification.domain.workflow import (
    TRANSITIONS,
    Action,
    Actor,
    Situation,
    Status,
    available,
    decide,
)
from smartcity.certification.messages import workflow_refusal_message

NOW = dt.datetime(2026, 10, 30, 18, 0, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


def favourable(action: Action, status: Status) -> Situation:
    """A situation in which ``action``'s own condition holds from ``status``."""
    base = Situation(status=status, now=NOW)
    if action is Action.SUBMIT:
        return replace(base, submission_open=True, has_application_form=True, attested=True)
    if action is Action.REQUEST_SUPPLEMENT:
        return replace(base, supplement_due_at=NOW + dt.timedelta(days=7), reason="보완 요청")
    if action is Action.ANSWER_SUPPLEMENT:
        return replace(base, supplement_due_at=NOW + dt.timedelta(days=1))
    if action in (Action.EXCLUDE, Action.RETURN):
        return replace(base, reason="사유")
    if action is Action.START_REVIEW:
        return replace(base, submission_closed=True, assignments=3)
    if action is Action.START_INSPECTION:
        return replace(base, assignments=3, to_verify=2)
    if action is Action.REPORT:
        # Consensus fixed, nothing to verify, and (from ``reported``) a lapsed approval.
        return replace(base, assignments=3, consensus_fixed=True, approval_due_at=NOW - SECOND)
    if action is Action.APPROVE:
        return replace(base, approval_due_at=NOW + dt.timedelta(days=10))
    return base


@pytest.mark.parametrize(
    ("action", "actor", "status"), list(itertools.product(Action, Actor, Status))
)
def test_every_transition_for_every_actor_from_every_state(
    action: Action, actor: Actor, status: Status
) -> None:
    transition = TRANSITIONS[action]
    verdict = decide(action, actor, favourable(action, status))
    expected = actor in transition.actors and status in transition.sources
    assert verdict.allowed is expected
    if expected:
        assert verdict.target is transition.target and verdict.code == ""
    elif actor not in transition.actors:
        assert verdict.code == "not_your_action"
    else:
        assert verdict.code == "wrong_state"


def test_the_table_covers_every_action_and_other_never_acts() -> None:
    assert set(TRANSITIONS) == set(Action)
    assert all(Actor.OTHER not in t.actors for t in TRANSITIONS.values())
    assert all(Actor.MEMBER not in t.actors for t in TRANSITIONS.values())


def test_final_states_have_no_way_out() -> None:
    for status in (Status.EXCLUDED, Status.WITHDRAWN, Status.ANNOUNCED):
        for actor in Actor:
            assert available(actor, favourable(Action.REPORT, status)) == []


# --- each condition's refusal code ------------------------------------------

S = Status


@pytest.mark.parametrize(
    ("action", "actor", "situation", "code"),
    [
        (Action.SUBMIT, Actor.APPLICANT, Situation(S.DRAFT, NOW), "call_not_open"),
        (
            Action.SUBMIT,
            Actor.APPLICANT,
            Situation(S.DRAFT, NOW, submission_closed=True),
            "deadline_passed",
        ),
        (
            Action.SUBMIT,
            Actor.APPLICANT,
            Situation(S.DRAFT, NOW, submission_open=True, attested=True),
            "application_form_missing",
        ),
        (
            Action.SUBMIT,
            Actor.APPLICANT,
            Situation(S.DRAFT, NOW, submission_open=True, has_application_form=True),
            "attestation_missing",
        ),
        (
            Action.REQUEST_SUPPLEMENT,
            Actor.OPERATING_BODY,
            Situation(S.SUBMITTED, NOW, reason="x"),
            "supplement_due_in_past",
        ),
        (
            Action.REQUEST_SUPPLEMENT,
            Actor.OPERATING_BODY,
            Situation(S.SUBMITTED, NOW, reason="x", supplement_due_at=NOW),
            "supplement_due_in_past",
        ),
        (
            Action.REQUEST_SUPPLEMENT,
            Actor.OPERATING_BODY,
            Situation(S.SUBMITTED, NOW, reason="  ", supplement_due_at=NOW + SECOND),
            "reason_required",
        ),
        (
            Action.ANSWER_SUPPLEMENT,
            Actor.APPLICANT,
            Situation(S.SUPPLEMENT_REQUESTED, NOW, supplement_due_at=NOW - SECOND),
            "supplement_deadline_passed",
        ),
        (Action.EXCLUDE, Actor.OPERATING_BODY, Situation(S.SUBMITTED, NOW), "reason_required"),
        (
            Action.EXCLUDE,
            Actor.OPERATING_BODY,
            Situation(S.SUPPLEMENT_REQUESTED, NOW, reason=" \n"),
            "reason_required",
        ),
        (Action.RETURN, Actor.MINISTRY, Situation(S.REPORTED, NOW), "reason_required"),
        (
            Action.START_REVIEW,
            Actor.OPERATING_BODY,
            Situation(S.SUBMITTED, NOW, submission_open=True, assignments=3),
            "submission_still_open",
        ),
        (
            Action.START_REVIEW,
            Actor.OPERATING_BODY,
            Situation(S.SUBMITTED, NOW, submission_closed=True),
            "no_members_assigned",
        ),
        (
            Action.START_INSPECTION,
            Actor.OPERATING_BODY,
            Situation(S.UNDER_REVIEW, NOW, reviews_pending=1, to_verify=2),
            "reviews_pending",
        ),
        (
            Action.START_INSPECTION,
            Actor.OPERATING_BODY,
            Situation(S.UNDER_REVIEW, NOW),
            "nothing_to_verify",
        ),
        (
            Action.REPORT,
            Actor.OPERATING_BODY,
            Situation(S.UNDER_REVIEW, NOW, reviews_pending=2, consensus_fixed=True),
            "reviews_pending",
        ),
        (Action.REPORT, Actor.OPERATING_BODY, Situation(S.UNDER_REVIEW, NOW), "consensus_missing"),
        (
            Action.REPORT,
            Actor.OPERATING_BODY,
            Situation(S.UNDER_REVIEW, NOW, consensus_fixed=True, to_verify=1),
            "inspection_required",
        ),
        (
            Action.REPORT,
            Actor.OPERATING_BODY,
            Situation(S.SITE_INSPECTION, NOW, consensus_fixed=True, inspection_pending=1),
            "inspection_pending",
        ),
        (
            Action.REPORT,
            Actor.OPERATING_BODY,
            Situation(S.REPORTED, NOW, approval_due_at=NOW),
            "report_pending_approval",
        ),
        (
            Action.REPORT,
            Actor.OPERATING_BODY,
            Situation(S.REPORTED, NOW),
            "report_pending_approval",
        ),
        (
            Action.APPROVE,
            Actor.MINISTRY,
            Situation(S.REPORTED, NOW, approval_due_at=NOW - SECOND),
            "approval_deadline_passed",
        ),
    ],
)
def test_each_condition_refuses_with_its_code(
    action: Action, actor: Actor, situation: Situation, code: str
) -> None:
    verdict = decide(action, actor, situation)
    assert not verdict.allowed
    assert verdict.code == code


def test_who_is_checked_before_the_state_and_the_state_before_the_condition() -> None:
    late = Situation(S.DRAFT, NOW, submission_closed=True)
    assert decide(Action.SUBMIT, Actor.OPERATING_BODY, late).code == "not_your_action"
    assert decide(Action.SUBMIT, Actor.APPLICANT, replace(late, status=S.SUBMITTED)).code == (
        "wrong_state"
    )


def test_inspected_application_may_be_reported_even_with_claims_to_verify() -> None:
    situation = Situation(S.SITE_INSPECTION, NOW, consensus_fixed=True, to_verify=4)
    assert decide(Action.REPORT, Actor.OPERATING_BODY, situation).allowed


# --- deadlines on the frozen clock, to the second ------------------------------


def test_supplement_answer_at_the_deadline_is_allowed_and_one_second_later_refused() -> None:
    due = NOW
    at_due = Situation(S.SUPPLEMENT_REQUESTED, due, supplement_due_at=due)
    assert decide(Action.ANSWER_SUPPLEMENT, Actor.APPLICANT, at_due).allowed
    late = replace(at_due, now=due + SECOND)
    verdict = decide(Action.ANSWER_SUPPLEMENT, Actor.APPLICANT, late)
    assert not verdict.allowed and verdict.code == "supplement_deadline_passed"


def test_approval_at_the_deadline_is_allowed_and_one_second_later_refused() -> None:
    due = NOW
    at_due = Situation(S.REPORTED, due, approval_due_at=due)
    assert decide(Action.APPROVE, Actor.MINISTRY, at_due).allowed
    late = replace(at_due, now=due + SECOND)
    verdict = decide(Action.APPROVE, Actor.MINISTRY, late)
    assert not verdict.allowed and verdict.code == "approval_deadline_passed"
    # ...and only then may the operating body report again.
    assert not decide(Action.REPORT, Actor.OPERATING_BODY, at_due).allowed
    assert decide(Action.REPORT, Actor.OPERATING_BODY, late).allowed


def test_supplement_deadline_must_be_strictly_after_now() -> None:
    base = Situation(S.SUBMITTED, NOW, reason="보완")
    assert not decide(
        Action.REQUEST_SUPPLEMENT, Actor.OPERATING_BODY, replace(base, supplement_due_at=NOW)
    ).allowed
    assert decide(
        Action.REQUEST_SUPPLEMENT,
        Actor.OPERATING_BODY,
        replace(base, supplement_due_at=NOW + SECOND),
    ).allowed


# --- the labels in choices.py are for exactly these values ----------------------


def test_choices_have_exactly_the_domain_values() -> None:
    assert set(ApplicationStatus.values) == {s.value for s in Status}
    assert set(WorkflowAction.values) == {a.value for a in Action}


def every_code_decide_returns() -> set[str]:
    """Search a grid of situations for every refusal code ``decide`` can give."""
    codes = {
        decide(Action.SUBMIT, Actor.OTHER, Situation(S.DRAFT, NOW)).code,
        decide(Action.SUBMIT, Actor.APPLICANT, Situation(S.ANNOUNCED, NOW)).code,
    }
    times = [None, NOW - SECOND, NOW + SECOND]
    booleans = list(itertools.product([False, True], repeat=6))
    numbers = list(itertools.product([0, 1], repeat=4))
    for action, transition in TRANSITIONS.items():
        actor = next(iter(transition.actors))
        for status in transition.sources:
            for b, n, due, approval in itertools.product(booleans, numbers, times, times):
                situation = Situation(
                    status,
                    NOW,
                    submission_open=b[0],
                    submission_closed=b[1],
                    has_application_form=b[2],
                    attested=b[3],
                    consensus_fixed=b[4],
                    reason="x" if b[5] else "",
                    assignments=n[0],
                    reviews_pending=n[1],
                    to_verify=n[2],
                    inspection_pending=n[3],
                    supplement_due_at=due,
                    approval_due_at=approval,
                )
                verdict = decide(action, actor, situation)
                if not verdict.allowed:
                    codes.add(verdict.code)
    return codes


def test_every_refusal_code_has_a_sentence() -> None:
    codes = every_code_decide_returns()
    assert len(codes) == 18
    with translation.override("ko"):
        for code in codes:
            assert workflow_refusal_message(code) != code, code
