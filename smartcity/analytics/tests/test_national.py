"""The national platform page: its figures equal counts taken directly from
the records; who sees what; CSV formula safety; evidence for the applicant."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db.models import Min
from django.test import Client

from smartcity.analytics.domain.outcomes import month_of
from smartcity.analytics.selectors.national import coverage, outcome_figures
from smartcity.operations.errors import VideoRefused
from smartcity.operations.models import (
    Incident,
    PlatformProgramme,
    VideoAccessEntry,
    VideoGrant,
    ViewingSession,
)
from smartcity.operations.services.agencies import certify_officer, create_agency
from smartcity.operations.services.tenancy import issue_intake_client
from smartcity.operations.services.video.break_glass import break_glass_grant
from smartcity.operations.services.video.grants import grant_video
from smartcity.operations.services.video.viewing import record_frame
from smartcity.operations.tests.factories import CameraFactory, IncidentFactory, TenantFactory

pytestmark = pytest.mark.django_db
REASON = "납치 신고, 피해자 위치 확인이 급함"


@pytest.fixture
def traffic(platform_operator, police_officer):  # type: ignore[no-untyped-def]
    """가람시's centre with a police room: two robberies granted (one watched
    95 s after arrival), a theft taken by break-glass, a noise report refused."""
    tenant = TenantFactory(municipality=platform_operator.organisation.municipality)
    agency = create_agency(
        code="garam-112", name_ko="가람경찰서 112 상황실", kind="police",
        organisation=police_officer.organisation, tenants=[tenant],
    )  # fmt: skip
    certify_officer(agency=agency, officer=police_officer)
    cameras = [
        CameraFactory(tenant=tenant, latitude=Decimal("37.50000000") + Decimal(d))
        for d in ("0.00001", "0.001")
    ]
    ids = [c.pk for c in cameras]
    robberies = [IncidentFactory(tenant=tenant, case_type="강도") for _ in range(2)]
    for n, incident in enumerate(robberies):
        grant = grant_video(tenant=tenant, incident_id=incident.pk, agency_id=agency.pk,
                            camera_ids=ids, actor=platform_operator)  # fmt: skip
        if n == 0:
            record_frame(grant=grant, camera_id=ids[0], officer=police_officer, agency=agency,
                         now=incident.created_at + dt.timedelta(seconds=95))  # fmt: skip
    theft = IncidentFactory(tenant=tenant, case_type="절도")
    break_glass_grant(officer=police_officer, sender="112", external_id=theft.external_id,
                      justification=REASON)  # fmt: skip
    noise = IncidentFactory(tenant=tenant, case_type="소음")
    with pytest.raises(VideoRefused):
        grant_video(tenant=tenant, incident_id=noise.pk, agency_id=agency.pk, camera_ids=ids,
                    actor=platform_operator)  # fmt: skip
    issue_intake_client(tenant=tenant, name="통신사", source="WP1")
    IncidentFactory(tenant=tenant, event_type_id="WPSSF110", sender="WP1")
    return tenant


def test_the_figures_equal_counts_taken_directly_from_the_records(traffic) -> None:  # type: ignore[no-untyped-def]
    figures = outcome_figures()
    assert figures.total.provisions == VideoGrant.objects.count() == 3
    assert figures.total.break_glass == VideoGrant.objects.filter(break_glass=True).count() == 1
    refused = VideoAccessEntry.objects.filter(step__in=["grant", "break_glass"], granted=False)
    assert figures.total.refusals == refused.count() == 1
    assert dict(figures.reasons) == {"not_video_crime": 1}
    by_month: dict[str, int] = {}
    for g in VideoGrant.objects.all():
        by_month[month_of(g.created_at)] = by_month.get(month_of(g.created_at), 0) + 1
    assert {m: t.provisions for m, t in figures.by_month.items() if t.provisions} == by_month
    # Time to first frame: the earliest session of each 112/119 incident − its arrival.
    expected = []
    for row in ViewingSession.objects.values("grant__incident_id").annotate(first=Min("opened_at")):
        incident = Incident.objects.get(pk=row["grant__incident_id"])
        expected.append((row["first"] - incident.created_at).total_seconds())
    assert sorted(figures.total.seconds) == sorted(expected)
    assert 95 in figures.total.seconds
    assert figures.by_agency["가람경찰서 112 상황실"].provisions == 3
    assert outcome_figures(tenant=traffic).total.provisions == 3


def test_coverage_is_derived_from_agencies_keys_and_incidents(traffic) -> None:  # type: ignore[no-untyped-def]
    (centre,) = coverage()
    states = {link.service.key: link.state for link in centre.links}
    assert states["video_112"] == "linked"  # police room + 112UC001 incidents
    assert states["dispatch_112"] == "channel_only"
    assert states["vulnerable"] == "linked"  # carrier key + a WPSSF110 incident
    assert centre.linked == 2


def _login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_public_sees_the_register_and_coverage_but_not_the_figures(
    traffic, applicant_city_a, ministry_officer
) -> None:  # type: ignore[no-untyped-def]
    for client in (Client(), _login(applicant_city_a)):
        page = client.get("/analytics/platform/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "5대 안전망 연계 서비스" in html
        assert "table-provisions-by-month" not in html
        assert 'id="outcomes-restricted"' in html
        assert client.get("/analytics/platform/?csv=provisions-by-month").status_code == 404
        assert client.get("/analytics/platform/?csv=coverage").status_code == 200
    ministry = _login(ministry_officer)
    html = ministry.get("/analytics/platform/").content.decode()
    assert "table-provisions-by-month" in html and "table-time-to-first-frame" in html
    assert ministry.get(f"/analytics/platform/?centre={traffic.code}").status_code == 200
    assert ministry.get("/analytics/platform/?centre=nope").status_code == 404
    assert ministry.get("/analytics/platform/?centre=a%00b").status_code == 404
    assert ministry.get("/analytics/platform/?csv=%00").status_code == 404


def test_csv_cells_that_look_like_formulas_open_as_text(traffic, ministry_officer) -> None:  # type: ignore[no-untyped-def]
    traffic.name_ko = '=HYPERLINK("http://x","y")'
    traffic.save()
    body = _login(ministry_officer).get("/analytics/platform/?csv=outcomes-by-centre")
    text = body.content.decode("utf-8-sig")
    assert "\n'=HYPERLINK" in text or text.startswith("'=HYPERLINK") or "\"'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text


def test_the_2018_call_is_on_the_page(municipal_register) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from smartcity.operations.demo_traffic import DATA

    call_command("programme", "import-calls", str(DATA / "platform_programmes.csv"),
                 stdout=io.StringIO())  # fmt: skip
    call_command("programme", "import-applicants", str(DATA / "platform_applicants_2018.csv"),
                 stdout=io.StringIO())  # fmt: skip
    assert PlatformProgramme.objects.get().applicants.filter(selected=True).count() == 12
    html = Client().get("/analytics/platform/").content.decode()
    assert 'id="selected-count-2018">12<' in html
    assert 'id="unnamed-2018"' in html and "21" in html
    assert html.count("사업 선정(구축 기록 없음)") >= 12


def _self_assessment(applicant, framework):  # type: ignore[no-untyped-def]
    from smartcity.certification.services.applications import start_self_assessment

    return start_self_assessment(actor=applicant, framework=framework, title="모의인증")


def test_the_applicant_is_offered_its_own_platform_record_with_source_and_date(
    traffic, applicant_city_a, city_2023
) -> None:  # type: ignore[no-untyped-def]
    application = _self_assessment(applicant_city_a, city_2023)
    client = _login(applicant_city_a)
    fragment = client.get(f"/analytics/platform/evidence/{application.pk}/")
    assert fragment.status_code == 200
    html = fragment.content.decode()
    # A1.4.Q3 "도시통합운영센터 연계 서비스 수" gets the derived count (2), A3.3.Q1 (yes/no) "yes".
    assert 'id="platform-evidence-A1.4.Q3"' in html and 'hx-swap-oob="true"' in html
    assert 'data-target="v-A1.4.Q3" data-value="2"' in html
    assert 'data-target="f-A3.3.Q1" data-value="yes"' in html
    assert "연계 서비스 2개, 영상 제공 3건" in html
    assert traffic.name_ko in html
    # The form loads it, and nothing is written until the applicant saves.
    form = client.get(f"/applications/{application.pk}/").content.decode()
    assert f"/analytics/platform/evidence/{application.pk}/" in form
    assert 'id="platform-evidence-A1.4.Q3"' in form
    assert not application.claims.exists()


def test_no_one_else_gets_the_applicants_evidence(
    traffic, applicant_city_a, applicant_city_b, ministry_officer, city_2023
) -> None:  # type: ignore[no-untyped-def]
    application = _self_assessment(applicant_city_a, city_2023)
    url = f"/analytics/platform/evidence/{application.pk}/"
    assert _login(applicant_city_b).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    assert _login(ministry_officer).get(url).status_code == 404  # a private self-assessment
    assert _login(applicant_city_a).get("/analytics/platform/evidence/999999/").status_code == 404


def test_a_city_without_a_centre_is_offered_nothing(applicant_city_a, city_2023) -> None:  # type: ignore[no-untyped-def]
    application = _self_assessment(applicant_city_a, city_2023)
    response = _login(applicant_city_a).get(f"/analytics/platform/evidence/{application.pk}/")
    assert response.status_code == 204
