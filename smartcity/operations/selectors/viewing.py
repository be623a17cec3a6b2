"""Reads of the access log as a person reviews it: one row per viewing
session per camera, and the decisions (refusals, break-glass, refused grants
and extensions) beside them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from smartcity.operations.models import Agency, Tenant, VideoAccessEntry, ViewingSession

SESSION_STEPS = ("open", "close")


@dataclass(frozen=True)
class LogFilter:
    start: dt.datetime
    end: dt.datetime
    agency: Agency | None = None
    officer: str = ""
    show: str = "all"  # all | sessions | refused | break_glass


def viewing_sessions(tenant: Tenant, spec: LogFilter) -> QuerySet[ViewingSession]:
    """The tenant's sessions opened in the period, newest first."""
    sessions = ViewingSession.objects.filter(
        tenant=tenant, opened_at__gte=spec.start, opened_at__lt=spec.end
    )
    if spec.agency is not None:
        sessions = sessions.filter(agency=spec.agency)
    if spec.officer:
        sessions = sessions.filter(officer_label=spec.officer)
    if spec.show == "break_glass":
        sessions = sessions.filter(grant__break_glass=True)
    if spec.show == "refused":
        sessions = sessions.none()
    return (
        sessions.select_related("camera", "grant", "agency")
        .defer("camera__stream_endpoint")
        .order_by("-opened_at", "-id")
    )


def decision_entries(tenant: Tenant, spec: LogFilter) -> QuerySet[VideoAccessEntry]:
    """The tenant's access decisions other than a session's opening and
    closing (those are the session rows), newest first."""
    entries = VideoAccessEntry.objects.filter(
        tenant=tenant, at__gte=spec.start, at__lt=spec.end
    ).exclude(step__in=SESSION_STEPS, granted=True)
    if spec.agency is not None:
        entries = entries.filter(agency=spec.agency)
    if spec.officer:
        entries = entries.filter(officer_label=spec.officer)
    if spec.show == "refused":
        entries = entries.filter(granted=False)
    elif spec.show == "break_glass":
        entries = entries.filter(break_glass=True)
    elif spec.show == "sessions":
        entries = entries.none()
    return entries.select_related("camera").defer("camera__stream_endpoint").order_by("-id")
