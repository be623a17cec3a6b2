"""Who may open the committee's pages and do the committee's work.

Oversight is per track (``accounts.access.oversees``): the Ministry oversees
both certifications, an operating body only its own (KRIHS the city track,
KICT the service track).
Every refusal is a 404, like a missing object, so probing ids reveals nothing.
A member with a conflict of interest is treated as never assigned
(``certification.access.assignment_of``); applicants never reach these pages.
"""

from __future__ import annotations

from django.http import Http404

from smartcity.accounts.access import AnyUser, is_operating_body_of, is_oversight, oversees
from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.certification.access import access_application, assignment_of, is_applicant_of
from smartcity.certification.choices import ApplicationKind
from smartcity.certification.evaluation.models import InspectionItem
from smartcity.certification.models import Application, Attachment, Call


def is_committee_member(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_active and user.role == Role.COMMITTEE_MEMBER


def can_open_committee_calls(user: AnyUser) -> bool:
    """The list of calls whose committees one runs: the oversight of some track."""
    return is_oversight(user)


def access_application_for_review(user: AnyUser, application_id: int) -> Application:
    """The review page and its thread: the assigned (non-conflicted) members and
    the oversight of the track. Never the applicant."""
    application = access_application(user, application_id)
    if application.kind != ApplicationKind.APPLICATION or is_applicant_of(user, application):
        raise Http404
    if oversees(user, application.track) or assignment_of(user, application) is not None:
        return application
    raise Http404


def access_document_for_review(
    user: AnyUser, application_id: int, attachment_id: int
) -> tuple[Application, Attachment]:
    """A document of an application, for whoever may open its review page."""
    application = access_application_for_review(user, application_id)
    document = Attachment.objects.filter(pk=attachment_id, application=application).first()
    if document is None:
        raise Http404
    return application, document


def access_application_for_oversight(user: AnyUser, application_id: int) -> Application:
    """The consensus and inspection pages: oversight of the track only."""
    application = access_application(user, application_id)
    if application.kind != ApplicationKind.APPLICATION or not oversees(user, application.track):
        raise Http404
    return application


def access_application_for_declaration(user: AnyUser, application_id: int) -> Application:
    """A member declares a conflict on an application assigned to them, before
    (or instead of) opening it."""
    application = access_application(user, application_id)
    if assignment_of(user, application) is None:
        raise Http404
    return application


def access_inspection_item(user: AnyUser, item_id: int) -> InspectionItem:
    item = InspectionItem.objects.select_related("application").filter(pk=item_id).first()
    if item is None or not oversees(user, item.application.track):
        raise Http404
    return item


def can_manage_committees(user: AnyUser, call: Call) -> bool:
    return oversees(user, call.track)


def can_assign(user: AnyUser, application: Application) -> bool:
    """Assigning a member by hand: the oversight of the application's track."""
    return oversees(user, application.track)


def can_join_thread(user: AnyUser, application: Application) -> bool:
    """Read and post in the committee's discussion: assigned members without a
    conflict, and the oversight of the track. Applicants never."""
    if application.kind != ApplicationKind.APPLICATION or is_applicant_of(user, application):
        return False
    return oversees(user, application.track) or assignment_of(user, application) is not None


def can_fix_consensus(user: AnyUser, application: Application) -> bool:
    return application.kind == ApplicationKind.APPLICATION and is_operating_body_of(
        user, application.track
    )


def can_record_inspection(user: AnyUser, application: Application) -> bool:
    return can_fix_consensus(user, application)
