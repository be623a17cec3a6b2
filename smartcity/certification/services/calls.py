"""Opening a call (공모)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from smartcity.accounts.models import User
from smartcity.certification.access import can_open_call
from smartcity.certification.domain.calls import Timeline
from smartcity.certification.models import Call
from smartcity.core.services import record_audit
from smartcity.frameworks.choices import FrameworkStatus
from smartcity.frameworks.models import FrameworkVersion
from smartcity.municipalities.models import SizeClassRule


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
    **extra: Any,
) -> Call:
    """Publish a call on a published framework; the size-class rule in force for
    its year is attached (certification.md §2). The oversight of the
    framework's track only."""
    if not can_open_call(actor, framework.kind):
        raise PermissionDenied
    if framework.status != FrameworkStatus.PUBLISHED:
        raise ValidationError({"framework": "framework_not_published"})
    problems = timeline.problems()
    if problems:
        raise ValidationError({"timeline": problems})
    rule = (
        SizeClassRule.objects.filter(first_call_year__lte=year).order_by("-first_call_year").first()
    )
    with transaction.atomic():
        call = Call.objects.create(
            year=year,
            track=framework.kind,
            field=field or framework.field,
            title_ko=title_ko,
            title_en=title_en,
            framework=framework,
            size_class_rule=rule,
            population_reference_date=dt.date(year - 1, 12, 31),
            announced_at=announced_at,
            submission_opens_at=timeline.submission_opens_at,
            submission_closes_at=timeline.submission_closes_at,
            written_review_starts_at=timeline.written_review_starts_at,
            site_inspection_starts_at=timeline.site_inspection_starts_at,
            decision_starts_at=timeline.decision_starts_at,
            results_announced_at=timeline.results_announced_at,
            required_documents=required_documents
            or ["application_form", "proposal", "self_evaluation", "evidence"],
            **extra,
        )
        record_audit(
            actor=actor,
            action="certification.call_created",
            object_type="certification.call",
            object_id=call.pk,
            data={"year": year, "framework": framework.code},
        )
    return call


def timeline_of(call: Call) -> Timeline:
    return Timeline(
        submission_opens_at=call.submission_opens_at,
        submission_closes_at=call.submission_closes_at,
        written_review_starts_at=call.written_review_starts_at,
        site_inspection_starts_at=call.site_inspection_starts_at,
        decision_starts_at=call.decision_starts_at,
        results_announced_at=call.results_announced_at,
    )
