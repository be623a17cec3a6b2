"""The size limit every uploaded file is held to, checked on ``UploadedFile.size``
(known from the request, before the file is read)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

_MB = 1024 * 1024


def within_upload_limit(file: UploadedFile[bytes]) -> None:
    """Form-field validator: refuse a file over ``UPLOAD_MAX_BYTES``."""
    limit = int(settings.UPLOAD_MAX_BYTES)
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("파일이 너무 큽니다(%(size)s MB). %(max)s MB까지 올릴 수 있습니다."),
            code="too_large",
            params={"size": f"{file.size / _MB:.1f}", "max": f"{limit / _MB:.1f}"},
        )
