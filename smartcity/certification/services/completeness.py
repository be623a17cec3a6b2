"""The completeness loop (소명·보완) and the steps that end an application early.

The operating body of the application's track checks the documents after the
call closes; it may ask the applicant to explain or supplement (with a
deadline on the server's clock), exclude the application from review with a
reason, or start the review. The applicant answers by editing claims and
documents, which freezes a new numbered version, so anyone can see exactly
what the answer changed (``domain.versions.diff_snapshots``).

Each service wraps ``services.workflow.perform`` in one transaction: a refusal
(:class:`TransitionRefused`) changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from smartcity.accounts.models import User
from smartcity.certification.domain.workflow import Action
from smartcity.certification.models import Application, ApplicationVersion, SupplementRequest
from smartcity.certification.services.submission import freeze_version
from smartcity.certification.services.workflow import TransitionRefused, perform
from smartcity.core.services import record_audit
from smartcity.frameworks.selectors import engine_framework

__all__ = [
    "TransitionRefused",
    "answer_supplement",
    "exclude_application",
    "request_supplement",
    "withdraw_application",
]


def _indicator_codes(application: Application, codes: Iterable[str]) -> list[str]:
    wanted = sorted({c.strip() for c in codes if c.strip()})
    if not wanted:
        return []
    framework = engine_framework(application.framework)
    known = {i.code for area in framework.areas for item in area.items for i in item.indicators}
    if any(code not in known for code in wanted):
        raise TransitionRefused("unknown_indicator")
    return wanted


def request_supplement(
    *,
    actor: User,
    application: Application,
    message: str,
    due_at: dt.datetime,
    indicator_codes: Iterable[str] = (),
) -> SupplementRequest:
    """Ask the applicant to explain or supplement by ``due_at`` (after now, on
    the server's clock). The request remembers the version it was asked about."""
    if timezone.is_naive(due_at):
        raise ValueError("due_at must be an aware datetime")
    with transaction.atomic():
        locked = perform(
            actor=actor,
            application=application,
            action=Action.REQUEST_SUPPLEMENT,
            reason=message,
            supplement_due_at=due_at,
        )
        # Checked after ``perform`` so that who-may-act is judged first; the
        # refusal rolls the transition back.
        codes = _indicator_codes(locked, indicator_codes)
        request = SupplementRequest.objects.create(
            application=locked,
            message=message.strip(),
            indicator_codes=codes,
            due_at=due_at,
            requested_at=locked.status_changed_at or timezone.now(),
            requested_by=actor,
            version_before=locked.versions.order_by("-number").first(),
        )
        record_audit(
            actor=actor,
            action="certification.supplement_requested",
            object_type="certification.application",
            object_id=locked.pk,
            data={
                "request": request.pk,
                "due_at": due_at.isoformat(),
                "indicators": codes,
                "version_before": request.version_before.number if request.version_before else None,
            },
        )
    return request


def answer_supplement(
    *, actor: User, application: Application, note: str = ""
) -> ApplicationVersion:
    """The applicant hands in what was asked, until the deadline (server clock,
    to the second). Freezes the new version the answer consists of."""
    with transaction.atomic():
        locked = perform(
            actor=actor, application=application, action=Action.ANSWER_SUPPLEMENT, reason=note
        )
        request = (
            SupplementRequest.objects.select_for_update()
            .filter(application=locked, answered_at__isnull=True)
            .order_by("-requested_at")
            .first()
        )
        if request is None:
            raise TransitionRefused("no_open_supplement")
        version = freeze_version(locked, actor)
        request.answered_at = locked.status_changed_at or timezone.now()
        request.answer_note = note.strip()
        request.version_after = version
        request.save(update_fields=["answered_at", "answer_note", "version_after"])
        record_audit(
            actor=actor,
            action="certification.supplement_answered",
            object_type="certification.application",
            object_id=locked.pk,
            data={"request": request.pk, "version_after": version.number},
        )
    return version


def exclude_application(*, actor: User, application: Application, reason: str) -> Application:
    """Keep an incomplete application out of review; the reason is required
    and recorded (``Application.exclusion_reason``) and sent to the applicant."""
    return perform(actor=actor, application=application, action=Action.EXCLUDE, reason=reason)


def withdraw_application(*, actor: User, application: Application) -> Application:
    """The applicant withdraws before the review starts."""
    return perform(actor=actor, application=application, action=Action.WITHDRAW)
