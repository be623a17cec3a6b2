"""Uploads cannot exhaust the server's memory: zip bombs and oversized files
are refused, with a reason, while memory stays flat and nothing is lost."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from smartcity.accounts.models import User
from smartcity.certification.domain.files import check_upload
from smartcity.certification.models import Application
from smartcity.certification.services import start_self_assessment, upload_attachment
from smartcity.certification.views_submission import documents
from smartcity.frameworks.models import FrameworkVersion
from smartcity.testing.call_calendar import PDF

MB = 1024 * 1024


def bomb(first: bytes, name: str = "mimetype", unpacked_mb: int = 200) -> bytes:
    """A small ZIP whose member unpacks to ``unpacked_mb`` MiB (about 1000:1)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(name, "w", force_zip64=True) as member:
            member.write(first)
            chunk = bytes(MB)
            for _ in range(unpacked_mb):
                member.write(chunk)
        if name != "mimetype":
            archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


@pytest.fixture
def draft(city_2023: FrameworkVersion, applicant_city_a: User, settings) -> Application:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(settings.DATA_DIR / "test-uploads")
    application = start_self_assessment(
        actor=applicant_city_a, framework=city_2023, title="가람시 모의인증"
    )
    upload_attachment(actor=applicant_city_a, application=application, kind="evidence",
                      name="증빙.pdf", data=PDF)  # fmt: skip
    return application


def _post_upload(
    user: User, application: Application, name: str, data: bytes
) -> Callable[[], HttpResponse]:
    """The real view with a real multipart body, built before memory is measured."""
    request = RequestFactory().post(
        reverse("certification:documents", args=[application.pk]),
        {"action": "upload", "kind": "evidence", "file": SimpleUploadedFile(name, data)},
    )
    request.user = user
    request.session = SessionStore()
    return lambda: documents(request, application.pk)


def _peak_growth(call: Callable[[], HttpResponse]) -> tuple[HttpResponse, int]:
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        response = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response, peak - before


@pytest.mark.parametrize(
    ("name", "first", "member"),
    [
        ("bomb.hwpx", b"application/hwp+zip", "mimetype"),
        ("bomb.xlsx", b"<worksheet>", "xl/worksheets/sheet1.xml"),
    ],
)
@pytest.mark.django_db
def test_a_zip_bomb_is_refused_without_memory_growth(
    draft: Application, applicant_city_a: User, name: str, first: bytes, member: str
) -> None:
    data = bomb(first, member)
    assert len(data) < 1 * MB
    call = _post_upload(applicant_city_a, draft, name, data)
    with translation.override("ko"):
        response, growth = _peak_growth(call)
    assert growth < 50 * MB, f"memory grew by {growth / MB:.0f} MB"
    assert response.status_code == 400
    assert "압축 폭탄" in response.content.decode()
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["증빙.pdf"]


@pytest.mark.django_db
def test_the_refusal_is_translated(draft: Application, applicant_city_a: User) -> None:
    call = _post_upload(applicant_city_a, draft, "bomb.hwpx", bomb(b"application/hwp+zip"))
    with translation.override("en"):
        response = call()
    assert response.status_code == 400
    assert "zip bomb" in response.content.decode()


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_before_it_is_read(
    draft: Application, applicant_city_a: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 2 * MB
    call = _post_upload(applicant_city_a, draft, "big.pdf", PDF + bytes(40 * MB))
    with translation.override("ko"):
        response, growth = _peak_growth(call)
    assert growth < 8 * MB, f"memory grew by {growth / MB:.0f} MB"
    assert response.status_code == 400
    assert "파일이 너무 큽니다" in response.content.decode()
    assert draft.attachments.count() == 1


@pytest.mark.django_db
def test_a_large_upload_within_the_limit_is_stored_a_chunk_at_a_time(
    draft: Application, applicant_city_a: User
) -> None:
    data = PDF + bytes(30 * MB)
    call = _post_upload(applicant_city_a, draft, "큰 보고서.pdf", data)
    response, growth = _peak_growth(call)
    assert response.status_code == 302
    assert growth < 8 * MB, f"memory grew by {growth / MB:.0f} MB"
    stored = draft.attachments.get(original_name="큰 보고서.pdf")
    assert stored.size == len(data)
    with stored.file.open("rb") as handle:
        assert handle.read() == data


def test_an_ordinary_hwpx_is_still_recognised() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/hwp+zip")
        archive.writestr("Contents/section0.xml", "<hs:sec>" + "가나다" * 5000 + "</hs:sec>")
    assert check_upload("보고서.hwpx", buffer.getvalue(), max_bytes=10 * MB).kind == "hwpx"
