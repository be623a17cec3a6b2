"""Whole certification rounds through the pages only (issue 13, the first
must-hold), from the state ``scripts/serve`` leaves: a migrated database and
``smartcity demo load``. Every step is a person's page action in Chromium,
each person in a browser context of their own; the tests read the database
only to assert, and the mail outbox to follow invitation links as the
invitees would. The server's clock is the tests' frozen clock (the call's
phases are days apart); a person signs in again when it has moved past the
session's eight hours.

City round (KRIHS): a call opened; a city applicant and three committee
members invited; the city applies, is refused by the completeness check,
completes and submits (receipt); a supplement round; the committee formed and
assigned on its page; a member's incomplete review refused; all three review;
consensus; site inspection; report; the Ministry approves and announces; the
certificate PDF downloads; the Ministry revokes it; the PDF and the verify
page say revoked. Service round (KICT): the same, shorter.

Screenshots in ``var/test-artefacts/``: ``e2e-main-<login>.png`` (each
persona's main page: the desks, the approvals, the applications, my
reviews), ``e2e-completeness-refusal.png``, ``e2e-receipt.png``,
``e2e-revoked-certificate.png`` (the revoked PDF's first page, ``pdftoppm
-png -r 60``) and ``e2e-service-verify.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from smartcity.certification.evaluation.models import Assignment, Consensus
from smartcity.certification.models import Application, Call
from smartcity.registry.models import Certificate
from smartcity.testing.call_calendar import at
from smartcity.testing.journey import (
    Cast,
    Person,
    accept_invitation,
    answer_every_indicator,
    answer_supplement,
    apply_from_home,
    completeness_refusal,
    create_and_open_call,
    invite,
    register_organisation,
    submit_with_attestation,
    upload,
)
from smartcity.testing.journey_review import (
    approve_and_announce,
    certificate_download,
    desk_action,
    fix_consensus,
    form_committee,
    inspect,
    pdf_to_png,
    request_supplement,
    revoke,
    score,
    verdict,
)
from smartcity.testing.serve_state import lay_serve_state

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "smartcity-demo-2026"  # the demo's logins, as scripts/serve prints them
PASSWORD = "quiet-river-stone-42"  # what the invitees choose
DATES = {
    "announced_at": "2026-06-01T09:00:00",
    "submission_opens_at": "2026-10-24T09:00:00",
    "submission_closes_at": "2026-10-26T18:00:00",
    "written_review_starts_at": "2026-11-02T09:00:00",
    "site_inspection_starts_at": "2026-11-16T09:00:00",
    "decision_starts_at": "2026-11-30T09:00:00",
    "approval_due_at": "2026-12-10T18:00:00",
    "results_announced_at": "2026-12-21T10:00:00",
}
GROUND = "제출한 운영 실적이 사실과 다름이 확인됨"
MEMBERS = [("prof_han", "한서준 교수"), ("prof_yoon", "윤하린 교수"), ("dr_jang", "장도윤 박사")]


@pytest.fixture
def served(municipal_register, size_class_rules, clock, live_server, settings) -> str:  # type: ignore[no-untyped-def]
    """What ``scripts/serve`` leaves: the demo loaded (on 20 May 2026, the
    frozen clock), the centres' demo with its key, served; invitation links
    point at this server. (Only the camera simulator is left out: no video
    is played in a certification round.)"""
    clock.set(at(2026, 5, 20, 10))
    lay_serve_state(simulator_base_url=None)
    settings.SITE_URL = live_server.url
    return str(live_server.url)


@pytest.fixture
def cast(browser, served: str) -> Iterator[Cast]:  # type: ignore[no-untyped-def]
    people = Cast(browser, served)
    yield people
    people.close()


def outbox() -> list[Any]:
    return list(mail.outbox)


def main_shot(person: Person, path: str, artefacts: Path) -> None:
    """The person's main page (their work list), as ``e2e-main-<login>.png``."""
    person.go(path)
    person.shot(artefacts / f"e2e-main-{person.username}.png", full_page=False)


def test_a_city_round_through_the_pages(  # type: ignore[no-untyped-def]
    cast: Cast, clock, artefacts: Path, tmp_path: Path, settings
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    krihs = cast.person("operating body", "krihs", DEMO_PASSWORD)
    ministry = cast.person("ministry", "ministry", DEMO_PASSWORD)
    city = cast.person("city", "suwon", PASSWORD)
    members = [cast.person(name, login, PASSWORD) for login, name in MEMBERS]

    # 20 May: KRIHS opens the call and invites the city and three members.
    krihs.sign_in()
    title = "2026년 스마트도시 인증 공모(수원 라운드)"
    call_id = create_and_open_call(
        krihs, track="city", title=title, notice="2026년 스마트도시 인증 공모입니다.",
        dates=DATES, reference_date="2024-12-31",
    )  # fmt: skip
    register_organisation(krihs, "수원시", "municipality", "41110")
    register_organisation(krihs, "한빛도시연구원", "expert_body")
    link = invite(
        krihs, outbox, organisation="수원시", role="municipality_applicant",
        email="smart@suwon.go.kr", username="suwon", display_name="수원시 스마트도시과",
    )  # fmt: skip
    accept_invitation(city, link)
    for person in members:
        link = invite(
            krihs, outbox, organisation="한빛도시연구원", role="committee_member",
            email=f"{person.username}@hanbit.re.kr", username=person.username,
            display_name=person.name,
        )  # fmt: skip
        accept_invitation(person, link)
    assert Call.objects.get(pk=call_id).status == "published"

    # 25 October, the window open: the city applies from the home page.
    clock.set(at(2026, 10, 25, 10))
    city.sign_in()
    application_id = apply_from_home(city, title, "수원시 2026 스마트도시 인증 신청")
    upload(city, application_id, "application_form")
    gaps = completeness_refusal(city, application_id)
    assert gaps == 53 + 3  # every indicator and three documents
    city.shot(artefacts / "e2e-completeness-refusal.png")
    answer_every_indicator(city, application_id)
    for kind in ("proposal", "self_evaluation", "evidence"):
        upload(city, application_id, kind)
    number = submit_with_attestation(city, application_id)
    assert number == f"2026-C-{application_id:05d}-1"
    city.shot(artefacts / "e2e-receipt.png")
    main_shot(city, "/applications/", artefacts)
    assert Application.objects.get(pk=application_id).status == "submitted"

    # 28 October, the window closed: a supplement round.
    clock.set(at(2026, 10, 28, 10))
    krihs.sign_in()
    said = request_supplement(
        krihs, call_id, application_id, "교육 이수 비율의 근거 명단을 보완해 주십시오.",
        "2026-10-30T18:00",
    )  # fmt: skip
    assert said
    city.sign_in()
    answer_supplement(city, application_id, "A1.1.Q2", "90")
    application = Application.objects.get(pk=application_id)
    assert application.status == "submitted" and application.versions.count() == 2
    main_shot(krihs, f"/applications/desk/{call_id}/", artefacts)

    # The committee formed and assigned on its page; the written review starts.
    form_committee(krihs, call_id, [p.name for p in members], per_application=3)
    assert Assignment.objects.filter(application_id=application_id).count() == 3
    assert "서면평가" in desk_action(krihs, call_id, application_id, "서면평가 시작")

    # A member's incomplete review is refused; then all three review.
    for person in members:
        person.sign_in()
    main_shot(members[0], "/reviews/", artefacts)
    alert = score(members[0], application_id, only=1)
    assert "52개 있어 제출할 수 없습니다" in alert, alert
    assert not Assignment.objects.filter(
        application_id=application_id, submitted_at__isnull=False
    ).exists()
    for person in members:
        assert "평가를 제출했습니다" in score(person, application_id)

    # Consensus, the site inspection, the report.
    fix_consensus(krihs, application_id)
    assert Consensus.objects.filter(application_id=application_id).exists()
    inspect(krihs, application_id)
    desk_action(krihs, call_id, application_id, "결과 보고")
    application.refresh_from_db()
    assert application.status == "reported" and application.result_certified is True

    # The Ministry approves and announces; the city downloads the certificate.
    ministry.sign_in()
    main_shot(ministry, "/applications/approvals/", artefacts)
    approve_and_announce(ministry, application_id)
    application.refresh_from_db()
    assert application.status == "announced"
    number, pdf, _ = certificate_download(city, application_id)
    assert pdf.startswith(b"%PDF")
    assert Certificate.objects.get(decision=application.decision).number == number
    public = cast.person("the public", "", "")
    assert verdict(public, number) == "valid"

    # Three months on the Ministry revokes it; the PDF and verify page say so.
    clock.set(at(2027, 2, 1, 10))
    ministry.sign_in()
    assert "2027-02-01부로 취소했습니다" in revoke(ministry, number, GROUND)
    assert verdict(public, number) == "revoked"
    assert GROUND in public.text("#standing")
    assert public.page.get_by_text("인증서 PDF 내려받기").count() == 0
    city.sign_in()  # (the clock moved past the session)
    _, revoked, disposition = certificate_download(city, application_id)
    assert f"{number}-revoked.pdf" in disposition
    (tmp_path / "revoked.pdf").write_bytes(revoked)
    text = pdf_to_png(tmp_path / "revoked.pdf", artefacts / "e2e-revoked-certificate.png")
    assert "REVOKED" in text and "취소되어 효력이 없습니다" in text


def test_a_service_round_run_by_kict_through_the_pages(  # type: ignore[no-untyped-def]
    cast: Cast, clock, artefacts: Path, tmp_path: Path, settings
) -> None:
    """Shorter: two of the demo's members review; no invitations of members,
    no supplement round, no refused review, no revocation."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    kict = cast.person("operating body (services)", "kict", DEMO_PASSWORD)
    ministry = cast.person("ministry", "ministry", DEMO_PASSWORD)
    company = cast.person("company", "greenbus", PASSWORD)
    members = [
        cast.person(name, login, DEMO_PASSWORD)
        for login, name in (("member2", "서평가"), ("member3", "오심사"))
    ]

    # 20 May: KICT opens a transport service call and invites a company.
    kict.sign_in()
    title = "2026년 스마트도시 서비스 인증 공모(교통)"
    call_id = create_and_open_call(
        kict, track="service", title=title, notice="교통 분야 서비스 인증 공모입니다.",
        dates=DATES, framework="교통", field_code="transport",
    )  # fmt: skip
    register_organisation(kict, "(주)그린버스", "company")
    link = invite(
        kict, outbox, organisation="(주)그린버스", role="company_applicant",
        email="cert@greenbus.co.kr", username="greenbus", display_name="그린버스 인증 담당",
    )  # fmt: skip
    accept_invitation(company, link)

    # 25 October: the company applies, is refused once, completes and submits.
    clock.set(at(2026, 10, 25, 10))
    company.sign_in()
    application_id = apply_from_home(
        company, title, "그린버스 수요응답형 버스 인증 신청", service_name="그린버스 DRT"
    )
    assert completeness_refusal(company, application_id) > 4
    answer_every_indicator(company, application_id)
    for kind in ("application_form", "proposal", "self_evaluation", "evidence"):
        upload(company, application_id, kind)
    assert submit_with_attestation(company, application_id) == f"2026-S-{application_id:05d}-1"
    main_shot(company, "/applications/", artefacts)

    # 28 October: a committee of two demo members; review, consensus,
    # inspection, report.
    clock.set(at(2026, 10, 28, 10))
    kict.sign_in()
    main_shot(kict, f"/applications/desk/{call_id}/", artefacts)
    form_committee(kict, call_id, [p.name for p in members], per_application=2)
    desk_action(kict, call_id, application_id, "서면평가 시작")
    for person in members:
        person.sign_in()
        assert "평가를 제출했습니다" in score(person, application_id)
    fix_consensus(kict, application_id)
    assert "현장실사를 시작했습니다" in inspect(kict, application_id)
    desk_action(kict, call_id, application_id, "결과 보고")
    application = Application.objects.get(pk=application_id)
    assert application.status == "reported" and application.result_certified is True

    # The Ministry approves and announces; the registry and verify page list it.
    ministry.sign_in()
    approve_and_announce(ministry, application_id)
    application.refresh_from_db()
    company.sign_in()  # (the clock moved past the session)
    number, pdf, _ = certificate_download(company, application_id)
    assert pdf.startswith(b"%PDF") and number.split("-")[1] == "S"
    assert Certificate.objects.get(decision=application.decision).number == number
    assert verdict(company, number) == "valid"
    company.shot(artefacts / "e2e-service-verify.png")
