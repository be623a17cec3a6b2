"""Framework pages (public when published, drafts for overseers) and the batch CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.services import import_framework, load_shipped_frameworks
from smartcity.scoring import framework_to_dict, shipped_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped() -> None:
    load_shipped_frameworks()


def test_published_framework_is_public_and_labelled_reconstructed(shipped, client: Client) -> None:  # type: ignore[no-untyped-def]
    body = client.get(reverse("frameworks:detail", args=["city-2023"])).content.decode()
    assert "재구성본" in body
    assert "A1.1.Q1" in body
    listing = client.get(reverse("frameworks:list")).content.decode()
    assert "city-2021" in listing and "재구성본" in listing


def test_draft_is_hidden_from_the_public_but_shown_to_overseers(
    client: Client,
    operator_staff,  # type: ignore[no-untyped-def]
    applicant_city_a,
) -> None:
    doc = framework_to_dict(shipped_framework("city-2023"))
    doc["code"] = "city-2026-draft"
    import_framework(data=json.dumps(doc).encode())
    url = reverse("frameworks:detail", args=["city-2026-draft"])
    assert client.get(url).status_code == 404
    client.force_login(applicant_city_a)
    assert client.get(url).status_code == 404
    client.force_login(operator_staff)
    assert client.get(url).status_code == 200


def test_export_downloads(shipped, client: Client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("frameworks:export", args=["city-2021", "xlsx"]))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert client.get(reverse("frameworks:export", args=["city-2021", "exe"])).status_code == 404


def test_import_page_shows_problems_by_indicator(operator_staff, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(operator_staff)
    doc = framework_to_dict(shipped_framework("city-2023"))
    doc["areas"][0]["items"][0]["indicators"][0]["rule"] = {"type": "magic"}
    upload = SimpleUploadedFile("bad.json", json.dumps(doc).encode(), "application/json")
    response = client.post(reverse("frameworks:import"), {"file": upload})
    assert response.status_code == 400
    assert "unknown_rule_type" in response.content.decode()
    assert FrameworkVersion.objects.count() == 0


def test_import_page_is_for_overseers_only(applicant_city_a, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(applicant_city_a)
    assert client.get(reverse("frameworks:import")).status_code == 404


def test_batch_scoring_cli_prints_totals_grades_and_flags(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    framework = shipped_framework("service-transport-2022")
    lines = ["applicant,indicator,value,stage"]
    for indicator in (i for a in framework.areas for it in a.items for i in it.indicators):
        kind = indicator.rule.rule_type
        if kind == "maturity":
            lines.append(f"좋은기업,{indicator.code},,5")
        elif kind == "yes_no":
            lines.append(f"좋은기업,{indicator.code},yes,")
        else:
            lines.append(f"좋은기업,{indicator.code},100000,")
    lines.append("빈기업,SERVICE-NOT-A-CODE,1,")
    observations = tmp_path / "obs.csv"
    observations.write_text("\n".join(lines) + "\n", encoding="utf-8")
    context = tmp_path / "context.csv"
    context.write_text("applicant,population,area_km2\n좋은기업,100000,50\n", encoding="utf-8")
    with pytest.raises(CommandError, match="could not be scored"):
        call_command(
            "scoring",
            "run",
            "--framework",
            "service-transport-2022",
            "--observations",
            str(observations),
            "--context",
            str(context),
            "--format",
            "json",
        )
    report = json.loads(capsys.readouterr().out)
    good = next(a for a in report["applicants"] if a["applicant"] == "좋은기업")
    assert good["certified"] is True and good["grade"] == 1
    assert set(good["areas"]) == {a.code for a in framework.areas}
    bad = next(a for a in report["applicants"] if a["applicant"] == "빈기업")
    assert "error" in bad


def test_batch_scoring_cli_reports_csv_rows(tmp_path: Path) -> None:
    observations = tmp_path / "obs.csv"
    observations.write_text("applicant,indicator\n가,A1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="problem"):
        call_command(
            "scoring", "run", "--framework", "city-2023", "--observations", str(observations)
        )
