"""The workflow on an application's page: the buttons (withdraw, exclude,
start review, report, return, approve), the supplement loop (소명·보완) both
ways, and the panel that shows them. The operating body's desk over a whole
call is ``views_desk``; the diff between versions is ``views_versions``; the
Ministry's approvals are ``views_results``.

Every step goes through a service (``services.completeness``) or
``services.workflow.perform``; a refusal is shown as a translated message
and the person is sent back to where they were, never a server error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from smartcity.accounts.access import AnyUser
from smartcity.accounts.models import User
from smartcity.certification.access import (
    access_application,
    can_see_internal_history,
    is_applicant_of,
)
from smartcity.certification.confirmations import confirm_step
from smartcity.certification.domain.workflow import Action, Status
from smartcity.certification.forms import AnswerForm, ReasonForm, SupplementRequestForm
from smartcity.certification.messages import workflow_refusal_message, workflow_success_message
from smartcity.certification.models import Application
from smartcity.certification.services.completeness import (
    answer_supplement,
    exclude_application,
    request_supplement,
    withdraw_application,
)
from smartcity.certification.services.workflow import (
    TransitionRefused,
    available_actions,
    perform,
)
from smartcity.core.confirm import is_confirmed
from smartcity.core.templatetags.smartcity import kst as kst_text

# Steps the generic endpoint takes; the others have their own pages (submit:
# documents; request/answer supplement: below; inspection: the evaluation
# pages; announcement: the results pages). Reporting to the Ministry is a
# plain step once the consensus is fixed and the checklist is done.
SIMPLE_ACTIONS = frozenset(
    {
        Action.WITHDRAW,
        Action.EXCLUDE,
        Action.START_REVIEW,
        Action.REPORT,
        Action.RETURN,
        Action.APPROVE,
    }
)
# Steps whose reason is kept from the applicant (between the bodies only).
INTERNAL_ACTIONS = frozenset({Action.REPORT, Action.RETURN, Action.APPROVE})
# Steps that need a reason; asked before the confirmation page, not after it.
REASON_ACTIONS = frozenset({Action.EXCLUDE, Action.RETURN})


# --- helpers --------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _back_url(request: HttpRequest, application: Application) -> str:
    """The page the form was on (``next``), or the application."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("certification:edit", args=[application.pk])


def _back(request: HttpRequest, application: Application) -> HttpResponseRedirect:
    """To the page the form was on (``next``), or the application."""
    return HttpResponseRedirect(_back_url(request, application))


def _refused(request: HttpRequest, code: str) -> None:
    messages.error(request, workflow_refusal_message(code))


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


# --- the generic endpoint -------------------------------------------------


def _simple_step(user: User, application: Application, action: Action, reason: str) -> None:
    if action is Action.WITHDRAW:
        withdraw_application(actor=user, application=application)
    elif action is Action.EXCLUDE:
        exclude_application(actor=user, application=application, reason=reason)
    else:
        perform(actor=user, application=application, action=action, reason=reason)


@login_required
def workflow_action(request: HttpRequest, application_id: int, action: str) -> HttpResponse:
    """One simple step (withdraw, exclude, start review, report, return,
    approve), by POST: first the confirmation page, then the step."""
    if request.method != "POST":
        raise Http404
    application = access_application(request.user, application_id)
    try:
        step = Action(action)
    except ValueError as exc:
        raise Http404 from exc
    if step not in SIMPLE_ACTIONS:
        raise Http404
    user = _user(request)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    # A step that is not open now goes straight to the service, which refuses
    # it with its reason (and changes nothing): there is nothing to confirm.
    if not is_confirmed(request) and step in available_actions(user, application):
        if step in REASON_ACTIONS and not reason.strip():
            _refused(request, "reason_required")
            return _back(request, application)
        facts = [(str(form.fields["reason"].label), reason)] if reason else []
        return confirm_step(
            request,
            application,
            step.value,
            back_url=_back_url(request, application),
            extra_facts=facts,
        )
    try:
        _simple_step(user, application, step, reason)
    except TransitionRefused as refused:
        _refused(request, refused.code)
    else:
        messages.success(request, workflow_success_message(step.value))
    return _back(request, application)


@login_required
def request_supplement_view(request: HttpRequest, application_id: int) -> HttpResponse:
    if request.method != "POST":
        raise Http404
    application = access_application(request.user, application_id)
    form = SupplementRequestForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, application)
    if not is_confirmed(request):
        due = form.cleaned_data["due_at"]
        if due <= timezone.now():  # asked before the confirmation; the service decides again
            _refused(request, "supplement_due_in_past")
            return _back(request, application)
        return confirm_step(
            request,
            application,
            Action.REQUEST_SUPPLEMENT.value,
            back_url=_back_url(request, application),
            extra_facts=[
                (str(form.fields["message"].label), form.cleaned_data["message"]),
                (str(form.fields["due_at"].label), kst_text(due)),
            ],
        )
    try:
        request_supplement(
            actor=_user(request),
            application=application,
            message=form.cleaned_data["message"],
            due_at=form.cleaned_data["due_at"],
            indicator_codes=form.codes(),
        )
    except TransitionRefused as refused:
        _refused(request, refused.code)
    else:
        messages.success(request, workflow_success_message(Action.REQUEST_SUPPLEMENT.value))
    return _back(request, application)


@login_required
def answer_supplement_view(request: HttpRequest, application_id: int) -> HttpResponse:
    if request.method != "POST":
        raise Http404
    application = access_application(request.user, application_id)
    form = AnswerForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    # As for the simple steps: a late or closed answer goes straight to the
    # service, which refuses it with its reason; an open one is confirmed first.
    step = Action.ANSWER_SUPPLEMENT
    if not is_confirmed(request) and step in available_actions(_user(request), application):
        return confirm_step(
            request,
            application,
            step.value,
            back_url=_back_url(request, application),
            extra_facts=[(str(form.fields["note"].label), note or "—")],
        )
    try:
        answer_supplement(actor=_user(request), application=application, note=note)
    except TransitionRefused as refused:
        _refused(request, refused.code)
    else:
        messages.success(request, workflow_success_message(Action.ANSWER_SUPPLEMENT.value))
    return _back(request, application)


# --- the panel on the application page -------------------------------------


def workflow_panel(user: AnyUser, application: Application, next_url: str = "") -> dict[str, Any]:
    """What ``partials/_workflow.html`` shows: status, buttons, supplement
    requests and history, as the viewer may see them."""
    actions = available_actions(user, application)
    oversight = can_see_internal_history(user, application)
    requests = list(
        application.supplement_requests.select_related(
            "version_before", "version_after", "requested_by__organisation"
        ).order_by("-requested_at")
    )
    open_request = next((r for r in requests if r.answered_at is None), None)
    if application.status != Status.SUPPLEMENT_REQUESTED:
        open_request = None
    history = [
        {
            "row": t,
            "reason": t.reason if oversight or t.action not in INTERNAL_ACTIONS else "",
            "who": t.actor if oversight else (t.actor.organisation or ""),
        }
        for t in application.transitions.select_related("actor__organisation").order_by("at", "id")
    ]
    return {
        "application": application,
        "actions": [a.value for a in actions],
        "simple_actions": [a.value for a in actions if a in SIMPLE_ACTIONS],
        "can_request": Action.REQUEST_SUPPLEMENT in actions,
        "can_answer": Action.ANSWER_SUPPLEMENT in actions,
        "can_submit": Action.SUBMIT in actions,
        "is_applicant": is_applicant_of(user, application),
        "open_request": open_request,
        "requests": requests,
        "history": history,
        "request_form": SupplementRequestForm(),
        "answer_form": AnswerForm(),
        "next": next_url,
    }
