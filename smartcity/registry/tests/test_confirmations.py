"""The registry's irreversible actions ask for confirmation first and say
what they did after (issue 13): importing a decisions file (checked by a dry
run, then imported from the staged copy). Revocation is walked with a
certificate from an announcement in ``certification/tests/test_confirmations``."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from smartcity.core.models import AuditEvent
from smartcity.registry.models import Certificate, ImportBatch
from smartcity.registry.tests.conftest import csv_bytes
from smartcity.testing.confirm import Irreversible, walk_confirmation

pytestmark = pytest.mark.django_db


def test_importing_decisions_is_checked_confirmed_then_said(  # type: ignore[no-untyped-def]
    ministry_officer, applicant_city_a, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    client = Client()
    client.force_login(ministry_officer)
    data = csv_bytes("city,가람시,90001,,new,2025-06-01,,,,2025 press release (test)")
    upload = SimpleUploadedFile("decisions.csv", data, "text/csv")
    page = walk_confirmation(
        Irreversible(
            "registry_import",
            client,
            reverse("registry:import"),
            {"file": upload},
            lambda: Certificate.objects.exists(),
            "결정 1건을 추가했습니다",
        )
    )
    assert "0건은 이미 등록되어 있음" in page
    assert ImportBatch.objects.get().file_name == "decisions.csv"
    assert AuditEvent.objects.filter(action__startswith="registry.").exists()
    assert not list((tmp_path / "registry-import").iterdir())  # the staged copy is gone


def test_a_confirmation_of_an_unknown_file_imports_nothing(ministry_officer) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(ministry_officer)
    for token in ("0" * 64, "../../etc/passwd", "x\x00"):
        response = client.post(
            reverse("registry:import"), {"token": token, "file_name": "x.csv", "confirmed": "yes"}
        )
        assert response.status_code == 400
        assert "파일을 다시 올리세요" in response.content.decode()
    assert not Certificate.objects.exists()


def test_a_file_with_errors_is_not_offered_for_confirmation(ministry_officer) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(ministry_officer)
    bad = SimpleUploadedFile("bad.csv", csv_bytes("city,가람시,90001,,new,2025-13-01,,,,"))
    response = client.post(reverse("registry:import"), {"file": bad})
    assert response.status_code == 400 and 'data-confirm="1"' not in response.content.decode()
