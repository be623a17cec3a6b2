"""Writes for calls, applications and submissions (the only write path)."""

from smartcity.certification.access import TRACK_OF_ROLE
from smartcity.certification.services.applications import (
    save_claims,
    set_area,
    set_attestation,
    start_self_assessment,
)
from smartcity.certification.services.applications_documents import (
    replace_attachment,
    withdraw_attachment,
)
from smartcity.certification.services.calls import (
    create_call,
    draft_call,
    publish_call,
    update_call,
)
from smartcity.certification.services.submission import (
    IncompleteApplication,
    SubmissionRefused,
    apply_to_call,
    start_application,
    submit_application,
    upload_attachment,
)

__all__ = [
    "TRACK_OF_ROLE",
    "IncompleteApplication",
    "SubmissionRefused",
    "apply_to_call",
    "create_call",
    "draft_call",
    "publish_call",
    "replace_attachment",
    "save_claims",
    "set_area",
    "set_attestation",
    "start_application",
    "start_self_assessment",
    "submit_application",
    "update_call",
    "upload_attachment",
    "withdraw_attachment",
]
