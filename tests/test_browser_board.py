"""The situation board as a dispatcher uses it, in Chromium through the real
ASGI server: a new incident raises an alert by grade (banner, beep when the
sound is on), counts the time since it was reported, and is acknowledged from
the board; nearby incidents cluster; the cameras show as a layer with their
view sectors; the incident page has its own map. Then axe-core checks the
board, the incident page, the police and fire consoles and the centre page
for critical and serious violations.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import urllib.request
from decimal import Decimal

import pytest

from smartcity.operations.tests.factories import api_key, report_body
from smartcity.testing.axe import axe_violations, describe
from smartcity.testing.factories import TEST_PASSWORD
from tests.test_browser_operations import _seed_event_model, asgi_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCENE = (Decimal("37.6584"), Decimal("126.7698"))  # 고양시 일산동구


@pytest.fixture
def goyang_board(municipal_register):  # type: ignore[no-untyped-def]
    """고양시's centre with an operator, four cameras around the scene (three
    facing a known way), two open incidents 30 m apart (one cluster), the 112
    system's key, and the police 112 and fire 119 rooms, each with a grant."""
    from smartcity.accounts.choices import OrganisationKind, Role
    from smartcity.accounts.models import Organisation
    from smartcity.operations.selectors.cameras import clear_camera_indexes
    from smartcity.operations.services.agencies import certify_officer, create_agency
    from smartcity.operations.services.tenancy import create_tenant
    from smartcity.operations.services.video.grants import grant_video
    from smartcity.operations.tests.factories import CameraFactory, IncidentFactory, operator_for
    from smartcity.testing.factories import UserFactory

    clear_camera_indexes()  # ids repeat across transactional tests
    _seed_event_model()
    tenant = create_tenant(municipality_code="41280")
    operator = operator_for(tenant, "goyang_operator")
    lat, lon = SCENE
    cameras = [
        CameraFactory(tenant=tenant, latitude=lat + Decimal(d), longitude=lon,
                      road_address=f"중앙로 {n}", bearing_deg=bearing, fov_deg=fov)
        for n, (d, bearing, fov) in enumerate(
            (("0.0003", 180.0, 90.0), ("-0.0004", 0.0, 60.0), ("0.0008", 200.0, 90.0),
             ("-0.0010", None, 360.0)), start=1)
    ]  # fmt: skip
    robbery = IncidentFactory(
        tenant=tenant, latitude=lat, longitude=lon, case_type="강도",
        address="고양시 일산동구 중앙로 1286", external_id="112-A",
    )  # fmt: skip
    fire = IncidentFactory(tenant=tenant, latitude=lat + Decimal("0.0003"), longitude=lon,
                           event_type_id="119UC001", sender="119", external_id="119-B",
                           address="고양시 일산동구 중앙로 1290")  # fmt: skip
    officers = {}
    for kind, code, name, org_kind, incident in (
        ("police", "gb-112", "경기북부경찰청 112치안종합상황실", OrganisationKind.POLICE, robbery),
        ("fire", "gy-119", "고양소방서 119종합상황실", OrganisationKind.FIRE, fire),
    ):
        room = Organisation.objects.create(name_ko=name, kind=org_kind)
        officer = UserFactory(username=f"goyang_{code}", role=Role.AGENCY_OFFICER,
                              organisation=room)  # fmt: skip
        agency = create_agency(code=code, name_ko=name, kind=kind, organisation=room,
                               tenants=[tenant])  # fmt: skip
        certify_officer(agency=agency, officer=officer)
        grant = grant_video(tenant=tenant, incident_id=incident.pk, agency_id=agency.pk,
                            camera_ids=[c.pk for c in cameras[:3]], actor=operator)  # fmt: skip
        officers[kind] = (officer, grant)
    return {
        "tenant": tenant, "operator": operator, "cameras": cameras, "incidents": [robbery, fire],
        "officers": officers, "key": api_key(tenant, "112", "경기북부경찰청 112"),
    }  # fmt: skip


def _sign_in(page, base: str, username: str, next_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()


def _post_incident(base: str, key: str) -> dict[str, object]:
    from django.utils import timezone

    body = report_body(
        external_id="112-LIVE-9", address="고양시 일산서구 중앙로 1500",
        latitude="37.6750", longitude="126.7450",
        occurred_at=(timezone.now() - dt.timedelta(seconds=30)).isoformat(),
    )  # fmt: skip
    request = urllib.request.Request(  # noqa: S310 - a local test server
        f"{base}/api/operations/incidents",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Api-Key": key, "Idempotency-Key": "b-9"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 201
        return json.loads(response.read())


ELAPSED = re.compile(r"^(\d+:)?\d\d:\d\d$")


def test_a_new_incident_alerts_counts_its_wait_and_is_acknowledged(  # type: ignore[no-untyped-def]
    goyang_board,
    asgi_server,  # noqa: F811 - the fixture imported above
    page,
    artefacts,
) -> None:
    from smartcity.core.models import AuditEvent
    from smartcity.operations.models import Incident, IncidentEvent

    operator = goyang_board["operator"]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, asgi_server, operator.username, "/operations/board/")
    page.wait_for_load_state()
    assert errors == []
    page.locator("#ops-live-status[data-state=live]").wait_for()
    page.locator(".leaflet-overlay-pane path").first.wait_for(state="attached")
    # The two incidents 30 m apart are one cluster at the centre's zoom.
    cluster = page.locator(".ops-cluster")
    page.wait_for_function("() => document.querySelectorAll('.ops-cluster').length === 1")
    assert cluster.count() == 1 and cluster.first.inner_text() == "2"
    assert "urgent" in (cluster.first.get_attribute("class") or "")
    # The cameras, turned on: four points, three of them with a view sector.
    page.get_by_label("CCTV 표시(촬영 방향)").check()
    page.locator("#ops-board[data-cameras='4']").wait_for()
    assert page.evaluate("localStorage.getItem('ops.cameras')") == "on"

    # Alerts for every grade, with sound (the click lets the page play it).
    page.get_by_label("새 상황 알림").select_option("all")
    page.get_by_label("알림음").check()
    assert page.locator("#ops-alert").is_hidden()
    ack = _post_incident(asgi_server, goyang_board["key"])

    banner = page.locator(f'#ops-alert[data-incident-id="{ack["id"]}"]')
    banner.wait_for(timeout=10_000)
    assert "새 긴급 상황" in banner.inner_text() and "112 긴급영상 지원" in banner.inner_text()
    assert "urgent" in (banner.get_attribute("class") or "")
    assert page.locator("#ops-board").get_attribute("data-last-beep") == "urgent"
    # Times on the board are KST, and the wait since the report ticks.
    row = page.locator(f'#ops-list li[data-incident-id="{ack["id"]}"]')
    incident = Incident.objects.get(pk=ack["id"])
    occurred = incident.occurred_at.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert f"{occurred:%Y-%m-%d %H:%M} KST" in row.inner_text()
    elapsed = row.locator(".ops-elapsed")
    first = elapsed.inner_text()
    assert ELAPSED.match(first), first
    page.wait_for_function(
        f'() => document.querySelector(\'#ops-list li[data-incident-id="{ack["id"]}"] '
        f".ops-elapsed').textContent !== {json.dumps(first)}"
    )
    page.screenshot(path=str(artefacts / "board-alert.png"), full_page=True)

    # Acknowledged from the board: who and when, for every operator, audited.
    row.get_by_role("button", name=re.compile("이 상황을 확인")).click()
    done = page.locator(f'#ops-list li[data-incident-id="{ack["id"]}"] .ops-ack.done')
    done.wait_for()
    incident.refresh_from_db()
    assert incident.acknowledged_by == operator and incident.acknowledged_at is not None
    at = incident.acknowledged_at.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert done.inner_text() == f"확인: {operator} {at:%Y-%m-%d %H:%M} KST"
    assert IncidentEvent.objects.filter(incident=incident, action="acknowledged").count() == 1
    assert AuditEvent.objects.filter(action="operations.incident_acknowledged").count() == 1
    # The settings survive a reload.
    page.reload()
    page.locator("#ops-board[data-cameras='4']").wait_for()
    assert page.get_by_label("알림음").is_checked()
    # A click on the cluster zooms to the scene: both incidents, the cameras' sectors.
    page.locator(".ops-cluster", has_text="2").click()
    page.locator(f'.ops-marker [data-incident-id="{goyang_board["incidents"][1].pk}"]').wait_for()
    page.wait_for_timeout(600)  # the zoom animation
    page.screenshot(path=str(artefacts / "board-cameras.png"), full_page=True)

    # The incident page: its own map (the scene and the nearby cameras), the
    # acknowledgement, the wait since the report.
    page.goto(f"{asgi_server}/operations/incidents/{ack['id']}/")
    page.locator("#incident-map .grant-marker.scene").wait_for()
    assert str(operator) in page.locator("#incident-ack").inner_text()
    assert ELAPSED.match(page.locator(".ops-elapsed").inner_text())


def _check(page, name: str, artefacts) -> None:  # type: ignore[no-untyped-def]
    violations = axe_violations(page)
    page.screenshot(path=str(artefacts / f"axe-{name}.png"), full_page=True)
    assert violations == [], f"{name}:\n{describe(violations)}"


def test_axe_finds_no_critical_or_serious_violation(  # type: ignore[no-untyped-def]
    goyang_board,
    asgi_server,  # noqa: F811
    browser,
    page,
    artefacts,
) -> None:
    robbery = goyang_board["incidents"][0]
    _sign_in(page, asgi_server, goyang_board["operator"].username, "/operations/board/")
    page.locator("#ops-live-status[data-state=live]").wait_for()
    page.locator(".ops-cluster").first.wait_for()
    _check(page, "board", artefacts)
    page.goto(f"{asgi_server}/operations/incidents/{robbery.pk}/")
    page.locator("#incident-map .grant-marker.scene").wait_for()
    _check(page, "incident", artefacts)
    page.goto(f"{asgi_server}/operations/centre/")
    _check(page, "centre", artefacts)

    for kind in ("police", "fire"):
        officer, grant = goyang_board["officers"][kind]
        context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
        console = context.new_page()
        console.set_default_timeout(15_000)
        _sign_in(console, asgi_server, officer.username, "/operations/agency/")
        console.locator("#agency-live-status[data-state=live]").wait_for()
        _check(console, f"{kind}-console", artefacts)
        console.goto(f"{asgi_server}/operations/agency/grants/{grant.pk}/")
        console.locator("#grant-map .grant-marker.scene").wait_for()
        deadline = time.monotonic() + 10
        while console.locator(".video-tile img").count() == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        _check(console, f"{kind}-grant", artefacts)
        context.close()
