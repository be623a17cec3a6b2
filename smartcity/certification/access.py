"""Who may open, edit and see inside an application.

A self-assessment is private to the applicant's organisation. An application
is seen by its applicant, the Ministry and operating bodies, and the committee
members assigned to it. Member scores are hidden from a member until they
have submitted their own, and never shown to the applicant.
"""

from __future__ import annotations

from django.http import Http404

from smartcity.accounts.access import AnyUser, is_oversight
from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.certification.choices import ApplicationKind, ApplicationStatus
from smartcity.certification.models import Application
from smartcity.evaluation.models import Assignment

APPLICANT_ROLES = frozenset({Role.MUNICIPALITY_APPLICANT, Role.COMPANY_APPLICANT})


def is_applicant_of(user: AnyUser, application: Application) -> bool:
    return (
        isinstance(user, User)
        and user.role in APPLICANT_ROLES
        and user.organisation_id == application.organisation_id
    )


def assignment_of(user: AnyUser, application: Application) -> Assignment | None:
    if not isinstance(user, User) or user.role != Role.COMMITTEE_MEMBER:
        return None
    return Assignment.objects.filter(application=application, member=user).first()


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


def can_edit_claims(user: AnyUser, application: Application) -> bool:
    return is_applicant_of(user, application) and application.status == ApplicationStatus.DRAFT


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
