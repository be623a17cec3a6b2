"""The certificate PDF, looked at as a person would: rendered to an image,
Korean glyphs embedded, and the QR code decoding to the verification page."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.certification.services.results import announce_result
from smartcity.registry.models import Certificate
from smartcity.registry.services import import_decisions
from smartcity.registry.tests.conftest import csv_bytes
from smartcity.testing.call_calendar import KST
from smartcity.testing.certification import (
    approved,
    open_call,
    reported,
    submitted_application,
)

pytestmark = pytest.mark.django_db

ARTEFACTS = Path(__file__).resolve().parents[3] / "var" / "test-artefacts"
TOOLS = ("pdftoppm", "pdftotext", "pdffonts", "zbarimg")


@pytest.fixture
def tools() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        import os

        message = f"missing {missing}: scripts/bootstrap installs poppler-utils and zbar-tools"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def test_certificate_pdf_has_korean_text_and_a_verifying_qr(
    tools,
    municipal_register,
    clock,
    client: Client,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    clock.set(dt.datetime(2025, 6, 1, 10, 0, tzinfo=KST))  # while the extension runs
    assert import_decisions(
        data=csv_bytes(
            "city,김해시,48250,large,new,2022-09-29,,,,2024 press release (000)",
            "city,김해시,48250,large,extension,2024-11-25,,,,2024 press release (000)",
        ),
        file_name="d.csv",
    ).ok
    certificate = Certificate.objects.get(granted_by="extension")
    response = client.get(reverse("certificates:pdf", args=[certificate.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(response.content)

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "인 증 서" in text and "김해시" in text and "국토교통부장관" in text
    assert "Minister of Land, Infrastructure and Transport" in text
    assert "2024. 9. 29. ~ 2026. 11. 24." in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "CJK" in fonts or "Nanum" in fonts

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    stem = ARTEFACTS / "certificate"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "110", "-singlefile", str(pdf), str(stem)], check=True
    )
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", f"{stem}.png"], capture_output=True, text=True
    ).stdout.strip()
    assert decoded == f"http://testserver/registry/verify/{certificate.number}/"


def test_unknown_number_is_404(client: Client, db: None) -> None:
    assert client.get(reverse("certificates:pdf", args=["2099-C-0001"])).status_code == 404


@pytest.fixture
def workflow_certificate(
    city_2023,
    persona_city_population,
    clock,
    settings,
    tmp_path: Path,
    ministry_officer,
    applicant_city_a,
    operator_staff,
    committee_member,  # type: ignore[no-untyped-def]
) -> Certificate:
    """A certificate issued by announcing a certified application (grade 2)."""
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    call = open_call(ministry_officer, city_2023, clock=clock)
    application = submitted_application(clock, applicant_city_a, call)
    reported(
        clock, application, operator=operator_staff, member=committee_member, share=Decimal("0.82")
    )
    approved(clock, application, ministry=ministry_officer)
    clock.set(dt.datetime(2026, 12, 21, 10, 0, tzinfo=KST))
    certificate = announce_result(actor=ministry_officer, application=application).certificate
    assert certificate is not None
    return certificate


def _render(client: Client, certificate: Certificate, tmp_path: Path, lang: str) -> Path:
    response = client.get(reverse("certificates:pdf", args=[certificate.number]), {"lang": lang})
    assert response.status_code == 200
    pdf = tmp_path / f"certificate-{lang}.pdf"
    pdf.write_bytes(response.content)
    return pdf


def test_workflow_certificate_carries_grade_minister_and_a_verifying_qr_in_both_languages(
    tools,
    workflow_certificate: Certificate,
    client: Client,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    certificate = workflow_certificate
    verify_url = f"http://testserver/registry/verify/{certificate.number}/"
    korean = _render(client, certificate, tmp_path, "ko")
    text = subprocess.run(["pdftotext", str(korean), "-"], capture_output=True, text=True).stdout
    assert "인 증 서" in text and "가람시" in text and "국토교통부장관" in text
    assert "2등급" in text and "중소도시" in text
    assert "2026. 12. 21. ~ 2028. 12. 20." in text

    english = _render(client, certificate, tmp_path, "en")
    text = subprocess.run(["pdftotext", str(english), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())
    assert text.index("Minister of Land, Infrastructure and Transport") < text.index(
        "국토교통부장관"
    )
    assert "Grade 2" in text and "Certificate No. " + certificate.number in text
    assert "21 Dec 2026 – 20 Dec 2028" in text and "21 December 2026" in text

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for pdf, name in ((korean, "certificate-workflow-ko"), (english, "certificate-workflow-en")):
        stem = ARTEFACTS / name
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-singlefile", str(pdf), str(stem)], check=True
        )
        decoded = subprocess.run(
            ["zbarimg", "--quiet", "--raw", f"{stem}.png"], capture_output=True, text=True
        ).stdout.strip()
        assert decoded == verify_url
