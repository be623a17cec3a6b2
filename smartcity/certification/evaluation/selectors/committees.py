"""Reads for forming and running committees: groups, loads, conflicts' facts,
review lists and progress, the thread and the documents a review cites."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet, Subquery

from smartcity.accounts.models import User
from smartcity.certification.choices import ApplicationKind, ApplicationStatus
from smartcity.certification.evaluation.domain.conflicts import ApplicationFacts, MemberFacts
from smartcity.certification.evaluation.domain.review import (
    DocumentRef,
)
from smartcity.certification.evaluation.models import (
    Assignment,
    Comment,
    Committee,
    CommitteeMembership,
    ConflictOfInterest,
    Consensus,
    InspectionItem,
    InspectionOutcome,
)
from smartcity.certification.models import Application, Attachment, Call
from smartcity.certification.selectors import (
    count_per_application,
)
from smartcity.frameworks.choices import FrameworkKind
from smartcity.frameworks.selectors import engine_framework

#: Applications the committee works on (auto-assignment staffs these).


REVIEWABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


#: The consensus meeting may fix scores in these states.
CONSENSUS_STATES = (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.SITE_INSPECTION)


#: About nine members per committee (certification.md §1).
USUAL_COMMITTEE_SIZE = 9


def group_of(application: Application) -> str:
    """The committee group an application is evaluated in: its size class for a
    city, the call's field for a service."""
    if application.track == FrameworkKind.SERVICE:
        call = application.call
        return call.field if call is not None else ""
    return application.size_class


def call_applications(call: Call, statuses: Iterable[str] = REVIEWABLE) -> QuerySet[Application]:
    return (
        Application.objects.filter(
            call=call, kind=ApplicationKind.APPLICATION, status__in=list(statuses)
        )
        .select_related("organisation", "municipality", "consortium_municipality", "call")
        .order_by("pk")
    )


def committee_members(call: Call) -> QuerySet[User]:
    """Everyone who sits on a committee of ``call``."""
    return (
        User.objects.filter(memberships__committee__call=call)
        .select_related("organisation__municipality")
        .distinct()
        .order_by("pk")
    )


def load_limit(member: User, call: Call | None) -> int:
    """The most applications a member reviews in a call: the smallest limit set on
    their memberships of that call, else ``CERTIFICATION_MEMBER_LOAD_LIMIT``."""
    if call is not None:
        limits = [
            limit
            for limit in CommitteeMembership.objects.filter(
                committee__call=call, member=member
            ).values_list("load_limit", flat=True)
            if limit is not None
        ]
        if limits:
            return min(limits)
    return int(settings.CERTIFICATION_MEMBER_LOAD_LIMIT)


def current_load(member: User, call: Call | None) -> int:
    """Applications of the call the member now reviews (of any call when ``None``)."""
    assignments = Assignment.objects.filter(member=member)
    if call is not None:
        assignments = assignments.filter(application__call=call)
    return assignments.count()


def member_facts(member: User) -> MemberFacts:
    organisation = member.organisation
    if organisation is None:
        return MemberFacts(organisation_id=None, municipality_code=None, kind="")
    municipality = organisation.municipality
    return MemberFacts(
        organisation_id=organisation.pk,
        municipality_code=municipality.code if municipality is not None else None,
        kind=organisation.kind,
    )


def application_facts(application: Application) -> ApplicationFacts:
    municipality = application.municipality
    consortium = application.consortium_municipality
    return ApplicationFacts(
        organisation_id=application.organisation_id,
        municipality_code=municipality.code if municipality is not None else None,
        consortium_municipality_code=consortium.code if consortium is not None else None,
        track=application.track,
    )


def review_list(member: User) -> QuerySet[Assignment]:
    """A member's review list ("내 평가"): their assignments, minus any application
    with a conflict of interest."""
    conflicted = ConflictOfInterest.objects.filter(member=member).values("application_id")
    return (
        Assignment.objects.filter(member=member, application__kind=ApplicationKind.APPLICATION)
        .exclude(application_id__in=conflicted)
        .select_related("application__organisation", "application__call")
        .order_by("application__call_id", "application_id")
    )


def thread(application: Application) -> QuerySet[Comment]:
    """The discussion, oldest first (newest last)."""
    return Comment.objects.filter(application=application).select_related("author")


def committees_of(call: Call) -> QuerySet[Committee]:
    return Committee.objects.filter(call=call).prefetch_related("memberships__member")


@dataclass(frozen=True)
class ReviewFacts:
    """The committee's side of an application, as the workflow's ``decide``
    weighs it: the one way those facts leave this sub-package."""

    assignments: int = 0
    reviews_pending: int = 0
    consensus_fixed: bool = False
    #: The fixed consensus's verdict (``None`` until it is fixed).
    consensus_certified: bool | None = None
    inspection_items: int = 0
    inspection_pending: int = 0


def with_review_facts(applications: QuerySet[Application]) -> QuerySet[Application]:
    """``applications`` annotated, in the same query, with what
    :func:`review_facts_of` reads (so a list costs no query per row)."""
    return applications.annotate(
        review_assignments=count_per_application(Assignment),
        review_pending=count_per_application(Assignment, submitted_at__isnull=True),
        review_consensus=Exists(Consensus.objects.filter(application=OuterRef("pk"))),
        review_certified=Subquery(
            Consensus.objects.filter(application=OuterRef("pk")).values("certified")[:1],
            output_field=BooleanField(),
        ),
        review_items=count_per_application(InspectionItem),
        review_items_pending=count_per_application(
            InspectionItem, outcome=InspectionOutcome.PENDING
        ),
    )


def review_facts_of(application: Application) -> ReviewFacts:
    """The facts of an application loaded through :func:`with_review_facts`."""
    row: Any = application  # carries the annotations
    return ReviewFacts(
        assignments=row.review_assignments,
        reviews_pending=row.review_pending,
        consensus_fixed=row.review_consensus,
        consensus_certified=row.review_certified,
        inspection_items=row.review_items,
        inspection_pending=row.review_items_pending,
    )


def review_documents(application: Application) -> list[DocumentRef]:
    """The application's uploads, oldest first, as the citation rule reads them."""
    return [
        DocumentRef(
            id=a.pk,
            name=a.original_name,
            kind=a.kind,
            is_pdf=a.content_type == "application/pdf",
        )
        for a in Attachment.objects.filter(application=application).order_by("uploaded_at", "pk")
    ]


@dataclass(frozen=True)
class MemberProgress:
    """Where one assigned member's review stands (the consensus page's list)."""

    assignment: Assignment
    name: str
    scored: int
    abstained: int
    total: int

    @property
    def submitted(self) -> bool:
        return self.assignment.submitted_at is not None


def member_progress(application: Application) -> list[MemberProgress]:
    """Every assigned member: display name, how many indicators they scored or
    abstained from, and whether they submitted."""
    total = len(engine_framework(application.framework).indicators)
    assignments = (
        Assignment.objects.filter(application=application)
        .select_related("member")
        .annotate(
            n_scored=Count("scores", filter=Q(scores__abstained=False)),
            n_abstained=Count("scores", filter=Q(scores__abstained=True)),
        )
        .order_by("pk")
    )
    rows: list[Any] = list(assignments)
    return [
        MemberProgress(
            assignment=a,
            name=str(a.member),
            scored=a.n_scored,
            abstained=a.n_abstained,
            total=total,
        )
        for a in rows
    ]
