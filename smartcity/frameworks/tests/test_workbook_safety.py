"""Framework files from an upload: a zip bomb posing as a workbook is refused
before it is unpacked, and a file over the upload limit before it is read."""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile

import pytest

from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.services import import_framework

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def workbook_bomb(unpacked_mb: int = 200) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b"<sst>")
            chunk = bytes(MB)
            for _ in range(unpacked_mb):
                member.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_workbook_is_refused_without_memory_growth() -> None:
    data = workbook_bomb()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = import_framework(data=data, file_name="bomb.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - before < 50 * MB, f"memory grew by {(peak - before) / MB:.0f} MB"
    assert not result.ok
    assert [p.problem for p in result.problems] == ["unsafe_archive"]
    assert not FrameworkVersion.objects.exists()


def test_an_oversized_framework_file_is_refused_by_its_size(operator_staff, settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client = Client()
    client.force_login(operator_staff)
    big = json.dumps({"code": "too-big"}).encode() + b" " * (2 * MB)
    response = client.post(
        reverse("frameworks:import"),
        {"file": SimpleUploadedFile("big.json", big)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "up to 1.0 MB" in response.content.decode()
    assert not FrameworkVersion.objects.exists()
