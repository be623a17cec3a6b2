"""Applying to a call, uploading documents, and submitting on the server's clock."""

from __future__ import annotations

import hashlib
import io
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from smartcity.accounts.models import User
from smartcity.certification.access import can_edit_claims, is_applicant_of
from smartcity.certification.choices import ApplicationKind
from smartcity.certification.domain.calls import accepts_submissions
from smartcity.certification.domain.files import check_upload, size_of
from smartcity.certification.domain.workflow import Action
from smartcity.certification.models import Application, ApplicationVersion, Attachment, Call
from smartcity.certification.services.calls import timeline_of
from smartcity.certification.services.workflow import TransitionRefused, perform
from smartcity.core.services import record_audit
from smartcity.municipalities.selectors import size_class_for


class SubmissionRefused(Exception):
    """Why an application cannot be turned in; ``code`` is for messages."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def apply_to_call(*, actor: User, application: Application, call: Call) -> Application:
    """Turn a self-assessment into this call's application, keeping its claims,
    evidence and history (it is the same record). One application per call."""
    if (
        not is_applicant_of(actor, application)
        or application.kind != ApplicationKind.SELF_ASSESSMENT
    ):
        raise PermissionDenied
    if not accepts_submissions(timeline_of(call), timezone.now()):
        raise SubmissionRefused("call_not_open")
    if application.framework_id != call.framework_id:
        raise SubmissionRefused("framework_differs")
    if application.track != call.track:
        raise SubmissionRefused("track_differs")
    size_class = ""
    if application.municipality is not None:
        size_class = size_class_for(application.municipality.code, call_year=call.year).size_class
    try:
        with transaction.atomic():
            application.kind = ApplicationKind.APPLICATION
            application.call = call
            application.size_class = size_class
            application.save(update_fields=["kind", "call", "size_class", "updated_at"])
            record_audit(
                actor=actor,
                action="certification.applied_to_call",
                object_type="certification.application",
                object_id=application.pk,
                data={"call": call.pk, "size_class": size_class},
            )
    except IntegrityError as exc:
        raise SubmissionRefused("already_applied") from exc
    return application


def upload_attachment(
    *, actor: User, application: Application, kind: str, name: str, data: bytes | IO[bytes]
) -> Attachment:
    """Store a document after checking what it really is; a refused file leaves
    the application exactly as it was.

    ``data`` is the bytes or, from a request, the uploaded file itself: it is
    never read whole into memory. Its size is checked before anything else is
    read, then its content is sniffed, hashed and stored a chunk at a time."""
    if not can_edit_claims(actor, application):
        raise PermissionDenied
    stream: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes) else data
    verdict = check_upload(name, stream, max_bytes=settings.UPLOAD_MAX_BYTES)
    if not verdict.ok:
        raise SubmissionRefused(f"file_{verdict.problem}")
    size = size_of(stream)
    digest = _sha256(stream)
    with transaction.atomic():
        attachment = Attachment(
            application=application,
            kind=kind,
            original_name=name[:255],
            content_type=verdict.content_type,
            size=size,
            sha256=digest,
            uploaded_by=actor,
        )
        attachment.file.save(f"{digest}.{verdict.kind}", File(stream), save=False)
        attachment.save()
        record_audit(
            actor=actor,
            action="certification.attachment_uploaded",
            object_type="certification.application",
            object_id=application.pk,
            data={"kind": kind, "name": name, "sha256": digest, "size": size},
        )
    return attachment


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def submit_application(*, actor: User, application: Application) -> ApplicationVersion:
    """Lock a version. Refused after the call's closing time (server clock, to
    the second), without the sealed application form, or without attestation
    (``domain.workflow.decide``)."""
    if not is_applicant_of(actor, application) or application.call is None:
        raise PermissionDenied
    try:
        with transaction.atomic():
            locked = perform(actor=actor, application=application, action=Action.SUBMIT)
            locked.submitted_at = locked.status_changed_at
            locked.save(update_fields=["submitted_at", "updated_at"])
            return freeze_version(locked, actor)
    except TransitionRefused as refused:
        code = "already_submitted" if refused.code == "wrong_state" else refused.code
        raise SubmissionRefused(code) from refused


def snapshot_of(application: Application) -> dict[str, Any]:
    """What an application says now: claims, documents (by hash), area."""
    return {
        "claims": [
            {
                "indicator": c.indicator_code,
                "value": None if c.value is None else str(c.value),
                "flag": c.flag,
                "stage": c.stage,
                "evidence": c.evidence_reference,
                "justification": c.justification,
                "to_verify": c.to_verify,
            }
            for c in application.claims.order_by("indicator_code")
        ],
        "attachments": [
            {"kind": a.kind, "name": a.original_name, "sha256": a.sha256}
            for a in application.attachments.order_by("id")
        ],
        "area_km2": None if application.area_km2 is None else str(application.area_km2),
    }


def freeze_version(application: Application, actor: User) -> ApplicationVersion:
    """Store the next numbered version of what the application says now.
    Call inside the transaction that changes its state."""
    number = application.versions.count() + 1
    now = timezone.now()
    version = ApplicationVersion.objects.create(
        application=application,
        number=number,
        submitted_at=now,
        submitted_by=actor,
        snapshot=snapshot_of(application),
    )
    record_audit(
        actor=actor,
        action="certification.version_frozen",
        object_type="certification.application",
        object_id=application.pk,
        data={"version": number, "submitted_at": now.isoformat()},
    )
    return version
