"""Calls (공모): drafted, edited and published by the oversight of their track.

A draft is the oversight's own until it is published. Once published, a
change that touches the past (a date that has passed, or a date moved into
the past) needs a reason; every change is audited with its old and new
values, and a change of dates is told to the call's applicants and committee.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.certification.access import can_open_call
from smartcity.certification.choices import ApplicationKind, CallStatus
from smartcity.certification.domain.calls import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    SCHEDULE_FIELDS,
    Timeline,
    changed_fields,
    document_problems,
    moved_in_the_past,
    schedule_problems,
)
from smartcity.certification.evaluation.models import CommitteeMembership
from smartcity.certification.models import Application, Attachment, Call
from smartcity.core.services import record_audit
from smartcity.frameworks.choices import FrameworkStatus
from smartcity.frameworks.models import FrameworkVersion
from smartcity.municipalities.models import SizeClassRule
from smartcity.municipalities.selectors import population_reference_date
from smartcity.notifications.services import notify

#: What a call requires unless its form says otherwise (certification.md §5).
DEFAULT_DOCUMENTS = ("application_form", "proposal", "self_evaluation", "evidence")
DOCUMENT_KINDS = tuple(Attachment.Kind.values)


@dataclass(frozen=True)
class CallDetails:
    """Everything the call form sets. ``dates`` is keyed by
    ``domain.calls.SCHEDULE_FIELDS`` (aware datetimes; the approval deadline
    may be ``None``)."""

    year: int
    framework: FrameworkVersion
    title_ko: str
    dates: dict[str, dt.datetime | None]
    title_en: str = ""
    field: str = ""
    notice: str = ""
    size_class_rule: SizeClassRule | None = None
    population_reference_date: dt.date | None = None
    required_documents: list[str] = dataclass_field(default_factory=lambda: list(DEFAULT_DOCUMENTS))


def rule_for_year(year: int) -> SizeClassRule | None:
    """The size-class rule in force for a call of ``year``."""
    return (
        SizeClassRule.objects.filter(first_call_year__lte=year).order_by("-first_call_year").first()
    )


def details_problems(details: CallDetails) -> dict[str, str]:
    """A problem code per field of the call form; empty when it may be saved."""
    found = schedule_problems(details.dates)
    if details.framework.status != FrameworkStatus.PUBLISHED:
        found["framework"] = "framework_not_published"
    if not EARLIEST_YEAR <= details.year <= LATEST_YEAR:
        found["year"] = "out_of_range"
    day = details.population_reference_date
    if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        found["population_reference_date"] = "out_of_range"
    documents = document_problems(details.required_documents, DOCUMENT_KINDS)
    if documents:
        found["required_documents"] = documents
    return found


def _refuse_unless_valid(details: CallDetails) -> None:
    problems = details_problems(details)
    if problems:
        raise ValidationError({name: [code] for name, code in problems.items()})


def _values(details: CallDetails) -> dict[str, Any]:
    """The call's columns as ``details`` sets them (defaults filled in)."""
    rule = details.size_class_rule or rule_for_year(details.year)
    return {
        "year": details.year,
        "track": details.framework.kind,
        "framework": details.framework,
        "field": details.field or details.framework.field,
        "title_ko": details.title_ko,
        "title_en": details.title_en,
        "notice": details.notice,
        "size_class_rule": rule,
        "population_reference_date": details.population_reference_date
        or population_reference_date(details.year),
        "required_documents": list(details.required_documents),
        **details.dates,
    }


def draft_call(*, actor: User, details: CallDetails, publish: bool = False, **extra: Any) -> Call:
    """Save a new call as a draft (or published at once, ``publish``); the
    size-class rule in force for its year is attached unless one is chosen
    (certification.md §2). The oversight of the framework's track only."""
    if not can_open_call(actor, details.framework.kind):
        raise PermissionDenied
    _refuse_unless_valid(details)
    now = timezone.now()
    with transaction.atomic():
        call = Call.objects.create(
            **_values(details),
            status=CallStatus.PUBLISHED if publish else CallStatus.DRAFT,
            published_at=now if publish else None,
            **extra,
        )
        record_audit(
            actor=actor,
            action="certification.call_created",
            object_type="certification.call",
            object_id=call.pk,
            data={"year": call.year, "framework": details.framework.code, "status": call.status},
        )
    return call


def create_call(
    *,
    actor: User,
    year: int,
    framework: FrameworkVersion,
    title_ko: str,
    timeline: Timeline,
    announced_at: dt.datetime,
    title_en: str = "",
    field: str = "",
    required_documents: list[str] | None = None,
    publish: bool = True,
    **extra: Any,
) -> Call:
    """A call on ``timeline``, published at once unless ``publish`` is false
    (the test kit and the demo loader make calls this way)."""
    dates: dict[str, dt.datetime | None] = {
        **{name: getattr(timeline, name) for name in SCHEDULE_FIELDS if hasattr(timeline, name)},
        "announced_at": announced_at,
        "approval_due_at": extra.pop("approval_due_at", None),
    }
    details = CallDetails(
        year=year,
        framework=framework,
        title_ko=title_ko,
        title_en=title_en,
        field=field,
        dates=dates,
        required_documents=list(required_documents or DEFAULT_DOCUMENTS),
    )
    return draft_call(actor=actor, details=details, publish=publish, **extra)


def details_of(call: Call) -> CallDetails:
    """The call as its form edits it."""
    return CallDetails(
        year=call.year,
        framework=call.framework,
        title_ko=call.title_ko,
        title_en=call.title_en,
        field=call.field,
        notice=call.notice,
        size_class_rule=call.size_class_rule,
        population_reference_date=call.population_reference_date,
        required_documents=[str(kind) for kind in call.required_documents],
        dates={name: getattr(call, name) for name in SCHEDULE_FIELDS},
    )


def _comparable(details: CallDetails) -> dict[str, Any]:
    values = _values(details)
    values.pop("track")
    values["framework"] = details.framework.code
    rule = values["size_class_rule"]
    values["size_class_rule"] = rule.code if rule is not None else None
    return values


def _plain(value: object) -> object:
    """A value as the audit row keeps it (JSON)."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()  # KST, as the pages show it
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class CallUpdate:
    call: Call
    changes: dict[str, tuple[object, object]]
    moved_in_the_past: list[str]
    notified: int


def update_call(*, actor: User, call: Call, details: CallDetails, reason: str = "") -> CallUpdate:
    """Change a call. The framework (and with it the track) is fixed once the
    call is published. A published call's change that touches the past needs
    ``reason``; a published call's change of dates is told to its applicants
    and committee members."""
    if not can_open_call(actor, call.track) or not can_open_call(actor, details.framework.kind):
        raise PermissionDenied
    published = call.status == CallStatus.PUBLISHED
    if published and details.framework.pk != call.framework_id:
        raise ValidationError({"framework": ["framework_fixed"]})
    _refuse_unless_valid(details)
    reason = reason.strip()
    with transaction.atomic():
        locked = Call.objects.select_for_update().select_related("framework").get(pk=call.pk)
        before = details_of(locked)
        changes = changed_fields(_comparable(before), _comparable(details))
        past = moved_in_the_past(before.dates, details.dates, timezone.now()) if published else []
        if past and not reason:
            raise ValidationError({"reason": ["reason_required"]})
        if not changes:
            return CallUpdate(call=locked, changes={}, moved_in_the_past=[], notified=0)
        for name, value in _values(details).items():
            setattr(locked, name, value)
        locked.save()
        record_audit(
            actor=actor,
            action="certification.call_updated",
            object_type="certification.call",
            object_id=locked.pk,
            data={
                "changes": {k: [_plain(old), _plain(new)] for k, (old, new) in changes.items()},
                "moved_in_the_past": past,
                "reason": reason,
                "status": locked.status,
            },
        )
        dates_changed = [name for name in SCHEDULE_FIELDS if name in changes]
        told = _tell_dates_changed(locked, dates_changed, reason) if published else 0
    return CallUpdate(call=locked, changes=changes, moved_in_the_past=past, notified=told)


def publish_call(*, actor: User, call: Call) -> Call:
    """Open a draft call to the public (공고). Irreversible: a published call
    is never a draft again, and its passed dates move only with a reason."""
    if not can_open_call(actor, call.track):
        raise PermissionDenied
    with transaction.atomic():
        locked = Call.objects.select_for_update().select_related("framework").get(pk=call.pk)
        if locked.status == CallStatus.PUBLISHED:
            raise ValidationError({"status": ["already_published"]})
        _refuse_unless_valid(details_of(locked))
        locked.status = CallStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
        record_audit(
            actor=actor,
            action="certification.call_published",
            object_type="certification.call",
            object_id=locked.pk,
            data={"title": locked.title_ko},
        )
    return locked


def concerned_by(call: Call) -> list[User]:
    """Who hears of a published call's new dates: the applicant accounts of
    its applications and the members of its committees."""
    organisations = Application.objects.filter(call=call, kind=ApplicationKind.APPLICATION).values(
        "organisation_id"
    )
    applicants = User.objects.filter(
        organisation_id__in=organisations,
        role__in=[Role.MUNICIPALITY_APPLICANT, Role.COMPANY_APPLICANT],
        is_active=True,
    )
    members = User.objects.filter(
        pk__in=CommitteeMembership.objects.filter(committee__call=call).values("member_id"),
        is_active=True,
    )
    return list(applicants) + list(members)


def _tell_dates_changed(call: Call, fields: list[str], reason: str) -> int:
    if not fields:
        return 0
    body = (
        _("공고 페이지에서 새 일정을 확인하세요. 사유: %(reason)s")
        if reason
        else _("공고 페이지에서 새 일정을 확인하세요.")
    )
    sent = notify(
        recipients=concerned_by(call),
        kind="certification.call_updated",
        subject=_("공모 일정이 바뀌었습니다: %(title)s"),
        body=body,
        params={"title": call.title_ko, "reason": reason},
        url=reverse("certification:call", args=[call.pk]),
    )
    return len(sent)


def timeline_of(call: Call) -> Timeline:
    return Timeline(
        submission_opens_at=call.submission_opens_at,
        submission_closes_at=call.submission_closes_at,
        written_review_starts_at=call.written_review_starts_at,
        site_inspection_starts_at=call.site_inspection_starts_at,
        decision_starts_at=call.decision_starts_at,
        results_announced_at=call.results_announced_at,
        announced_at=call.announced_at,
        published=call.status == CallStatus.PUBLISHED,
    )


__all__ = [
    "DEFAULT_DOCUMENTS",
    "CallDetails",
    "CallUpdate",
    "create_call",
    "details_of",
    "draft_call",
    "publish_call",
    "timeline_of",
    "update_call",
]
