"""The certificate as a PDF: Korean first, English second, with a QR code
that opens the public verification page.

WeasyPrint renders an HTML template with the Noto CJK / Nanum fonts the
set-up installs; segno draws the QR code as inline SVG (no image files).
"""

from __future__ import annotations

import datetime as dt
import io

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation

from smartcity.registry.models import Certificate
from smartcity.registry.selectors import certificate_grade, standing_of

MINISTER_TITLE_KO = "국토교통부장관"
MINISTER_TITLE_EN = "Minister of Land, Infrastructure and Transport"


def qr_svg(url: str) -> str:
    """An inline SVG QR code (error correction M) for ``url``."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False)
    return buffer.getvalue().decode()


def html_to_pdf(html: str) -> bytes:
    """Render an HTML document with WeasyPrint (fonts from the system)."""
    # Imported here: WeasyPrint loads Pango/Cairo at import, which every
    # process importing this module (e.g. the CLI) should not pay for.
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


def render_certificate_pdf(
    certificate: Certificate,
    *,
    verification_url: str,
    lang: str = "ko",
    day: dt.date | None = None,
) -> bytes:
    """One A4 page: Korean with the English text beneath (``lang="ko"``), or
    English first with the Korean beneath (``lang="en"``).

    A certificate that no longer proves a certification on ``day`` (today by
    default: revoked, lapsed, extended, replaced, not yet in force) is
    stamped across the page, in both languages, with a banner that says why
    and since when; a revocation taking effect later is announced in a
    banner. Only a valid certificate looks like one."""
    lang = "en" if lang == "en" else "ko"
    standing = standing_of(certificate, day or timezone.localdate())
    with translation.override(lang):
        html = render_to_string(
            "registry/certificate_pdf.html",
            {
                "c": certificate,
                "lang": lang,
                "grade": certificate_grade(certificate),
                "qr": qr_svg(verification_url),
                "verification_url": verification_url,
                "minister_ko": MINISTER_TITLE_KO,
                "minister_en": MINISTER_TITLE_EN,
                "standing": standing,
            },
        )
    return html_to_pdf(html)
