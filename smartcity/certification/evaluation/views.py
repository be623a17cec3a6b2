"""The committee's pages under /reviews/: a member's review list and scoring
sheet, the discussion thread, the committees of a call, the consensus meeting
and the site-inspection checklist. Protected objects load through ``access``;
writes go through ``services``."""

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
from smartcity.certification.access import (
    access_call_for_oversight,
    assignment_of,
    can_score,
    can_see_member_scores,
)
from smartcity.certification.choices import ApplicationStatus
from smartcity.certification.evaluation import access, selectors
from smartcity.certification.evaluation.forms import (
    AddMemberForm,
    AutoAssignForm,
    CommentForm,
    DeclareConflictForm,
    InspectionForm,
)
from smartcity.certification.evaluation.messages import (
    conflict_reason_label,
    evaluation_refusal_message,
    unfilled_reason_message,
)
from smartcity.certification.evaluation.models import Committee, ConflictOfInterest, Consensus
from smartcity.certification.evaluation.services import (
    EvaluationRefused,
    add_member,
    auto_assign,
    create_committees,
    declare_conflict,
    fix_consensus,
    post_comment,
    record_inspection,
    record_member_score,
    start_inspection,
    submit_review,
)
from smartcity.certification.evaluation.services.conflicts import detect_conflicts
from smartcity.certification.models import Application, Call
from smartcity.certification.selectors import application_score_or_problem, explain
from smartcity.certification.services.workflow import TransitionRefused
from smartcity.core.htmx import HtmxHttpRequest


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


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


# --- committees of a call ----------------------------------------------------------------


@login_required
def calls(request: HttpRequest) -> HttpResponse:
    """The calls whose committees the user oversees."""
    user = _user(request)
    visible = [c for c in Call.objects.all() if access.can_manage_committees(user, c)]
    if not visible and not access.can_open_committee_calls(user):
        raise Http404
    return render(request, "evaluation/calls.html", {"calls": visible})


def _committee_page(
    request: HttpRequest,
    call: Call,
    *,
    add_form: AddMemberForm | None = None,
    plan_rows: list[dict[str, Any]] | None = None,
    plan_count: int | None = None,
    status: int = 200,
) -> HttpResponse:
    committees = list(selectors.committees_of(call))
    loads: dict[int, tuple[int, int]] = {}
    groups = []
    for committee in committees:
        rows = []
        for membership in sorted(committee.memberships.all(), key=lambda m: m.member_id):
            member = membership.member
            if member.pk not in loads:
                loads[member.pk] = (
                    selectors.current_load(member, call),
                    selectors.load_limit(member, call),
                )
            rows.append({"membership": membership, "load": loads[member.pk]})
        groups.append({"committee": committee, "rows": rows, "count": len(rows)})
    conflicts = (
        ConflictOfInterest.objects.filter(application__call=call)
        .select_related("application", "member")
        .order_by("application_id", "member_id", "reason")
    )
    applications = [
        {
            "application": a,
            "group": selectors.group_of(a),
            "members": [x.member for x in a.assignments.select_related("member").order_by("pk")],
        }
        for a in selectors.call_applications(
            call,
            [
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.UNDER_REVIEW,
                ApplicationStatus.SITE_INSPECTION,
            ],
        )
    ]
    return render(
        request,
        "evaluation/committees.html",
        {
            "call": call,
            "groups": groups,
            "usual_size": selectors.USUAL_COMMITTEE_SIZE,
            "add_form": add_form or AddMemberForm(committees=Committee.objects.filter(call=call)),
            "auto_form": AutoAssignForm(),
            "conflicts": [{"c": c, "reason": conflict_reason_label(c.reason)} for c in conflicts],
            "applications": applications,
            "plan_rows": plan_rows,
            "plan_count": plan_count,
        },
        status=status,
    )


@login_required
def committees(request: HttpRequest, call_id: int) -> HttpResponse:
    call = access_call_for_oversight(request.user, call_id)
    return _committee_page(request, call)


@login_required
@require_POST
def committees_create(request: HttpRequest, call_id: int) -> HttpResponse:
    user = _user(request)
    call = access_call_for_oversight(user, call_id)
    create_committees(actor=user, call=call)
    messages.success(request, _("평가위원회를 구성했습니다."))
    return redirect("evaluation:committees", call_id=call.pk)


@login_required
@require_POST
def committee_add_member(request: HttpRequest, call_id: int) -> HttpResponse:
    user = _user(request)
    call = access_call_for_oversight(user, call_id)
    form = AddMemberForm(request.POST, committees=Committee.objects.filter(call=call))
    if form.is_valid():
        try:
            add_member(
                actor=user,
                committee=form.cleaned_data["committee"],
                member=form.cleaned_data["member"],
                is_common=form.cleaned_data["is_common"],
                is_chair=form.cleaned_data["is_chair"],
                load_limit=form.cleaned_data["load_limit"],
            )
        except EvaluationRefused as refused:
            form.add_error(None, evaluation_refusal_message(refused.code))
        else:
            messages.success(request, _("위원을 위촉했습니다."))
            return redirect("evaluation:committees", call_id=call.pk)
    return _committee_page(request, call, add_form=form, status=400)


@login_required
@require_POST
def committee_auto_assign(request: HttpRequest, call_id: int) -> HttpResponse:
    user = _user(request)
    call = access_call_for_oversight(user, call_id)
    form = AutoAssignForm(request.POST)
    per_application = form.cleaned_data["per_application"] if form.is_valid() else None
    plan = auto_assign(actor=user, call=call, per_application=per_application)
    titles = dict(Application.objects.filter(call=call).values_list("pk", "title"))
    names = {u.pk: str(u) for u in User.objects.filter(pk__in={m for _a, m in plan.assignments})}
    rows: list[dict[str, Any]] = [
        {"kind": "assigned", "title": titles.get(a, a), "member": names.get(m, m)}
        for a, m in plan.assignments
    ]
    rows += [
        {
            "kind": "unfilled",
            "title": titles.get(u.application, u.application),
            "missing": u.missing,
            "reason": unfilled_reason_message(u.reason),
        }
        for u in plan.unfilled
    ]
    return _committee_page(request, call, plan_rows=rows, plan_count=len(plan.assignments))


@login_required
@require_POST
def detect(request: HttpRequest, call_id: int) -> HttpResponse:
    """Run conflict detection over the call's applications again (e.g. after
    seating new members)."""
    user = _user(request)
    call = access_call_for_oversight(user, call_id)
    found = sum(len(detect_conflicts(a, actor=user)) for a in selectors.call_applications(call))
    messages.info(request, _("새로 찾은 이해충돌: %(count)s건") % {"count": found})
    return redirect("evaluation:committees", call_id=call.pk)


# --- consensus --------------------------------------------------------------------------


@login_required
def consensus(request: HttpRequest, application_id: int) -> HttpResponse:
    """The consensus meeting: members' scores, the committee aggregate as the
    default, and (operating body only) the form that fixes the agreed points."""
    user = _user(request)
    application = access.access_application_for_oversight(user, application_id)
    can_fix = access.can_fix_consensus(user, application)
    panels = selectors.indicator_panels(application)
    defaults = selectors.consensus_defaults(application)
    existing = Consensus.objects.filter(application=application).first()
    agreed = {s.indicator_code: s for s in existing.scores.all()} if existing else {}
    error = ""
    values: dict[str, str] = {}
    if request.method == "POST":
        if not can_fix:
            raise Http404
        scores: dict[str, tuple[Decimal, str]] = {}
        for panel in panels:
            raw = request.POST.get(f"p-{panel.code}", "").strip()
            values[panel.code] = raw
            if not raw:
                continue
            try:
                scores[panel.code] = (Decimal(raw), request.POST.get(f"r-{panel.code}", ""))
            except InvalidOperation:
                error = evaluation_refusal_message("not_a_number")
        if not error:
            try:
                fix_consensus(
                    actor=user,
                    application=application,
                    scores=scores,
                    minutes=request.POST.get("minutes", ""),
                )
            except EvaluationRefused as refused:
                error = evaluation_refusal_message(refused.code)
            else:
                messages.success(request, _("합의 점수를 확정했습니다."))
                return redirect("evaluation:consensus", application_id=application.pk)
    rows = [
        {
            "panel": p,
            "default": values.get(p.code)
            or (agreed[p.code].points if p.code in agreed else defaults[p.code]),
            "rationale": agreed[p.code].rationale if p.code in agreed else "",
        }
        for p in panels
    ]
    return render(
        request,
        "evaluation/consensus.html",
        {
            "application": application,
            "rows": rows,
            "consensus": existing,
            "can_fix": can_fix,
            "error": error,
        },
        status=400 if error else 200,
    )


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
    return render(
        request,
        "evaluation/inspection.html",
        {
            "application": application,
            "items": items,
            "can_record": can_record and application.status == ApplicationStatus.SITE_INSPECTION,
            "can_start": can_record and application.status == ApplicationStatus.UNDER_REVIEW,
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
