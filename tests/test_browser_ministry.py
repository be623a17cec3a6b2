"""The Ministry's journey in Chromium, from the state ``scripts/serve`` leaves
(``smartcity demo load``): the reviewed demo call waits on the approval page;
the Ministry approves and announces the certified result, the certificate is
issued; the Ministry revokes it (ground, effective date, confirmation) and
the verification page and the PDF say revoked.

The revoked PDF's first page is rendered with ``pdftoppm`` to
``var/test-artefacts/ministry-revoked-certificate.png`` (the verification
page is screenshot there instead when ``pdftoppm`` is missing).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from smartcity.certification.models import Application
from smartcity.registry.models import Certificate, Decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KST = dt.timezone(dt.timedelta(hours=9))
DEMO_PASSWORD = "smartcity-demo-2026"  # the demo's logins, as scripts/serve prints them
GROUND = "현장 재확인 결과 제출한 운영 실적이 사실과 다름"


def login(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state()


def test_the_ministry_approves_announces_and_revokes_from_the_demo(  # type: ignore[no-untyped-def]
    municipal_register, size_class_rules, clock, live_server, page, artefacts, tmp_path: Path
) -> None:
    clock.set(dt.datetime(2026, 12, 7, 10, 0, tzinfo=KST))
    call_command("demo", "load", stdout=io.StringIO())
    base = live_server.url

    # The approval page lists the reviewed demo call's two results.
    login(page, base, "ministry")
    page.goto(f"{base}/applications/approvals/")
    rows = page.locator("table.approvals tbody tr[data-application]")
    assert rows.count() == 2
    page.screenshot(path=str(artefacts / "ministry-approvals.png"), full_page=True)
    certified = Application.objects.get(status="reported", result_certified=True)
    row = page.locator(f"tr[data-application='{certified.pk}']")
    row.get_by_role("button", name="승인").click()
    page.wait_for_load_state()
    page.locator("[data-confirm-button]").click()  # the confirmation step
    page.locator("ul.messages li.success").first.wait_for()
    certified.refresh_from_db()
    assert certified.status == "approved"

    page.goto(f"{base}/applications/approvals/")
    page.locator(f"form[action$='/{certified.pk}/announce/']").get_by_role(
        "button", name="발표", exact=True
    ).click()
    page.wait_for_load_state()
    page.locator("[data-confirm-button]").click()  # the confirmation step
    page.locator("ul.messages li.success").first.wait_for()
    certified.refresh_from_db()
    assert certified.status == "announced" and certified.decision is not None
    certificate = Certificate.objects.get(decision=certified.decision)
    number = certificate.number
    valid_pdf = page.request.get(f"{base}/certificates/{number}.pdf")
    assert valid_pdf.status == 200 and valid_pdf.body().startswith(b"%PDF")

    # Three months on, revocation: the form, what will happen, the confirmation.
    clock.set(dt.datetime(2027, 3, 2, 10, 0, tzinfo=KST))
    login(page, base, "ministry")  # (sessions last 8 hours on the server clock)
    page.goto(f"{base}/registry/certificates/{number}/")
    page.get_by_role("link", name="인증 취소").click()
    page.locator("input[name=ground_kind][value=fraud]").check()
    page.locator("[name=ground]").fill(GROUND)
    assert page.locator("[name=effective_on]").input_value() == "2027-03-02"
    page.get_by_role("button", name="다음: 취소 내용 확인").click()
    page.get_by_role("heading", name="인증 취소 확인").wait_for()
    assert f"{number}" in page.locator("main").inner_text()
    assert not Decision.objects.filter(decision="revocation").exists()
    page.get_by_role("button", name="인증 취소 확정").click()
    page.get_by_text(f"인증서 {number}의 인증을 2027-03-02부로 취소했습니다").wait_for()

    # Anyone checking the number is told at once, with the date and the ground.
    page.context.clear_cookies()
    page.goto(f"{base}/registry/verify/{number}/")
    assert page.locator("#verdict").get_attribute("data-status") == "revoked"
    banner = page.locator("#standing").inner_text()
    assert "2027-03-02부로 취소되었습니다" in banner and GROUND in banner
    assert page.get_by_text("인증서 PDF 내려받기").count() == 0
    page.screenshot(path=str(artefacts / "ministry-revoked-verify.png"), full_page=True)

    # The PDF is stamped revoked; its first page is the artefact.
    response = page.request.get(f"{base}/certificates/{number}.pdf")
    assert response.status == 200
    assert f"{number}-revoked.pdf" in response.headers["content-disposition"]
    pdf = tmp_path / "revoked.pdf"
    pdf.write_bytes(response.body())
    target = artefacts / "ministry-revoked-certificate.png"
    if shutil.which("pdftoppm") is None:
        page.screenshot(path=str(target), full_page=True)
        return
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.count("REVOKED") == 2 and "인증취소" in "".join(text.split())
    assert "2027. 3. 2.부로 취소되어 효력이 없습니다" in text
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "110",
            "-f",
            "1",
            "-singlefile",
            str(pdf),
            str(target.with_suffix("")),
        ],
        check=True,
    )
    assert target.stat().st_size > 10_000
