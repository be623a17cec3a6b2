from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from smartcity.accounts.access import is_oversight
from smartcity.accounts.models import User
from smartcity.core.htmx import HtmxHttpRequest
from smartcity.registry.choices import RevocationGround
from smartcity.registry.domain.lifecycle import extension_window
from smartcity.registry.domain.revocation import revocation_problem
from smartcity.registry.forms import (
    PlateForm,
    RegistryFilterForm,
    RevokeForm,
    VerifyForm,
)
from smartcity.registry.messages import error_message
from smartcity.registry.models import Certificate, Subject
from smartcity.registry.selectors import (
    RegistryFilter,
    certificate_by_number,
    certificate_grade,
    certificate_list,
    certificate_status_on,
    decision_years,
    holder_applicants,
    is_holder_applicant,
    plates_of,
    predecessor_of,
    standing_of,
    subject_for_municipality,
    subject_timeline,
)
from smartcity.registry.services import (
    RegistryRefused,
    can_revoke,
    lifecycle_policy,
    record_plate,
    revoke_certificate,
)


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
    # The status column reads the "valid on" date when one is chosen, else today.
    as_of = registry_filter.valid_on or timezone.localdate()
    context = {"form": form, "page": page, "today": as_of}
    template = "registry/partials/_results.html" if request.htmx else "registry/list.html"
    response = render(request, template, context)
    # The filter form pushes its URL (hx-push-url): the fragment and the full
    # page share it, so the browser must neither keep the fragment nor serve
    # it for the page when the reader comes back (the back button).
    patch_vary_headers(response, ("HX-Request",))
    if request.htmx:
        add_never_cache_headers(response)
    return response


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
    """Anyone checks a certificate by its number: whether it holds today and,
    when not, since when and why (revoked: the date and the ground), with
    the certificate that continues it and the one it continues."""
    certificate = certificate_by_number(number)
    today = timezone.localdate()
    standing = standing_of(certificate, today) if certificate else None
    return render(
        request,
        "registry/verify_result.html",
        {
            "number": number,
            "certificate": certificate,
            "status": standing.status if standing else "",
            "standing": standing,
            "revocation": standing.revocation if standing else None,
            "successor": standing.successor if standing else None,
            "predecessor": predecessor_of(certificate) if certificate else None,
            "today": today,
            "form": VerifyForm(initial={"number": number}),
        },
        status=200 if certificate else 404,
    )


def _certificate_or_404(number: str) -> Certificate:
    certificate = certificate_by_number(number)
    if certificate is None:
        raise Http404
    return certificate


def _can_extend(user: object, certificate: Certificate, status: str) -> bool:
    """The holder's applicant sees "연장 신청" while the re-review window is open."""
    if status != "valid" and not (status == "expired" and not certificate.ended_by):
        return False
    if certificate.extension_number >= settings.CERTIFICATION_MAX_EXTENSIONS:
        return False
    window = extension_window(
        certificate.valid_until,
        reminder_months=settings.CERTIFICATION_REMINDER_MONTHS,
        policy=lifecycle_policy(),
    )
    return window.is_open(timezone.localdate()) and is_holder_applicant(
        user,  # type: ignore[arg-type]
        certificate.subject,
    )


def certificate_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One certificate's registry page: its facts and state, its bronze plates,
    and the forms of those who may act on it (plate, revocation, extension)."""
    certificate = _certificate_or_404(number)
    today = timezone.localdate()
    status = certificate_status_on(certificate, today)
    user = request.user
    plate_form = PlateForm(prefix="plate") if is_oversight(user) else None
    status_code = 200
    if request.method == "POST":
        if plate_form is None:
            raise Http404
        plate_form = PlateForm(request.POST, prefix="plate")
        if plate_form.is_valid():
            assert isinstance(user, User)
            try:
                record_plate(actor=user, certificate=certificate, **plate_form.cleaned_data)
            except RegistryRefused as refused:
                plate_form.add_error(None, error_message(refused.code, refused.params))
            else:
                return redirect(reverse("registry:certificate", args=[certificate.number]))
        status_code = 400
    standing = standing_of(certificate, today)
    return render(
        request,
        "registry/certificate.html",
        {
            "certificate": certificate,
            "status": status,
            "standing": standing,
            "successor": standing.successor,
            "predecessor": predecessor_of(certificate),
            "revocation": standing.revocation,
            "plates": plates_of(certificate),
            "grade": certificate_grade(certificate),
            "plate_form": plate_form,
            "can_revoke": can_revoke(user) and status == "valid" and not certificate.ended_by,
            "can_extend": _can_extend(user, certificate, status),
            "today": today,
        },
        status=status_code,
    )


@login_required
def revoke(request: HttpRequest, number: str) -> HttpResponse:
    """The Ministry revokes a certificate in two steps: the form (ground,
    reason, effective date), then a page that says what will happen and asks
    for confirmation. Everyone else gets 404."""
    user = request.user
    if not can_revoke(user):
        raise Http404
    assert isinstance(user, User)
    certificate = _certificate_or_404(number)
    today = timezone.localdate()
    if request.method != "POST":
        form = RevokeForm(initial={"effective_on": today})
        return render(request, "registry/revoke.html", {"certificate": certificate, "form": form})
    form = RevokeForm(request.POST)
    if form.is_valid():
        problem = revocation_problem(
            effective_on=form.cleaned_data["effective_on"],
            today=today,
            valid_from=certificate.valid_from,
            valid_until=certificate.valid_until,
            ended_by=certificate.ended_by,
        )
        if problem:
            params = {"today": today.isoformat(), "until": certificate.valid_until.isoformat()}
            form.add_error(None, error_message(problem, params))
    if not form.is_valid() or "edit" in request.POST:
        status = 200 if "edit" in request.POST else 400
        context = {"certificate": certificate, "form": form}
        return render(request, "registry/revoke.html", context, status=status)
    data = form.cleaned_data
    if request.POST.get("confirmed") != "yes":
        return render(
            request,
            "registry/revoke_confirm.html",
            {
                "certificate": certificate,
                "form": form,
                "ground_kind_label": RevocationGround(data["ground_kind"]).label,
                "last_valid_day": data["effective_on"] - dt.timedelta(days=1),
                "effective_today": data["effective_on"] == today,
                "notified": holder_applicants(certificate.subject),
            },
        )
    try:
        revoke_certificate(actor=user, certificate=certificate, **data)
    except RegistryRefused as refused:
        form.add_error(None, error_message(refused.code, refused.params))
        context = {"certificate": certificate, "form": form}
        return render(request, "registry/revoke.html", context, status=400)
    messages.success(
        request,
        _(
            "인증서 %(number)s의 인증을 %(day)s부로 취소했습니다. 공개 확인 페이지와 "
            "인증서 PDF에 취소가 표시되고, 인증 보유 기관에 알림을 보냈습니다."
        )
        % {"number": certificate.number, "day": data["effective_on"].isoformat()},
    )
    return redirect(reverse("registry:certificate", args=[certificate.number]))
