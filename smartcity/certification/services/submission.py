"""Applying to a call, uploading documents, and submitting on the server's clock."""

from __future__ import annotations

import hashlib
import io
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smartcity.accounts.models import User
from smartcity.certification.access import can_edit_claims, is_applicant_of
from smartcity.certification.choices import ApplicationKind, CallStatus
from smartcity.certification.domain.calls import accepts_submissions
from smartcity.certification.domain.completeness import Missing
from smartcity.certification.domain.files import check_upload, size_of
from smartcity.certification.domain.workflow import Action
from smartcity.certification.models import Application, ApplicationVersion, Attachment, Call
from smartcity.certification.selectors import completeness_of, receipt_of
from smartcity.certification.services.applications import (
    set_attestation,
    start_self_assessment,
)
from smartcity.certification.services.calls import timeline_of
from smartcity.certification.services.workflow import TransitionRefused, applicants_of, perform
from smartcity.core.services import record_audit
from smartcity.municipalities.selectors import size_class_for
from smartcity.notifications.services import notify


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
    published = call.status == CallStatus.PUBLISHED
    if not published or not accepts_submissions(timeline_of(call), timezone.now()):
        raise SubmissionRefused("call_not_open")
    if application.framework_id != call.framework_id:
        raise SubmissionRefused("framework_differs")
    if application.track != call.track:
        raise SubmissionRefused("track_differs")
    size_class = ""
    if application.municipality is not None:
        try:
            size_class = size_class_for(
                application.municipality.code,
                call_year=call.year,
                reference_date=call.population_reference_date,
            ).size_class
        except LookupError as exc:  # no population on the register for the rule
            raise SubmissionRefused("population_missing") from exc
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


def start_application(
    *, actor: User, call: Call, title: str, service_name: str = ""
) -> Application:
    """The call page's Apply button: a new form on the call's framework,
    made this call's application at once (all or nothing)."""
    with transaction.atomic():
        draft = start_self_assessment(
            actor=actor, framework=call.framework, title=title, service_name=service_name
        )
        return apply_to_call(actor=actor, application=draft, call=call)


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


class IncompleteApplication(SubmissionRefused):
    """The completeness check refused a submission; ``missing`` says what to fix."""

    def __init__(self, missing: list[Missing]) -> None:
        super().__init__("incomplete")
        self.missing = missing


def submit_application(
    *, actor: User, application: Application, attested: bool | None = None
) -> ApplicationVersion:
    """Lock a version. Refused after the call's closing time (server clock, to
    the second), without the sealed application form, or without attestation
    (``domain.workflow.decide``); then refused unless complete: every
    indicator answered or marked not applicable with a reason, every document
    the call requires uploaded (``domain.completeness``).

    ``attested`` is the 원본대조필 box of the submit form, recorded in the same
    transaction (it stays recorded if the submission is refused). The
    applicant's organisation is sent the receipt as a notice."""
    if not is_applicant_of(actor, application) or application.call is None:
        raise PermissionDenied
    if attested is not None:
        set_attestation(actor=actor, application=application, attested=attested)
    try:
        with transaction.atomic():
            locked = perform(actor=actor, application=application, action=Action.SUBMIT)
            missing = completeness_of(locked)
            if missing:
                raise IncompleteApplication(missing)
            locked.submitted_at = locked.status_changed_at
            locked.save(update_fields=["submitted_at", "updated_at"])
            version = freeze_version(locked, actor)
            _send_receipt(locked, version)
            return version
    except TransitionRefused as refused:
        code = "already_submitted" if refused.code == "wrong_state" else refused.code
        raise SubmissionRefused(code) from refused


_RECEIPT_SUBJECT = _("%(title)s: 접수증(접수번호 %(number)s)")
_RECEIPT_BODY = _(
    "접수 일시 %(at)s(한국 표준시, 서버 시각). 지표 %(answered)s개 응답, "
    "%(not_applicable)s개 해당 없음(전체 %(total)s개). 서류 %(documents)s건."
)


def _send_receipt(application: Application, version: ApplicationVersion) -> None:
    """The receipt, as a notice to the applicant's organisation."""
    receipt = receipt_of(application, version)
    notify(
        recipients=applicants_of(application),
        kind="certification.receipt",
        subject=_RECEIPT_SUBJECT,
        body=_RECEIPT_BODY,
        params={
            "title": application.title,
            "number": receipt.number,
            "at": timezone.localtime(version.submitted_at).strftime("%Y-%m-%d %H:%M:%S"),
            "answered": receipt.indicators_answered,
            "not_applicable": receipt.indicators_not_applicable,
            "total": receipt.indicators_total,
            "documents": len(receipt.documents),
        },
        url=reverse("certification:receipt", args=[application.pk, version.number]),
    )


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
                "not_applicable": c.not_applicable,
                "not_applicable_reason": c.not_applicable_reason,
            }
            for c in application.claims.order_by("indicator_code")
        ],
        "attachments": [
            {"kind": a.kind, "name": a.original_name, "sha256": a.sha256, "size": a.size}
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
