"""What an uploaded file really is, judged by its content, not its name.

Accepted: PDF, HWP (OLE compound document), HWPX (ZIP with the hwp+zip
mimetype), XLSX (ZIP with [Content_Types].xml and xl/), PNG, JPEG. Refused:
empty files, files over the size limit, executables under any name, and
anything whose content does not match an accepted type or its extension.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

ACCEPTED = {
    "pdf": "application/pdf",
    "hwp": "application/x-hwp",
    "hwpx": "application/hwp+zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
}
EXTENSIONS = {
    ".pdf": "pdf",
    ".hwp": "hwp",
    ".hwpx": "hwpx",
    ".xlsx": "xlsx",
    ".png": "png",
    ".jpg": "jpg",
    ".jpeg": "jpg",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


@dataclass(frozen=True)
class FileVerdict:
    ok: bool
    kind: str = ""  # a key of ACCEPTED
    content_type: str = ""
    problem: str = ""  # "empty" | "too_large" | "executable" | "unknown_type" | "type_mismatch"


def sniff(data: bytes) -> str:
    """The accepted kind the bytes are, or "" (unknown) or "executable"."""
    if data.startswith(_EXECUTABLE_MAGIC):
        return "executable"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(_OLE):
        return "hwp" if b"H\x00W\x00P\x00" in data[:65536] or b"HWP Document File" in data else ""
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return ""


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").startswith(b"application/hwp+zip"):
                return "hwpx"
            if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                return "xlsx"
    except (zipfile.BadZipFile, KeyError, OSError):
        return ""
    return ""


def check_upload(name: str, data: bytes, *, max_bytes: int) -> FileVerdict:
    """Judge one upload; the name's extension must agree with the content."""
    if not data:
        return FileVerdict(False, problem="empty")
    if len(data) > max_bytes:
        return FileVerdict(False, problem="too_large")
    kind = sniff(data)
    if kind == "executable":
        return FileVerdict(False, problem="executable")
    if not kind:
        return FileVerdict(False, problem="unknown_type")
    claimed = EXTENSIONS.get(PurePath(name).suffix.lower())
    if claimed != kind:
        return FileVerdict(False, kind=kind, problem="type_mismatch")
    return FileVerdict(True, kind=kind, content_type=ACCEPTED[kind])
