"""A committee member's review in Chromium: an incomplete review is refused
with every missing indicator marked, then completed, confirmed and submitted;
the member then sees the others' scores under their display names.

The 53 indicators' scores go through the service the page calls (as in the
certification cycle test); the refusal, the confirmation and the submission
are clicked in the browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.accounts.models import User
from smartcity.certification.domain.workflow import Action
from smartcity.certification.evaluation.models import Assignment
from smartcity.certification.evaluation.services import assign_member
from smartcity.certification.evaluation.tests.conftest import fill_review, score_everything
from smartcity.certification.services.workflow import perform
from smartcity.frameworks.selectors import engine_framework
from smartcity.testing.call_calendar import WRITTEN_REVIEW
from smartcity.testing.certification import open_call, submitted_application
from smartcity.testing.factories import TEST_PASSWORD, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, base: str, user: User) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("아이디").fill(user.username)
    page.get_by_label("비밀번호").fill(TEST_PASSWORD)
    page.get_by_role("button", name="로그인").click()
    page.wait_for_load_state()


def test_an_incomplete_review_is_refused_then_completed_confirmed_and_submitted(  # type: ignore[no-untyped-def]
    ministry_officer, operator_staff, committee_member, applicant_city_a,
    city_2023, persona_city_population, size_class_rules, clock, live_server, page,
    artefacts: Path, settings, tmp_path: Path,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = str(tmp_path)
    call = open_call(ministry_officer, city_2023, clock=clock)
    application = submitted_application(clock, applicant_city_a, call)
    clock.set(WRITTEN_REVIEW)
    committee_member.display_name = "김한국 교수"
    committee_member.save()
    colleague = UserFactory(
        username="member2", display_name="이미래 교수", role=Role.COMMITTEE_MEMBER,
        organisation=OrganisationFactory(name_ko="미래연구소", kind=OrganisationKind.EXPERT_BODY),
    )  # fmt: skip
    for member in (committee_member, colleague):
        assign_member(actor=operator_staff, application=application, member=member)
    perform(actor=operator_staff, application=application, action=Action.START_REVIEW)
    score_everything(application, colleague)
    codes = [i.code for i in engine_framework(city_2023).indicators]

    # The member scores one indicator and asks to submit: refused, every
    # missing indicator marked on its own field, the typed score kept.
    login(page, live_server.url, committee_member)
    page.goto(f"{live_server.url}/reviews/{application.pk}/")
    page.get_by_role("heading", name="평가 규칙").wait_for()
    proposal = page.locator(f'[id="row-{codes[0]}"] td').nth(1).inner_text().strip()
    page.locator(f'[id="p-{codes[0]}"]').fill(proposal)
    page.get_by_role("button", name="제출 전 확인").click()
    page.wait_for_load_state()
    alert = page.locator("#sheet-alert")
    assert f"{len(codes) - 1}개 있어 제출할 수 없습니다" in alert.inner_text()
    assert page.locator(f'[id="p-{codes[0]}"]').input_value() == proposal
    assert page.locator(f'[id="p-{codes[1]}"]').get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(artefacts / "committee-incomplete-refusal.png"), full_page=False)
    assert Assignment.objects.get(member=committee_member).submitted_at is None

    # The rest is completed (one abstention with its reason, in the page).
    fill_review(application, committee_member)
    page.goto(f"{live_server.url}/reviews/{application.pk}/")
    page.locator(f'[id="a-{codes[1]}"]').check()
    page.locator(f'[id="r-{codes[1]}"]').fill("자문 이력이 있어 기권")
    page.get_by_role("button", name="제출 전 확인").click()
    page.wait_for_load_state()

    # The confirmation: the summary, then the box must be ticked.
    page.get_by_role("heading", name="평가 제출 확인").wait_for()
    assert page.locator("[data-abstained]").inner_text() == "1"
    page.get_by_role("button", name="평가 제출").click()
    page.wait_for_load_state()
    assert "확인란에 표시해야" in page.locator("[role=alert]").inner_text()
    page.get_by_label("제출한 뒤에는 고칠 수 없음을 이해합니다").check()
    page.get_by_role("button", name="평가 제출").click()
    page.wait_for_load_state()
    page.get_by_role("status").filter(has_text="평가를 제출했습니다").first.wait_for()
    assert Assignment.objects.get(member=committee_member).submitted_at is not None
    panels = page.locator("#panels-title").locator("xpath=..").inner_text()
    assert "이미래 교수" in panels and "member2" not in panels
