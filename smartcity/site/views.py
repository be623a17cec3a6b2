from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from smartcity.accounts.access import can_view_audit_log
from smartcity.certification.choices import CallStatus
from smartcity.certification.domain.calls import Phase, phase_at
from smartcity.certification.models import Call
from smartcity.certification.services.calls import timeline_of
from smartcity.core.selectors import audit_events
from smartcity.registry.selectors import certificates_valid_on
from smartcity.site.audit import readable
from smartcity.site.forms import AuditFilterForm

PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    valid = certificates_valid_on(today)
    now = timezone.now()
    calls = Call.objects.filter(status=CallStatus.PUBLISHED).select_related("framework")
    open_calls = [
        (call, phase.value)
        for call in calls.order_by("submission_closes_at", "pk")
        if (phase := phase_at(timeline_of(call), now)) in (Phase.ANNOUNCED, Phase.OPEN)
    ]
    return render(
        request,
        "site/home.html",
        {
            "today": today,
            "valid_cities": valid.filter(kind="city").count(),
            "valid_services": valid.filter(kind="service").count(),
            "open_calls": open_calls,
        },
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log in words, filtered by actor, event, object and date.
    Filters that do not validate are named above the list, which then shows
    every row rather than a wrong selection."""
    if not can_view_audit_log(request.user):
        raise Http404
    params = request.GET.copy()
    params.pop("page", None)
    form = AuditFilterForm(params or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and form.errors:
        messages.error(request, _("검색 조건 중 사용할 수 없는 값이 있어 전체 기록을 보여 줍니다."))
    events = audit_events(**{k: v for k, v in filters.items() if v})
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "site/audit_log.html",
        {
            "page": page,
            "rows": readable(
                page.object_list,
                **{k: filters.get(k) or "" for k in ("action", "object_type", "object_id")},
            ),
            "form": form,
            "query_string": params.urlencode() if filters else "",
        },
    )
