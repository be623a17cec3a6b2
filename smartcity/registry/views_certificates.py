"""The certificate as a PDF, served at ``/certificates/<number>.pdf``."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from smartcity.registry.pdf import render_certificate_pdf
from smartcity.registry.selectors import certificate_by_number, certificate_status_on


def certificate_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """Anyone may download a certificate: it is a public record, and the QR code
    on it leads back to the verification page that says whether it still holds.
    One that no longer holds is stamped so (``registry.pdf``)."""
    certificate = certificate_by_number(number)
    if certificate is None:
        raise Http404
    url = request.build_absolute_uri(reverse("registry:verify_number", args=[certificate.number]))
    lang = "en" if request.GET.get("lang") == "en" else "ko"
    response = HttpResponse(
        render_certificate_pdf(certificate, verification_url=url, lang=lang),
        content_type="application/pdf",
    )
    # A certificate that no longer holds says so in its file name too.
    status = certificate_status_on(certificate, timezone.localdate())
    suffix = ("" if status == "valid" else f"-{status.replace('_', '-')}") + (
        "-en" if lang == "en" else ""
    )
    response["Content-Disposition"] = (
        f'inline; filename="certificate-{certificate.number}{suffix}.pdf"'
    )
    return response
