"""The consensus meeting: the members' scores side by side, the committee
aggregate as the default, and (the track's operating body only) the form
that fixes the agreed points."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from smartcity.certification.evaluation import access, selectors
from smartcity.certification.evaluation.messages import evaluation_refusal_message
from smartcity.certification.evaluation.models import Consensus
from smartcity.certification.evaluation.services import EvaluationRefused, fix_consensus
from smartcity.certification.evaluation.views.common import signed_in_user as _user

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
