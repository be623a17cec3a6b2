"""The agency consoles: live grant list, why a session ended and when, the
map's data, the role's navigation, break-glass with one message per problem."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.operations.models import VideoGrant
from smartcity.operations.services.video.grants import revoke_grant
from smartcity.operations.tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

REASON = "센터 운영자 응답 없음, 용의자 도주 중"


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_the_grants_fragment_lists_running_and_ended_grants_with_their_real_end(  # type: ignore[no-untyped-def]
    clock, granted, police_officer, platform_operator
) -> None:
    client = signed_in(police_officer)
    page = client.get(reverse("operations:agency_grants")).content.decode()
    assert f'data-grant-id="{granted.pk}" data-state="active"' in page
    clock.set(clock.now + dt.timedelta(minutes=3))
    revoke_grant(tenant=granted.tenant, grant_id=granted.pk, actor=platform_operator)
    page = client.get(reverse("operations:agency_grants")).content.decode()
    assert f'data-grant-id="{granted.pk}" data-state="ended"' in page
    assert 'data-cause="revoked"' in page and "센터가 중단" in page
    stop = clock.now.astimezone(dt.timezone(dt.timedelta(hours=9))).strftime("%Y-%m-%d %H:%M:%S")
    assert stop in page  # the stop time in KST, not the sweep's


def test_the_state_says_why_and_when_in_words(  # type: ignore[no-untyped-def]
    clock, granted, police_officer
) -> None:
    client = signed_in(police_officer)
    url = reverse("operations:agency_grant_state", args=[granted.pk])
    running = client.get(url).json()
    assert (running["ended"], running["remaining"]) == (False, 1200)
    clock.set(granted.expires_at + dt.timedelta(minutes=5))
    ended = client.get(url).json()
    kst = granted.expires_at.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert (ended["ended"], ended["cause"]) == (True, "expired")
    assert ended["message"] == (
        f"영상 제공 시간이 {kst:%Y-%m-%d %H:%M:%S}에 끝났습니다. 더 보려면 센터에 다시 요청하세요."
    )
    page = client.get(reverse("operations:agency_grant", args=[granted.pk])).content.decode()
    assert 'data-state="ended"' in page and ended["message"] in page
    assert "<img" not in page  # no broken pictures once it is over


def test_another_agencys_grant_state_is_a_404(  # type: ignore[no-untyped-def]
    granted, police_officer_b, police_agency_b
) -> None:
    url = reverse("operations:agency_grant_state", args=[granted.pk])
    assert signed_in(police_officer_b).get(url).status_code == 404


def test_the_grant_page_maps_the_scene_and_the_granted_cameras(  # type: ignore[no-untyped-def]
    granted, scene, police_officer
) -> None:
    response = signed_in(police_officer).get(reverse("operations:agency_grant", args=[granted.pk]))
    data = response.context["map_data"]
    assert data["incident"]["lat"] == float(scene["incident"].latitude)
    assert {c["id"] for c in data["cameras"]} == {c.pk for c in scene["cameras"]}
    page = response.content.decode()
    assert 'id="grant-map-data"' in page and "vendor/leaflet/leaflet.js" in page
    assert "stream_endpoint" not in page


def test_an_officer_sees_only_the_console_navigation(police_officer, police_agency) -> None:  # type: ignore[no-untyped-def]
    page = signed_in(police_officer).get(reverse("operations:agency")).content.decode()
    nav = page[page.index('class="wrap main-nav"') : page.index("</nav>", page.index("main-nav"))]
    assert reverse("operations:agency") in nav and reverse("operations:agency_break_glass") in nav
    for other in ("registry:list", "certification:calls", "analytics:dashboard"):
        assert f'href="{reverse(other)}"' not in nav
    assert 'id="agency-console"' in page and reverse("operations:agency_stream") in page


def test_break_glass_says_each_problem_once(scene, police_agency, police_officer) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(police_officer)
    url = reverse("operations:agency_break_glass")
    page = client.get(url).content.decode()
    assert 'name="crime_type"' in page and ">강도</option>" in page
    number = scene["incident"].external_id
    short = client.post(url, {"sender": "112", "external_id": number, "crime_type": "robbery",
                              "justification": "급함"}).content.decode()  # fmt: skip
    assert short.count("errorlist") + short.count('class="errors"') == 1
    missing = client.post(url, {"sender": "112", "external_id": "NO-SUCH",
                                "crime_type": "robbery", "justification": REASON})  # fmt: skip
    text = missing.content.decode()
    assert text.count("연계된 센터에 이 번호의 상황이 없습니다.") == 1
    assert not VideoGrant.objects.exists()


def test_break_glass_uses_the_officers_crime_type_only_when_112_sent_none(  # type: ignore[no-untyped-def]
    scene, police_agency, police_officer
) -> None:
    client = signed_in(police_officer)
    url = reverse("operations:agency_break_glass")
    tenant = scene["incident"].tenant
    untyped = IncidentFactory(tenant=tenant, case_type="", external_id="112-NOTYPE")
    assault = IncidentFactory(tenant=tenant, case_type="특수폭행", external_id="112-ASSAULT")
    refused = client.post(url, {"incident_id": assault.pk, "crime_type": "robbery",
                                "justification": REASON})  # fmt: skip
    assert refused.status_code == 200 and not VideoGrant.objects.exists()
    assert refused.content.decode().count("경찰에는 영상 제공 대상 범죄(") == 1  # not twice
    taken = client.post(url, {"incident_id": untyped.pk, "crime_type": "robbery",
                              "justification": REASON})  # fmt: skip
    grant = VideoGrant.objects.get()
    assert taken.url == reverse("operations:agency_grant", args=[grant.pk])
    entry = grant.incident.timeline.get(action="video_break_glass")
    assert entry.data["crime_type"] == "robbery" and entry.data["crime_stated_by_officer"]
