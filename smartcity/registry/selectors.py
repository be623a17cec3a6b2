"""Reads of the public registry: who held a valid certification, on any date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
        "kind", "subject__name"
    )


def status_rows(day: dt.date) -> list[dict[str, str]]:
    """The status query as plain data (CLI ``registry status``, open data)."""
    rows = []
    for c in certificates_valid_on(day).select_related("decision"):
        municipality = c.subject.municipality
        # The code as the decision's source gave it (Sejong: 36110), else the register's.
        code = c.decision.subject_code or (municipality.code if municipality else "")
        rows.append(
            {
                "kind": c.kind,
                "subject": c.subject.name,
                "subject_code": code,
                "size_class": c.size_class,
                "granted_by": c.granted_by,
                "valid_from": c.valid_from.isoformat(),
                "valid_until": c.valid_until.isoformat(),
                "certificate_number": c.number,
            }
        )
    return rows


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
