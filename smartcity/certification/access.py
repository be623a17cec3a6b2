"""Who may open, edit and see inside an application.

A self-assessment is private to the applicant's organisation. An application
is seen by its applicant, the Ministry and operating bodies, and the committee
members assigned to it. Member scores are hidden from a member until they
have submitted their own, and never shown to the applicant.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from smartcity.accounts.access import AnyUser, is_oversight
from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.certification.choices import ApplicationKind, ApplicationStatus
from smartcity.certification.evaluation.models import Assignment, ConflictOfInterest
from smartcity.certification.models import Application

APPLICANT_ROLES = frozenset({Role.MUNICIPALITY_APPLICANT, Role.COMPANY_APPLICANT})


def is_applicant_of(user: AnyUser, application: Application) -> bool:
    return (
        isinstance(user, User)
        and user.role in APPLICANT_ROLES
        and user.organisation_id == application.organisation_id
    )


def has_conflict(user: AnyUser, application: Application) -> bool:
    """A declared or detected conflict of interest keeps a member out entirely."""
    return isinstance(user, User) and (
        ConflictOfInterest.objects.filter(application=application, member=user).exists()
    )


def assignment_of(user: AnyUser, application: Application) -> Assignment | None:
    """The member's assignment, unless a conflict of interest has been recorded
    since: then the member is treated as never assigned."""
    if not isinstance(user, User) or user.role != Role.COMMITTEE_MEMBER:
        return None
    assignment = Assignment.objects.filter(application=application, member=user).first()
    if assignment is None or has_conflict(user, application):
        return None
    return assignment


def access_application(user: AnyUser, application_id: int) -> Application:
    """The one way a view loads an application; 404 for missing and forbidden alike."""
    if not user.is_authenticated:
        raise Http404
    application = (
        Application.objects.select_related("framework", "organisation", "municipality")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    if is_applicant_of(user, application):
        return application
    if application.kind == ApplicationKind.SELF_ASSESSMENT:
        raise Http404
    if is_oversight(user) or assignment_of(user, application) is not None:
        return application
    raise Http404


EDITABLE = frozenset({ApplicationStatus.DRAFT, ApplicationStatus.SUPPLEMENT_REQUESTED})


def can_edit_claims(user: AnyUser, application: Application) -> bool:
    """The applicant edits a draft, and an application the operating body has
    asked to explain or supplement, until that request's deadline (server clock)."""
    if not is_applicant_of(user, application) or application.status not in EDITABLE:
        return False
    if application.status == ApplicationStatus.SUPPLEMENT_REQUESTED:
        request = application.supplement_requests.filter(answered_at__isnull=True).first()
        return request is not None and timezone.now() <= request.due_at
    return True


def can_see_member_scores(user: AnyUser, application: Application) -> bool:
    if application.kind == ApplicationKind.SELF_ASSESSMENT:
        return False
    if is_oversight(user):
        return True
    assignment = assignment_of(user, application)
    return assignment is not None and assignment.submitted_at is not None


def can_score(user: AnyUser, application: Application) -> bool:
    assignment = assignment_of(user, application)
    return assignment is not None and assignment.submitted_at is None
