"""Submitting an application: the completeness check, the confirmation step
and the receipt (접수증).

``submit`` shows either the refusal (what is missing, each with a link to
where it is fixed) or the confirmation: what will be submitted, the
원본대조필 attestation and the submit button, in one form. The service
decides again when the button is pressed, on the server's clock.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from smartcity.accounts.models import User
from smartcity.certification.access import access_application, is_applicant_of
from smartcity.certification.choices import ApplicationStatus
from smartcity.certification.domain.completeness import Missing
from smartcity.certification.messages import missing_item_message, refusal_message
from smartcity.certification.models import Application, ApplicationVersion
from smartcity.certification.selectors import completeness_of, indicator_tally, receipt_of
from smartcity.certification.services import (
    IncompleteApplication,
    SubmissionRefused,
    submit_application,
)
from smartcity.frameworks.selectors import engine_framework


def _missing_url(application: Application, item: Missing) -> str:
    """Where ``item`` is fixed: the indicator's row of the form, the upload
    form with the document's kind chosen, or the attestation box below."""
    if item.kind in ("indicator", "reason"):
        return reverse("certification:edit", args=[application.pk]) + f"#claim-{item.code}"
    if item.kind == "document":
        url = reverse("certification:documents", args=[application.pk])
        return f"{url}?kind={item.code}#upload"
    return "#attested"


def _missing_rows(application: Application, missing: list[Missing]) -> list[dict[str, str]]:
    indicators = engine_framework(application.framework).indicator_index
    return [
        {
            "kind": m.kind,
            "code": m.code,
            "text": missing_item_message(m, indicators.get(m.code)),
            "url": _missing_url(application, m),
        }
        for m in missing
    ]


def _page(
    request: HttpRequest,
    application: Application,
    *,
    missing: list[Missing],
    error: str = "",
    attestation_error: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "certification/submit.html",
        {
            "application": application,
            "missing": _missing_rows(application, missing),
            "tally": indicator_tally(application),
            "attachments": application.attachments.order_by("kind", "uploaded_at"),
            "error": error,
            "attestation_error": attestation_error,
        },
        status=status,
    )


@login_required
def submit(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access_application(request.user, application_id)
    user = request.user
    assert isinstance(user, User)
    if not is_applicant_of(user, application) or application.call is None:
        raise Http404
    if application.status != ApplicationStatus.DRAFT:
        latest = application.versions.order_by("-number").first()
        if latest is not None:
            return redirect(reverse("certification:receipt", args=[application.pk, latest.number]))
        raise Http404
    missing = completeness_of(application, with_attestation=False)
    if request.method != "POST":
        return _page(request, application, missing=missing)
    attested = request.POST.get("attested") == "on"
    if not attested:
        return _page(request, application, missing=missing, attestation_error=True, status=400)
    try:
        version = submit_application(actor=user, application=application, attested=True)
    except PermissionDenied as exc:
        raise Http404 from exc
    except IncompleteApplication as refused:
        application.refresh_from_db()
        return _page(request, application, missing=refused.missing, status=400)
    except SubmissionRefused as refused:
        application.refresh_from_db()
        return _page(
            request, application, missing=missing, error=refusal_message(refused.code), status=400
        )
    messages.success(
        request,
        _("신청서를 제출했습니다. 접수번호 %(number)s의 접수증을 확인하세요.")
        % {"number": receipt_of(application, version).number},
    )
    return redirect(reverse("certification:receipt", args=[application.pk, version.number]))


@login_required
def receipt(request: HttpRequest, application_id: int, number: int) -> HttpResponse:
    """The receipt of a frozen version: for the applicant and the oversight."""
    application = access_application(request.user, application_id)
    version = get_object_or_404(ApplicationVersion, application=application, number=number)
    return render(
        request,
        "certification/receipt.html",
        {"application": application, "receipt": receipt_of(application, version)},
    )
