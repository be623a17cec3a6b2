"""An operating body invites a committee member in Chromium: it registers the
member's home organisation, sends the invitation, and the invitee opens the
link from the mail outbox, sets a password and signs in. The link then
refuses a second use with a clear sentence."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from smartcity.accounts.choices import Role
from smartcity.accounts.models import User
from smartcity.core.models import AuditEvent
from smartcity.testing.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "quiet-river-stone-42"


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state()


def test_an_operating_body_invites_a_member_who_sets_a_password_and_signs_in(  # type: ignore[no-untyped-def]
    operator_staff: User, live_server, page, artefacts: Path, settings
) -> None:
    settings.SITE_URL = live_server.url  # the link in the e-mail points at this server
    base = live_server.url
    sign_in(page, base, operator_staff.username, TEST_PASSWORD)

    # The member's home organisation, for the city track (the only one offered).
    page.get_by_role("link", name="사람·기관").click()
    page.get_by_role("link", name="기관 등록").click()
    page.locator("input[name=name_ko]").fill("한빛대학교")
    page.get_by_label("기관 유형").select_option("expert_body")
    assert page.get_by_label("관리 운영기관의 인증").locator("option").count() == 1
    page.get_by_role("button", name="등록").click()
    page.wait_for_load_state()
    page.get_by_role("status").filter(has_text="등록했습니다").wait_for()

    # The invitation.
    row = page.locator("#organisations tr", has_text="한빛대학교")
    row.get_by_role("link", name="이 기관에 초대").click()
    page.get_by_label("역할").select_option(Role.COMMITTEE_MEMBER)
    page.get_by_label("전자우편").fill("prof.kim@example.ac.kr")
    page.get_by_label("아이디").fill("prof_kim")
    page.get_by_label("표시 이름").fill("김한빛 교수")
    page.screenshot(path=str(artefacts / "people-invite.png"), full_page=True)
    page.get_by_role("button", name="초대 보내기").click()
    page.wait_for_load_state()
    page.get_by_role("status").filter(has_text="초대 전자우편을 보냈습니다").wait_for()
    assert "수락 대기" in page.locator("#account-invitations").inner_text()

    # The invitee opens the link from the mail, sets a password.
    (message,) = mail.outbox
    match = re.search(r"http://\S+/accounts/invitations/\S+/", str(message.body))
    assert match is not None
    link = match.group(0)
    page.context.clear_cookies()
    page.goto(link)
    assert "한빛대학교의 인증평가위원" in page.locator("main").inner_text()
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    page.screenshot(path=str(artefacts / "people-accept.png"), full_page=True)
    page.get_by_role("button", name="비밀번호 정하고 계정 활성화").click()
    page.wait_for_load_state()
    page.get_by_role("status").filter(has_text="계정이 활성화되었습니다").wait_for()

    # Signs in with the new password and sees their reviews menu.
    page.get_by_label("아이디").fill("prof_kim")
    page.get_by_label("비밀번호").fill(NEW_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="김한빛 교수").wait_for()
    page.get_by_role("link", name="내 평가").wait_for()
    page.screenshot(path=str(artefacts / "people-signed-in.png"), full_page=False)

    # The same link again: refused, saying it was used.
    page.context.clear_cookies()
    page.goto(link)
    assert "이미 사용되었습니다" in page.locator("#invitation-error").inner_text()
    page.screenshot(path=str(artefacts / "people-link-used.png"), full_page=False)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "accounts.organisation_created",
        "accounts.invitation_sent",
        "accounts.invitation_accepted",
        "accounts.signed_in",
    } <= actions
