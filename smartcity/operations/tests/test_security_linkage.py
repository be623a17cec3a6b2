"""Security of the linkage services, through the real URLs:

* an officer of agency A presenting agency B's identifiers (grant, camera,
  token) is refused exactly like a missing id, and the attempt is logged;
* an expired, replayed, forged or another officer's stream token is refused;
* a crime type outside the seven gets no video;
* a non-certified officer gets no video;
* the camera's stream endpoint never reaches a browser.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from smartcity.operations.models import Camera, VideoAccessEntry, VideoGrant
from smartcity.operations.services.agencies import revoke_certification
from smartcity.operations.services.video.grants import grant_video
from smartcity.operations.tests.factories import CameraFactory, IncidentFactory

pytestmark = pytest.mark.django_db

SECRET = "rtsp://vms.garam.example:554/live/0001?token=TOPSECRET"


def token_url(grant: VideoGrant, camera: Camera) -> str:
    return reverse("operations:stream_token", args=[grant.pk, camera.pk])


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def grant_b(police_agency_b, tenant_b, operator_b):  # type: ignore[no-untyped-def]
    """나래시's robbery, granted to 나래경찰서 (agency B)."""
    camera = CameraFactory(tenant=tenant_b)
    incident = IncidentFactory(tenant=tenant_b, case_type="강도")
    return grant_video(
        tenant=tenant_b, incident_id=incident.pk, agency_id=police_agency_b.pk,
        camera_ids=[camera.pk], actor=operator_b,
    )  # fmt: skip


def test_agency_a_presenting_agency_bs_grant_is_refused_like_a_missing_one_and_logged(  # type: ignore[no-untyped-def]
    granted, grant_b, police_officer
) -> None:
    client = signed_in(police_officer)
    camera_b = grant_b.cameras.get()
    for url in (
        reverse("operations:agency_grant", args=[grant_b.pk]),
        reverse("operations:agency_dispatch", args=[grant_b.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.get(url.replace(str(grant_b.pk), "999999")).status_code == 404
    assert client.post(reverse("operations:agency_extend", args=[grant_b.pk])).status_code == 404
    theirs = client.post(token_url(grant_b, camera_b))
    missing = client.post(reverse("operations:stream_token", args=[999999, camera_b.pk]))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["message"] == missing.json()["message"]
    # Agency B's camera under agency A's own grant: not in the grant.
    mixed = client.post(token_url(granted, camera_b))
    assert mixed.status_code == 403 and mixed.json()["code"] == "camera_not_granted"
    probes = VideoAccessEntry.objects.filter(officer=police_officer, granted=False)
    assert list(probes.values_list("reason", flat=True)) == [
        "other_agency", "not_found", "camera_not_granted",
    ]  # fmt: skip
    probe = probes.first()
    assert probe is not None and probe.grant == grant_b and probe.tenant == grant_b.tenant
    assert probe.agency == granted.agency  # logged as agency A's attempt, visible to B's centre


def test_agency_bs_console_never_lists_agency_as_grants(  # type: ignore[no-untyped-def]
    granted, grant_b, police_officer, police_officer_b
) -> None:
    page_a = signed_in(police_officer).get(reverse("operations:agency")).content.decode()
    page_b = signed_in(police_officer_b).get(reverse("operations:agency")).content.decode()
    assert f'data-grant-id="{granted.pk}"' in page_a
    assert f'data-grant-id="{grant_b.pk}"' not in page_a
    assert f'data-grant-id="{grant_b.pk}"' in page_b
    assert f'data-grant-id="{granted.pk}"' not in page_b


def test_a_token_of_agency_a_is_useless_to_agency_b(  # type: ignore[no-untyped-def]
    granted, scene, police_officer, police_officer_b, police_agency_b
) -> None:
    issued = signed_in(police_officer).post(token_url(granted, scene["cameras"][0])).json()
    response = signed_in(police_officer_b).get(issued["url"])
    assert response.status_code == 403
    last = VideoAccessEntry.objects.order_by("-id").first()
    assert last is not None and last.reason == "token_mismatch" and last.officer == police_officer_b


def test_an_expired_token_is_refused(  # type: ignore[no-untyped-def]
    clock, settings, granted, scene, police_officer
) -> None:
    client = signed_in(police_officer)
    issued = client.post(token_url(granted, scene["cameras"][0])).json()
    clock.set(clock.now + dt.timedelta(seconds=settings.OPERATIONS_STREAM_TOKEN_SECONDS))
    response = client.get(issued["url"])
    assert response.status_code == 403
    assert VideoAccessEntry.objects.order_by("-id")[0].reason == "token_expired"


def test_a_replayed_token_is_refused(granted, scene, police_officer) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(police_officer)
    issued = client.post(token_url(granted, scene["cameras"][0])).json()
    first = client.get(issued["url"])
    assert first.status_code == 200 and first["Content-Type"] == "image/png"
    assert first.content.startswith(b"\x89PNG")
    again = client.get(issued["url"])
    assert again.status_code == 403
    assert VideoAccessEntry.objects.order_by("-id")[0].reason == "token_replayed"


def test_a_forged_token_is_refused(granted, scene, police_officer) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(police_officer)
    issued = client.post(token_url(granted, scene["cameras"][0])).json()
    url = issued["url"].rstrip("/")
    forged = url[:-3] + ("xyz" if not url.endswith("xyz") else "abc") + "/"
    assert client.get(forged).status_code == 403
    assert client.get(reverse("operations:video_gateway", args=["garbage"])).status_code == 403
    reasons = set(VideoAccessEntry.objects.filter(step="open").values_list("reason", flat=True))
    assert reasons == {"token_forged", "token_malformed"}


@pytest.mark.parametrize(
    "token",
    ["토큰.서명", "abc%00.def", "a" * 20_000 + ".sig", "abc=.def", "%ED%A0%80.sig", "%FF%FE.x"],
    ids=["non-ascii", "nul", "huge", "padding", "surrogate", "not-utf8"],
)
def test_a_malformed_token_is_a_logged_403_not_a_500(  # type: ignore[no-untyped-def]
    granted, police_officer, token
) -> None:
    client = signed_in(police_officer)
    client.raise_request_exception = False
    response = client.get(f"/operations/video/{token}/")
    assert response.status_code == 403
    assert "영상 주소가 올바르지 않습니다" in response.content.decode()
    entry = VideoAccessEntry.objects.get(step="open")
    assert (entry.granted, entry.reason) == (False, "token_malformed")
    assert (entry.officer, entry.agency) == (police_officer, granted.agency)


def test_the_gateway_needs_a_signed_in_viewer(granted, scene, police_officer) -> None:  # type: ignore[no-untyped-def]
    issued = signed_in(police_officer).post(token_url(granted, scene["cameras"][0])).json()
    response = Client().get(issued["url"])
    assert response.status_code == 302  # to the login page; the token stays unused
    assert signed_in(police_officer).get(issued["url"]).status_code == 200


def test_a_crime_type_outside_the_seven_gets_no_video(  # type: ignore[no-untyped-def]
    scene, police_agency, platform_operator
) -> None:
    incident = IncidentFactory(tenant=scene["incident"].tenant, case_type="교통사고")
    client = signed_in(platform_operator)
    response = client.post(
        reverse("operations:incident_grant", args=[incident.pk]),
        {"agency": police_agency.pk, "cameras": [c.pk for c in scene["cameras"]]},
        follow=True,
    )
    assert "7대 강력범죄" in response.content.decode()
    assert not VideoGrant.objects.exists()


def test_a_crafted_grant_of_a_far_camera_is_refused_and_logged(  # type: ignore[no-untyped-def]
    scene, police_agency, platform_operator
) -> None:
    from decimal import Decimal

    far = CameraFactory(tenant=scene["incident"].tenant, latitude=Decimal("37.56840000"))  # 7.6 km
    client = signed_in(platform_operator)
    url = reverse("operations:incident_grant", args=[scene["incident"].pk])
    response = client.post(url, {"agency": police_agency.pk, "cameras": [far.pk]}, follow=True)
    assert response.status_code == 200
    assert f"제시되지 않은 CCTV: {far.pk}" in response.content.decode()
    assert not VideoGrant.objects.exists()
    entry = VideoAccessEntry.objects.get()
    assert (entry.step, entry.reason, entry.camera) == ("grant", "camera_not_offered", far)
    # Garbage ids never reach the database: a form error, not a 500.
    for junk in (["abc"], ["9" * 30], ["-1"], ["１２"]):
        bad = client.post(url, {"agency": police_agency.pk, "cameras": junk}, follow=True)
        assert bad.status_code == 200 and "CCTV를 고르세요" in bad.content.decode()
    assert not VideoGrant.objects.exists()


def test_the_escape_route_searched_on_the_page_travels_with_the_grant(  # type: ignore[no-untyped-def]
    scene, police_agency, platform_operator
) -> None:
    from decimal import Decimal

    north = CameraFactory(tenant=scene["incident"].tenant, latitude=Decimal("37.51350000"))
    client = signed_in(platform_operator)
    incident = scene["incident"]
    page = client.get(
        reverse("operations:incident", args=[incident.pk]),
        {"direction": "북", "length_m": 2000, "corridor_m": 50},
    ).content.decode()
    assert f'value="{north.pk}"' in page and 'name="direction" value="0.0"' in page
    url = reverse("operations:incident_grant", args=[incident.pk])
    route = {"direction": "0.0", "length_m": "2000", "corridor_m": "50"}
    client.post(url, {"agency": police_agency.pk, "cameras": [north.pk]})
    assert not VideoGrant.objects.exists()  # without the route, not offered
    bent = client.post(url, {"agency": police_agency.pk, "cameras": [north.pk], **route,
                             "length_m": "50000"}, follow=True)  # fmt: skip
    assert "도주 경로" in bent.content.decode() and not VideoGrant.objects.exists()
    client.post(url, {"agency": police_agency.pk, "cameras": [north.pk], **route})
    assert list(VideoGrant.objects.get().cameras.values_list("pk", flat=True)) == [north.pk]


def test_a_non_certified_officer_gets_no_video(  # type: ignore[no-untyped-def]
    granted, scene, police_officer, police_agency
) -> None:
    revoke_certification(officer=police_officer, agency=police_agency)
    client = signed_in(police_officer)
    response = client.post(token_url(granted, scene["cameras"][0]))
    assert response.status_code == 403 and response.json()["code"] == "not_certified"
    assert VideoAccessEntry.objects.get().reason == "not_certified"


def test_an_uncertified_colleague_of_the_same_room_gets_no_video(  # type: ignore[no-untyped-def]
    granted, scene, police_officer
) -> None:
    from smartcity.accounts.choices import Role
    from smartcity.testing.factories import UserFactory

    colleague = UserFactory(username="police_new", role=Role.AGENCY_OFFICER,
                            organisation=police_officer.organisation)  # fmt: skip
    response = signed_in(colleague).post(token_url(granted, scene["cameras"][0]))
    assert response.status_code == 403 and response.json()["code"] == "not_certified"


def test_the_stream_endpoint_never_reaches_a_page_a_token_or_a_frame(  # type: ignore[no-untyped-def]
    granted, scene, police_officer, platform_operator
) -> None:
    Camera.objects.filter(pk__in=[c.pk for c in scene["cameras"]]).update(stream_endpoint=SECRET)
    officer = signed_in(police_officer)
    bodies = [
        officer.get(reverse("operations:agency")).content,
        officer.get(reverse("operations:agency_grant", args=[granted.pk])).content,
        officer.get(reverse("operations:agency_dispatch", args=[granted.pk])).content,
        signed_in(platform_operator)
        .get(reverse("operations:incident", args=[scene["incident"].pk]))
        .content,
    ]
    issued = officer.post(token_url(granted, scene["cameras"][0]))
    bodies += [issued.content, officer.get(issued.json()["url"]).content]
    for body in bodies:
        assert b"TOPSECRET" not in body and b"vms.garam" not in body
