"""The applicant's journey to a submission: the completeness check, the
confirmation step, the receipt (page and notice), documents replaced or
withdrawn until submission, and the form that keeps what was typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from smartcity.accounts.models import User
from smartcity.certification.domain.claims import ClaimInput, indicator_kind
from smartcity.certification.domain.completeness import Missing
from smartcity.certification.models import Application, Attachment, Call
from smartcity.certification.services import (
    IncompleteApplication,
    SubmissionRefused,
    apply_to_call,
    replace_attachment,
    save_claims,
    set_area,
    start_self_assessment,
    submit_application,
    upload_attachment,
    withdraw_attachment,
)
from smartcity.core.models import AuditEvent
from smartcity.frameworks.selectors import engine_framework
from smartcity.notifications.models import Notification
from smartcity.testing.call_calendar import KST, PDF
from smartcity.testing.certification import open_call
from smartcity.testing.submission import NOT_APPLICABLE_REASON, complete_for_submission

pytestmark = pytest.mark.django_db

SUBMITTING = dt.datetime(2026, 10, 25, 10, 0, 0, tzinfo=KST)
PERCENT = "A1.1.Q2"  # 스마트도시 교육 이수 공무원 비율(%)
PER_PEOPLE = "A1.2.Q2"  # 특허 등록 및 창업 기업 수(인구 10만 명당)
PER_KM2 = "A3.2.Q1"  # 지능형 CCTV 설치 대수(km²당)
OTHER_PDF = b"%PDF-1.7\n% corrected\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def call(city_2023, ministry_officer, clock, settings, tmp_path) -> Call:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    return open_call(ministry_officer, city_2023, clock=clock)


@pytest.fixture
def draft(call, city_2023, applicant_city_a, clock) -> Application:  # type: ignore[no-untyped-def]
    """City A's application to the call: one claim, the sealed form, nothing else."""
    clock.set(SUBMITTING)
    start = start_self_assessment(actor=applicant_city_a, framework=city_2023, title="가람시 신청")
    application = apply_to_call(actor=applicant_city_a, application=start, call=call)
    save_claims(
        actor=applicant_city_a,
        application=application,
        inputs=[ClaimInput(PERCENT, value="12", evidence_reference="부록1.pdf 3쪽")],
    )
    upload_attachment(
        actor=applicant_city_a,
        application=application,
        kind="application_form",
        name="신청서.pdf",
        data=PDF,
    )
    return application


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- services ----------------------------------------------------------------


def test_an_incomplete_application_is_refused_with_everything_missing(
    draft: Application, applicant_city_a: User
) -> None:
    with pytest.raises(IncompleteApplication) as refused:
        submit_application(actor=applicant_city_a, application=draft, attested=True)
    missing = refused.value.missing
    assert len([m for m in missing if m.kind == "indicator"]) == 52  # 53 less the one answered
    assert Missing("indicator", PERCENT) not in missing
    assert [m.code for m in missing if m.kind == "document"] == [
        "proposal",
        "self_evaluation",
        "evidence",
    ]
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.versions.count() == 0
    assert draft.attested  # the box was ticked; only the submission was refused
    assert not Notification.objects.filter(kind="certification.receipt").exists()


def test_not_applicable_without_a_reason_is_missing_its_reason(
    draft: Application, applicant_city_a: User
) -> None:
    complete_for_submission(applicant_city_a, draft)
    save_claims(
        actor=applicant_city_a,
        application=draft,
        inputs=[ClaimInput(PERCENT, not_applicable=True, not_applicable_reason="")],
    )
    with pytest.raises(IncompleteApplication) as refused:
        submit_application(actor=applicant_city_a, application=draft, attested=True)
    assert refused.value.missing == [Missing("reason", PERCENT)]


def test_a_complete_application_is_submitted_and_the_receipt_is_sent(
    draft: Application, applicant_city_a: User, operator_staff: User
) -> None:
    complete_for_submission(applicant_city_a, draft)
    version = submit_application(actor=applicant_city_a, application=draft, attested=True)
    draft.refresh_from_db()
    assert draft.status == "submitted" and version.number == 1
    assert version.submitted_at == SUBMITTING
    assert {a["kind"] for a in version.snapshot["attachments"]} == {
        "application_form",
        "proposal",
        "self_evaluation",
        "evidence",
    }
    assert all(a["size"] > 0 for a in version.snapshot["attachments"])
    receipt = Notification.objects.get(recipient=applicant_city_a, kind="certification.receipt")
    number = f"2026-C-{draft.pk:05d}-1"
    assert number in receipt.subject
    assert "2026-10-25 10:00:00" in receipt.body and "1개 응답" in receipt.body
    assert "52개 해당 없음" in receipt.body and "서류 4건" in receipt.body
    assert receipt.url == reverse("certification:receipt", args=[draft.pk, 1])
    # The applicant hears once (the receipt), the operating body of the track as before.
    assert not Notification.objects.filter(
        recipient=applicant_city_a, kind="certification.submit"
    ).exists()
    assert Notification.objects.filter(
        recipient=operator_staff, kind="certification.submit"
    ).exists()


def test_documents_are_replaced_and_withdrawn_until_submission_and_audited(
    draft: Application, applicant_city_a: User
) -> None:
    form = draft.attachments.get(kind="application_form")
    new = replace_attachment(
        actor=applicant_city_a,
        application=draft,
        attachment=form,
        name="신청서-수정.pdf",
        data=OTHER_PDF,
    )
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["신청서-수정.pdf"]
    assert new.kind == "application_form" and new.sha256 != form.sha256
    replaced = AuditEvent.objects.get(action="certification.attachment_replaced")
    assert replaced.data["from"]["sha256"] == form.sha256
    assert replaced.data["to"]["sha256"] == new.sha256
    withdraw_attachment(actor=applicant_city_a, application=draft, attachment=new)
    assert not draft.attachments.exists()
    withdrawn = AuditEvent.objects.get(action="certification.attachment_withdrawn")
    assert withdrawn.data["sha256"] == new.sha256 and withdrawn.data["size"] == new.size


def test_a_refused_replacement_keeps_the_old_document(
    draft: Application, applicant_city_a: User
) -> None:
    form = draft.attachments.get(kind="application_form")
    with pytest.raises(SubmissionRefused, match="file_empty"):
        replace_attachment(
            actor=applicant_city_a, application=draft, attachment=form, name="x.pdf", data=b""
        )
    assert list(draft.attachments.all()) == [form]


def test_documents_cannot_be_replaced_or_withdrawn_after_submission(
    draft: Application, applicant_city_a: User
) -> None:
    complete_for_submission(applicant_city_a, draft)
    submit_application(actor=applicant_city_a, application=draft, attested=True)
    form = draft.attachments.get(kind="application_form")
    draft.refresh_from_db()
    with pytest.raises(PermissionDenied):  # not editable at all once submitted
        withdraw_attachment(actor=applicant_city_a, application=draft, attachment=form)
    assert draft.attachments.filter(pk=form.pk).exists()


def test_others_cannot_withdraw_an_applicants_document(
    draft: Application, applicant_city_b: User
) -> None:
    form = draft.attachments.get(kind="application_form")
    with pytest.raises(PermissionDenied):
        withdraw_attachment(actor=applicant_city_b, application=draft, attachment=form)


# --- views -------------------------------------------------------------------


def test_the_check_page_lists_what_is_missing_with_a_link_to_each(
    draft: Application, applicant_city_a: User
) -> None:
    response = client_for(applicant_city_a).get(reverse("certification:submit", args=[draft.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "빠진 항목이 55개 있습니다" in html  # 52 indicators, 3 documents
    edit = reverse("certification:edit", args=[draft.pk])
    assert f'href="{edit}#claim-A1.1.Q1"' in html
    assert f'href="{edit}#claim-{PERCENT}"' not in html
    documents = reverse("certification:documents", args=[draft.pk])
    assert f'href="{documents}?kind=proposal#upload"' in html
    assert "필수 서류가 없습니다: 정량지표 평가제안서" in html
    assert 'name="attested"' not in html  # no submit form until complete


def test_submitting_an_incomplete_application_through_the_page_is_refused(
    draft: Application, applicant_city_a: User
) -> None:
    response = client_for(applicant_city_a).post(
        reverse("certification:submit", args=[draft.pk]), {"attested": "on"}
    )
    assert response.status_code == 400
    assert "빠진 항목이 55개 있습니다" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_confirmation_needs_the_attestation_in_the_same_form(
    draft: Application, applicant_city_a: User
) -> None:
    complete_for_submission(applicant_city_a, draft)
    client = client_for(applicant_city_a)
    url = reverse("certification:submit", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "제출 확인" in page and 'name="attested"' in page and "확인하고 제출" in page
    assert "응답 1개, 해당 없음 52개, 미입력 0개" in page
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert 'aria-invalid="true" aria-describedby="attested-error"' in refused.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_confirming_submits_and_shows_the_receipt(
    draft: Application, applicant_city_a: User, applicant_city_b: User
) -> None:
    complete_for_submission(applicant_city_a, draft)
    client = client_for(applicant_city_a)
    response = client.post(reverse("certification:submit", args=[draft.pk]), {"attested": "on"})
    receipt_url = reverse("certification:receipt", args=[draft.pk, 1])
    assert response.status_code == 302 and response["Location"] == receipt_url
    html = client.get(receipt_url).content.decode()
    assert f"2026-C-{draft.pk:05d}-1" in html
    assert "2026-10-25 10:00:00 KST" in html
    assert "전체 53개 중 응답 1개, 해당 없음 52개" in html
    form = draft.attachments.get(kind="application_form")
    assert form.sha256 in html and "신청서.pdf" in html
    # Asking for the check page again leads to the receipt, not a second submission.
    again = client.get(reverse("certification:submit", args=[draft.pk]))
    assert again.status_code == 302 and again["Location"] == receipt_url
    assert client_for(applicant_city_b).get(receipt_url).status_code == 404


def test_documents_page_replaces_and_withdraws_before_submission(
    draft: Application, applicant_city_a: User
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(applicant_city_a)
    url = reverse("certification:documents", args=[draft.pk])
    form = draft.attachments.get(kind="application_form")
    page = client.get(url).content.decode()
    assert "바꾸기" in page and "철회" in page
    upload = SimpleUploadedFile("수정본.pdf", OTHER_PDF, content_type="application/pdf")
    response = client.post(url, {"action": "replace", "attachment": form.pk, "file": upload})
    assert response.status_code == 302
    new = draft.attachments.get(kind="application_form")
    assert new.original_name == "수정본.pdf"
    asked = client.post(url, {"action": "withdraw", "attachment": new.pk})
    assert asked.status_code == 200 and "서류 철회 확인" in asked.content.decode()
    assert draft.attachments.filter(pk=new.pk).exists()  # not yet
    response = client.post(
        url, {"action": "withdraw", "attachment": new.pk, "confirmed": "yes"}, follow=True
    )
    assert "서류를 철회했습니다: 수정본.pdf" in response.content.decode()
    assert not draft.attachments.exists()
    assert client.post(url, {"action": "withdraw", "attachment": "abc"}).status_code == 404


def test_documents_page_refuses_changes_after_submission(
    draft: Application, applicant_city_a: User, clock
) -> None:  # type: ignore[no-untyped-def]
    complete_for_submission(applicant_city_a, draft)
    submit_application(actor=applicant_city_a, application=draft, attested=True)
    form = draft.attachments.get(kind="application_form")
    client = client_for(applicant_city_a)
    url = reverse("certification:documents", args=[draft.pk])
    assert "철회" not in client.get(url).content.decode()
    assert client.post(url, {"action": "withdraw", "attachment": form.pk}).status_code == 404
    confirmed = {"action": "withdraw", "attachment": form.pk, "confirmed": "yes"}
    assert client.post(url, confirmed).status_code == 404
    assert draft.attachments.filter(pk=form.pk).exists()


def test_an_invalid_value_stays_in_its_field_and_is_marked(
    draft: Application, applicant_city_a: User
) -> None:
    client = client_for(applicant_city_a)
    url = reverse("certification:edit", args=[draft.pk])
    response = client.post(
        url, {f"v-{PERCENT}": "150", "v-A2.1.Q2": "열두", f"v-{PER_PEOPLE}": "8"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        f'name="v-{PERCENT}" inputmode="decimal" value="150"  aria-invalid="true" '
        f'aria-describedby="err-{PERCENT}"'
    ) in html
    assert "백분율은 100을 넘을 수 없습니다: 150" in html
    assert 'value="열두"' in html and "숫자를 입력하세요: 열두" in html
    assert draft.claims.get(indicator_code=PERCENT).value == 12  # the old value is kept
    assert draft.claims.get(indicator_code=PER_PEOPLE).value == 8  # the good one is saved


def test_each_indicator_shows_its_definition_rule_and_denominator(
    draft: Application, applicant_city_a: User
) -> None:
    save_claims(
        actor=applicant_city_a,
        application=draft,
        inputs=[ClaimInput(PER_PEOPLE, value="64"), ClaimInput(PER_KM2, value="241")],
    )
    set_area(actor=applicant_city_a, application=draft, area_km2=Decimal("120.5"))
    html = client_for(applicant_city_a).get(reverse("certification:edit", args=[draft.pk]))
    text = html.content.decode()
    assert "0에서 0점, 20에서 만점, 그 사이는 비례 배점" in text  # A1.1.Q2's definition
    assert "배점 규칙" in text and "선형 0→20" in text
    assert "주민등록인구 320,000명(2025-11-01 기준" in text
    assert "인구 100,000명당 환산값: <strong>20.00</strong>" in text
    assert "행정구역 면적 120.50㎢" in text and "1㎢당 환산값: <strong>2.00</strong>" in text
    assert 'data-unsaved-guard="' in text and "js/unsaved-guard.js" in text


def test_not_applicable_is_saved_from_the_form(draft: Application, applicant_city_a: User) -> None:
    client_for(applicant_city_a).post(
        reverse("certification:edit", args=[draft.pk]),
        {f"v-{PERCENT}": "12", f"n-{PERCENT}": "on", f"r-{PERCENT}": "교육 대상 공무원 없음"},
    )
    claim = draft.claims.get(indicator_code=PERCENT)
    assert claim.not_applicable and claim.not_applicable_reason == "교육 대상 공무원 없음"
    assert claim.value is None


def test_what_if_speaks_in_the_unit_of_the_label(
    draft: Application, applicant_city_a: User, city_2023
) -> None:  # type: ignore[no-untyped-def]
    low = {"maturity": {"stage": "1"}, "yes_no": {"flag": "no"}, "number": {"value": "0"}}
    save_claims(
        actor=applicant_city_a,
        application=draft,
        inputs=[
            ClaimInput(i.code, **low[indicator_kind(i)])
            for i in engine_framework(city_2023).indicators
        ],
    )
    set_area(actor=applicant_city_a, application=draft, area_km2=Decimal("120.5"))
    html = client_for(applicant_city_a).get(
        reverse("certification:what_if", args=[draft.pk]) + "?target=certification"
    )
    rows = [r for r in html.content.decode().split("<tr>") if f"<code>{PER_PEOPLE}</code>" in r]
    assert rows, "the plan raises a per-population indicator"
    assert "인구 100,000명당 0.00 (건수 0)" in rows[0]
    assert "인구 100,000명당" in rows[0].split("</td>")[2]


def test_the_test_kit_marks_open_indicators_not_applicable(
    draft: Application, applicant_city_a: User
) -> None:
    complete_for_submission(applicant_city_a, draft)
    marked = draft.claims.filter(not_applicable=True)
    assert marked.count() == 52
    assert set(marked.values_list("not_applicable_reason", flat=True)) == {NOT_APPLICABLE_REASON}
    assert set(Attachment.objects.filter(application=draft).values_list("kind", flat=True)) == {
        "application_form",
        "proposal",
        "self_evaluation",
        "evidence",
    }
