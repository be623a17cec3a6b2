"""Page steps of a round after submission (``tests/test_browser_e2e.py``): the
operating body's desk, committee page, consensus, inspection and report; the
committee member's sheet; the Ministry's approval, announcement and
revocation. The people are ``journey.Person``s, each in a browser context of
their own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from smartcity.testing.journey import RATIONALE, Person

# --- the operating body: desk, committee, consensus, inspection, report -------------


def desk_row(ops: Person, call_id: int, application_id: int) -> Any:
    ops.go(f"/applications/desk/{call_id}/")
    return ops.page.locator(f"#application-{application_id}")


def request_supplement(
    ops: Person, call_id: int, application_id: int, message: str, due: str
) -> str:
    """From the desk: the request with its deadline, confirmed; the success message."""
    row = desk_row(ops, call_id, application_id)
    row.get_by_text("소명·보완 요청").first.click()
    row.get_by_label("요청 내용").fill(message)
    row.get_by_label("제출 기한").fill(due)
    row.get_by_role("button", name="요청 보내기").click()
    return ops.confirm()


def desk_action(ops: Person, call_id: int, application_id: int, button: str) -> str:
    """A workflow button on the desk's row, then its confirmation page."""
    desk_row(ops, call_id, application_id).get_by_role("button", name=button).click()
    return ops.confirm()


def form_committee(ops: Person, call_id: int, members: list[str], per_application: int) -> None:
    """On the committee page: the call's committees, each member appointed to
    all of them, then the automatic assignment (which must fill every place)."""
    page = ops.page
    ops.go(f"/reviews/calls/{call_id}/committees/")
    page.get_by_role("button", name="평가위원회 만들기").click()
    page.get_by_role("heading", name="위원 위촉").wait_for()
    for name in members:
        add = page.locator("form[action$='/committees/members/']")
        add.locator("select[name=member]").select_option(label=name)
        add.get_by_label("공통 위원(모든 그룹)").check()
        add.get_by_role("button", name="위촉").click()
        page.locator("tbody th[scope=row]", has_text=name).first.wait_for()
    assign = page.locator("form[action$='/auto-assign/']")
    assign.get_by_label("신청서별 위원 수").fill(str(per_application))
    assign.get_by_role("button", name="자동 배정").click()
    page.locator("#plan-filled").wait_for()


def fix_consensus(ops: Person, application_id: int) -> str:
    ops.go(f"/reviews/{application_id}/consensus/")
    ops.page.get_by_role("button", name="합의 점수 확정").click()
    return ops.confirm()


def inspect(ops: Person, application_id: int) -> str:
    """Start the site inspection (confirmed) and confirm every line of its checklist."""
    page = ops.page
    ops.go(f"/reviews/{application_id}/inspection/")
    page.get_by_role("button", name="현장실사 시작(확인 목록 만들기)").click()
    started = ops.confirm()
    lines = page.locator("form[action*='/inspection-items/']")
    for index in range(lines.count()):
        line = page.locator("form[action*='/inspection-items/']").nth(index)
        line.locator("select[name$='-outcome']").select_option("confirmed")
        line.get_by_role("button", name="기록").click()
        ops.success()
    return started


# --- the committee member -----------------------------------------------------------


def review_sheet(member: Person, application_id: int) -> list[tuple[str, str, str]]:
    """The member's sheet: (indicator code, its points, the proposal) per row."""
    member.go(f"/reviews/{application_id}/")
    member.page.get_by_role("heading", name="평가 규칙").wait_for()
    rows = member.page.locator("tr[id^='row-']").evaluate_all(
        """rows => rows.map(r => [r.id.slice(4), r.querySelector('th .muted').textContent,
                                   r.querySelectorAll('td')[1].textContent.trim()])"""
    )
    return [(code, points.strip(" /"), proposal) for code, points, proposal in rows]


def score(member: Person, application_id: int, *, only: int | None = None) -> str:
    """Score the sheet (the first ``only`` rows when given) and ask to submit:
    the proposal where there is one, else 80 % of the points with a
    rationale. Returns the refusal's alert, or the success message after the
    confirmation page."""
    page = member.page
    for code, points, proposal in review_sheet(member, application_id)[:only]:
        if proposal and proposal != "—":
            page.locator(f'[id="p-{code}"]').fill(proposal)
        else:
            page.locator(f'[id="p-{code}"]').fill(f"{float(points) * 0.8:.2f}")
            page.locator(f'[id="r-{code}"]').fill(RATIONALE)
    page.get_by_role("button", name="제출 전 확인").click()
    if only is not None:
        return member.text("#sheet-alert")
    page.get_by_role("heading", name="평가 제출 확인").wait_for()
    page.get_by_label("제출한 뒤에는 고칠 수 없음을 이해합니다").check()
    page.get_by_role("button", name="평가 제출").click()
    return member.success()


# --- the Ministry ------------------------------------------------------------------


def approve_and_announce(ministry: Person, application_id: int) -> tuple[str, str]:
    page = ministry.page
    ministry.go("/applications/approvals/")
    page.locator(f"tr[data-application='{application_id}']").get_by_role(
        "button", name="승인"
    ).click()
    approved = ministry.confirm()
    ministry.go("/applications/approvals/")
    page.locator(f"form[action$='/{application_id}/announce/']").get_by_role(
        "button", name="발표", exact=True
    ).click()
    return approved, ministry.confirm()


def revoke(ministry: Person, number: str, ground: str) -> str:
    page = ministry.page
    ministry.go(f"/registry/certificates/{number}/")
    page.get_by_role("link", name="인증 취소").click()
    page.locator("input[name=ground_kind][value=fraud]").check()
    page.locator("[name=ground]").fill(ground)
    page.get_by_role("button", name="다음: 취소 내용 확인").click()
    page.get_by_role("heading", name="인증 취소 확인").wait_for()
    page.get_by_role("button", name="인증 취소 확정").click()
    done = page.get_by_text("의 인증을").first
    done.wait_for()
    return str(done.inner_text())


def pdf_to_png(pdf: Path, target: Path) -> str:
    """The PDF's text, and its first page as ``target`` (``pdftoppm -png -r 60``)."""
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) is needed for the artefact"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-singlefile", str(pdf), str(target)[:-4]],
        check=True,
    )
    return subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def certificate_download(holder: Person, application_id: int) -> tuple[str, bytes, str]:
    """The holder's result page → 인증서 PDF: (the certificate's number, as its
    link names it; the PDF; the response's content-disposition)."""
    holder.go(f"/applications/{application_id}/result/")
    href = str(holder.page.get_by_role("link", name="인증서 PDF").get_attribute("href"))
    match = re.fullmatch(r"/certificates/(.+)\.pdf", href)
    assert match is not None, href
    response = holder.page.request.get(f"{holder.base}{href}")
    assert response.status == 200, response.status
    return match.group(1), response.body(), response.headers["content-disposition"]


def verdict(visitor: Person, number: str) -> str:
    """The public verification page's verdict for ``number``."""
    visitor.go(f"/registry/verify/{number}/")
    return str(visitor.page.locator("#verdict").get_attribute("data-status"))
