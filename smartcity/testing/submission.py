"""Making an application complete enough to submit, through the services.

Submission refuses an application with an indicator neither answered nor
marked not applicable (with a reason), or without a document the call
requires (``certification.domain.completeness``). Tests about something else
(the supplement loop, the committee, results) call
:func:`complete_for_submission` just before ``submit_application``: it marks
every indicator still open as not applicable, which scores exactly as an
unanswered one did, and uploads a small PDF for each required document still
missing, so the test's own claims and scores are unchanged.
"""

from __future__ import annotations

from smartcity.accounts.models import User
from smartcity.certification.domain.claims import ClaimInput
from smartcity.certification.models import Application
from smartcity.certification.selectors import completeness_of
from smartcity.certification.services import save_claims, upload_attachment
from smartcity.testing.call_calendar import PDF

NOT_APPLICABLE_REASON = "시험: 이 시험에서 다루지 않는 지표"


def complete_for_submission(applicant: User, application: Application) -> None:
    """Fill what the completeness check would refuse, except the attestation."""
    missing = completeness_of(application, with_attestation=False)
    open_codes = [m.code for m in missing if m.kind in ("indicator", "reason")]
    if open_codes:
        save_claims(
            actor=applicant,
            application=application,
            inputs=[
                ClaimInput(code, not_applicable=True, not_applicable_reason=NOT_APPLICABLE_REASON)
                for code in open_codes
            ],
        )
    for item in missing:
        if item.kind == "document":
            upload_attachment(
                actor=applicant,
                application=application,
                kind=item.code,
                name=f"{item.code}.pdf",
                data=PDF + item.code.encode(),
            )
