"""The site-inspection checklist: the track's operating body starts the
inspection and records each line; the Ministry reads it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcity.certification.access import actor_for
from smartcity.certification.choices import ApplicationStatus
from smartcity.certification.confirmations import confirm_step
from smartcity.certification.domain.workflow import Action, decide
from smartcity.certification.evaluation import access, selectors
from smartcity.certification.evaluation.forms import InspectionForm
from smartcity.certification.evaluation.messages import evaluation_refusal_message
from smartcity.certification.evaluation.models import Consensus
from smartcity.certification.evaluation.services import (
    EvaluationRefused,
    record_inspection,
    start_inspection,
)
from smartcity.certification.evaluation.views.common import signed_in_user as _user
from smartcity.certification.models import Application
from smartcity.certification.services.workflow import (
    TransitionRefused,
    available_actions,
    situation_of,
)
from smartcity.core.confirm import is_confirmed

# --- site inspection ------------------------------------------------------------------


@login_required
def inspection(request: HttpRequest, application_id: int) -> HttpResponse:
    """The site-inspection checklist; the operating body starts it and records each line."""
    user = _user(request)
    application = access.access_application_for_oversight(user, application_id)
    can_record = access.can_record_inspection(user, application)
    error = ""
    if request.method == "POST":
        if not can_record:
            raise Http404
        if not is_confirmed(request) and Action.START_INSPECTION in available_actions(
            user, application
        ):
            return confirm_step(
                request,
                application,
                "start_inspection",
                back_url=reverse("evaluation:inspection", args=[application.pk]),
            )
        try:
            start_inspection(actor=user, application=application)
        except TransitionRefused as refused:
            error = evaluation_refusal_message(refused.code)
        else:
            messages.success(request, _("현장실사를 시작했습니다."))
            return redirect("evaluation:inspection", application_id=application.pk)
    return _inspection_page(request, application, can_record=can_record, error=error)


def _inspection_page(
    request: HttpRequest,
    application: Application,
    *,
    can_record: bool,
    error: str = "",
    forms_by_item: dict[int, InspectionForm] | None = None,
) -> HttpResponse:
    framework = selectors.framework_of(application)
    items = [
        {
            "item": item,
            "indicator": framework.indicator_index.get(item.indicator_code),
            "form": (forms_by_item or {}).get(item.pk)
            or InspectionForm(
                prefix=f"i{item.pk}",
                initial={
                    "outcome": item.outcome if item.outcome != "pending" else "confirmed",
                    "adjusted_points": item.adjusted_points,
                    "note": item.note,
                },
            ),
        }
        for item in selectors.inspection_checklist(application)
    ]
    under_review = can_record and application.status == ApplicationStatus.UNDER_REVIEW
    # The start button only when the inspection can start; otherwise why not
    # (e.g. no claim is marked for the site: the report needs no inspection).
    verdict = (
        decide(
            Action.START_INSPECTION,
            actor_for(request.user, application),
            situation_of(application),
        )
        if under_review
        else None
    )
    return render(
        request,
        "evaluation/inspection.html",
        {
            "application": application,
            "items": items,
            "can_record": can_record and application.status == ApplicationStatus.SITE_INSPECTION,
            "can_start": verdict is not None and verdict.allowed,
            "cannot_start": (
                evaluation_refusal_message(verdict.code)
                if verdict is not None and not verdict.allowed
                else ""
            ),
            "nothing_to_verify": verdict is not None and verdict.code == "nothing_to_verify",
            "consensus": Consensus.objects.filter(application=application).first(),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def inspection_item(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _user(request)
    item = access.access_inspection_item(user, item_id)
    application = item.application
    if not access.can_record_inspection(user, application):
        raise Http404
    form = InspectionForm(request.POST, prefix=f"i{item.pk}")
    if form.is_valid():
        try:
            record_inspection(
                actor=user,
                item=item,
                outcome=form.cleaned_data["outcome"],
                adjusted_points=form.cleaned_data["adjusted_points"],
                note=form.cleaned_data["note"],
            )
        except EvaluationRefused as refused:
            form.add_error(None, evaluation_refusal_message(refused.code))
        else:
            messages.success(request, _("현장실사 결과를 기록했습니다."))
            return redirect("evaluation:inspection", application_id=application.pk)
    return _inspection_page(
        request,
        application,
        can_record=True,
        error=_("고칠 항목이 있습니다. 아래에서 확인하세요."),
        forms_by_item={item.pk: form},
    )
