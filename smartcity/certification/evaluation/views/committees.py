"""The committees of a call: the calls one oversees, the committees and
their members' loads, seating a member, automatic assignment and conflict
detection (the operating body of the call's track, and the Ministry)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcity.accounts.models import User
from smartcity.certification.access import access_call_for_oversight
from smartcity.certification.choices import ApplicationStatus
from smartcity.certification.evaluation import access, selectors
from smartcity.certification.evaluation.forms import AddMemberForm, AutoAssignForm
from smartcity.certification.evaluation.messages import (
    conflict_reason_label,
    evaluation_refusal_message,
    unfilled_reason_message,
)
from smartcity.certification.evaluation.models import Committee, ConflictOfInterest
from smartcity.certification.evaluation.services import (
    EvaluationRefused,
    add_member,
    auto_assign,
    create_committees,
)
from smartcity.certification.evaluation.services.conflicts import detect_conflicts
from smartcity.certification.evaluation.views.committee_members import assign_form
from smartcity.certification.evaluation.views.common import signed_in_user as _user
from smartcity.certification.models import Application, Call
from smartcity.municipalities.choices import SizeClass

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
    plan_unfilled: list[str] | None = None,
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
            "group": _group_label(selectors.group_of(a)),
            "assignments": list(a.assignments.select_related("member").order_by("pk")),
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
            "plan_unfilled": plan_unfilled,
            "assign_form": assign_form(call),
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
    # Said plainly above the table: how many places stayed empty, and why.
    unfilled = []
    if plan.unfilled:
        missing = sum(u.missing for u in plan.unfilled)
        reasons = sorted({unfilled_reason_message(u.reason) for u in plan.unfilled})
        unfilled = [
            _("모든 자리를 채우지 못했습니다. 신청서 %(apps)s건에 위원 %(missing)s명이 모자랍니다.")
            % {"apps": len(plan.unfilled), "missing": missing},
            *reasons,
        ]
    return _committee_page(
        request,
        call,
        plan_rows=rows,
        plan_count=len(plan.assignments),
        plan_unfilled=unfilled,
    )


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


def _group_label(group: str) -> str:
    """A city group by its name (대도시, 중소도시); a service field as it is."""
    try:
        return str(SizeClass(group).label)
    except ValueError:
        return group
