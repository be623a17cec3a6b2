from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from smartcity.accounts.models import User
from smartcity.certification.access import access_application, assignment_of, can_score
from smartcity.certification.selectors import application_score_or_problem, explain
from smartcity.evaluation.services import record_member_score, submit_review


@login_required
def review(request: HttpRequest, application_id: int) -> HttpResponse:
    """A member's scoring sheet: points and a rationale per indicator, then submit."""
    application = access_application(request.user, application_id)
    user = request.user
    assert isinstance(user, User)
    assignment = assignment_of(user, application)
    if assignment is None:
        raise Http404
    result, _problem = application_score_or_problem(application)
    rows = explain(application, result) if result is not None else []
    mine = {s.indicator_code: s for s in assignment.scores.all()}
    errors: dict[str, str] = {}
    if request.method == "POST" and can_score(user, application):
        for row in rows:
            code = row.indicator.code
            raw = request.POST.get(f"p-{code}", "").strip()
            rationale = request.POST.get(f"r-{code}", "").strip()
            if not raw:
                continue
            try:
                points = Decimal(raw)
            except InvalidOperation:
                errors[code] = _("점수는 숫자여야 합니다.")
                continue
            if row.proposal_points is not None and points != row.proposal_points and not rationale:
                errors[code] = _("제안 점수와 다르게 평가하면 의견을 적어야 합니다.")
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
            except ValidationError:
                errors[code] = _("점수는 0점부터 배점까지입니다.")
        if not errors and request.POST.get("submit") == "1":
            submit_review(actor=user, application=application)
            return redirect(reverse("certification:explain", args=[application.pk]))
    return render(
        request,
        "evaluation/review.html",
        {
            "application": application,
            "rows": [{"row": r, "mine": mine.get(r.indicator.code)} for r in rows],
            "errors": errors,
            "submitted": assignment.submitted_at is not None,
        },
        status=400 if errors else 200,
    )
