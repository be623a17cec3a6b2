"""The workflow pages: the operating body's desk per call, the buttons on an
application, the supplement loop (소명·보완) and the diff between versions.

Every step goes through a service (``services.completeness``) or
``services.workflow.perform``; a refusal is shown as a translated message
and the person is sent back to where they were, never a server error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from smartcity.accounts.access import AnyUser
from smartcity.accounts.models import User
from smartcity.certification.access import (
    access_application,
    access_call_for_oversight,
    actor_for,
    can_see_internal_history,
    is_applicant_of,
)
from smartcity.certification.choices import ApplicationKind
from smartcity.certification.domain.calls import Phase, phase_at
from smartcity.certification.domain.claims import indicators_by_code
from smartcity.certification.domain.versions import CLAIM_FIELDS, diff_snapshots
from smartcity.certification.domain.workflow import Action, Actor, Status
from smartcity.certification.messages import workflow_refusal_message, workflow_success_message
from smartcity.certification.models import (
    Application,
    ApplicationVersion,
    Attachment,
    Call,
    SupplementRequest,
)
from smartcity.certification.services.calls import timeline_of
from smartcity.certification.services.completeness import (
    answer_supplement,
    exclude_application,
    request_supplement,
    withdraw_application,
)
from smartcity.certification.services.workflow import (
    TransitionRefused,
    actions_in,
    available_actions,
    perform,
    situation_from,
    with_situation_facts,
)
from smartcity.frameworks.selectors import engine_framework
from smartcity.municipalities.choices import SizeClass

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

PHASE_LABELS = {
    Phase.ANNOUNCED: _("공고"),
    Phase.OPEN: _("접수 중"),
    Phase.DOCUMENT_CHECK: _("서류 검토"),
    Phase.WRITTEN_REVIEW: _("서면평가"),
    Phase.SITE_INSPECTION: _("현장실사"),
    Phase.DECISION: _("결과 보고·승인"),
    Phase.ANNOUNCED_RESULTS: _("결과 발표"),
}

FIELD_LABELS = {
    "value": _("값"),
    "flag": _("충족 여부"),
    "stage": _("성숙도 단계"),
    "evidence": _("증빙 위치(파일·쪽)"),
    "justification": _("근거 설명"),
    "to_verify": _("현장 확인 대상"),
}


# --- forms ----------------------------------------------------------------


class SupplementRequestForm(forms.Form):
    message = forms.CharField(
        label=_("요청 내용"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    due_at = forms.DateTimeField(
        label=_("제출 기한"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    indicator_codes = forms.CharField(
        label=_("관련 지표 코드(쉼표로 구분, 선택)"), required=False, max_length=1000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            due = timezone.localtime() + dt.timedelta(days=settings.CERTIFICATION_SUPPLEMENT_DAYS)
            self.initial["due_at"] = due.replace(hour=18, minute=0, second=0, microsecond=0)

    def codes(self) -> list[str]:
        raw = self.cleaned_data.get("indicator_codes", "")
        return [c.strip() for c in raw.replace("\n", ",").split(",") if c.strip()]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("사유"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000
    )


class AnswerForm(forms.Form):
    note = forms.CharField(
        label=_("답변 내용"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


# --- helpers --------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _back(request: HttpRequest, application: Application) -> HttpResponseRedirect:
    """To the page the form was on (``next``), or the application."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(reverse("certification:edit", args=[application.pk]))


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
    """One simple step (withdraw, exclude, start review, return, approve), by POST."""
    if request.method != "POST":
        raise Http404
    application = access_application(request.user, application_id)
    try:
        step = Action(action)
    except ValueError as exc:
        raise Http404 from exc
    if step not in SIMPLE_ACTIONS:
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        _simple_step(_user(request), application, step, reason)
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


# --- the operating body's desk ----------------------------------------------


def desk_applications(call: Call) -> list[Application]:
    """Every application of the call, loaded with what ``situation_from``
    reads and the latest version, in a fixed number of queries."""
    latest = ApplicationVersion.objects.filter(application=OuterRef("pk")).order_by("-number")
    return list(
        with_situation_facts(
            Application.objects.filter(call=call, kind=ApplicationKind.APPLICATION)
        )
        .select_related("organisation", "municipality")
        .annotate(
            version_number=Subquery(latest.values("number")[:1]),
            version_at=Subquery(latest.values("submitted_at")[:1]),
        )
        .order_by("organisation__name_ko", "pk")
    )


@dataclass(frozen=True)
class DeskRow:
    application: Application
    size_class: str
    open_request: SupplementRequest | None
    actions: list[str]
    simple_actions: list[str]
    can_request: bool


@login_required
def desk(request: HttpRequest, call_id: int) -> HttpResponse:
    """Every application of a call, where it stands, and what can be done now."""
    call = access_call_for_oversight(request.user, call_id)
    user = _user(request)
    now = timezone.now()
    phase = phase_at(timeline_of(call), now)
    rows = []
    for application in desk_applications(call):
        actor = actor_for(user, application)
        actions = (
            [] if actor is Actor.OTHER else actions_in(actor, situation_from(application, now=now))
        )
        open_requests: list[SupplementRequest] = getattr(application, "open_requests", [])
        rows.append(
            DeskRow(
                application=application,
                size_class=str(SizeClass(application.size_class).label)
                if application.size_class in SizeClass.values
                else "",
                open_request=open_requests[0]
                if application.status == Status.SUPPLEMENT_REQUESTED and open_requests
                else None,
                actions=[a.value for a in actions],
                simple_actions=[a.value for a in actions if a in SIMPLE_ACTIONS],
                can_request=Action.REQUEST_SUPPLEMENT in actions,
            )
        )
    return render(
        request,
        "certification/desk.html",
        {
            "call": call,
            "phase": phase.value,
            "phase_label": PHASE_LABELS.get(phase, phase.value),
            "rows": rows,
            "request_form": SupplementRequestForm(),
            "next": request.get_full_path(),
        },
    )


# --- version diff ---------------------------------------------------------


def _version(application: Application, number: int) -> ApplicationVersion:
    version = application.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def _document(snapshot: Mapping[str, Any], kinds: Mapping[str, Any]) -> dict[str, Any]:
    return {**snapshot, "kind_label": kinds.get(str(snapshot["kind"]), snapshot["kind"])}


@login_required
def version_diff(request: HttpRequest, application_id: int, a: int, b: int) -> HttpResponse:
    """What changed from version ``a`` to version ``b``, claim by claim and field by field."""
    application = access_application(request.user, application_id)
    before, after = _version(application, a), _version(application, b)
    diff = diff_snapshots(before.snapshot, after.snapshot)
    indicators = indicators_by_code(engine_framework(application.framework))
    kinds = dict(Attachment.Kind.choices)
    claims = [
        {
            "change": change,
            "indicator": indicators.get(change.indicator),
            "fields": [
                {"label": FIELD_LABELS.get(f.field, f.field), "before": f.before, "after": f.after}
                for f in change.fields
            ],
        }
        for change in diff.claims
    ]
    return render(
        request,
        "certification/versions.html",
        {
            "application": application,
            "before": before,
            "after": after,
            "diff": diff,
            "claims": claims,
            "added": [
                {**x, "kind_label": kinds.get(x["kind"], x["kind"])} for x in diff.attachments_added
            ],
            "removed": [
                {**x, "kind_label": kinds.get(x["kind"], x["kind"])}
                for x in diff.attachments_removed
            ],
            "versions": application.versions.order_by("number"),
            "claim_fields": CLAIM_FIELDS,
        },
    )
