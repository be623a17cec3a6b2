"""The open-data downloads: the registry's certificates, subjects and
decisions (public in full) and the published results.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from smartcity.analytics.selectors.results import result_rows
from smartcity.certification.models import Application
from smartcity.core.models import AuditEvent
from smartcity.registry.models import Certificate, Decision, Subject

OpenRow = dict[str, str | int | None]


def open_certificates() -> list[OpenRow]:
    return [
        {
            "certificate_number": c.number,
            "kind": c.kind,
            "subject": c.subject.name,
            "municipality_code": c.subject.municipality.code if c.subject.municipality else "",
            "holder": c.subject.holder,
            "field": c.subject.field,
            "size_class": c.size_class,
            "granted_by": c.granted_by,
            "decided_on": c.decision.decided_on.isoformat(),
            "valid_from": c.valid_from.isoformat(),
            "valid_until": c.valid_until.isoformat(),
            "ended_by": c.ended_by,
            "extension_number": c.extension_number,
            "source": c.decision.source,
        }
        for c in Certificate.objects.select_related(
            "subject", "subject__municipality", "decision"
        ).order_by("valid_from", "number")
    ]


def open_subjects() -> list[OpenRow]:
    return [
        {
            "id": s.pk,
            "kind": s.kind,
            "name": s.name,
            "municipality_code": s.municipality.code if s.municipality else "",
            "field": s.field,
            "holder": s.holder,
        }
        for s in Subject.objects.select_related("municipality").order_by("kind", "name")
    ]


def open_decisions() -> list[OpenRow]:
    return [
        {
            "kind": d.subject.kind,
            "subject": d.subject.name,
            "subject_code": d.subject_code
            or (d.subject.municipality.code if d.subject.municipality else ""),
            "size_class": d.size_class,
            "decision": d.decision,
            "decided_on": d.decided_on.isoformat(),
            "field": d.field,
            "holder": d.holder,
            "source": d.source,
        }
        for d in Decision.objects.select_related("subject", "subject__municipality").order_by(
            "decided_on", "id"
        )
    ]


def open_results(*, year: int | None = None) -> list[OpenRow]:
    """Published results only, one row per result with its area subtotals."""
    out: list[OpenRow] = []
    for r in result_rows(full=False, year=year):
        row: OpenRow = {
            "application_id": r.application_id,
            "year": r.year,
            "municipality_code": r.municipality_code,
            "name": r.name,
            "size_class": r.size_class,
            "framework": r.framework_code,
            "total": str(r.total),
            "max_total": str(r.max_total),
            "grade": r.grade,
            "certified": int(r.certified),
        }
        for a in r.areas:
            row[f"{a.code}_points"] = str(a.points)
            row[f"{a.code}_max"] = str(a.max_points)
        out.append(row)
    return out


def open_result_indicators(*, year: int | None = None) -> list[OpenRow]:
    """Published results, one row per indicator (long format)."""
    return [
        {
            "application_id": r.application_id,
            "year": r.year,
            "municipality_code": r.municipality_code,
            "framework": r.framework_code,
            "indicator": i.code,
            "points": str(i.points),
            "max_points": str(i.max_points),
        }
        for r in result_rows(full=False, year=year)
        for i in r.indicators
    ]


def open_data_updated_at() -> dt.datetime | None:
    """When the open data last changed: the latest registry decision or
    revocation (its audit row, whichever way it came: announcement, import,
    the Ministry's revocation) or announced result."""
    moments = [
        AuditEvent.objects.filter(
            action__in=(
                "registry.decision_recorded",
                "registry.certificate_revoked",
                "registry.decisions_imported",
            )
        ).aggregate(at=Max("occurred_at"))["at"],
        Application.objects.filter(announced_at__isnull=False).aggregate(at=Max("announced_at"))[
            "at"
        ],
    ]
    known = [m for m in moments if m is not None]
    return max(known) if known else None
