"""Reads of the public registry: who held a valid certification, on any date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet

from smartcity.accounts.access import AnyUser
from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.municipalities.selectors import register_code
from smartcity.registry.models import Certificate, Decision, PlateRecord, Subject


def certificates_valid_on(
    day: dt.date, *, kind: str = "", size_class: str = ""
) -> QuerySet[Certificate]:
    """Every certificate valid on ``day`` (one per subject, by construction)."""
    queryset = Certificate.objects.filter(valid_from__lte=day, valid_until__gte=day)
    if kind:
        queryset = queryset.filter(kind=kind)
    if size_class:
        queryset = queryset.filter(size_class=size_class)
    return queryset.select_related("subject", "subject__municipality").order_by(
        "kind", "subject__name", "number"
    )


#: The status query's columns. The query returns hundreds of rows; building
#: three joined model instances per row cost ten times the database's own
#: time (issue 17), so it reads plain tuples, and from the certificate table
#: alone: ``rebuild_certificates`` keeps the subject's name and code on it.
_STATUS_COLUMNS = (
    "kind",
    "subject_name",
    "subject_code",
    "size_class",
    "granted_by",
    "valid_from",
    "valid_until",
    "number",
)


def _status_tuples(day: dt.date) -> list[tuple[Any, ...]]:
    """The rows of the status query as the database driver returns them.

    The ORM writes the SQL (quoting, the backend's dialect); the rows are
    fetched on a plain cursor, because both drivers already hand back dates
    (psycopg natively, SQLite through the converters Django registers for
    ``date`` columns) and the ORM's per-value converters and row iterator
    would double the Python time for no change in the values.
    """
    queryset = (
        Certificate.objects.filter(valid_from__lte=day, valid_until__gte=day)
        .order_by("kind", "subject_name", "number")
        .values_list(*_STATUS_COLUMNS)
    )
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def _iso(value: dt.date | str) -> str:
    return value if isinstance(value, str) else value.isoformat()


def status_rows(day: dt.date) -> list[dict[str, str]]:
    """The status query as plain data (CLI ``registry status``, open data):
    the certificates of :func:`certificates_valid_on`, in its order."""
    return [
        {
            "kind": kind,
            "subject": name,
            # The code as the decision's source gave it (Sejong: 36110), else the register's.
            "subject_code": code,
            "size_class": size_class,
            "granted_by": granted_by,
            "valid_from": _iso(valid_from),
            "valid_until": _iso(valid_until),
            "certificate_number": number,
        }
        for (
            kind, name, code, size_class, granted_by, valid_from, valid_until, number,
        ) in _status_tuples(day)
    ]  # fmt: skip


@dataclass(frozen=True)
class RegistryFilter:
    year: int | None = None
    kind: str = ""
    size_class: str = ""
    valid_on: dt.date | None = None
    query: str = ""


def certificate_list(f: RegistryFilter) -> QuerySet[Certificate]:
    """The registry list page: certificates filtered by decision year, kind,
    class, validity on a date, and a name search."""
    queryset = Certificate.objects.select_related(
        "subject", "subject__municipality", "decision", "ended_by_decision"
    ).order_by("-valid_from", "subject__name")
    if f.year:
        queryset = queryset.filter(decision__decided_on__year=f.year)
    if f.kind:
        queryset = queryset.filter(kind=f.kind)
    if f.size_class:
        queryset = queryset.filter(size_class=f.size_class)
    if f.valid_on:
        queryset = queryset.filter(valid_from__lte=f.valid_on, valid_until__gte=f.valid_on)
    if f.query:
        queryset = queryset.filter(
            Q(subject__name__icontains=f.query) | Q(subject__holder__icontains=f.query)
        )
    return queryset


def decision_years() -> list[int]:
    return sorted({d.year for d in Decision.objects.dates("decided_on", "year")}, reverse=True)


def subject_for_municipality(code: str) -> Subject | None:
    return (
        Subject.objects.filter(kind="city", municipality__code=register_code(code))
        .select_related("municipality")
        .first()
    )


def subject_timeline(subject: Subject) -> tuple[list[Decision], list[Certificate]]:
    decisions = list(subject.decisions.order_by("decided_on", "id"))
    certificates = list(
        subject.certificates.select_related("decision", "ended_by_decision").order_by("valid_from")
    )
    return decisions, certificates


def certificate_by_number(number: str) -> Certificate | None:
    return (
        Certificate.objects.select_related(
            "subject", "subject__municipality", "decision", "ended_by_decision"
        )
        .filter(number=number.strip().upper())
        .first()
    )


def certificate_status_on(certificate: Certificate, day: dt.date) -> str:
    """``valid``, ``not_yet``, ``expired``, or why it ended early (extended, replaced, revoked)."""
    if day < certificate.valid_from:
        return "not_yet"
    if day <= certificate.valid_until:
        return "valid"
    return certificate.ended_by or "expired"


def holder_applicants(subject: Subject) -> QuerySet[User]:
    """The applicant accounts that speak for a subject's holder: the
    organisations whose workflow applications produced its decisions and, for
    a city, the local government's own applicant accounts."""
    organisations = Q(
        organisation_id__in=Decision.objects.filter(
            subject=subject, application__isnull=False
        ).values("application__organisation_id")
    )
    if subject.municipality_id is not None:
        organisations |= Q(organisation__municipality_id=subject.municipality_id)
    elif subject.holder:
        organisations |= Q(organisation__name_ko=subject.holder)
    return User.objects.filter(
        organisations,
        role__in=[Role.MUNICIPALITY_APPLICANT, Role.COMPANY_APPLICANT],
        is_active=True,
    )


def is_holder_applicant(user: AnyUser, subject: Subject) -> bool:
    return isinstance(user, User) and holder_applicants(subject).filter(pk=user.pk).exists()


def plates_of(certificate: Certificate) -> QuerySet[PlateRecord]:
    return certificate.plates.order_by("made_on", "id")


def revocation_of(certificate: Certificate) -> Decision | None:
    """The revocation that ended this certificate, if any."""
    if certificate.ended_by != "revoked":
        return None
    return certificate.ended_by_decision


def successor_of(certificate: Certificate) -> Certificate | None:
    """The certificate that continues this one: the extension's (or the new
    certification's) certificate that ended it; ``None`` otherwise."""
    if certificate.ended_by not in ("extended", "replaced") or not certificate.ended_by_decision_id:
        return None
    return (
        Certificate.objects.select_related("subject", "decision")
        .filter(decision_id=certificate.ended_by_decision_id)
        .first()
    )


def predecessor_of(certificate: Certificate) -> Certificate | None:
    """The certificate this one continues (extends or replaces), if any."""
    return (
        Certificate.objects.select_related("subject", "decision")
        .filter(ended_by_decision_id=certificate.decision_id, ended_by__in=("extended", "replaced"))
        .first()
    )


@dataclass(frozen=True)
class StandingNotice:
    """What a certificate's PDF and verification page must say, on ``day``,
    when it no longer (or soon no longer) proves a certification:
    ``status`` as :func:`certificate_status_on`, ``scheduled_revocation``
    when a revocation takes effect later, the revocation decision, and the
    certificate that continues it."""

    status: str
    revocation: Decision | None
    successor: Certificate | None
    scheduled_revocation: bool

    @property
    def invalid(self) -> bool:
        return self.status != "valid"

    @property
    def ended_on(self) -> dt.date | None:
        """The first day it no longer held (the revocation's effective date)."""
        return self.revocation.decided_on if self.revocation else None


def standing_of(certificate: Certificate, day: dt.date) -> StandingNotice:
    status = certificate_status_on(certificate, day)
    revocation = revocation_of(certificate)
    return StandingNotice(
        status=status,
        revocation=revocation,
        successor=successor_of(certificate),
        scheduled_revocation=revocation is not None and status == "valid",
    )


def certificate_grade(certificate: Certificate) -> str:
    """The certificate's grade: the one the committee fixed when the workflow
    issued it, else the one its imported decision states, else ""."""
    application = getattr(certificate.decision, "application", None)
    consensus = getattr(application, "consensus", None) if application is not None else None
    if consensus is not None and consensus.grade:
        return str(consensus.grade)
    return certificate.decision.grade
