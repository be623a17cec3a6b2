"""A whole certification cycle in Chromium, on the server's (frozen) clock.

City track: a call → two city applications (a committee member with a
conflict of interest is kept out) → a supplement loop → three members score
→ consensus → site inspection → report → Ministry approval → announcement →
the certificate PDF → the verification page says valid; two years later the
re-review reminder → an extension through the same review → the Ministry
revokes → the verification page says revoked.

Service track: a company applies for a transport service, the KICT desk
starts the review, the committee scores, the Ministry approves and the public
registry lists the certified service.

What each persona does that the product's pages offer, they do in the
browser; the long, repetitive parts (53 indicators × 3 members of scores, the
second application) go through the same services the pages call.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.accounts.models import User
from smartcity.certification.domain.claims import indicators_by_code
from smartcity.certification.domain.workflow import Action
from smartcity.certification.evaluation.models import Assignment, ConflictOfInterest
from smartcity.certification.evaluation.services import (
    add_member,
    assign_member,
    create_committees,
    fix_consensus,
    record_inspection,
    record_member_score,
    start_inspection,
    submit_review,
)
from smartcity.certification.models import Application, Call
from smartcity.certification.services import (
    apply_to_call,
    save_claims,
    set_attestation,
    start_self_assessment,
    submit_application,
    upload_attachment,
)
from smartcity.certification.services.results import announce_result
from smartcity.certification.services.workflow import perform
from smartcity.frameworks.models import FrameworkVersion
from smartcity.frameworks.selectors import engine_framework
from smartcity.frameworks.services import load_shipped_frameworks
from smartcity.notifications.models import Notification
from smartcity.registry.models import Certificate
from smartcity.testing.call_calendar import EVIDENCE, NUMBER_INDICATOR, PDF, at
from smartcity.testing.certification import number_claim, open_call, populate_persona_cities
from smartcity.testing.factories import TEST_PASSWORD, OrganisationFactory, UserFactory
from smartcity.testing.submission import complete_for_submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def autumn_call(ministry: User, framework: FrameworkVersion, year: int, **extra: Any) -> Call:
    """A call on the test calendar, but announced on 1 September and open from
    20 September: the service track applies before the October window."""
    return open_call(
        ministry, framework, year=year, announced=at(year, 9, 1), opens=at(year, 9, 20, 9), **extra
    )


def upload_form(applicant: User, application: Application) -> None:
    upload_attachment(
        actor=applicant, application=application, kind="application_form", name="신청서.pdf",
        data=PDF,
    )  # fmt: skip


def prepare(
    applicant: User, framework: FrameworkVersion, call: Call, *, to_verify: bool
) -> Application:
    """A city's form, filled: one claim with its evidence line, the sealed form, the attestation."""
    draft = start_self_assessment(
        actor=applicant, framework=framework, title=f"{applicant.organisation} 인증 신청"
    )
    application = apply_to_call(actor=applicant, application=draft, call=call)
    save_claims(actor=applicant, application=application, inputs=number_claim(to_verify=to_verify))
    upload_form(applicant, application)
    complete_for_submission(applicant, application)
    set_attestation(actor=applicant, application=application, attested=True)
    return application


def score_everything(members: list[User], application: Application, *, share: Decimal) -> None:
    """Each member gives every indicator ``share`` of its points, with a rationale."""
    indicators = indicators_by_code(engine_framework(application.framework))
    for member in members:
        for code, indicator in indicators.items():
            points = (Decimal(indicator.points) * share).quantize(Decimal("0.01"))
            record_member_score(
                actor=member, application=application, indicator_code=code, points=points,
                rationale="증빙과 현장 확인 결과를 반영함",
            )  # fmt: skip


class Browser:
    """One Chromium page, signed in as one persona at a time."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base = page, base

    def login(self, user: User) -> Any:
        self.page.context.clear_cookies()
        self.page.goto(f"{self.base}/accounts/login/")
        self.page.get_by_label("아이디").fill(user.username)
        self.page.get_by_label("비밀번호").fill(TEST_PASSWORD)
        self.page.get_by_role("button", name="로그인").click()
        self.page.wait_for_load_state()
        return self.page

    def go(self, path: str) -> Any:
        return self.page.goto(f"{self.base}{path}")

    def approve_and_announce(self, ministry: User, application: Application) -> None:
        """The Ministry approves (the first result on its list) and announces ``application``."""
        self.login(ministry)
        self.go("/applications/approvals/")
        self.page.locator("form[action$='/approval/approve/']").first.get_by_role(
            "button", name="승인"
        ).click()
        self.page.wait_for_load_state()
        self.page.locator("[data-confirm-button]").click()  # the confirmation step
        self.page.locator("ul.messages li.success").first.wait_for()
        self.go("/applications/approvals/")
        self.page.locator(f"form[action$='/{application.pk}/announce/']").get_by_role(
            "button", name="발표", exact=True
        ).click()
        self.page.wait_for_load_state()
        self.page.locator("[data-confirm-button]").click()  # the confirmation step
        self.page.locator("ul.messages li.success").first.wait_for()
        application.refresh_from_db()

    def verdict(self, number: str) -> str:
        self.go(f"/registry/verify/{number}/")
        return str(self.page.locator("#verdict").get_attribute("data-status"))


def member(name: str, municipality: Any = None) -> User:
    organisation = OrganisationFactory(
        name_ko=f"{name} 연구소", kind=OrganisationKind.EXPERT_BODY, municipality=municipality
    )
    return UserFactory(username=name, role=Role.COMMITTEE_MEMBER, organisation=organisation)  # type: ignore[no-any-return]


def test_a_city_is_certified_extended_and_revoked(  # type: ignore[no-untyped-def]
    ministry_officer, operator_staff, committee_member, applicant_city_a, applicant_city_b,
    city_2023, clock, live_server, page, artefacts, size_class_rules,
) -> None:  # fmt: skip
    browser = Browser(page, live_server.url)
    framework = city_2023
    populate_persona_cities()
    city_a = applicant_city_a.organisation.municipality

    # The Ministry publishes the call; KRIHS forms the committees: three
    # members, and one whose institute sits in city A (a conflict).
    clock.set(at(2026, 9, 1, 9, 0))
    call = autumn_call(ministry_officer, framework, 2026)
    committees = create_committees(actor=operator_staff, call=call)
    reviewers = [committee_member, member("reviewer2"), member("reviewer3")]
    conflicted = member("conflicted", municipality=city_a)
    for person in [*reviewers, conflicted]:
        add_member(actor=operator_staff, committee=committees[0], member=person, is_common=True)

    # Two cities apply. B submits (service); A submits in the browser.
    clock.set(at(2026, 10, 25, 10, 0))
    application_a = prepare(applicant_city_a, framework, call, to_verify=True)
    application_b = prepare(applicant_city_b, framework, call, to_verify=False)
    submit_application(actor=applicant_city_b, application=application_b)
    browser.login(applicant_city_a)
    browser.go(f"/applications/{application_a.pk}/submit/")
    page.get_by_label("제출하는 사본이 원본과 같음을 확인합니다(원본대조필).").check()
    page.get_by_role("button", name="확인하고 제출").click()
    page.wait_for_load_state()
    application_a.refresh_from_db()
    assert application_a.status == "submitted"

    # Document check: KRIHS asks A for a supplement with a deadline.
    clock.set(at(2026, 10, 28, 10, 0))
    browser.login(operator_staff)
    browser.go(f"/applications/desk/{call.pk}/")
    row = page.locator(f"#application-{application_a.pk}")
    row.get_by_text("소명·보완 요청").click()
    row.get_by_label("요청 내용").fill("교육 이수 비율의 근거 명단을 보완해 주십시오.")
    row.get_by_label("제출 기한").fill("2026-10-30T18:00")
    row.get_by_role("button", name="요청 보내기").click()
    page.wait_for_load_state()
    page.locator("[data-confirm-button]").click()  # the confirmation step
    page.locator("ul.messages li.success").first.wait_for()
    application_a.refresh_from_db()
    assert application_a.status == "supplement_requested"

    # A sees the request, corrects the value, adds the evidence and answers.
    browser.login(applicant_city_a)
    browser.go(f"/applications/{application_a.pk}/")
    page.locator("blockquote", has_text="근거 명단을 보완").wait_for()
    page.locator(f"[name='v-{NUMBER_INDICATOR}']").fill("14.5")
    page.get_by_role("button", name="저장").first.click()
    page.get_by_role("status").filter(has_text="저장했습니다").wait_for()
    upload_attachment(
        actor=applicant_city_a, application=application_a, kind="evidence", name="명단.pdf",
        data=EVIDENCE,
    )  # fmt: skip
    browser.go(f"/applications/{application_a.pk}/")
    page.get_by_role("button", name="소명·보완 자료 제출").click()
    page.wait_for_load_state()
    page.locator("[data-confirm-button]").click()  # the confirmation step
    page.locator("ul.messages li.success").first.wait_for()
    application_a.refresh_from_db()
    assert application_a.status == "submitted"
    assert application_a.versions.count() == 2

    # KRIHS reads exactly what changed between the two versions.
    browser.login(operator_staff)
    browser.go(f"/applications/{application_a.pk}/versions/1/2/")
    body = page.locator("main").inner_text()
    assert NUMBER_INDICATOR in body and "14.5" in body and "명단.pdf" in body

    # Conflicts are detected and the committee assigned automatically.
    browser.go(f"/reviews/calls/{call.pk}/committees/")
    page.get_by_role("button", name="이해충돌 다시 확인").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="자동 배정").click()
    page.wait_for_load_state()
    assert ConflictOfInterest.objects.filter(application=application_a, member=conflicted).exists()
    assigned = set(
        Assignment.objects.filter(application=application_a).values_list(
            "member__username", flat=True
        )
    )
    assert assigned == {r.username for r in reviewers}
    page.screenshot(path=str(artefacts / "cycle-committee.png"), full_page=True)

    # The written review starts after the window closed.
    clock.set(at(2026, 11, 2, 10, 0))
    browser.login(operator_staff)  # (sessions last 8 hours on the server clock)
    browser.go(f"/applications/desk/{call.pk}/")
    page.locator(f"#application-{application_a.pk}").get_by_role(
        "button", name="서면평가 시작"
    ).click()
    page.wait_for_load_state()
    page.locator("[data-confirm-button]").click()  # the confirmation step
    page.locator("ul.messages li.success").first.wait_for()

    # The conflicted member cannot open A's application anywhere.
    browser.login(conflicted)
    assert browser.go(f"/reviews/{application_a.pk}/").status == 404
    assert browser.go(f"/applications/{application_a.pk}/").status == 404

    # Three members score; each submits in the browser.
    score_everything(reviewers, application_a, share=Decimal("0.8"))
    for reviewer in reviewers:
        browser.login(reviewer)
        browser.go(f"/reviews/{application_a.pk}/")
        page.get_by_role("button", name="제출 전 확인").click()
        page.get_by_label("제출한 뒤에는 고칠 수 없음을 이해합니다").check()
        page.get_by_role("button", name="평가 제출").click()
        page.get_by_text("평가를 제출했습니다. 이제 다른 위원의 점수를").first.wait_for()
    assert not Assignment.objects.filter(
        application=application_a, submitted_at__isnull=True
    ).exists()

    # Consensus, then the site inspection of the claim marked "to verify".
    browser.login(operator_staff)
    browser.go(f"/reviews/{application_a.pk}/consensus/")
    page.get_by_role("button", name="합의 점수 확정").click()
    page.wait_for_load_state()
    page.locator("[data-confirm-button]").click()  # the confirmation step
    page.locator("ul.messages li.success").first.wait_for()
    browser.go(f"/reviews/{application_a.pk}/inspection/")
    page.get_by_role("button", name="현장실사 시작(확인 목록 만들기)").click()
    page.wait_for_load_state()
    page.locator("[data-confirm-button]").click()  # the confirmation step
    page.locator("ul.messages li.success").first.wait_for()
    page.locator("select[name$='-outcome']").first.select_option("confirmed")
    page.get_by_role("button", name="기록").first.click()
    page.wait_for_load_state()
    browser.go(f"/applications/desk/{call.pk}/")
    page.locator(f"#application-{application_a.pk}").get_by_role("button", name="결과 보고").click()
    page.wait_for_load_state()
    page.locator("[data-confirm-button]").click()  # the confirmation step
    page.locator("ul.messages li.success").first.wait_for()
    application_a.refresh_from_db()
    assert application_a.status == "reported" and application_a.result_certified is True

    # The Ministry approves within its 10 days and announces.
    clock.set(at(2026, 11, 5, 10, 0))
    browser.approve_and_announce(ministry_officer, application_a)
    assert application_a.status == "announced" and application_a.decision is not None
    certificate = Certificate.objects.get(decision=application_a.decision)
    number = certificate.number

    # A reads its result and downloads its certificate; anyone can verify it.
    browser.login(applicant_city_a)
    browser.go(f"/applications/{application_a.pk}/result/")
    page.screenshot(path=str(artefacts / "cycle-result.png"), full_page=True)
    pdf = page.request.get(f"{live_server.url}/certificates/{number}.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    page.context.clear_cookies()
    assert browser.verdict(number) == "valid"

    # Re-review: three months before expiry the holder is reminded, and
    # applies for an extension to that year's call.
    clock.set(at(2028, 10, 1, 10, 0))
    autumn_call(ministry_officer, framework, 2028)
    call_command("certification", "remind", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Notification.objects.filter(
        recipient=applicant_city_a, dedupe_key__contains=number
    ).exists()
    browser.login(applicant_city_a)
    browser.go(f"/applications/certificates/{number}/extend/")
    page.get_by_role("button", name="연장 신청서 만들기").click()
    page.wait_for_load_state()
    page.locator("[data-confirm-button]").click()  # the confirmation step
    page.locator("ul.messages li.success").first.wait_for()
    extension = Application.objects.get(extends_certificate=certificate)
    assert extension.previous_application_id == application_a.pk
    assert extension.claims.get(indicator_code=NUMBER_INDICATOR).value == Decimal("14.5")

    # The extension goes through the same review.
    set_attestation(actor=applicant_city_a, application=extension, attested=True)
    complete_for_submission(applicant_city_a, extension)
    submit_application(actor=applicant_city_a, application=extension)
    clock.set(at(2028, 11, 2, 10, 0))
    for reviewer in reviewers:
        assign_member(actor=operator_staff, application=extension, member=reviewer)
    perform(actor=operator_staff, application=extension, action=Action.START_REVIEW)
    score_everything(reviewers, extension, share=Decimal("0.75"))
    for reviewer in reviewers:
        submit_review(actor=reviewer, application=extension)
    fix_consensus(actor=operator_staff, application=extension, scores={}, minutes="연장 심사")
    for item in start_inspection(actor=operator_staff, application=extension):
        record_inspection(actor=operator_staff, item=item, outcome="confirmed", note="확인")
    perform(actor=operator_staff, application=extension, action=Action.REPORT)
    perform(actor=ministry_officer, application=extension, action=Action.APPROVE)
    announce_result(actor=ministry_officer, application=extension)
    extension.refresh_from_db()
    extended = Certificate.objects.get(decision=extension.decision)
    assert extended.granted_by == "extension" and extended.extension_number == 1
    assert browser.verdict(number) == "extended"
    assert browser.verdict(extended.number) == "valid"

    # The Ministry revokes the certificate for fraud; verification says so at once.
    clock.set(at(2029, 3, 1, 10, 0))
    browser.login(ministry_officer)
    browser.go(f"/registry/certificates/{extended.number}/revoke/")
    page.locator("input[name=ground_kind][value=fraud]").check()
    page.locator("[name=ground]").fill("제출한 교육 이수 명단이 거짓으로 확인됨")
    page.get_by_role("button", name="다음: 취소 내용 확인").click()
    page.get_by_role("button", name="인증 취소 확정").click()
    page.get_by_text("부로 취소했습니다").wait_for()
    page.context.clear_cookies()
    assert browser.verdict(extended.number) == "revoked"
    page.screenshot(path=str(artefacts / "cycle-verify-revoked.png"), full_page=True)
    assert "거짓" in page.locator("main").inner_text()


def test_a_company_certifies_a_transport_service(  # type: ignore[no-untyped-def]
    ministry_officer, service_operator_staff, committee_member, company_applicant,
    clock, live_server, page, artefacts, size_class_rules,
) -> None:  # fmt: skip
    browser = Browser(page, live_server.url)
    load_shipped_frameworks()
    framework = FrameworkVersion.objects.get(code="service-transport-2022")
    clock.set(at(2026, 9, 1, 9, 0))
    call = autumn_call(ministry_officer, framework, 2026, field="transport")
    committees = create_committees(actor=service_operator_staff, call=call)
    reviewers = [committee_member, member("svc2"), member("svc3")]
    for person in reviewers:
        add_member(actor=service_operator_staff, committee=committees[0], member=person)

    # The company fills in its service application and submits it in the browser.
    clock.set(at(2026, 10, 20, 10, 0))
    draft = start_self_assessment(
        actor=company_applicant, framework=framework, title="스마트 버스정보 서비스"
    )
    draft.service_name = "스마트 버스정보 서비스"
    draft.save(update_fields=["service_name"])
    application = apply_to_call(actor=company_applicant, application=draft, call=call)
    upload_form(company_applicant, application)
    complete_for_submission(company_applicant, application)
    browser.login(company_applicant)
    browser.go(f"/applications/{application.pk}/submit/")
    page.get_by_label("제출하는 사본이 원본과 같음을 확인합니다(원본대조필).").check()
    page.get_by_role("button", name="확인하고 제출").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == "submitted"

    # KICT assigns the committee and starts the written review from its desk.
    clock.set(at(2026, 11, 2, 10, 0))
    browser.login(service_operator_staff)
    browser.go(f"/reviews/calls/{call.pk}/committees/")
    page.get_by_role("button", name="자동 배정").click()
    page.wait_for_load_state()
    assert Assignment.objects.filter(application=application).count() == 3
    browser.go(f"/applications/desk/{call.pk}/")
    page.locator(f"#application-{application.pk}").get_by_role(
        "button", name="서면평가 시작"
    ).click()
    page.wait_for_load_state()
    page.locator("[data-confirm-button]").click()  # the confirmation step
    page.locator("ul.messages li.success").first.wait_for()

    score_everything(reviewers, application, share=Decimal("0.8"))
    for reviewer in reviewers:
        submit_review(actor=reviewer, application=application)
    browser.go(f"/reviews/{application.pk}/consensus/")
    page.get_by_role("button", name="합의 점수 확정").click()
    page.wait_for_load_state()
    page.locator("[data-confirm-button]").click()  # the confirmation step
    page.locator("ul.messages li.success").first.wait_for()
    browser.go(f"/applications/desk/{call.pk}/")
    page.locator(f"#application-{application.pk}").get_by_role("button", name="결과 보고").click()
    page.wait_for_load_state()
    page.locator("[data-confirm-button]").click()  # the confirmation step
    page.locator("ul.messages li.success").first.wait_for()

    # The Ministry approves and announces; the public registry lists the service.
    browser.approve_and_announce(ministry_officer, application)
    assert application.status == "announced" and application.result_certified is True
    number = Certificate.objects.get(decision=application.decision).number
    assert number.split("-")[1] == "S"
    page.context.clear_cookies()
    browser.go("/registry/?q=스마트 버스정보")
    assert "스마트 버스정보 서비스" in page.locator("main").inner_text()
    assert browser.verdict(number) == "valid"
    page.screenshot(path=str(artefacts / "cycle-service-verified.png"), full_page=True)
