"""The one way an application changes state: ``perform`` asks the pure
``domain.workflow.decide`` with a :class:`Situation` read from the database
at this instant (server clock), then writes the new state, its history row,
an audit row and the notices, all in one transaction.

Action-specific work lives with the action's owner and runs inside the same
transaction around ``perform`` (e.g. building the site-inspection checklist,
issuing the certificate on announcement), so a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.certification.access import actor_for
from smartcity.certification.domain.calls import Phase, phase_at
from smartcity.certification.domain.workflow import Action, Actor, Situation, Status, decide
from smartcity.certification.evaluation.selectors import review_facts_of, with_review_facts
from smartcity.certification.models import (
    Application,
    ApplicationTransition,
    Attachment,
    Claim,
    SupplementRequest,
)
from smartcity.certification.selectors import count_per_application
from smartcity.certification.services.calls import timeline_of
from smartcity.certification.services.summary import sync_result_summary
from smartcity.core.services import record_audit
from smartcity.notifications.services import notify

__all__ = [
    "TransitionRefused",
    "actions_in",
    "actor_for",
    "applicants_of",
    "available_actions",
    "perform",
    "situation_from",
    "situation_of",
    "with_situation_facts",
]


class TransitionRefused(Exception):
    """``decide`` said no; ``code`` names why (translated in ``messages``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- the one Situation builder ---------------------------------------------


def with_situation_facts(applications: QuerySet[Application]) -> QuerySet[Application]:
    """``applications`` with everything :func:`situation_from` reads, in a fixed
    number of queries however many rows there are (the desk lists a whole call
    this way; :func:`situation_of` reads one). The open supplement requests,
    newest first, are in ``open_requests``."""
    return (
        with_review_facts(applications)
        .select_related("call")
        .annotate(
            situation_form=Exists(
                Attachment.objects.filter(
                    application=OuterRef("pk"), kind=Attachment.Kind.APPLICATION_FORM
                )
            ),
            situation_to_verify=count_per_application(Claim, to_verify=True),
        )
        .prefetch_related(
            Prefetch(
                "supplement_requests",
                queryset=SupplementRequest.objects.filter(answered_at__isnull=True).order_by(
                    "-requested_at"
                ),
                to_attr="open_requests",
            )
        )
    )


def situation_from(
    application: Application,
    *,
    now: dt.datetime,
    reason: str = "",
    supplement_due_at: dt.datetime | None = None,
) -> Situation:
    """Everything ``decide`` weighs, from a row loaded through
    :func:`with_situation_facts`."""
    row: Any = application  # carries the annotations
    submission_open = submission_closed = False
    if application.call is not None:
        phase = phase_at(timeline_of(application.call), now)
        submission_open = phase is Phase.OPEN
        submission_closed = phase not in (Phase.UPCOMING, Phase.ANNOUNCED, Phase.OPEN)
    open_requests: list[SupplementRequest] = row.open_requests
    if supplement_due_at is None and open_requests:
        supplement_due_at = open_requests[0].due_at
    review = review_facts_of(application)
    return Situation(
        status=Status(application.status),
        now=now,
        submission_open=submission_open,
        submission_closed=submission_closed,
        supplement_due_at=supplement_due_at,
        reason=reason,
        has_application_form=row.situation_form,
        attested=application.attested,
        assignments=review.assignments,
        reviews_pending=review.reviews_pending,
        consensus_fixed=review.consensus_fixed,
        to_verify=row.situation_to_verify or review.inspection_items,
        inspection_pending=review.inspection_pending,
        approval_due_at=application.approval_due_at,
    )


def _situation_row(application: Application) -> Application:
    return with_situation_facts(Application.objects.filter(pk=application.pk)).get()


def situation_of(
    application: Application,
    *,
    now: dt.datetime | None = None,
    reason: str = "",
    supplement_due_at: dt.datetime | None = None,
) -> Situation:
    """Everything ``decide`` weighs about one application, read now."""
    return situation_from(
        _situation_row(application),
        now=now or timezone.now(),
        reason=reason,
        supplement_due_at=supplement_due_at,
    )


def available_actions(user: Any, application: Application) -> list[Action]:
    """The buttons to show ``user``; ``perform`` checks again when pressed."""
    actor = actor_for(user, application)
    if actor is Actor.OTHER:
        return []
    return actions_in(actor, situation_of(application))


def actions_in(actor: Actor, situation: Situation) -> list[Action]:
    """The actions ``actor`` could take in ``situation``, assuming the form
    that goes with a button is filled in (a reason, a future deadline): those
    conditions are checked when the form is sent, not when the button is shown."""
    with_input = replace(situation, reason=situation.reason or "-")
    asking = replace(with_input, supplement_due_at=situation.now + dt.timedelta(days=1))
    return [
        a
        for a in Action
        if decide(a, actor, asking if a is Action.REQUEST_SUPPLEMENT else with_input).allowed
    ]


_NOTICE_SUBJECTS = {
    Action.SUBMIT: _("%(title)s: 신청서가 접수되었습니다"),
    Action.WITHDRAW: _("%(title)s: 신청이 철회되었습니다"),
    Action.REQUEST_SUPPLEMENT: _("%(title)s: 소명·보완 요청(기한 %(due)s)"),
    Action.ANSWER_SUPPLEMENT: _("%(title)s: 소명·보완 자료가 제출되었습니다"),
    Action.EXCLUDE: _("%(title)s: 평가 대상에서 제외되었습니다"),
    Action.START_REVIEW: _("%(title)s: 서면평가가 시작되었습니다"),
    Action.START_INSPECTION: _("%(title)s: 현장실사가 시작되었습니다"),
    Action.REPORT: _("%(title)s: 평가 결과가 보고되었습니다(승인 기한 %(due)s)"),
    Action.RETURN: _("%(title)s: 국토교통부가 재검토를 요청했습니다"),
    Action.APPROVE: _("%(title)s: 국토교통부가 평가 결과를 승인했습니다"),
    Action.ANNOUNCE: _("%(title)s: 인증 결과가 발표되었습니다"),
}


def applicants_of(application: Application) -> list[User]:
    """The active applicant accounts of the application's organisation."""
    return list(
        User.objects.filter(
            organisation_id=application.organisation_id,
            role__in=[Role.MUNICIPALITY_APPLICANT, Role.COMPANY_APPLICANT],
            is_active=True,
        )
    )


def _audience(application: Application, action: Action) -> list[User]:
    """Who hears of a step: the applicant always (on submission through the
    receipt, ``services.submission``); the operating body of the track when
    the applicant or the Ministry acts; the Ministry on reports."""
    applicants = [] if action is Action.SUBMIT else applicants_of(application)
    staff: list[User] = []
    if action in (Action.SUBMIT, Action.ANSWER_SUPPLEMENT, Action.WITHDRAW, Action.RETURN):
        staff += User.objects.filter(
            role=Role.OPERATING_BODY_STAFF,
            organisation__track=application.track,
            is_active=True,
        )
    if action is Action.REPORT:
        staff += User.objects.filter(role=Role.MINISTRY_OFFICER, is_active=True)
    if action in (Action.START_REVIEW, Action.RETURN):
        staff += User.objects.filter(assignments__application=application, is_active=True)
    internal = action in (Action.REPORT, Action.RETURN, Action.APPROVE)
    return staff if internal else applicants + staff


def perform(
    *,
    actor: User,
    application: Application,
    action: Action,
    reason: str = "",
    supplement_due_at: dt.datetime | None = None,
) -> Application:
    """Take ``action`` now or raise :class:`TransitionRefused`; nothing is
    written on refusal. Returns the application, reloaded and locked."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "organisation", "framework")
            .get(pk=application.pk)
        )
        now = timezone.now()
        row = _situation_row(locked)
        situation = situation_from(row, now=now, reason=reason, supplement_due_at=supplement_due_at)
        verdict = decide(action, actor_for(actor, locked), situation)
        if not verdict.allowed or verdict.target is None:
            raise TransitionRefused(verdict.code)
        before = locked.status
        locked.status = verdict.target.value
        locked.status_changed_at = now
        fields = ["status", "status_changed_at", "updated_at"]
        due: dt.datetime | None = supplement_due_at
        if action is Action.EXCLUDE:
            locked.exclusion_reason = reason.strip()
            fields.append("exclusion_reason")
        elif action is Action.REPORT:
            locked.reported_at = now
            locked.approval_due_at = now + dt.timedelta(days=settings.CERTIFICATION_APPROVAL_DAYS)
            locked.result_certified = bool(review_facts_of(row).consensus_certified)
            due = locked.approval_due_at
            fields += ["reported_at", "approval_due_at", "result_certified"]
        elif action is Action.RETURN:
            locked.approval_due_at = None
            fields.append("approval_due_at")
        elif action is Action.APPROVE:
            locked.approved_at = now
            fields.append("approved_at")
        elif action is Action.ANNOUNCE:
            locked.announced_at = now
            fields.append("announced_at")
        locked.save(update_fields=fields)
        sync_result_summary(application_id=locked.pk)
        ApplicationTransition.objects.create(
            application=locked,
            action=action.value,
            from_status=before,
            to_status=locked.status,
            actor=actor,
            at=now,
            reason=reason.strip(),
        )
        record_audit(
            actor=actor,
            action=f"certification.{action.value}",
            object_type="certification.application",
            object_id=locked.pk,
            data={"from": before, "to": locked.status, "reason": reason.strip()},
        )
        notify(
            recipients=_audience(locked, action),
            kind=f"certification.{action.value}",
            subject=_NOTICE_SUBJECTS[action],
            body=reason.strip(),
            params={
                "title": locked.title,
                "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M") if due else "",
            },
            url=reverse("certification:edit", args=[locked.pk]),
        )
    return locked
