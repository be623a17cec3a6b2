"""A member's screens: the list of assigned applications (with the
conflict-of-interest declaration), the scoring sheet, and the committee's
discussion thread beside it (which the oversight of the track reads too)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcity.accounts.models import User
from smartcity.certification.access import assignment_of, can_score, can_see_member_scores
from smartcity.certification.evaluation import access, selectors
from smartcity.certification.evaluation.forms import CommentForm, DeclareConflictForm
from smartcity.certification.evaluation.messages import evaluation_refusal_message
from smartcity.certification.evaluation.services import (
    EvaluationRefused,
    declare_conflict,
    post_comment,
    record_member_score,
    submit_review,
)
from smartcity.certification.evaluation.views.common import signed_in_user as _user
from smartcity.certification.models import Application
from smartcity.certification.selectors import application_score_or_problem, explain
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


# --- the scoring sheet and the thread --------------------------------------------------


@login_required
def review(request: HttpRequest, application_id: int) -> HttpResponse:
    """A member's scoring sheet (points and a rationale per indicator, then
    submit); for the oversight, the members' scores side by side, read-only."""
    user = _user(request)
    application = access.access_application_for_review(user, application_id)
    assignment = assignment_of(user, application)
    result, problem = application_score_or_problem(application)
    rows = explain(application, result) if result is not None else []
    mine = {s.indicator_code: s for s in assignment.scores.all()} if assignment else {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if assignment is None or not can_score(user, application):
            raise Http404
        errors = _save_scores(request, user, application, rows, mine)
        if not errors and request.POST.get("submit") == "1":
            submit_review(actor=user, application=application)
            messages.success(request, _("평가를 제출했습니다."))
            return redirect(reverse("evaluation:review", args=[application.pk]))
    show_members = can_see_member_scores(user, application)
    return render(
        request,
        "evaluation/review.html",
        {
            "application": application,
            "is_member": assignment is not None,
            "rows": [{"row": r, "mine": mine.get(r.indicator.code)} for r in rows],
            "problem": problem,
            "errors": errors,
            "submitted": assignment is not None and assignment.submitted_at is not None,
            "panels": selectors.indicator_panels(application) if show_members else [],
            **_thread_context(application),
        },
        status=400 if errors else 200,
    )


def _save_scores(
    request: HttpRequest,
    user: User,
    application: Application,
    rows: list[Any],
    mine: dict[str, Any],
) -> dict[str, str]:
    errors: dict[str, str] = {}
    for row in rows:
        code = row.indicator.code
        raw = request.POST.get(f"p-{code}", "").strip()
        rationale = request.POST.get(f"r-{code}", "").strip()
        if not raw:
            continue
        try:
            points = Decimal(raw)
        except InvalidOperation:
            errors[code] = evaluation_refusal_message("not_a_number")
            continue
        current = mine.get(code)
        if current and current.points == points and current.rationale == rationale:
            continue
        try:
            mine[code] = record_member_score(
                actor=user,
                application=application,
                indicator_code=code,
                points=points,
                rationale=rationale,
            )
        except EvaluationRefused as refused:
            errors[code] = evaluation_refusal_message(refused.code)
    return errors


def _thread_context(application: Application, form: CommentForm | None = None) -> dict[str, Any]:
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
        _thread_context(application, form),
        status=status,
    )
