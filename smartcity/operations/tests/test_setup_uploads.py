"""Uploads on the set-up pages: the camera register runs in the background
with its progress and a formula-safe rejected-rows report; hostile files (NUL,
a zip, one over the size limit, CP949) get a sentence, never a 5xx."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from smartcity.core.domain.spreadsheet import restore_csv_cell
from smartcity.core.models import AuditEvent
from smartcity.operations.models import Camera, CameraImport, LayerItem
from smartcity.operations.services.camera_jobs import (
    import_status,
    run_camera_import,
    start_camera_import,
    wait_for_import,
)

HEADER = "관리번호,관리기관명,소재지도로명주소,설치목적구분,WGS84위도,WGS84경도\n"
GOOD = "M1,가람시청,가람로 1,생활방범,37.5,127.0\nM2,가람시청,가람로 2,어린이보호,37.51,127.01\n"
FORMULA = "=cmd|' /C calc'!A0,기관,가람로 3,생활방범,=1+2,127.0\n"
NUL = "M4,기\x00관,가람로 4,생활방범,37.5,127.0\n"


def _login(user):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.mark.django_db
def test_a_queued_import_runs_and_reports_every_rejected_row(  # type: ignore[no-untyped-def]
    tenant_a, centre_admin, django_capture_on_commit_callbacks
) -> None:
    data = (HEADER + GOOD + FORMULA + NUL).encode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = start_camera_import(
            tenant=tenant_a, data=data, file_name="a.csv", actor=centre_admin
        )
    assert len(callbacks) == 1 and batch.state == "queued" and import_status(batch).percent == 0
    done = run_camera_import(import_id=batch.pk, data=data, actor=centre_admin)
    assert (done.state, done.accepted, done.rejected) == ("done", 2, 2)
    assert import_status(done).percent == 100
    assert Camera.objects.filter(tenant=tenant_a).count() == 2
    assert [r["line"] for r in done.rejections] == [4, 5]
    assert "\x00" not in done.rejections[1]["source"]
    assert AuditEvent.objects.filter(action="operations.cctv_imported").count() == 1


@pytest.mark.django_db
def test_the_report_is_a_csv_whose_formula_cells_open_as_text(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    data = (HEADER + GOOD + FORMULA).encode()
    batch = CameraImport.objects.create(tenant=tenant_a, file_name="f.csv", sha256="0", encoding="",
                                        state="queued")  # fmt: skip
    run_camera_import(import_id=batch.pk, data=data)
    response = _login(centre_admin).get(
        reverse("operations:setup_camera_import_report", args=[batch.pk])
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["row", "line", "reason"]
    [row] = rows[1:]
    assert row[1] == "4" and row[2] == "missing_coordinates" and row[4] == "WGS84위도"
    assert row[6].startswith("'=cmd|")
    assert restore_csv_cell(row[6]).startswith("=cmd|' /C calc'!A0,")


@pytest.mark.django_db
def test_another_centres_admin_gets_404_for_an_import_and_its_report(  # type: ignore[no-untyped-def]
    tenant_a, centre_admin_b, platform_operator
) -> None:
    batch = CameraImport.objects.create(tenant=tenant_a, file_name="f.csv", sha256="0", encoding="")
    for user in (centre_admin_b, platform_operator):
        web = _login(user)
        assert (
            web.get(reverse("operations:setup_camera_import", args=[batch.pk])).status_code == 404
        )
        report = reverse("operations:setup_camera_import_report", args=[batch.pk])
        assert web.get(report).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_an_upload_runs_in_the_background_and_the_page_polls_it(  # type: ignore[no-untyped-def]
    tenant_a, centre_admin
) -> None:
    data = (HEADER + GOOD + NUL).encode("cp949", errors="strict")
    web = _login(centre_admin)
    response = web.post(reverse("operations:setup_cameras"), {"file": _upload("cp.csv", data)})
    assert response.status_code == 302
    batch = CameraImport.objects.get()
    wait_for_import(batch.pk, timeout=60)
    batch.refresh_from_db()
    assert (batch.state, batch.encoding, batch.accepted, batch.rejected) == ("done", "cp949", 2, 1)
    fragment = web.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'data-state="done"' in fragment and "hx-trigger" not in fragment
    assert "report-link" in fragment


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("cameras.zip", b"PK\x03\x04" + b"\x00" * 200, "압축 파일"),
        ("big.csv", (HEADER + GOOD * 200).encode(), "너무 큽니다"),
    ],
)
@override_settings(UPLOAD_MAX_BYTES=4096)
def test_a_zip_or_a_huge_file_is_refused_with_a_sentence(  # type: ignore[no-untyped-def]
    tenant_a, centre_admin, name, data, message
) -> None:
    response = _login(centre_admin).post(
        reverse("operations:setup_cameras"), {"file": _upload(name, data)}
    )
    assert response.status_code == 422
    assert message in str(response.context["form"].errors["file"])
    assert not CameraImport.objects.exists()


@pytest.mark.django_db
def test_a_file_of_binary_noise_ends_as_a_rejection_not_a_crash(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    noise = bytes(range(256)) * 8
    batch = CameraImport.objects.create(tenant=tenant_a, file_name="n.csv", sha256="0", encoding="",
                                        state="queued")  # fmt: skip
    done = run_camera_import(import_id=batch.pk, data=noise)
    assert done.state == "done" and done.accepted == 0 and done.rejected == 1
    page = _login(centre_admin).get(reverse("operations:setup_camera_import", args=[batch.pk]))
    assert page.status_code == 200


@pytest.mark.django_db
def test_a_layer_upload_lists_counts_and_rejections(tenant_a, centre_admin) -> None:  # type: ignore[no-untyped-def]
    data = "시설번호,소재지도로명주소,위도,경도\nW1,가람로 1,37.5,127.0\nW2,가람로 2,,127.0\n"
    response = _login(centre_admin).post(
        reverse("operations:setup_layers"),
        {"layer": "water", "file": _upload("water.csv", data.encode())},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "layer-report" in body and "missing_coordinates" in body
    assert LayerItem.objects.filter(tenant=tenant_a, layer="water").count() == 1
    assert AuditEvent.objects.filter(action="operations.layer_imported").exists()
