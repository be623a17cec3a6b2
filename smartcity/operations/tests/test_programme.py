"""Importing the platform programme and recording deployments through the services."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from smartcity.core.models import AuditEvent
from smartcity.municipalities.models import Municipality
from smartcity.operations.demo_traffic import load_programme_files
from smartcity.operations.models import PlatformDeployment, PlatformProgramme, ProgrammeApplicant
from smartcity.operations.services.programme import (
    DeploymentRefused,
    import_programme_applicants,
    record_deployment,
)

pytestmark = pytest.mark.django_db


def test_the_demo_files_import_the_2018_call_and_its_twelve_selections(
    municipal_register,
) -> None:  # type: ignore[no-untyped-def]
    calls, applicants = load_programme_files()
    assert calls.ok and applicants.ok, (calls.errors, applicants.errors)
    programme = PlatformProgramme.objects.get(year=2018)
    assert programme.applicants_reported == 33 and programme.selections_reported == 12
    selected = ProgrammeApplicant.objects.filter(programme=programme, selected=True)
    assert selected.count() == 12
    assert set(selected.values_list("municipality__code", flat=True)) >= {"11000", "50000", "52790"}
    assert {a.national_subsidy_won for a in selected} == {600_000_000}
    assert AuditEvent.objects.filter(action="operations.programme_applicants_imported").count() == 1
    # The same files again change nothing.
    again = load_programme_files()
    assert again[1].created == 0 and again[1].unchanged == 12
    assert ProgrammeApplicant.objects.count() == 12


def test_a_file_with_unknown_codes_or_years_writes_nothing_and_names_each_row(
    municipal_register,
) -> None:  # type: ignore[no-untyped-def]
    load_programme_files()
    before = ProgrammeApplicant.objects.count()
    data = (
        "year,municipality_code,selected\n"
        "2018,41280,미선정\n"  # fine on its own
        "2019,41290,미선정\n"  # no 2019 call
        "2018,99999,미선정\n"  # no such local government
    ).encode()
    result = import_programme_applicants(data=data, file_name="bad.csv")
    assert not result.ok
    assert {(e.row, e.field, e.code) for e in result.errors} == {
        (3, "year", "unknown_programme"),
        (4, "municipality_code", "unknown_municipality"),
    }
    assert ProgrammeApplicant.objects.count() == before


def test_more_named_selections_than_announced_is_refused(municipal_register) -> None:  # type: ignore[no-untyped-def]
    load_programme_files()
    data = "year,municipality_code,selected\n2018,41280,선정\n".encode()
    result = import_programme_applicants(data=data, file_name="13th.csv")
    assert [e.code for e in result.errors] == ["more_selections_than_reported"]
    assert not ProgrammeApplicant.objects.filter(municipality__code="41280").exists()


def test_a_deployment_needs_a_centre_that_serves_the_local_government(
    municipal_register,
) -> None:  # type: ignore[no-untyped-def]
    from smartcity.operations.tests.factories import TenantFactory

    goyang = Municipality.objects.get(code="41280")
    tenant = TenantFactory(municipality=goyang)
    with pytest.raises(DeploymentRefused) as refused:
        record_deployment(
            municipality=Municipality.objects.get(code="41290"), tenant=tenant,
            since=dt.date(2019, 1, 1),
        )  # fmt: skip
    assert refused.value.code == "not_a_member"
    with pytest.raises(DeploymentRefused):
        record_deployment(municipality=goyang, tenant=tenant, since=dt.date(2019, 1, 1),
                          national_subsidy_won=-1)  # fmt: skip
    deployment = record_deployment(municipality=goyang, tenant=tenant, since=dt.date(2019, 1, 1))
    assert PlatformDeployment.objects.get() == deployment
    assert AuditEvent.objects.filter(action="operations.deployment_recorded").exists()


def test_the_command_reports_rejected_rows_and_imports_nothing(
    municipal_register, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "calls.csv"
    bad.write_text("year,title_ko,applicants_reported\n2018,사업,열둘\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(Exception, match="nothing imported"):
        call_command("programme", "import-calls", str(bad), stdout=io.StringIO(), stderr=err)
    assert "2행 [applicants_reported]" in err.getvalue()
    assert not PlatformProgramme.objects.exists()


def test_the_ministry_uploads_a_file_and_sees_each_rejected_row(
    municipal_register, ministry_officer, platform_operator
) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client()
    client.force_login(ministry_officer)
    url = "/operations/programme/import/"
    bad = SimpleUploadedFile(
        "calls.csv", "year,title_ko,budget_per_site_won\n2018,사업,12억\n".encode()
    )
    response = client.post(url, {"kind": "calls", "file": bad})
    assert response.status_code == 400
    assert "2행 [budget_per_site_won]" in response.content.decode()
    assert not PlatformProgramme.objects.exists()
    good = SimpleUploadedFile("calls.csv", "year,title_ko\n2018,사업\n".encode())
    assert client.post(url, {"kind": "calls", "file": good}).status_code == 200
    assert PlatformProgramme.objects.get().title_ko == "사업"
    client.force_login(platform_operator)
    assert client.get(url).status_code == 404
