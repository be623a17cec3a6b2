"""The demo's annual reports are not empty: ``smartcity demo load`` adds the
seeds' good practices and call figures (issue 13 "the public record")."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.test import Client

from smartcity.analytics.models import CallFigures, GoodPractice
from smartcity.site.demo_practices import PRACTICES

pytestmark = pytest.mark.django_db


def test_demo_load_adds_the_seeds_good_practices_once(municipal_register: None) -> None:  # type: ignore[no-untyped-def]
    rows = list(csv.DictReader(PRACTICES.open(encoding="utf-8")))
    assert {r["year"] for r in rows} == {"2021", "2024"} and all(r["source"] for r in rows)
    out = io.StringIO()
    call_command("demo", "load", stdout=out)
    assert f"good practices (annual reports): {len(rows)} added" in out.getvalue()
    assert GoodPractice.objects.count() == len(rows)
    goyang = GoodPractice.objects.get(heading="리빙랩 기반 시민 주도 사회문제 해결")
    assert goyang.year == 2024 and goyang.subject.name == "고양시"
    assert goyang.points()[0].startswith("리빙랩 거버넌스의 활발한 운영")
    again = io.StringIO()
    call_command("demo", "load", stdout=again)
    assert "good practices (annual reports): 0 added" in again.getvalue()
    assert "call figures (annual reports): 2 recorded" in out.getvalue()
    assert "call figures (annual reports): 0 recorded" in again.getvalue()
    report = Client().get("/analytics/reports/2024/").content.decode()
    assert "리빙랩 기반 시민 주도 사회문제 해결" in report and "세종 시티앱" in report
    assert "인증 재검토(연장)에는 7곳이 신청하였다." in report
    report_2021 = Client().get("/analytics/reports/2021/").content.decode()
    assert "AI 및 빅데이터 기반 예측 시스템" in report_2021
    assert "2021년 인증 공모에는 총 30개 도시가 신청하였다." in report_2021
    assert "001" in CallFigures.objects.get(year=2021, kind="city").source
