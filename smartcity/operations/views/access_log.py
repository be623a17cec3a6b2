"""The centre's video access log: the month's entries, their CSV export,
and the monthly review."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from smartcity.operations.access import access_operator_tenant
from smartcity.operations.domain.access_review import month_bounds
from smartcity.operations.forms_linkage import AccessLogFilterForm, MonthForm
from smartcity.operations.selectors.linkage import (
    CSV_HEADER,
    access_entries,
    csv_rows,
    linked_agencies,
    review_for_month,
)
from smartcity.operations.selectors.viewing import LogFilter, decision_entries, viewing_sessions


def _month(request: HttpRequest) -> tuple[MonthForm, str]:
    default = timezone.localtime().strftime("%Y-%m")
    form = MonthForm(request.GET or {"month": default})
    return form, form.cleaned_data["month"] if form.is_valid() else default


@login_required
def video_log(request: HttpRequest) -> HttpResponse:
    """The month's log as a person reviews it: one row per viewing session per
    camera (opened, frames, last frame, closed, why), and the other decisions
    (refusals, break-glass) in words, with filters."""
    tenant = access_operator_tenant(request.user)
    default = timezone.localtime().strftime("%Y-%m")
    form = AccessLogFilterForm(request.GET or {"month": default}, agencies=linked_agencies(tenant))
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {"month": default}
    month = data["month"]
    start, end = _bounds(month)
    spec = LogFilter(
        start=start, end=end, agency=data.get("agency"), officer=data.get("officer") or "",
        show=data.get("show") or "all",
    )  # fmt: skip
    return render(
        request,
        "operations/video_log.html",
        {"tenant": tenant, "form": form, "month": month,
         "review": review_for_month(month, tenant=tenant),
         "sessions": viewing_sessions(tenant, spec)[:LOG_ROWS],
         "entries": decision_entries(tenant, spec)[:LOG_ROWS], "log_rows": LOG_ROWS},
    )  # fmt: skip


LOG_ROWS = 500


def _bounds(month: str) -> tuple[Any, Any]:

    return month_bounds(month, timezone.get_current_timezone())


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def video_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The month's log as CSV (UTF-8 with BOM, so spreadsheet programs read Korean)."""
    tenant = access_operator_tenant(request.user)
    _form, month = _month(request)
    start, end = _bounds(month)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow(CSV_HEADER)
        for row in csv_rows(access_entries(tenant=tenant, start=start, end=end)):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="video-access-{tenant.code}-{month}.csv"'
    )
    return response


@login_required
def video_review(request: HttpRequest) -> HttpResponse:
    """The monthly review in words, of one agency or officer when filtered."""
    tenant = access_operator_tenant(request.user)
    default = timezone.localtime().strftime("%Y-%m")
    form = AccessLogFilterForm(request.GET or {"month": default}, agencies=linked_agencies(tenant))
    del form.fields["show"]
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {"month": default}
    review = review_for_month(
        data["month"], tenant=tenant, agency=data.get("agency"), officer=data.get("officer") or ""
    )
    return render(
        request,
        "operations/video_review.html",
        {"tenant": tenant, "form": form, "month": data["month"], "review": review},
    )
