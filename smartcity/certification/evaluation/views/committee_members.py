"""The committee page's hand work: taking a member off a committee, and
assigning or unassigning a member to an application beside the automatic
assignment. Removals and unassignments ask for confirmation first (the
shared ``core.confirm`` step; a GET from the committee page's link shows it
too) and say what they did."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcity.accounts.models import User
from smartcity.certification.access import access_call_for_oversight
from smartcity.certification.evaluation import selectors
from smartcity.certification.evaluation.forms import AssignForm
from smartcity.certification.evaluation.messages import evaluation_refusal_message
from smartcity.certification.evaluation.models import Assignment, Committee, CommitteeMembership
from smartcity.certification.evaluation.services import (
    EvaluationRefused,
    assign_member,
    remove_member,
    unassign_member,
)
from smartcity.certification.evaluation.views.common import signed_in_user as _user
from smartcity.certification.models import Call
from smartcity.core.confirm import confirmation_page, is_confirmed


def _committees_url(call: Call) -> str:
    return reverse("evaluation:committees", args=[call.pk])


def assign_form(call: Call, data: object = None) -> AssignForm:
    return AssignForm(
        data,
        applications=selectors.call_applications(call),
        members=selectors.committee_members(call),
    )


def _membership(call: Call, committee_id: int, member_id: int) -> CommitteeMembership:
    membership = (
        CommitteeMembership.objects.select_related("committee", "member")
        .filter(committee_id=committee_id, committee__call=call, member_id=member_id)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


@login_required
def remove(request: HttpRequest, call_id: int, committee_id: int, member_id: int) -> HttpResponse:
    """The confirmation page (``core.confirm``), then the member off the committee."""
    user = _user(request)
    call = access_call_for_oversight(user, call_id)
    membership = _membership(call, committee_id, member_id)
    committee: Committee = membership.committee
    member: User = membership.member
    if not is_confirmed(request):
        names = {"member": member, "committee": committee.name_ko}
        consequences = (
            [
                _("%(member)s 위원은 공통 위원입니다. 이 공모의 모든 평가위원회에서 해촉합니다.")
                % names
            ]
            if membership.is_common
            else [_("%(member)s 위원을 %(committee)s에서 해촉합니다.") % names]
        )
        return confirmation_page(
            request,
            title=_("평가위원 해촉 확인"),
            consequences=[
                *consequences,
                _("배정된 신청서가 남아 있으면 해촉하지 않고 그 신청서를 알려 드립니다."),
            ],
            facts=[
                (_("공모"), call.title_ko),
                (_("평가위원회"), committee.name_ko),
                (_("위원"), str(member)),
            ],
            back_url=_committees_url(call),
            button=_("해촉 확정"),
        )
    try:
        remove_member(actor=user, committee=committee, member=member)
    except EvaluationRefused as refused:
        messages.error(request, evaluation_refusal_message(refused.code, refused.detail))
    else:
        messages.success(
            request,
            _("%(member)s 위원을 %(committee)s에서 해촉했습니다.")
            % {"member": member, "committee": committee.name_ko},
        )
    return redirect(_committees_url(call))


@login_required
@require_POST
def assign(request: HttpRequest, call_id: int) -> HttpResponse:
    user = _user(request)
    call = access_call_for_oversight(user, call_id)
    form = assign_form(call, request.POST)
    if not form.is_valid():
        messages.error(request, _("배정할 신청서와 위원을 고르세요."))
        return redirect("evaluation:committees", call_id=call.pk)
    application = form.cleaned_data["application"]
    member = form.cleaned_data["member"]
    try:
        assign_member(actor=user, application=application, member=member)
    except EvaluationRefused as refused:
        messages.error(request, evaluation_refusal_message(refused.code, refused.detail))
    else:
        messages.success(
            request,
            _("%(member)s 위원을 '%(title)s'에 배정했습니다.")
            % {"member": member, "title": application.title},
        )
    return redirect("evaluation:committees", call_id=call.pk)


@login_required
def unassign(
    request: HttpRequest, call_id: int, application_id: int, member_id: int
) -> HttpResponse:
    """The confirmation page (``core.confirm``), then the member off the application."""
    user = _user(request)
    call = access_call_for_oversight(user, call_id)
    assignment = (
        Assignment.objects.select_related("application", "member")
        .filter(application_id=application_id, application__call=call, member_id=member_id)
        .first()
    )
    if assignment is None:
        raise Http404
    application, member = assignment.application, assignment.member
    if not is_confirmed(request):
        return confirmation_page(
            request,
            title=_("배정 해제 확인"),
            consequences=[
                _("%(member)s 위원의 '%(title)s' 배정을 해제합니다.")
                % {"member": member, "title": application.title},
                _("위원이 저장해 둔 평가 초안도 함께 지워집니다(감사 기록에는 남습니다)."),
            ],
            facts=[
                (_("공모"), call.title_ko),
                (_("신청서"), application.title),
                (_("위원"), str(member)),
            ],
            back_url=_committees_url(call),
            button=_("배정 해제 확정"),
        )
    try:
        unassign_member(actor=user, application=application, member=member)
    except EvaluationRefused as refused:
        messages.error(request, evaluation_refusal_message(refused.code, refused.detail))
    else:
        messages.success(
            request,
            _("%(member)s 위원의 '%(title)s' 배정을 해제했습니다.")
            % {"member": member, "title": application.title},
        )
    return redirect(_committees_url(call))
