from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from smartcity.accounts.access import can_manage_registry
from smartcity.core.htmx import HtmxHttpRequest
from smartcity.registry.forms import ImportDecisionsForm, RegistryFilterForm, VerifyForm
from smartcity.registry.messages import describe_row_error
from smartcity.registry.models import Subject
from smartcity.registry.selectors import (
    RegistryFilter,
    certificate_by_number,
    certificate_list,
    certificate_status_on,
    decision_years,
    subject_for_municipality,
    subject_timeline,
)
from smartcity.registry.services import import_decisions


def certificate_list_view(request: HtmxHttpRequest) -> HttpResponse:
    form = RegistryFilterForm(request.GET or None, years=decision_years())
    registry_filter = RegistryFilter()
    if form.is_valid():
        data = form.cleaned_data
        registry_filter = RegistryFilter(
            year=data["year"],
            kind=data["kind"],
            size_class=data["size_class"],
            valid_on=data["on"],
            query=data["q"],
        )
    page = Paginator(certificate_list(registry_filter), 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "today": timezone.localdate()}
    template = "registry/partials/_results.html" if request.htmx else "registry/list.html"
    return render(request, template, context)


def city_detail(request: HttpRequest, code: str) -> HttpResponse:
    subject = subject_for_municipality(code)
    if subject is None:
        raise Http404
    decisions, certificates = subject_timeline(subject)
    return render(
        request,
        "registry/subject.html",
        {
            "subject": subject,
            "decisions": decisions,
            "certificates": certificates,
            "today": timezone.localdate(),
        },
    )


def service_detail(request: HttpRequest, subject_id: int) -> HttpResponse:
    subject = get_object_or_404(Subject, pk=subject_id, kind="service")
    decisions, certificates = subject_timeline(subject)
    return render(
        request,
        "registry/subject.html",
        {
            "subject": subject,
            "decisions": decisions,
            "certificates": certificates,
            "today": timezone.localdate(),
        },
    )


def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect(reverse("registry:verify_number", args=[form.cleaned_data["number"]]))
    return render(request, "registry/verify.html", {"form": form})


def verify_number(request: HttpRequest, number: str) -> HttpResponse:
    certificate = certificate_by_number(number)
    today = timezone.localdate()
    status = certificate_status_on(certificate, today) if certificate else ""
    return render(
        request,
        "registry/verify_result.html",
        {
            "number": number,
            "certificate": certificate,
            "status": status,
            "today": today,
            "form": VerifyForm(initial={"number": number}),
        },
        status=200 if certificate else 404,
    )


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    if not can_manage_registry(request.user):
        raise Http404
    form = ImportDecisionsForm(request.POST or None, request.FILES or None)
    result = None
    messages: list[str] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_decisions(data=upload.read(), file_name=upload.name, actor=request.user)
        messages = [describe_row_error(e) for e in result.errors]
        status = 200 if result.ok else 400
    return render(
        request,
        "registry/import.html",
        {"form": form, "result": result, "error_messages": messages},
        status=status,
    )
