"""A member's screens: the list of assigned applications (with the
conflict-of-interest declaration) and the committee's discussion thread
(which the oversight of the track reads too). The scoring sheet is in
``scoring``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcity.certification.evaluation import access, selectors
from smartcity.certification.evaluation.forms import CommentForm, DeclareConflictForm
from smartcity.certification.evaluation.messages import evaluation_refusal_message
from smartcity.certification.evaluation.services import (
    EvaluationRefused,
    declare_conflict,
    post_comment,
)
from smartcity.certification.evaluation.views.common import signed_in_user as _user
from smartcity.certification.models import Application
from smartcity.core.htmx import HtmxHttpRequest

# --- a member's list ------------------------------------------------------------------


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    """내 평가: the applications assigned to a member, with declare-conflict."""
    user = _user(request)
    if not access.is_committee_member(user):
        raise Http404
    return render(
        request,
        "evaluation/my_reviews.html",
        {"assignments": selectors.review_list(user), "form": DeclareConflictForm()},
    )


@login_required
@require_POST
def declare(request: HttpRequest, application_id: int) -> HttpResponse:
    user = _user(request)
    application = access.access_application_for_declaration(user, application_id)
    form = DeclareConflictForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    declare_conflict(actor=user, application=application, note=note)
    messages.success(
        request,
        _("이해충돌을 신고했습니다. 이 신청서의 평가에서 제외되었습니다: %(title)s")
        % {"title": application.title},
    )
    return redirect("evaluation:mine")


# --- the thread ------------------------------------------------------------------------


def thread_context(application: Application, form: CommentForm | None = None) -> dict[str, Any]:
    return {
        "application": application,
        "comments": selectors.thread(application),
        "comment_form": form or CommentForm(),
    }


@login_required
def thread(request: HtmxHttpRequest, application_id: int) -> HttpResponse:
    """The discussion as an htmx partial: GET re-renders, POST adds a message."""
    user = _user(request)
    application = access.access_application_for_review(user, application_id)
    form = None
    status = 200
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                post_comment(
                    actor=user,
                    application=application,
                    body=form.cleaned_data["body"],
                    indicator_code=form.cleaned_data["indicator_code"],
                )
            except EvaluationRefused as refused:
                form.add_error(None, evaluation_refusal_message(refused.code))
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                form = None
        if form is not None:
            status = 400
        if not request.htmx and form is None:
            return redirect(reverse("evaluation:review", args=[application.pk]) + "#thread")
    return render(
        request,
        "evaluation/partials/_thread.html",
        thread_context(application, form),
        status=status,
    )
