"""Who may open, edit and see inside an application.

A self-assessment is private to the applicant's organisation. An application
is seen by its applicant, the oversight of its track (the Ministry, and the
operating body that runs the track: ``accounts.access.oversees``), and the
committee members assigned to it. Member scores are hidden from a member
until they have submitted their own, and never shown to the applicant.
Everything outside one's track is a 404, as for a missing object.
"""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from smartcity.accounts.access import (
    AnyUser,
    is_operating_body_of,
    is_oversight,
    oversees,
    role_of,
)
from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.certification.choices import ApplicationKind, ApplicationStatus, CallStatus
from smartcity.certification.domain.workflow import Actor, Status
from smartcity.certification.evaluation.models import Assignment, ConflictOfInterest
from smartcity.certification.models import Application, Call
from smartcity.frameworks.choices import FrameworkKind

APPLICANT_ROLES = frozenset({Role.MUNICIPALITY_APPLICANT, Role.COMPANY_APPLICANT})
#: The track an applicant's role applies in: cities for the city
#: certification, companies for the service certification.
TRACK_OF_ROLE = {
    Role.MUNICIPALITY_APPLICANT: FrameworkKind.CITY,
    Role.COMPANY_APPLICANT: FrameworkKind.SERVICE,
}


def track_to_start(user: AnyUser) -> str | None:
    """The track in which ``user`` may start a self-assessment (applicants
    only), or None."""
    role = role_of(user)
    return TRACK_OF_ROLE.get(Role(role)) if role else None


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
    if oversees(user, application.track) or assignment_of(user, application) is not None:
        return application
    raise Http404


def can_open_call(user: AnyUser, track: str) -> bool:
    """Publishing a call: the oversight of its track."""
    return oversees(user, track)


def access_call_for_oversight(user: AnyUser, call_id: int) -> Call:
    """A call's desk and committees: the oversight of the call's track only."""
    call = Call.objects.select_related("framework").filter(pk=call_id).first()
    if call is None or not oversees(user, call.track):
        raise Http404
    return call


def access_call_public(user: AnyUser, call_id: int) -> Call:
    """A call's public page: anyone once it is published; a draft only the
    oversight of its track (a preview), a 404 for everyone else."""
    call = Call.objects.select_related("framework", "size_class_rule").filter(pk=call_id).first()
    if call is None:
        raise Http404
    if call.status != CallStatus.PUBLISHED and not oversees(user, call.track):
        raise Http404
    return call


def is_ministry_officer(user: AnyUser) -> bool:
    """The Ministry's officers take the Ministry's workflow steps (approve,
    return); a superuser oversees every track but decides nothing."""
    return role_of(user) == Role.MINISTRY_OFFICER


def actor_for(user: AnyUser, application: Application) -> Actor:
    """Who ``user`` is with respect to this application (``decide``'s actor):
    staff of the other track's operating body are ``OTHER`` here."""
    if not isinstance(user, User) or not user.is_active:
        return Actor.OTHER
    if is_applicant_of(user, application):
        return Actor.APPLICANT
    if is_ministry_officer(user):
        return Actor.MINISTRY
    if role_of(user) == Role.OPERATING_BODY_STAFF:
        return (
            Actor.OPERATING_BODY if is_operating_body_of(user, application.track) else Actor.OTHER
        )
    if assignment_of(user, application) is not None:
        return Actor.MEMBER
    return Actor.OTHER


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
    if oversees(user, application.track):
        return True
    assignment = assignment_of(user, application)
    return assignment is not None and assignment.submitted_at is not None


def can_score(user: AnyUser, application: Application) -> bool:
    assignment = assignment_of(user, application)
    return assignment is not None and assignment.submitted_at is None


def can_see_internal_history(user: AnyUser, application: Application) -> bool:
    """The reasons given between the bodies (report, return, approve) and the
    names of who acted: the oversight of the application's track."""
    return oversees(user, application.track)


# --- approval, announcement and the result --------------------------------

REPORTED_OR_LATER = frozenset({Status.REPORTED, Status.APPROVED, Status.ANNOUNCED})


def can_open_approvals(user: AnyUser) -> bool:
    """The approvals desk (each row is then filtered by :func:`oversees`)."""
    return is_oversight(user)


def can_decide_approval(user: AnyUser, application: Application) -> bool:
    """Approving or returning a reported result is the Ministry's."""
    return actor_for(user, application) is Actor.MINISTRY


def can_announce(user: AnyUser, application: Application) -> bool:
    """The oversight of the application's track announces its result."""
    return oversees(user, application.track)


def can_see_result(user: AnyUser, application: Application) -> bool:
    """The applicant once the result is announced; the oversight of the
    application's track once it is reported."""
    if application.kind != ApplicationKind.APPLICATION:
        return False
    if is_applicant_of(user, application):
        return application.status == Status.ANNOUNCED
    return oversees(user, application.track) and application.status in REPORTED_OR_LATER
