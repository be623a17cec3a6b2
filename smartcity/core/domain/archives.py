"""Opening untrusted ZIP containers (HWPX, XLSX) without letting them blow up.

Pure (standard library only). A ZIP says in its directory how many members it
has and how big each one is unpacked; a bomb lies in neither of those, it just
makes them huge. So before ``zipfile`` builds one object per member we read the
end-of-directory record ourselves and refuse too many members or too large a
directory; then we refuse a declared unpacked total or a per-member
compression ratio beyond the limits. ``zipfile`` never unpacks more than a
member's declared size, so once the declared sizes pass, every read is bounded.
Reading a member for sniffing goes through ``read_head``, which reads at most
``limit`` bytes whatever the member claims.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from typing import IO

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
_MAX_COMMENT = 65535


@dataclass(frozen=True)
class ZipLimits:
    """What a legitimate office document stays well inside.

    HWPX and XLSX files carry tens to a few hundred members; their XML packs
    10-30 times, rarely 100. A member may pack harder when it is small: the
    ratio only counts above ``ratio_floor`` unpacked bytes.
    """

    max_members: int = 10_000
    max_directory_bytes: int = 4 * 1024 * 1024
    max_unpacked_bytes: int = 512 * 1024 * 1024
    max_ratio: int = 200
    ratio_floor: int = 1024 * 1024


class UnsafeArchive(ValueError):
    """The archive is refused; ``code`` says why (for messages)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code  # "too_many_members" | "too_large_unpacked" | "ratio" | "not_a_zip"
        self.detail = detail


def open_zip(stream: IO[bytes], limits: ZipLimits = ZipLimits()) -> zipfile.ZipFile:
    """A ``ZipFile`` over ``stream`` once its directory is within ``limits``,
    else ``UnsafeArchive``. The caller closes it."""
    _check_directory(stream, limits)
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnsafeArchive("not_a_zip", str(exc)[:200]) from exc
    try:
        check_members(archive.infolist(), limits)
    except UnsafeArchive:
        archive.close()
        raise
    return archive


def check_members(members: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Refuse by the declared sizes: the total unpacked, and each member's ratio."""
    if len(members) > limits.max_members:
        raise UnsafeArchive("too_many_members", str(len(members)))
    total = 0
    for info in members:
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            raise UnsafeArchive("too_large_unpacked", str(total))
        if info.file_size > limits.ratio_floor and (
            info.file_size > limits.max_ratio * max(info.compress_size, 1)
        ):
            raise UnsafeArchive("ratio", info.filename[:100])


def read_head(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """At most ``limit`` bytes of member ``name`` (b"" if it is missing or broken)."""
    try:
        with archive.open(name) as member:
            return member.read(limit)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return b""


def _check_directory(stream: IO[bytes], limits: ZipLimits) -> None:
    """Read the end-of-central-directory record (and its ZIP64 form) by hand."""
    size = stream.seek(0, 2)
    tail_size = min(size, _EOCD_SIZE + _MAX_COMMENT)
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < _EOCD_SIZE:
        raise UnsafeArchive("not_a_zip", "no end of central directory")
    (_sig, _disk, _cd_disk, _n_here, members, directory_bytes, _offset, _comment) = struct.unpack(
        "<4s4H2LH", tail[at : at + _EOCD_SIZE]
    )
    if members == 0xFFFF or directory_bytes == 0xFFFFFFFF:
        members, directory_bytes = _zip64_directory(stream, size - tail_size + at)
    if members > limits.max_members:
        raise UnsafeArchive("too_many_members", str(members))
    if directory_bytes > limits.max_directory_bytes:
        raise UnsafeArchive("too_many_members", f"directory of {directory_bytes} bytes")
    stream.seek(0)


def _zip64_directory(stream: IO[bytes], eocd_at: int) -> tuple[int, int]:
    locator_at = eocd_at - 20
    if locator_at < 0:
        raise UnsafeArchive("not_a_zip", "ZIP64 locator missing")
    stream.seek(locator_at)
    locator = stream.read(20)
    if len(locator) < 20 or locator[:4] != _EOCD64_LOCATOR:
        raise UnsafeArchive("not_a_zip", "ZIP64 locator missing")
    (record_at,) = struct.unpack("<Q", locator[8:16])
    stream.seek(record_at)
    record = stream.read(56)
    if len(record) < 56 or record[:4] != _EOCD64:
        raise UnsafeArchive("not_a_zip", "ZIP64 record missing")
    members, directory_bytes = struct.unpack("<QQ", record[32:48])
    return int(members), int(directory_bytes)
