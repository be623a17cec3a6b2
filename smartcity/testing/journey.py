"""Page steps for the end-to-end rounds (``tests/test_browser_e2e.py``):
each person of a round in a browser context of their own, doing only what the
pages offer. The tests read the database only to assert, and the mail outbox
to follow an invitation's link, as the invitee would.

One context per person keeps their session: a person signs in again only
when the server's clock has moved past the session's eight hours.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: A small, well-formed PDF per document kind (the upload checks the content).
DOCUMENTS = {
    "application_form": ("신청서.pdf", b"%PDF-1.7\n% application form\ntrailer<<>>\n%%EOF\n"),
    "proposal": ("평가제안서.pdf", b"%PDF-1.7\n% proposal\ntrailer<<>>\n%%EOF\n"),
    "self_evaluation": ("자체평가표.pdf", b"%PDF-1.7\n% self-evaluation\ntrailer<<>>\n%%EOF\n"),
    "evidence": ("증빙자료.pdf", b"%PDF-1.7\n% evidence\ntrailer<<>>\n%%EOF\n"),
}
ATTEST = "제출하는 사본이 원본과 같음을 확인합니다(원본대조필)."
RATIONALE = "증빙자료와 현장 확인 결과를 반영함"


@dataclass
class Person:
    """One person of the round: a browser context and page of their own."""

    name: str
    username: str
    password: str
    page: Any
    base: str
    refused: list[str] = field(default_factory=list)

    def go(self, path: str) -> Any:
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None and response.status < 400, f"{self.name}: {path} {response}"
        return response

    def sign_in(self) -> None:
        page = self.page
        page.goto(f"{self.base}/accounts/login/")
        page.get_by_label("아이디").fill(self.username)
        page.get_by_label("비밀번호").fill(self.password)
        page.get_by_role("button", name="로그인").click()
        page.locator("form[action$='/accounts/logout/']").first.wait_for()

    def confirm(self) -> str:
        """Press the confirmation page's button; the success message's text."""
        self.page.locator("[data-confirm-button]").click()
        return str(self.success())

    def success(self) -> str:
        message = self.page.locator("ul.messages li.success").first
        message.wait_for()
        return str(message.inner_text())

    def text(self, selector: str = "main") -> str:
        return str(self.page.locator(selector).inner_text())

    def shot(self, path: Path, *, full_page: bool = True) -> None:
        self.page.screenshot(path=str(path), full_page=full_page)


class Cast:
    """The round's people, one browser context each (closed at the end)."""

    def __init__(self, browser: Any, base: str) -> None:
        self.browser, self.base = browser, base
        self.contexts: list[Any] = []
        self.people: list[Person] = []

    def person(self, name: str, username: str, password: str) -> Person:
        context = self.browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        person = Person(name, username, password, page, self.base)

        def watch(message: Any) -> None:
            if "Content Security Policy" in message.text:
                person.refused.append(message.text)

        page.on("console", watch)
        self.people.append(person)
        return person

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        refused = {p.name: p.refused for p in self.people if p.refused}
        assert not refused, f"the Content-Security-Policy refused: {refused}"


def number_in(url: str, pattern: str) -> int:
    match = re.search(pattern, url)
    assert match is not None, f"{pattern} not in {url}"
    return int(match.group(1))


# --- the operating body: calls and people ----------------------------------------------


def create_and_open_call(
    ops: Person, *, track: str, title: str, notice: str, dates: dict[str, str],
    reference_date: str = "", field_code: str = "", framework: str = "",
) -> int:  # fmt: skip
    """From the navigation: a new call of ``track``, saved as a draft, then
    opened after its confirmation. Returns the call's number (from its URL)."""
    page = ops.page
    ops.go("/")
    page.get_by_role("navigation").get_by_role("link", name="공모 관리").click()
    label = "스마트도시 공모 만들기" if track == "city" else "스마트도시 서비스 공모 만들기"
    page.get_by_role("link", name=label, exact=True).click()
    if framework:  # the option whose name has this text
        option = page.locator("#id_framework option", has_text=framework).first
        page.locator("#id_framework").select_option(option.get_attribute("value"))
    page.locator("#id_title_ko").fill(title)
    page.locator("#id_notice").fill(notice)
    if field_code:
        page.locator("#id_field").fill(field_code)
    if reference_date:
        page.locator("#id_population_reference_date").fill(reference_date)
    for name, value in dates.items():
        page.locator(f"#id_{name}").fill(value)
    page.get_by_role("button", name="초안으로 저장").click()
    assert "공모를 초안으로 저장했습니다." in ops.success()
    page.get_by_role("link", name="공고하기").click()
    page.get_by_role("heading", name="공모 공고 확인").wait_for()
    call_id = number_in(page.url, r"/calls/(\d+)/")
    page.get_by_role("button", name="공고 확정").click()
    assert "공모를 공고했습니다." in ops.success()
    return call_id


def register_organisation(ops: Person, name: str, kind: str, municipality_code: str = "") -> None:
    page = ops.page
    ops.go("/accounts/people/")
    page.get_by_role("link", name="기관 등록").click()
    page.locator("input[name=name_ko]").fill(name)
    page.get_by_label("기관 유형").select_option(kind)
    if municipality_code:
        page.get_by_label("지방자치단체 행정코드").fill(municipality_code)
    page.get_by_role("button", name="등록").click()
    page.get_by_role("status").filter(has_text="등록했습니다").wait_for()


def invite(
    ops: Person, outbox: Callable[[], list[Any]], *, organisation: str, role: str,
    email: str, username: str, display_name: str,
) -> str:  # fmt: skip
    """Invite one person from their organisation's row; the link in their mail."""
    page = ops.page
    ops.go("/accounts/people/")
    page.locator("#organisations tr", has_text=organisation).get_by_role(
        "link", name="이 기관에 초대"
    ).click()
    page.get_by_label("역할").select_option(role)
    page.get_by_label("전자우편").fill(email)
    page.get_by_label("아이디").fill(username)
    page.get_by_label("표시 이름").fill(display_name)
    page.get_by_role("button", name="초대 보내기").click()
    page.get_by_role("status").filter(has_text="초대 전자우편을 보냈습니다").wait_for()
    (message,) = [m for m in outbox() if email in m.to]
    match = re.search(r"http://\S+/accounts/invitations/\S+/", str(message.body))
    assert match is not None, message.body
    return match.group(0)


def accept_invitation(person: Person, link: str) -> None:
    """The invitee opens the link, sets the password and signs in."""
    page = person.page
    page.goto(link)
    page.locator("input[name=new_password1]").fill(person.password)
    page.locator("input[name=new_password2]").fill(person.password)
    page.get_by_role("button", name="비밀번호 정하고 계정 활성화").click()
    page.get_by_role("status").filter(has_text="계정이 활성화되었습니다").wait_for()
    person.sign_in()


# --- the applicant ---------------------------------------------------------------


def apply_from_home(applicant: Person, call_title: str, title: str, service_name: str = "") -> int:
    """Home page → the call's page → 신청하기 → the new application's form."""
    page = applicant.page
    applicant.go("/")
    page.get_by_role("link", name=call_title).click()
    page.get_by_role("link", name="신청하기").click()
    page.get_by_role("heading", name="공모 신청").wait_for()
    page.locator("#id_title").fill(title)
    if service_name:
        page.locator("#id_service_name").fill(service_name)
    page.get_by_role("button", name="신청서 만들기").click()
    page.locator("form#claims").wait_for()
    return number_in(page.url, r"/applications/(\d+)/$")


def answer_every_indicator(applicant: Person, application_id: int, *, value: str = "80") -> None:
    """The whole form: the highest maturity stage, yes, or ``value``; the
    first indicator with its evidence line, marked for the site inspection."""
    page = applicant.page
    applicant.go(f"/applications/{application_id}/")
    form = page.locator("form#claims")
    form.locator("#area_km2").fill("121.1")
    for select in form.locator("select[name^='s-']").all():
        select.select_option("5")
    for select in form.locator("select[name^='f-']").all():
        select.select_option("yes")
    for box in form.locator("input[name^='v-']").all():
        box.fill(value)
    form.locator("input[name^='e-']").first.fill("증빙자료.pdf 3쪽")
    form.locator("input[name^='t-']").first.check()
    form.get_by_role("button", name="저장").click()
    page.get_by_role("status").filter(has_text="저장했습니다").wait_for()
    assert page.locator("form#claims [aria-invalid=true]").count() == 0


def upload(applicant: Person, application_id: int, kind: str) -> None:
    name, data = DOCUMENTS[kind]
    page = applicant.page
    applicant.go(f"/applications/{application_id}/documents/")
    form = page.locator("#upload")
    form.get_by_label("서류 종류").select_option(kind)
    form.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": data}]
    )
    page.get_by_role("button", name="올리기").click()
    page.get_by_text("서류를 올렸습니다.").first.wait_for()


def completeness_refusal(applicant: Person, application_id: int) -> int:
    """The completeness check before submission: the gaps it lists (no submit form)."""
    page = applicant.page
    applicant.go(f"/applications/{application_id}/submit/")
    page.locator("#missing").wait_for()
    assert page.get_by_label(ATTEST).count() == 0
    return int(page.locator("#missing li").count())


def submit_with_attestation(applicant: Person, application_id: int) -> str:
    """The submit form with the 원본대조필 box; returns the receipt's number."""
    page = applicant.page
    applicant.go(f"/applications/{application_id}/submit/")
    page.get_by_role("heading", name="제출 확인").wait_for()
    page.get_by_label(ATTEST).check()
    page.get_by_role("button", name="확인하고 제출").click()
    number = page.locator("#receipt-number")
    number.wait_for()
    return str(number.inner_text())


def answer_supplement(applicant: Person, application_id: int, code: str, value: str) -> None:
    """The applicant reads the request, corrects one value and answers."""
    page = applicant.page
    applicant.go(f"/applications/{application_id}/")
    page.locator(".supplement-open blockquote").wait_for()
    page.locator(f"[name='v-{code}']").fill(value)
    page.locator("form#claims").get_by_role("button", name="저장").click()
    page.get_by_role("status").filter(has_text="저장했습니다").wait_for()
    page.locator(".supplement-open textarea[name=note]").fill("근거 명단을 고쳐 올렸습니다.")
    page.get_by_role("button", name="소명·보완 자료 제출").click()
    # Main since asks for confirmation here too (the step says what is fixed):
    # press it when it is shown, then the success message either way.
    page.locator("[data-confirm-button], ul.messages li.success").first.wait_for()
    if page.locator("[data-confirm-button]").count():
        applicant.confirm()
