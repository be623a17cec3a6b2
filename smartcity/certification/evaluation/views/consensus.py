"""The consensus meeting: the members' scores side by side, the committee
aggregate as the default, and (the track's operating body only) the form
that fixes the agreed points."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartcity.certification.evaluation import access, selectors
from smartcity.certification.evaluation.messages import evaluation_refusal_message
from smartcity.certification.evaluation.models import Assignment, Consensus
from smartcity.certification.evaluation.services import (
    EvaluationRefused,
    fix_consensus,
    reopen_review,
)
from smartcity.certification.evaluation.views.common import signed_in_user as _user
from smartcity.certification.models import Application
from smartcity.core.confirm import confirmation_page, is_confirmed

# --- consensus --------------------------------------------------------------------------


@login_required
def consensus(request: HttpRequest, application_id: int) -> HttpResponse:
    """The consensus meeting: members' scores, the committee aggregate as the
    default, and (operating body only) the form that fixes the agreed points."""
    user = _user(request)
    application = access.access_application_for_oversight(user, application_id)
    can_fix = access.can_fix_consensus(user, application)
    panels = selectors.indicator_panels(application)
    existing = Consensus.objects.filter(application=application).first()
    error = ""
    values: dict[str, str] = {}
    rationales: dict[str, str] = {}
    if request.method == "POST":
        if not can_fix:
            raise Http404
        scores: dict[str, tuple[Decimal, str]] = {}
        for panel in panels:
            raw = request.POST.get(f"p-{panel.code}", "").strip()
            values[panel.code] = raw
            rationales[panel.code] = request.POST.get(f"r-{panel.code}", "")
            if not raw:
                continue
            try:
                scores[panel.code] = (Decimal(raw), request.POST.get(f"r-{panel.code}", ""))
            except InvalidOperation:
                error = evaluation_refusal_message("not_a_number")
        if not error and not is_confirmed(request):
            return _confirm_consensus(request, application, scores, existing is not None)
        if not error:
            try:
                fix_consensus(
                    actor=user,
                    application=application,
                    scores=scores,
                    minutes=request.POST.get("minutes", ""),
                )
            except EvaluationRefused as refused:
                error = evaluation_refusal_message(refused.code, refused.detail)
            else:
                messages.success(request, _("합의 점수를 확정했습니다."))
                return redirect("evaluation:consensus", application_id=application.pk)
    return _page(
        request,
        application,
        {
            "rows": _rows(application, panels, values, rationales),
            "consensus": existing,
            "can_fix": can_fix,
            "error": error,
        },
    )


def _confirm_consensus(
    request: HttpRequest,
    application: Application,
    scores: dict[str, tuple[Decimal, str]],
    again: bool,
) -> HttpResponse:
    """The confirmation page of fixing the agreed points, with every line."""
    consequences = [
        _("지표 %(count)s개의 합의 점수를 확정하고, 총점과 등급을 계산해 기록합니다.")
        % {"count": len(scores)},
        _("확정한 뒤에는 위원이 제출한 평가를 다시 열 수 없고, 이 점수로 결과를 보고합니다."),
    ]
    if again:
        consequences.insert(0, _("이미 확정한 합의 점수를 이 점수로 바꿉니다."))
    return confirmation_page(
        request,
        title=_("합의 점수 확정 확인"),
        consequences=consequences,
        facts=[
            (_("신청서"), application.title),
            *((code, f"{points} {reason}".strip()) for code, (points, reason) in scores.items()),
        ],
        back_url=reverse("evaluation:consensus", args=[application.pk]),
        button=_("합의 점수 확정"),
    )


def _rows(
    application: Application,
    panels: list[selectors.IndicatorPanel],
    values: dict[str, str],
    rationales: dict[str, str],
) -> list[dict[str, Any]]:
    """Each indicator's line: what was typed, else the agreed points, else the default."""
    defaults = selectors.consensus_defaults(application)
    existing = Consensus.objects.filter(application=application).first()
    agreed = {s.indicator_code: s for s in existing.scores.all()} if existing else {}
    return [
        {
            "panel": p,
            "default": values.get(p.code)
            or (agreed[p.code].points if p.code in agreed else defaults[p.code]),
            "rationale": rationales.get(p.code)
            or (agreed[p.code].rationale if p.code in agreed else ""),
        }
        for p in panels
    ]


def _page(
    request: HttpRequest,
    application: Application,
    context: dict[str, Any],
    *,
    reopen_error: tuple[int, str, str] | None = None,
) -> HttpResponse:
    """The consensus page, with every assigned member's progress and (for the
    operating body, before consensus) the form that reopens a submitted review."""
    error = context.get("error", "")
    return render(
        request,
        "evaluation/consensus.html",
        {
            "application": application,
            "progress": selectors.member_progress(application),
            "can_reopen": context["can_fix"] and context["consensus"] is None,
            "reopen_error": reopen_error,
            **context,
        },
        status=400 if error or reopen_error else 200,
    )


@login_required
@require_POST
def reopen(request: HttpRequest, application_id: int, assignment_id: int) -> HttpResponse:
    """The operating body reopens a member's submitted review, with a reason."""
    user = _user(request)
    application = access.access_application_for_oversight(user, application_id)
    if not access.can_fix_consensus(user, application):
        raise Http404
    assignment = (
        Assignment.objects.select_related("member")
        .filter(pk=assignment_id, application=application)
        .first()
    )
    if assignment is None:
        raise Http404
    reason = request.POST.get("reason", "")
    try:
        if not is_confirmed(request):
            # The reason is asked before the confirmation page, not after it;
            # the service decides everything again when confirmed.
            if not reason.strip():
                raise EvaluationRefused("reopen_reason_required")
            return _confirm_reopen(request, application, assignment, reason)
        reopen_review(actor=user, application=application, member=assignment.member, reason=reason)
    except EvaluationRefused as refused:
        existing = Consensus.objects.filter(application=application).first()
        return _page(
            request,
            application,
            {
                "rows": _rows(application, selectors.indicator_panels(application), {}, {}),
                "consensus": existing,
                "can_fix": True,
                "error": "",
            },
            reopen_error=(
                assignment.pk,
                evaluation_refusal_message(refused.code, refused.detail),
                reason,
            ),
        )
    messages.success(
        request,
        _("%(name)s 위원의 평가를 다시 열었습니다. 위원에게 알림을 보냈습니다.")
        % {"name": assignment.member},
    )
    return redirect("evaluation:consensus", application_id=application.pk)


def _confirm_reopen(
    request: HttpRequest, application: Application, assignment: Assignment, reason: str
) -> HttpResponse:
    """The confirmation page of reopening one member's submitted review."""
    return confirmation_page(
        request,
        title=_("평가 다시 열기 확인"),
        consequences=[
            _("%(name)s 위원이 제출한 평가를 다시 열어 고칠 수 있게 하고, 위원에게 알립니다.")
            % {"name": assignment.member},
            _("위원이 평가를 다시 제출할 때까지 합의 점수를 확정할 수 없습니다."),
        ],
        facts=[
            (_("신청서"), application.title),
            (_("위원"), str(assignment.member)),
            (_("사유"), reason),
        ],
        back_url=reverse("evaluation:consensus", args=[application.pk]),
        button=_("평가 다시 열기 확정"),
    )
