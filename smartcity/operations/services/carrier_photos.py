"""A vulnerable person's photo, as the carrier sent it: stored as a private
file for the life of the case (shown to the operators of the centre and the
agencies the case was sent to), deleted with the case's other personal data.

The file lives under ``DATA_DIR/carrier-photos/`` with a random name; only
``views.situations.carrier_photo`` (through ``access_carrier_photo``) reads it.
"""

from __future__ import annotations

import io
import os
import secrets
from pathlib import Path

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from smartcity.operations.errors import IntakeInvalid

MAX_PHOTO_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 4096 * 4096
_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}


def photo_directory() -> Path:
    return Path(settings.DATA_DIR) / "carrier-photos"


def photo_path(name: str) -> Path | None:
    """The stored file of ``name``, or ``None`` for a name we never made."""
    stem, _, ext = name.partition(".")
    if (
        len(stem) != 32
        or not all(c in "0123456789abcdef" for c in stem)
        or ext not in {"jpg", "png"}
    ):
        return None
    return photo_directory() / name


def check_photo(data: bytes) -> str:
    """The content type of a carrier's photo (JPEG or PNG, at most 2 MiB and
    16 megapixels), else ``IntakeInvalid`` on the ``photo`` field."""
    if len(data) > MAX_PHOTO_BYTES:
        raise IntakeInvalid("photo", "photo_too_large", limit=MAX_PHOTO_BYTES)
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise IntakeInvalid("photo", "photo_not_an_image") from exc
    if kind not in _TYPES:
        raise IntakeInvalid("photo", "photo_not_an_image")
    if width * height > MAX_PIXELS:
        raise IntakeInvalid("photo", "photo_too_large", limit=MAX_PHOTO_BYTES)
    return _TYPES[kind][0]


def store_photo(data: bytes) -> str:
    """Write a checked photo to a new private file; returns its name."""
    content_type = check_photo(data)
    ext = "jpg" if content_type == "image/jpeg" else "png"
    directory = photo_directory()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    name = f"{secrets.token_hex(16)}.{ext}"
    descriptor = os.open(directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    return name


def delete_photo(name: str) -> None:
    """Remove a stored photo (after the change that dropped it committed)."""
    path = photo_path(name) if name else None
    if path is not None:
        path.unlink(missing_ok=True)
