"""The certificate PDF, looked at as a person would: rendered to an image,
Korean glyphs embedded, and the QR code decoding to the verification page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.registry.models import Certificate
from smartcity.registry.services import import_decisions
from smartcity.registry.tests.conftest import csv_bytes

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
    client: Client,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
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
