"""What an uploaded file really is, judged by its content, not its name.

Accepted: PDF, HWP (OLE compound document), HWPX (ZIP with the hwp+zip
mimetype), XLSX (ZIP with [Content_Types].xml and xl/), PNG, JPEG. Refused:
empty files, files over the size limit, executables under any name, ZIP
containers that would unpack beyond ``core.domain.archives`` limits (bombs),
and anything whose content does not match an accepted type or its extension.

The upload is judged from a seekable stream, never read whole: the size comes
first (so a huge file costs nothing), then a 64 KiB head, then, for a ZIP, its
directory and at most a few bytes of one member.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from smartcity.core.domain.archives import UnsafeArchive, open_zip, read_head

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
_HEAD = 65536
_CHUNK = 1024 * 1024
_HWPX_MIMETYPE = b"application/hwp+zip"
_HWP_SIGNATURE = b"HWP Document File"


@dataclass(frozen=True)
class FileVerdict:
    ok: bool
    kind: str = ""  # a key of ACCEPTED
    content_type: str = ""
    # "empty" | "too_large" | "executable" | "unknown_type" | "type_mismatch" | "unsafe_archive"
    problem: str = ""


class _Refused(Exception):
    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def size_of(stream: IO[bytes]) -> int:
    """The stream's length in bytes; it is left at its start."""
    size = stream.seek(0, 2)
    stream.seek(0)
    return size


def sniff(data: bytes | IO[bytes]) -> str:
    """The accepted kind the content is, or "" (unknown) or "executable".

    Raises nothing: an unsafe ZIP is "" here; ``check_upload`` says why."""
    try:
        return _sniff(_as_stream(data))
    except _Refused:
        return ""


def _sniff(stream: IO[bytes]) -> str:
    stream.seek(0)
    head = stream.read(_HEAD)
    stream.seek(0)
    if head.startswith(_EXECUTABLE_MAGIC):
        return "executable"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(_OLE):
        return "hwp" if b"H\x00W\x00P\x00" in head or _contains(stream, _HWP_SIGNATURE) else ""
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(stream)
    return ""


def _contains(stream: IO[bytes], needle: bytes) -> bool:
    """Whether ``needle`` occurs anywhere, reading a chunk at a time."""
    stream.seek(0)
    carry = b""
    while chunk := stream.read(_CHUNK):
        if needle in carry + chunk:
            stream.seek(0)
            return True
        carry = chunk[-(len(needle) - 1) :]
    stream.seek(0)
    return False


def _zip_kind(stream: IO[bytes]) -> str:
    try:
        archive = open_zip(stream)
    except UnsafeArchive as unsafe:
        if unsafe.code == "not_a_zip":
            return ""
        raise _Refused("unsafe_archive") from unsafe
    with archive:
        names = set(archive.namelist())
        if "mimetype" in names and read_head(archive, "mimetype", len(_HWPX_MIMETYPE)) == (
            _HWPX_MIMETYPE
        ):
            return "hwpx"
        if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
            return "xlsx"
    return ""


def _as_stream(data: bytes | IO[bytes]) -> IO[bytes]:
    return io.BytesIO(data) if isinstance(data, bytes | bytearray) else data


def check_upload(name: str, data: bytes | IO[bytes], *, max_bytes: int) -> FileVerdict:
    """Judge one upload (its bytes, or a seekable binary stream, left at its
    start); the name's extension must agree with the content."""
    stream = _as_stream(data)
    size = size_of(stream)
    if not size:
        return FileVerdict(False, problem="empty")
    if size > max_bytes:
        return FileVerdict(False, problem="too_large")
    try:
        kind = _sniff(stream)
    except _Refused as refused:
        return FileVerdict(False, problem=refused.problem)
    finally:
        stream.seek(0)
    if kind == "executable":
        return FileVerdict(False, problem="executable")
    if not kind:
        return FileVerdict(False, problem="unknown_type")
    claimed = EXTENSIONS.get(PurePath(name).suffix.lower())
    if claimed != kind:
        return FileVerdict(False, kind=kind, problem="type_mismatch")
    return FileVerdict(True, kind=kind, content_type=ACCEPTED[kind])
