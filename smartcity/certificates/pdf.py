"""The certificate as a PDF: Korean first, English second, with a QR code
that opens the public verification page.

WeasyPrint renders an HTML template with the Noto CJK / Nanum fonts the
set-up installs; segno draws the QR code as inline SVG (no image files).
"""

from __future__ import annotations

import io

import segno
from django.template.loader import render_to_string
from django.utils import translation

from smartcity.registry.models import Certificate

MINISTER_TITLE_KO = "국토교통부장관"
MINISTER_TITLE_EN = "Minister of Land, Infrastructure and Transport"


def qr_svg(url: str) -> str:
    """An inline SVG QR code (error correction M) for ``url``."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False)
    return buffer.getvalue().decode()


def render_certificate_pdf(certificate: Certificate, *, verification_url: str) -> bytes:
    """One A4 page, in Korean with the English text beneath."""
    from weasyprint import HTML

    with translation.override("ko"):
        html = render_to_string(
            "certificates/certificate.html",
            {
                "c": certificate,
                "qr": qr_svg(verification_url),
                "verification_url": verification_url,
                "minister_ko": MINISTER_TITLE_KO,
                "minister_en": MINISTER_TITLE_EN,
            },
        )
    return bytes(HTML(string=html).write_pdf())
