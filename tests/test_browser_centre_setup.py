"""The centre administrator's set-up in Chromium, end to end:

the administrator issues a 112 key on the set-up page (shown once, with a
copy button) → a sending system uses it to POST a robbery to the REST API →
the robbery is on the board → the key's last use is shown; then a camera
register file is uploaded, its progress polled (htmx) until done, and the
rejected-rows report downloaded — formula cells open as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import urllib.request
from pathlib import Path

import pytest

from smartcity.operations.tests.factories import report_body
from smartcity.testing.factories import TEST_PASSWORD
from tests.test_browser_operations import _seed_event_model, asgi_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCENE = ("37.6584", "126.8320")  # 고양시청
HEADER = "관리번호,관리기관명,소재지도로명주소,설치목적구분,WGS84위도,WGS84경도\n"


@pytest.fixture
def goyang_centre(clock, municipal_register):  # type: ignore[no-untyped-def]
    from smartcity.operations.selectors.cameras import clear_camera_indexes
    from smartcity.operations.services.tenancy import create_tenant
    from smartcity.operations.tests.factories import admin_for

    clock.set(dt.datetime.now(dt.UTC))
    clear_camera_indexes()
    _seed_event_model()
    tenant = create_tenant(municipality_code="41280")
    return tenant, admin_for(tenant, "goyang_admin")


def _sign_in(page, base: str, username: str, next_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()


def _post(base: str, key: str) -> tuple[int, dict[str, object]]:
    body = report_body(
        external_id="112-SETUP-1", address="경기도 고양시 덕양구 고양시청로 10",
        case_type="강도", latitude=SCENE[0], longitude=SCENE[1],
    )  # fmt: skip
    request = urllib.request.Request(  # noqa: S310 - a local test server
        f"{base}/api/operations/incidents", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "X-Api-Key": key, "Idempotency-Key": "s-1"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, json.loads(response.read())


def test_an_admin_issues_a_key_a_system_reports_with_it_and_the_board_shows_it(  # type: ignore[no-untyped-def]
    goyang_centre,
    asgi_server,  # noqa: F811 - the fixture imported above
    page,
    artefacts,
) -> None:
    _tenant, admin = goyang_centre
    _sign_in(page, asgi_server, admin.username, "/operations/setup/keys/")
    page.get_by_label("연계 시스템 이름").fill("경기북부경찰청 112")
    page.get_by_label("보내는 기관").select_option("112")
    page.get_by_role("button", name="키 발급").click()
    key = page.locator("#api-key").inner_text().strip()
    assert key.startswith("sck_")
    assert page.get_by_role("button", name="복사").is_visible()
    page.screenshot(path=str(artefacts / "setup-key-shown-once.png"), full_page=True)

    status, ack = _post(asgi_server, key)
    assert status == 201

    page.goto(f"{asgi_server}/operations/board/")
    page.locator(f'#ops-list li[data-incident-id="{ack["id"]}"]').wait_for(timeout=10_000)
    page.screenshot(path=str(artefacts / "setup-board-incident.png"), full_page=True)

    page.goto(f"{asgi_server}/operations/setup/keys/")
    listing = page.locator("#intake-clients").inner_text()
    assert key not in page.content()  # never shown again
    assert "아직 쓰지 않음" not in listing  # its last use, in KST
    page.get_by_role("link", name="폐기").click()
    page.get_by_role("heading", name="키 폐기 확인").wait_for()
    page.get_by_role("button", name="폐기").click()
    page.get_by_text("키를 폐기했습니다").wait_for()
    page.screenshot(path=str(artefacts / "setup-key-revoked.png"), full_page=True)
    with pytest.raises(urllib.error.HTTPError) as refused:
        _post(asgi_server, key)
    assert refused.value.code == 401


def test_a_camera_upload_shows_its_progress_and_its_report_downloads(  # type: ignore[no-untyped-def]
    goyang_centre,
    asgi_server,  # noqa: F811 - the fixture imported above
    page,
    artefacts,
    tmp_path,
) -> None:
    from smartcity.operations.models import Camera

    tenant, admin = goyang_centre
    good = "".join(
        f"GY{n},고양시청,고양시청로 {n},생활방범,{37.6500 + n * 0.00001:.5f},126.8320\n"
        for n in range(1500)
    )
    hostile = "=cmd|' /C calc'!A0,고양시청,고양시청로 0,생활방범,=1+2,126.8\n"
    busan = "B1,부산시,중앙대로 1,생활방범,35.1796,129.0756\n"
    upload = tmp_path / "goyang_cctv.csv"
    upload.write_bytes((HEADER + good + hostile + busan).encode("cp949"))

    _sign_in(page, asgi_server, admin.username, "/operations/setup/cameras/")
    page.get_by_label("전국CCTV표준데이터 CSV 파일").set_input_files(str(upload))
    page.get_by_role("button", name="가져오기 시작").click()
    page.locator("#import-bar").wait_for()
    page.evaluate("window.notReloaded = true")
    page.locator("#import-progress[data-state=done]").wait_for(timeout=30_000)
    assert page.evaluate("window.notReloaded === true")  # htmx swapped the fragment in
    assert page.locator("#import-bar").get_attribute("value") == "100"
    assert page.locator("#rejected-count").inner_text() == "2"
    page.screenshot(path=str(artefacts / "setup-camera-import.png"), full_page=True)
    assert Camera.objects.filter(tenant=tenant).count() == 1500

    with page.expect_download() as download:
        page.locator("#report-link").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[2] for r in rows[1:]] == ["missing_coordinates", "outside_area"]
    assert rows[1][6].startswith("'=cmd|")


def test_an_admin_registers_an_agency_and_an_officer_whose_certification_ends_soon(  # type: ignore[no-untyped-def]
    goyang_centre,
    asgi_server,  # noqa: F811 - the fixture imported above
    page,
    artefacts,
) -> None:
    from django.utils import timezone

    _tenant, admin = goyang_centre
    _sign_in(page, asgi_server, admin.username, "/operations/setup/agencies/")
    page.get_by_label("기관 유형").select_option("fire")
    page.get_by_label("기관명:", exact=True).fill("고양소방서 119 상황실")
    page.get_by_role("button", name="등록", exact=True).click()
    page.get_by_text("연계 기관으로 등록했습니다").wait_for()
    page.get_by_label("아이디").fill("goyang_fire")
    page.get_by_label("이름:", exact=True).fill("최소방")
    page.get_by_label("처음 비밀번호").fill("a-long-officer-password-26")
    soon = timezone.localdate() + dt.timedelta(days=10)
    page.get_by_label("영상 열람 인증 만료일").fill(soon.isoformat())
    page.get_by_role("button", name="담당자 등록").click()
    page.get_by_text("담당자 최소방을(를) 등록했습니다").wait_for()
    assert "30일 안에 만료" in page.locator("#officers").inner_text()
    page.screenshot(path=str(artefacts / "setup-agency-officers.png"), full_page=True)
    page.locator("#officers").get_by_role("link", name="사용 중지").click()
    page.get_by_role("heading", name="담당자 계정 사용 중지 확인").wait_for()
    page.get_by_role("button", name="사용 중지").click()
    page.get_by_text("영상 열람 인증을 취소했습니다").wait_for()
    assert "인증 없음" in page.locator("#officers").inner_text()


def test_axe_finds_no_critical_or_serious_violation_on_the_set_up_pages(  # type: ignore[no-untyped-def]
    goyang_centre,
    asgi_server,  # noqa: F811 - the fixture imported above
    page,
    artefacts,
) -> None:
    from smartcity.testing.axe import axe_violations, describe

    _tenant, admin = goyang_centre
    _sign_in(page, asgi_server, admin.username, "/operations/setup/")
    page.get_by_role("heading", level=1).wait_for()
    for name in ("", "keys/", "agencies/", "cameras/", "layers/"):
        page.goto(f"{asgi_server}/operations/setup/{name}")
        violations = axe_violations(page)
        shot = "axe-setup" + (f"-{name.strip('/')}" if name else "")
        page.screenshot(path=str(artefacts / f"{shot}.png"), full_page=True)
        assert violations == [], f"/operations/setup/{name}:\n{describe(violations)}"
