"""The applicant's way to a submission, in Chromium, on the server's (frozen)
clock: the form keeps a refused value and guards unsaved edits; the
completeness check refuses and links to each gap; the applicant fills the
gaps, confirms with the 원본대조필 box on the submit form, and gets the
receipt as a page and a notice.

Screenshots: ``var/test-artefacts/applicant-completeness-refusal.png`` and
``applicant-receipt.png``. The 50-odd remaining indicators are marked not
applicable through the same service the form calls (the test kit's
``complete_for_submission``); everything else is done in the browser.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from smartcity.accounts.models import User
from smartcity.certification.domain.calls import Timeline
from smartcity.certification.domain.claims import ClaimInput
from smartcity.certification.models import Application, Call
from smartcity.certification.services import (
    apply_to_call,
    create_call,
    save_claims,
    start_self_assessment,
    upload_attachment,
)
from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.services import load_shipped_frameworks
from smartcity.municipalities.models import PopulationCount
from smartcity.notifications.models import Notification
from smartcity.testing.factories import TEST_PASSWORD
from smartcity.testing.submission import complete_for_submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KST = dt.timezone(dt.timedelta(hours=9))
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROPOSAL = b"%PDF-1.7\n% quantitative indicator proposal\ntrailer<<>>\n%%EOF\n"
PERCENT = "A1.1.Q2"  # 스마트도시 교육 이수 공무원 비율(%)
PER_PEOPLE = "A1.2.Q2"  # 특허 등록 및 창업 기업 수(인구 10만 명당)
ATTEST = "제출하는 사본이 원본과 같음을 확인합니다(원본대조필)."


def at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=KST)  # type: ignore[misc]


def city_call(ministry: User, framework: FrameworkVersion) -> Call:
    return create_call(
        actor=ministry,
        year=2026,
        framework=framework,
        title_ko="2026년 스마트도시 인증 공모",
        timeline=Timeline(
            submission_opens_at=at(2026, 10, 20, 9, 0),
            submission_closes_at=at(2026, 10, 26, 18, 0),
            written_review_starts_at=at(2026, 11, 2),
            site_inspection_starts_at=at(2026, 11, 16),
            decision_starts_at=at(2026, 11, 30),
            results_announced_at=at(2026, 12, 21),
        ),
        announced_at=at(2026, 9, 1),
    )


def sign_in(page: Any, base: str, user: User) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("아이디").fill(user.username)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state()


def test_an_applicant_is_refused_then_completes_confirms_and_gets_a_receipt(  # type: ignore[no-untyped-def]
    ministry_officer, applicant_city_a, clock, live_server, page, artefacts, settings, tmp_path,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = str(tmp_path)
    load_shipped_frameworks()
    framework = FrameworkVersion.objects.get(code="city-2023")
    PopulationCount.objects.create(
        municipality=applicant_city_a.organisation.municipality,
        reference_date=dt.date(2025, 12, 31),
        population=320_000,
        source="행정안전부 주민등록인구통계",
    )
    clock.set(at(2026, 9, 1, 9, 0))
    call = city_call(ministry_officer, framework)
    clock.set(at(2026, 10, 25, 10, 0, 0))
    draft = start_self_assessment(actor=applicant_city_a, framework=framework, title="가람시 신청")
    application = apply_to_call(actor=applicant_city_a, application=draft, call=call)
    save_claims(
        actor=applicant_city_a, application=application, inputs=[ClaimInput(PER_PEOPLE, value="64")]
    )
    upload_attachment(
        actor=applicant_city_a, application=application, kind="application_form",
        name="신청서.pdf", data=PDF,
    )  # fmt: skip
    base = live_server.url
    sign_in(page, base, applicant_city_a)

    # The form: a definition and the denominator of a normalised indicator.
    page.goto(f"{base}/applications/{application.pk}/")
    row = page.locator(f'[id="claim-{PER_PEOPLE}"]')
    assert "주민등록인구 320,000명(2025-12-31 기준)" in row.inner_text()
    assert "인구 100,000명당 환산값: 20.00" in row.inner_text()

    # Leaving with an unsaved edit asks first; the edit is still there.
    page.locator("form[data-unsaved-guard-ready]").wait_for()
    page.locator(f'[id="v-{PERCENT}"]').fill("150")
    dialogs: list[str] = []

    def stay(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="점수 설명").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/applications/{application.pk}/")
    page.remove_listener("dialog", stay)

    # Saving a percentage above 100 is refused on the field, which keeps it.
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state()
    field = page.locator(f'[id="v-{PERCENT}"]')
    assert field.input_value() == "150" and field.get_attribute("aria-invalid") == "true"
    assert (
        "백분율은 100을 넘을 수 없습니다: 150"
        in page.locator(f'[id="claim-{PERCENT}"]').inner_text()
    )
    field.fill("12")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state()
    assert application.claims.get(indicator_code=PERCENT).value == 12

    # The completeness check refuses and lists every gap, each with a link.
    page.get_by_role("link", name="제출 전 점검과 제출").first.click()
    page.wait_for_load_state()
    missing = page.locator("#missing li")
    assert missing.count() == 51 + 3  # 53 indicators less the 2 answered; 3 documents
    assert page.locator("#missing").get_by_text("필수 서류가 없습니다: 정량지표 평가제안서").count()
    assert page.get_by_label(ATTEST).count() == 0  # no submit form until complete
    page.screenshot(path=str(artefacts / "applicant-completeness-refusal.png"), full_page=True)

    # The link for the 평가제안서 leads to the upload form with its kind chosen.
    page.locator("#missing").get_by_role("link", name="정량지표 평가제안서").click()
    page.wait_for_load_state()
    upload = page.locator("#upload")
    assert upload.get_by_label("서류 종류").input_value() == "proposal"
    upload.locator("input[type=file]").set_input_files(
        files=[{"name": "평가제안서.pdf", "mimeType": "application/pdf", "buffer": PROPOSAL}]
    )
    page.get_by_role("button", name="올리기").click()
    page.wait_for_load_state()
    assert "서류를 올렸습니다." in page.locator("main").inner_text()

    # One indicator marked not applicable, with its reason, from its link.
    page.goto(f"{base}/applications/{application.pk}/submit/")
    page.locator("#missing").get_by_role("link", name="A1.1.Q1", exact=False).click()
    page.wait_for_load_state()
    page.locator('[id="n-A1.1.Q1"]').check()
    page.locator('[id="r-A1.1.Q1"]').fill("해당 조직이 없음")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state()
    na = application.claims.get(indicator_code="A1.1.Q1")
    assert na.not_applicable and na.not_applicable_reason == "해당 조직이 없음"

    # The rest through the same service the form calls.
    complete_for_submission(applicant_city_a, application)

    # Confirmation: the attestation box sits on the submit form.
    page.goto(f"{base}/applications/{application.pk}/submit/")
    assert page.locator("h1").inner_text() == "제출 확인"
    page.get_by_role("button", name="확인하고 제출").click()
    page.wait_for_load_state()
    assert page.get_by_label(ATTEST).get_attribute("aria-invalid") == "true"
    application.refresh_from_db()
    assert application.status == "draft"
    page.get_by_label(ATTEST).check()
    page.get_by_role("button", name="확인하고 제출").click()
    page.wait_for_load_state()

    # The receipt: number, server time in KST, what was submitted.
    application.refresh_from_db()
    assert application.status == "submitted"
    number = f"2026-C-{application.pk:05d}-1"
    assert page.locator("#receipt-number").inner_text() == number
    assert page.locator("#receipt-time").inner_text().startswith("2026-10-25 10:00:00 KST")
    proposal = application.attachments.get(kind="proposal")
    assert proposal.sha256 in page.locator("main").inner_text()
    page.screenshot(path=str(artefacts / "applicant-receipt.png"), full_page=True)
    notice = Notification.objects.get(recipient=applicant_city_a, kind="certification.receipt")
    assert number in notice.subject

    # Documents can no longer be replaced or withdrawn.
    page.goto(f"{base}/applications/{application.pk}/documents/")
    assert page.get_by_role("button", name="철회").count() == 0
    assert isinstance(application, Application) and Path(artefacts).is_dir()
