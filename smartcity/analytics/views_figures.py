"""The Ministry's small form for a year's call figures (how many applied, as
the press release says), shown on that year's results report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smartcity.accounts.access import is_ministry
from smartcity.accounts.models import User
from smartcity.analytics.forms import CallFiguresForm
from smartcity.analytics.models import CallFigures
from smartcity.analytics.services import PracticeRefused, record_call_figures
from smartcity.analytics.views import _announced_year

REFUSALS = {
    "figure_required": gettext_lazy("신청 수를 하나 이상 입력하세요."),
    "figure_out_of_range": gettext_lazy("연도나 신청 수가 허용 범위를 벗어났습니다."),
    "source_required": gettext_lazy("출처를 입력하세요."),
}


@login_required
def call_figures(request: HttpRequest, year: int) -> HttpResponse:
    """GET: the year's recorded figures and the form; POST: record one kind's."""
    user = request.user
    if not isinstance(user, User) or not is_ministry(user):
        raise Http404
    year = _announced_year(year)
    form = CallFiguresForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_call_figures(
                actor=user,
                year=year,
                kind=form.cleaned_data["kind"],
                applicants=form.cleaned_data["applicants"],
                extension_applicants=form.cleaned_data["extension_applicants"],
                source=form.cleaned_data["source"],
            )
        except PracticeRefused as exc:
            form.add_error(None, str(REFUSALS[exc.code]))
        else:
            messages.success(request, _("%(year)s년 공모 통계를 기록했습니다.") % {"year": year})
            return redirect("analytics:report", year=year)
    return render(
        request,
        "analytics/call_figures.html",
        {"year": year, "form": form, "figures": CallFigures.objects.filter(year=year)},
        status=400 if form.errors else 200,
    )
