"""Writes of the analytics app: the annual report's good-practice texts
(oversight: the Ministry and the operating bodies) and the call figures the
Ministry published (the Ministry only). Each change is one transaction with
its audit row, which keeps the values before and after.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from smartcity.accounts.access import is_ministry, is_oversight
from smartcity.accounts.models import User
from smartcity.analytics.models import CallFigures, GoodPractice
from smartcity.core.services import record_audit
from smartcity.registry.models import Subject


class PracticeRefused(Exception):
    """The text cannot be saved; ``code`` names why (see ``views.REFUSALS``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _clean(heading: str, body: str) -> tuple[str, str]:
    heading, body = heading.strip(), body.strip()
    if not heading:
        raise PracticeRefused("heading_required")
    if not body:
        raise PracticeRefused("body_required")
    return heading, body


def _snapshot(practice: GoodPractice) -> dict[str, object]:
    return {
        "year": practice.year,
        "subject": practice.subject.name,
        "heading": practice.heading,
        "body": practice.body,
        "position": practice.position,
    }


def add_good_practice(
    *, actor: User, year: int, subject: Subject, heading: str, body: str
) -> GoodPractice:
    """Add a practice at the end of the subject's list for ``year``."""
    if not is_oversight(actor):
        raise PermissionDenied
    heading, body = _clean(heading, body)
    with transaction.atomic():
        last = (
            GoodPractice.objects.select_for_update()
            .filter(year=year, subject=subject)
            .order_by("-position")
            .first()
        )
        practice = GoodPractice.objects.create(
            year=year,
            subject=subject,
            heading=heading,
            body=body,
            position=(last.position + 1) if last else 0,
            updated_at=timezone.now(),
            updated_by=actor,
        )
        record_audit(
            actor=actor,
            action="analytics.practice_added",
            object_type="analytics.goodpractice",
            object_id=practice.pk,
            data=_snapshot(practice),
        )
    return practice


def update_good_practice(
    *, actor: User, practice: GoodPractice, heading: str, body: str
) -> GoodPractice:
    if not is_oversight(actor):
        raise PermissionDenied
    heading, body = _clean(heading, body)
    with transaction.atomic():
        locked = (
            GoodPractice.objects.select_for_update().select_related("subject").get(pk=practice.pk)
        )
        before = _snapshot(locked)
        locked.heading, locked.body = heading, body
        locked.updated_at, locked.updated_by = timezone.now(), actor
        locked.save(update_fields=["heading", "body", "updated_at", "updated_by"])
        record_audit(
            actor=actor,
            action="analytics.practice_updated",
            object_type="analytics.goodpractice",
            object_id=locked.pk,
            data={"before": before, "after": _snapshot(locked)},
        )
    return locked


def delete_good_practice(*, actor: User, practice: GoodPractice) -> None:
    if not is_oversight(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            GoodPractice.objects.select_for_update().select_related("subject").get(pk=practice.pk)
        )
        before = _snapshot(locked)
        pk = locked.pk
        locked.delete()
        record_audit(
            actor=actor,
            action="analytics.practice_deleted",
            object_type="analytics.goodpractice",
            object_id=pk,
            data={"before": before},
        )


#: A year's call figures outside these bounds is a typing mistake.
FIGURE_YEARS = (2000, 2100)
MAX_APPLICANTS = 10_000


def record_call_figures(
    *,
    actor: User,
    year: int,
    kind: str,
    applicants: int | None,
    extension_applicants: int | None,
    source: str,
) -> CallFigures:
    """Record (or correct) what the Ministry published about ``year``'s call
    of ``kind``; refused (``PracticeRefused``) without a figure or a source,
    or with a figure out of bounds."""
    if not is_ministry(actor):
        raise PermissionDenied
    source = source.strip()
    figures = (applicants, extension_applicants)
    if all(f is None for f in figures):
        raise PracticeRefused("figure_required")
    if any(f is not None and not 0 <= f <= MAX_APPLICANTS for f in figures) or not (
        FIGURE_YEARS[0] <= year <= FIGURE_YEARS[1]
    ):
        raise PracticeRefused("figure_out_of_range")
    if not source:
        raise PracticeRefused("source_required")
    if kind not in CallFigures.Kind.values:
        raise PracticeRefused("figure_out_of_range")
    with transaction.atomic():
        row = CallFigures.objects.select_for_update().filter(year=year, kind=kind).first()
        before = _figures(row) if row is not None else None
        if row is None:
            row = CallFigures(year=year, kind=kind)
        row.applicants = applicants
        row.extension_applicants = extension_applicants
        row.source = source[:300]
        row.updated_at = timezone.now()
        row.updated_by = actor
        row.save()
        record_audit(
            actor=actor,
            action="analytics.call_figures_recorded",
            object_type="analytics.callfigures",
            object_id=row.pk,
            data={"before": before, "after": _figures(row)},
        )
    return row


def _figures(row: CallFigures) -> dict[str, object]:
    return {
        "year": row.year,
        "kind": row.kind,
        "applicants": row.applicants,
        "extension_applicants": row.extension_applicants,
        "source": row.source,
    }
