"""Shared set-up for the workflow tests: a call on a fixed calendar and an
application submitted to it, on the frozen clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from smartcity.accounts.models import User
from smartcity.certification.domain.calls import Timeline
from smartcity.certification.domain.claims import ClaimInput
from smartcity.certification.models import Application, Call
from smartcity.certification.services import (
    apply_to_call,
    create_call,
    save_claims,
    set_attestation,
    start_self_assessment,
    submit_application,
    upload_attachment,
)
from smartcity.frameworks.models import FrameworkVersion

KST = dt.timezone(dt.timedelta(hours=9))
OPENS = dt.datetime(2026, 10, 24, 9, 0, tzinfo=KST)
CLOSES = dt.datetime(2026, 10, 26, 18, 0, 0, tzinfo=KST)
DOCUMENT_CHECK = dt.datetime(2026, 10, 28, 10, 0, tzinfo=KST)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EVIDENCE = b"%PDF-1.7\n% evidence for the supplement\ntrailer<<>>\n%%EOF\n"
NUMBER_INDICATOR = "A1.1.Q2"  # 스마트도시 교육 이수 공무원 비율(%), city-2023


def timeline() -> Timeline:
    return Timeline(
        submission_opens_at=OPENS,
        submission_closes_at=CLOSES,
        written_review_starts_at=dt.datetime(2026, 11, 2, tzinfo=KST),
        site_inspection_starts_at=dt.datetime(2026, 11, 16, tzinfo=KST),
        decision_starts_at=dt.datetime(2026, 11, 30, tzinfo=KST),
        results_announced_at=dt.datetime(2026, 12, 21, tzinfo=KST),
    )


def open_call(ministry: User, framework: FrameworkVersion, clock: Any) -> Call:
    clock.set(dt.datetime(2026, 6, 1, tzinfo=KST))
    return create_call(
        actor=ministry,
        year=2026,
        framework=framework,
        title_ko="2026년 스마트도시 인증 공모",
        timeline=timeline(),
        announced_at=dt.datetime(2026, 6, 1, tzinfo=KST),
    )


def submit(
    applicant: User, framework: FrameworkVersion, call: Call, clock: Any, *, value: str = "12"
) -> Application:
    """Apply, claim one number, upload the form, attest and submit (v1);
    leaves the clock in the document-check phase."""
    clock.set(dt.datetime(2026, 10, 25, 10, 0, tzinfo=KST))
    draft = start_self_assessment(actor=applicant, framework=framework, title="가람시 신청")
    application = apply_to_call(actor=applicant, application=draft, call=call)
    save_claims(
        actor=applicant,
        application=application,
        inputs=[ClaimInput(NUMBER_INDICATOR, value=value, evidence_reference="부록1.pdf 3쪽")],
    )
    upload_attachment(
        actor=applicant, application=application, kind="application_form", name="신청서.pdf",
        data=PDF,
    )  # fmt: skip
    set_attestation(actor=applicant, application=application, attested=True)
    submit_application(actor=applicant, application=application)
    clock.set(DOCUMENT_CHECK)
    application.refresh_from_db()
    return application
