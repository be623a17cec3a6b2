"""A decisions file over the upload limit is refused by its size, before it is read."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from smartcity.registry.models import Subject
from smartcity.registry.tests.conftest import csv_bytes

GOOD = "service,스마트 주차,,,new,2024-09-30,transport,가람시,,"


@pytest.mark.django_db
def test_an_oversized_decisions_file_is_refused_by_its_size(
    ministry_officer, municipal_register, client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client.force_login(ministry_officer)
    data = csv_bytes(*[GOOD] * 30_000)
    assert len(data) > settings.UPLOAD_MAX_BYTES
    with translation.override("ko"):
        response = client.post(
            reverse("registry:import"), {"file": SimpleUploadedFile("big.csv", data, "text/csv")}
        )
    assert response.status_code == 400
    assert "1.0 MB까지 올릴 수 있습니다" in response.content.decode()
    assert not Subject.objects.exists()
