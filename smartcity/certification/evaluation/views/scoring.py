"""A member's scoring sheet: points, a rationale or an abstention per
indicator, with the application, its documents at the cited page and the
score's explanation linked; then a confirmation step before the review is
submitted. The oversight of the track reads the members' scores here too.

Values that fail validation stay in their field with the error beside it;
the rules the services enforce are stated on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcity.accounts.models import User
from smartcity.certification.access import assignment_of, can_score, can_see_member_scores
from smartcity.certification.evaluation import access, selectors
from smartcity.certification.evaluation.domain.review import missing_from_review, summarise
from smartcity.certification.evaluation.messages import evaluation_refusal_message
from smartcity.certification.evaluation.models import Assignment, MemberScore
from smartcity.certification.evaluation.services import (
    EvaluationRefused,
    record_member_score,
    submit_review,
)
from smartcity.certification.evaluation.views.common import signed_in_user as _user
from smartcity.certification.evaluation.views.reviews import thread_context
from smartcity.certification.models import Application


@dataclass(frozen=True)
class Posted:
    """What the member typed for one indicator, kept as typed."""

    points: str
    rationale: str
    abstain: bool


@dataclass(frozen=True)
class SheetRow:
    line: selectors.SheetLine
    points: str
    rationale: str
    abstain: bool
    error: str
    document_url: str

    @property
    def code(self) -> str:
        return self.line.indicator.code


def _posted(request: HttpRequest, codes: list[str]) -> dict[str, Posted]:
    return {
        code: Posted(
            points=request.POST.get(f"p-{code}", "").strip(),
            rationale=request.POST.get(f"r-{code}", "").strip(),
            abstain=request.POST.get(f"a-{code}") == "on",
        )
        for code in codes
    }


def _document_url(application: Application, line: selectors.SheetLine) -> str:
    citation = line.citation
    if citation is None or citation.document is None:
        return ""
    url = reverse("evaluation:document", args=[application.pk, citation.document.id])
    if citation.page is not None and citation.document.is_pdf:
        url += f"#page={citation.page}"
    return url


def _sheet(
    request: HttpRequest,
    application: Application,
    assignment: Assignment | None,
    *,
    posted: dict[str, Posted] | None = None,
    errors: dict[str, str] | None = None,
    alert: str = "",
) -> HttpResponse:
    user = _user(request)
    lines, problem = selectors.scoring_sheet(application)
    mine: dict[str, MemberScore] = (
        {s.indicator_code: s for s in assignment.scores.all()} if assignment else {}
    )
    errors = errors or {}
    rows = []
    for line in lines:
        code = line.indicator.code
        saved = mine.get(code)
        typed = (posted or {}).get(code)
        if typed is None:
            typed = Posted(
                points="" if saved is None or saved.points is None else str(saved.points),
                rationale="" if saved is None else saved.rationale,
                abstain=saved is not None and saved.abstained,
            )
        rows.append(
            SheetRow(
                line=line,
                points=typed.points,
                rationale=typed.rationale,
                abstain=typed.abstain,
                error=errors.get(code, ""),
                document_url=_document_url(application, line),
            )
        )
    entries = selectors.review_entries(assignment) if assignment else {}
    codes = [line.indicator.code for line in lines]
    show_members = can_see_member_scores(user, application)
    context: dict[str, Any] = {
        "application": application,
        "assignment": assignment,
        "is_member": assignment is not None,
        "can_score": assignment is not None and can_score(user, application),
        "rows": rows,
        "problem": problem,
        "errors": errors,
        "alert": alert,
        "done": len(codes) - len(missing_from_review(codes, entries)),
        "total": len(codes),
        "submitted": assignment is not None and assignment.submitted_at is not None,
        "documents": selectors.review_documents(application),
        "panels": selectors.indicator_panels(application) if show_members else [],
        **thread_context(application),
    }
    return render(
        request, "evaluation/review.html", context, status=400 if errors or alert else 200
    )


def _save(
    user: User,
    application: Application,
    posted: dict[str, Posted],
    mine: dict[str, MemberScore],
) -> dict[str, str]:
    """Record what changed; the error of each refused field, by indicator code."""
    errors: dict[str, str] = {}
    proposals = selectors.proposal_lookup(application)  # claims scored once per save
    for code, typed in posted.items():
        current = mine.get(code)
        if typed.abstain:
            points = None
        elif not typed.points:
            continue  # left blank: nothing to record (completeness is checked on submit)
        else:
            try:
                points = Decimal(typed.points.replace(",", ""))
            except InvalidOperation:
                errors[code] = evaluation_refusal_message("not_a_number")
                continue
        if (
            current is not None
            and current.abstained == typed.abstain
            and current.points == points
            and current.rationale == typed.rationale
        ):
            continue
        try:
            record_member_score(
                actor=user,
                application=application,
                indicator_code=code,
                points=points,
                rationale=typed.rationale,
                abstain=typed.abstain,
                proposals=proposals,
            )
        except EvaluationRefused as refused:
            errors[code] = evaluation_refusal_message(refused.code)
    return errors


def _member_assignment(user: User, application: Application) -> Assignment:
    """The member's own open review, or 404 (submitted, conflicted, not assigned)."""
    assignment = assignment_of(user, application)
    if assignment is None or not can_score(user, application):
        raise Http404
    return assignment


@login_required
def review(request: HttpRequest, application_id: int) -> HttpResponse:
    """The scoring sheet. POST saves (``submit=0``) or saves and, when every
    indicator is scored or abstained from, shows the confirmation (``submit=1``)."""
    user = _user(request)
    application = access.access_application_for_review(user, application_id)
    assignment = assignment_of(user, application)
    if request.method != "POST":
        return _sheet(request, application, assignment)
    assignment = _member_assignment(user, application)
    codes = [line.indicator.code for line in selectors.scoring_sheet(application)[0]]
    posted = _posted(request, codes)
    mine = {s.indicator_code: s for s in assignment.scores.all()}
    errors = _save(user, application, posted, mine)
    if errors:
        return _sheet(
            request,
            application,
            assignment,
            posted=posted,
            errors=errors,
            alert=_("고칠 항목이 %(count)s개 있습니다. 표시된 칸을 확인하세요.")
            % {"count": len(errors)},
        )
    if request.POST.get("submit") != "1":
        messages.success(request, _("임시 저장했습니다. 제출하기 전까지 고칠 수 있습니다."))
        return redirect(reverse("evaluation:review", args=[application.pk]))
    missing = missing_from_review(codes, selectors.review_entries(assignment))
    if missing:
        return _incomplete(request, application, assignment, missing, posted)
    return _confirmation(request, application, assignment)


def _incomplete(
    request: HttpRequest,
    application: Application,
    assignment: Assignment,
    missing: tuple[str, ...],
    posted: dict[str, Posted] | None = None,
) -> HttpResponse:
    field_error = evaluation_refusal_message("score_or_abstain")
    return _sheet(
        request,
        application,
        assignment,
        posted=posted,
        errors=dict.fromkeys(missing, field_error),
        alert=evaluation_refusal_message("review_incomplete", missing),
    )


def _confirmation(
    request: HttpRequest, application: Application, assignment: Assignment, error: str = ""
) -> HttpResponse:
    lines, _problem = selectors.scoring_sheet(application)
    codes = [line.indicator.code for line in lines]
    entries = selectors.review_entries(assignment)
    summary = summarise(codes, entries, {line.indicator.code: line.proposal for line in lines})
    abstentions = [
        {"line": line, "reason": entries[line.indicator.code].rationale}
        for line in lines
        if line.indicator.code in entries and entries[line.indicator.code].abstained
    ]
    return render(
        request,
        "evaluation/review_confirm.html",
        {
            "application": application,
            "summary": summary,
            "abstentions": abstentions,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def review_submit(request: HttpRequest, application_id: int) -> HttpResponse:
    """The confirmation's button: submit only with the confirmation ticked."""
    user = _user(request)
    application = access.access_application_for_review(user, application_id)
    assignment = _member_assignment(user, application)
    if request.POST.get("confirm") != "on":
        return _confirmation(
            request,
            application,
            assignment,
            error=evaluation_refusal_message("confirmation_required"),
        )
    try:
        submit_review(actor=user, application=application)
    except EvaluationRefused as refused:
        if refused.code == "review_incomplete":
            return _incomplete(request, application, assignment, refused.detail)
        return _sheet(
            request,
            application,
            assignment,
            alert=evaluation_refusal_message(refused.code, refused.detail),
        )
    messages.success(request, _("평가를 제출했습니다. 이제 다른 위원의 점수를 볼 수 있습니다."))
    return redirect(reverse("evaluation:review", args=[application.pk]))


@login_required
def document(request: HttpRequest, application_id: int, attachment_id: int) -> FileResponse:
    """An application's document for the committee: a PDF opens in the browser
    (so ``#page=N`` lands on the cited page); anything else downloads."""
    _application, item = access.access_document_for_review(
        request.user, application_id, attachment_id
    )
    inline = item.content_type == "application/pdf"
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not inline,
        filename=item.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
