"""Replacing and withdrawing an uploaded document before submission.

Until the application is first submitted, the applicant may swap a document
for a corrected file or take it back; each is audited with the hashes of what
went and what came. Once a version has been frozen, its documents are part of
the record the operating body and the committee read (by hash), so both are
refused: a supplement adds documents, it does not remove them.
"""

from __future__ import annotations

from typing import IO

from django.core.exceptions import PermissionDenied
from django.db import transaction

from smartcity.accounts.models import User
from smartcity.certification.access import can_edit_claims
from smartcity.certification.choices import ApplicationStatus
from smartcity.certification.models import Application, Attachment
from smartcity.certification.services.submission import SubmissionRefused, upload_attachment
from smartcity.core.services import record_audit


def _changeable(actor: User, application: Application, attachment: Attachment) -> Attachment:
    """The attachment, locked, if it may still be replaced or withdrawn."""
    if not can_edit_claims(actor, application) or attachment.application_id != application.pk:
        raise PermissionDenied
    if application.status != ApplicationStatus.DRAFT or application.versions.exists():
        raise SubmissionRefused("document_frozen")
    return Attachment.objects.select_for_update().get(pk=attachment.pk)


def withdraw_attachment(*, actor: User, application: Application, attachment: Attachment) -> None:
    """Take a document back before submission (its file is deleted after the
    transaction commits, so a rollback keeps it)."""
    with transaction.atomic():
        locked = _changeable(actor, application, attachment)
        record_audit(
            actor=actor,
            action="certification.attachment_withdrawn",
            object_type="certification.application",
            object_id=application.pk,
            data={
                "kind": locked.kind,
                "name": locked.original_name,
                "sha256": locked.sha256,
                "size": locked.size,
            },
        )
        _delete_with_file(locked)
        application.save(update_fields=["updated_at"])


def replace_attachment(
    *,
    actor: User,
    application: Application,
    attachment: Attachment,
    name: str,
    data: bytes | IO[bytes],
) -> Attachment:
    """Put a corrected file in a document's place (same kind). The new file
    is checked like any upload; a refused file leaves the old one in place."""
    with transaction.atomic():
        locked = _changeable(actor, application, attachment)
        new = upload_attachment(
            actor=actor, application=application, kind=locked.kind, name=name, data=data
        )
        record_audit(
            actor=actor,
            action="certification.attachment_replaced",
            object_type="certification.application",
            object_id=application.pk,
            data={
                "kind": locked.kind,
                "from": {"name": locked.original_name, "sha256": locked.sha256},
                "to": {"name": new.original_name, "sha256": new.sha256},
            },
        )
        _delete_with_file(locked)
    return new


def _delete_with_file(attachment: Attachment) -> None:
    """Delete the row now and its file after commit, unless another row (the
    same content uploaded again) still points at the stored file."""
    name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()

    def remove() -> None:
        if name and not Attachment.objects.filter(file=name).exists():
            storage.delete(name)

    transaction.on_commit(remove)
