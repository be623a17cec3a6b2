"""The certification workflow as typed transitions and one pure ``decide()``.

An application moves through these states (certification.md §5):

    draft ─submit→ submitted ─start_review→ under_review ─start_inspection→ site_inspection
      │               │  ↑                      │   ↑ return                      │
      │   request_supplement│answer_supplement   │   └──────────────┐              │
      │               ↓  │                      └─report (nothing to verify)─┐   │
      │       supplement_requested              reported ←──────report───────┴───┘
      │               │                             │ approve (Ministry, within the deadline)
      │           exclude → excluded                ↓
      └─withdraw→ withdrawn                       approved ─announce→ announced

``decide`` says whether an actor may take an action now, and why not; it
knows nothing about Django, users or the database. Services build a
:class:`Situation` from the database, ask ``decide``, and only then write the
transition and its audit row. Every refusal carries a stable code that the UI
translates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    EXCLUDED = "excluded"
    WITHDRAWN = "withdrawn"
    UNDER_REVIEW = "under_review"
    SITE_INSPECTION = "site_inspection"
    REPORTED = "reported"
    APPROVED = "approved"
    ANNOUNCED = "announced"


FINAL = frozenset({Status.EXCLUDED, Status.WITHDRAWN, Status.ANNOUNCED})


class Action(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    REQUEST_SUPPLEMENT = "request_supplement"
    ANSWER_SUPPLEMENT = "answer_supplement"
    EXCLUDE = "exclude"
    START_REVIEW = "start_review"
    START_INSPECTION = "start_inspection"
    REPORT = "report"
    RETURN = "return"
    APPROVE = "approve"
    ANNOUNCE = "announce"


class Actor(StrEnum):
    """Who acts, relative to this application (not the account's role alone:
    staff of the other track's operating body are ``OTHER`` here)."""

    APPLICANT = "applicant"
    OPERATING_BODY = "operating_body"
    MINISTRY = "ministry"
    MEMBER = "member"
    OTHER = "other"


@dataclass(frozen=True)
class Situation:
    """Everything ``decide`` needs to know, read by the service at one instant."""

    status: Status
    now: dt.datetime
    submission_open: bool = False
    submission_closed: bool = False
    supplement_due_at: dt.datetime | None = None
    reason: str = ""
    has_application_form: bool = False
    attested: bool = False
    assignments: int = 0
    reviews_pending: int = 0
    consensus_fixed: bool = False
    to_verify: int = 0
    inspection_pending: int = 0
    approval_due_at: dt.datetime | None = None


@dataclass(frozen=True)
class Transition:
    """One allowed edge: who may take it and from where to where."""

    action: Action
    sources: frozenset[Status]
    target: Status
    actors: frozenset[Actor]


def _edge(action: Action, sources: set[Status], target: Status, actors: set[Actor]) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(actors))


TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        _edge(Action.SUBMIT, {Status.DRAFT}, Status.SUBMITTED, {Actor.APPLICANT}),
        _edge(
            Action.WITHDRAW,
            {Status.DRAFT, Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED},
            Status.WITHDRAWN,
            {Actor.APPLICANT},
        ),
        _edge(
            Action.REQUEST_SUPPLEMENT,
            {Status.SUBMITTED},
            Status.SUPPLEMENT_REQUESTED,
            {Actor.OPERATING_BODY},
        ),
        _edge(
            Action.ANSWER_SUPPLEMENT,
            {Status.SUPPLEMENT_REQUESTED},
            Status.SUBMITTED,
            {Actor.APPLICANT},
        ),
        _edge(
            Action.EXCLUDE,
            {Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED},
            Status.EXCLUDED,
            {Actor.OPERATING_BODY},
        ),
        _edge(Action.START_REVIEW, {Status.SUBMITTED}, Status.UNDER_REVIEW, {Actor.OPERATING_BODY}),
        _edge(
            Action.START_INSPECTION,
            {Status.UNDER_REVIEW},
            Status.SITE_INSPECTION,
            {Actor.OPERATING_BODY},
        ),
        _edge(
            Action.REPORT,
            {Status.UNDER_REVIEW, Status.SITE_INSPECTION, Status.REPORTED},
            Status.REPORTED,
            {Actor.OPERATING_BODY},
        ),
        _edge(Action.RETURN, {Status.REPORTED}, Status.UNDER_REVIEW, {Actor.MINISTRY}),
        _edge(Action.APPROVE, {Status.REPORTED}, Status.APPROVED, {Actor.MINISTRY}),
        _edge(
            Action.ANNOUNCE,
            {Status.APPROVED},
            Status.ANNOUNCED,
            {Actor.MINISTRY, Actor.OPERATING_BODY},
        ),
    )
}


@dataclass(frozen=True)
class Verdict:
    """``allowed`` with the target state, or a refusal ``code``."""

    allowed: bool
    code: str = ""
    target: Status | None = None


def _refuse(code: str) -> Verdict:
    return Verdict(False, code)


def decide(action: Action, actor: Actor, situation: Situation) -> Verdict:
    """May ``actor`` take ``action`` in ``situation``? Checks, in order: who,
    from which state, then the action's own conditions (clock, completeness)."""
    transition = TRANSITIONS[action]
    if actor not in transition.actors:
        return _refuse("not_your_action")
    if situation.status not in transition.sources:
        return _refuse("wrong_state")
    problem = _condition(action, situation)
    if problem:
        return _refuse(problem)
    return Verdict(True, target=transition.target)


def _condition(action: Action, s: Situation) -> str:
    if action is Action.SUBMIT:
        return _submit_condition(s)
    if action is Action.REQUEST_SUPPLEMENT:
        if s.supplement_due_at is None or s.supplement_due_at <= s.now:
            return "supplement_due_in_past"
        return "" if s.reason.strip() else "reason_required"
    if action is Action.ANSWER_SUPPLEMENT:
        if s.supplement_due_at is not None and s.now > s.supplement_due_at:
            return "supplement_deadline_passed"
        return ""
    if action in (Action.EXCLUDE, Action.RETURN):
        return "" if s.reason.strip() else "reason_required"
    if action is Action.START_REVIEW:
        if not s.submission_closed:
            return "submission_still_open"
        return "" if s.assignments else "no_members_assigned"
    if action is Action.START_INSPECTION:
        if s.reviews_pending:
            return "reviews_pending"
        return "" if s.to_verify else "nothing_to_verify"
    if action is Action.REPORT:
        return _report_condition(s)
    if action is Action.APPROVE:
        if s.approval_due_at is not None and s.now > s.approval_due_at:
            return "approval_deadline_passed"
        return ""
    return ""


def _submit_condition(s: Situation) -> str:
    if not s.submission_open:
        return "deadline_passed" if s.submission_closed else "call_not_open"
    if not s.has_application_form:
        return "application_form_missing"
    return "" if s.attested else "attestation_missing"


def _report_condition(s: Situation) -> str:
    if s.status is Status.REPORTED:
        # Re-reporting only revives a report the Ministry let lapse.
        if s.approval_due_at is None or s.now <= s.approval_due_at:
            return "report_pending_approval"
        return ""
    if s.reviews_pending:
        return "reviews_pending"
    if not s.consensus_fixed:
        return "consensus_missing"
    if s.status is Status.UNDER_REVIEW and s.to_verify:
        return "inspection_required"
    return "inspection_pending" if s.inspection_pending else ""


def available(actor: Actor, situation: Situation) -> list[Action]:
    """The actions ``actor`` could take now (for buttons; services re-check)."""
    return [a for a in TRANSITIONS if decide(a, actor, situation).allowed]
