"""Approval, announcement, result reports, extension and its changes page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcity.accounts.access import oversees
from smartcity.accounts.models import User
from smartcity.certification.access import (
    access_application,
    access_call_for_oversight,
    can_announce,
    can_decide_approval,
    can_open_approvals,
    can_see_result,
    is_ministry_officer,
)
from smartcity.certification.confirmations import (
    application_facts,
    confirm_announce_call,
    confirm_step,
)
from smartcity.certification.domain.workflow import Action
from smartcity.certification.messages import (
    results_refusal_message,
    workflow_refusal_message,
    workflow_success_message,
)
from smartcity.certification.models import Application, Call
from smartcity.certification.services.extension import (
    ExtensionRefused,
    can_start_extension,
    changes_since_previous,
    extension_problem,
    open_calls_for,
    source_application,
    start_extension,
    window_of,
)
from smartcity.certification.services.results import (
    AnnouncementRefused,
    announce_call,
    announce_result,
    approved_by_call,
    awaiting_approval,
    result_report,
)
from smartcity.certification.services.workflow import TransitionRefused, perform
from smartcity.certification.views_versions import diff_context
from smartcity.core.confirm import confirmation_page, is_confirmed
from smartcity.registry.models import Certificate
from smartcity.registry.pdf import html_to_pdf
from smartcity.registry.selectors import certificate_by_number, is_holder_applicant


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """The Ministry's desk: reported results awaiting approval (deadline,
    overdue flag), and approved results waiting to be announced by call."""
    user = _user(request)
    if not can_open_approvals(user):
        raise Http404
    return render(
        request,
        "certification/approvals.html",
        {
            "rows": [r for r in awaiting_approval() if oversees(user, r.application.track)],
            "approved": [
                (call, applications)
                for call, applications in approved_by_call()
                if oversees(user, call.track)
            ],
            "is_ministry": is_ministry_officer(user),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def decide_approval(request: HttpRequest, application_id: int, action: str) -> HttpResponse:
    """Approve, or return with a reason, one reported result (Ministry)."""
    user = _user(request)
    application = access_application(user, application_id)
    if action not in (Action.APPROVE.value, Action.RETURN.value):
        raise Http404
    if not can_decide_approval(user, application):
        raise Http404
    reason = request.POST.get("reason", "")
    if not is_confirmed(request):
        if action == Action.RETURN.value and not reason.strip():
            messages.error(
                request, f"{application.title}: {workflow_refusal_message('reason_required')}"
            )
            return redirect(reverse("certification:approvals"))
        return confirm_step(
            request,
            application,
            action,
            back_url=reverse("certification:approvals"),
            extra_facts=[(_("사유"), reason)] if reason else [],
        )
    try:
        perform(
            actor=user,
            application=application,
            action=Action(action),
            reason=reason,
        )
    except TransitionRefused as refused:
        messages.error(request, f"{application.title}: {workflow_refusal_message(refused.code)}")
    else:
        messages.success(request, f"{application.title}: {workflow_success_message(action)}")
    return redirect(reverse("certification:approvals"))


@login_required
@require_POST
def announce_one(request: HttpRequest, application_id: int) -> HttpResponse:
    user = _user(request)
    application = access_application(user, application_id)
    if not can_announce(user, application):
        raise Http404
    if not is_confirmed(request):
        return confirm_step(
            request, application, "announce", back_url=reverse("certification:approvals")
        )
    try:
        announce_result(actor=user, application=application)
    except TransitionRefused as refused:
        messages.error(request, f"{application.title}: {workflow_refusal_message(refused.code)}")
    except AnnouncementRefused as refused:
        text = results_refusal_message(refused.code, refused.params)
        messages.error(request, f"{application.title}: {text}")
    else:
        messages.success(request, f"{application.title}: {workflow_success_message('announce')}")
    return redirect(reverse("certification:approvals"))


@login_required
@require_POST
def announce_call_view(request: HttpRequest, call_id: int) -> HttpResponse:
    """Announce every approved result of one call at once (oversight)."""
    user = _user(request)
    call = access_call_for_oversight(user, call_id)
    if not is_confirmed(request):
        waiting = next((apps for c, apps in approved_by_call() if c.pk == call.pk), [])
        return confirm_announce_call(
            request,
            call,
            [a.title for a in waiting],
            back_url=reverse("certification:approvals"),
        )
    outcome = announce_call(actor=user, call=call)
    messages.success(
        request,
        _("%(call)s: %(count)s건의 결과를 발표했습니다.")
        % {"call": call.title_ko, "count": len(outcome.announced)},
    )
    for application, code, params in outcome.refused:
        text = results_refusal_message(code, params)
        messages.error(request, f"{application.title}: {text}")
    return redirect(reverse("certification:approvals"))


def _result_application(request: HttpRequest, application_id: int) -> Application:
    application = access_application(request.user, application_id)
    if not can_see_result(request.user, application):
        raise Http404
    return application


@login_required
def result(request: HttpRequest, application_id: int) -> HttpResponse:
    """The detailed result every participant receives (certification.md §4)."""
    application = _result_application(request, application_id)
    report = result_report(application)
    certificate = report.certificate or application.extends_certificate
    today = timezone.localdate()
    can_extend = certificate is not None and can_start_extension(request.user, certificate, today)
    return render(
        request,
        "certification/result.html",
        {
            "report": report,
            "application": application,
            "extend_certificate": certificate if can_extend else None,
        },
    )


@login_required
def result_pdf(request: HttpRequest, application_id: int) -> HttpResponse:
    """The result report as a PDF, Korean by default, English with ``?lang=en``."""
    application = _result_application(request, application_id)
    lang = "en" if request.GET.get("lang") == "en" else "ko"
    report = result_report(application)
    with translation.override(lang):
        html = render_to_string(
            "certification/result_pdf.html",
            {"report": report, "application": application, "lang": lang},
        )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    suffix = "-en" if lang == "en" else ""
    response["Content-Disposition"] = f'inline; filename="result-{application.pk}{suffix}.pdf"'
    return response


@login_required
def changes(request: HttpRequest, application_id: int) -> HttpResponse:
    """What an extension application changed against the one it was pre-filled from."""
    application = access_application(request.user, application_id)
    diff = changes_since_previous(application)
    if diff is None:
        raise Http404
    return render(
        request,
        "certification/changes.html",
        {
            "application": application,
            "previous": application.previous_application,
            **diff_context(application, diff),
        },
    )


@login_required
def extension(request: HttpRequest, number: str) -> HttpResponse:
    """The holder's applicant starts the re-review (연장) application in an open call."""
    user = _user(request)
    certificate = certificate_by_number(number)
    if certificate is None or not is_holder_applicant(user, certificate.subject):
        raise Http404
    today = timezone.localdate()
    calls = open_calls_for(certificate)
    error = ""
    status = 200
    if request.method == "POST":
        status = 400
        call = next((c for c in calls if str(c.pk) == request.POST.get("call")), None)
        if call is None:
            error = results_refusal_message("call_required")
        elif not is_confirmed(request):
            return _confirm_extension(request, certificate, call)
        else:
            try:
                application = start_extension(actor=user, certificate=certificate, call=call)
            except ExtensionRefused as refused:
                error = results_refusal_message(refused.code)
            else:
                messages.success(
                    request,
                    _(
                        "연장(재검토) 신청서를 만들었습니다. 이전 신청서의 내용을 옮겨 "
                        "두었으니 바뀐 점을 확인하고 제출하세요."
                    ),
                )
                return redirect(reverse("certification:changes", args=[application.pk]))
    problem = extension_problem(certificate, today)
    return render(
        request,
        "certification/extension.html",
        {
            "certificate": certificate,
            "calls": calls,
            "window": window_of(certificate),
            "window_open": window_of(certificate).is_open(today),
            "problem": results_refusal_message(problem) if problem else "",
            "error": error,
            "previous": source_application(certificate),
        },
        status=status,
    )


def _confirm_extension(request: HttpRequest, certificate: Certificate, call: Call) -> HttpResponse:
    previous = source_application(certificate)
    return confirmation_page(
        request,
        title=_("연장 신청 확인"),
        consequences=[
            _("이 공모에 연장(재검토) 신청서를 만들고, 이전 신청서의 지표와 서류를 옮깁니다."),
            _("한 공모에는 한 번만 신청할 수 있어, 이 공모에 다른 신청서를 낼 수 없습니다."),
        ],
        facts=[
            (_("인증번호"), certificate.number),
            (_("공모"), call.title_ko),
            *(application_facts(previous) if previous else []),
        ],
        back_url=reverse("certification:extension", args=[certificate.number]),
        button=_("연장 신청서 만들기 확정"),
        danger=False,
    )
