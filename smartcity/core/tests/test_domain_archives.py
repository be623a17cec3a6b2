"""ZIP containers from strangers: refused by their directory before anything is unpacked."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from smartcity.core.domain.archives import (
    UnsafeArchive,
    ZipLimits,
    check_members,
    open_zip,
    read_head,
)


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_an_ordinary_document_opens() -> None:
    with open_zip(_zip({"mimetype": b"application/hwp+zip", "Contents/a.xml": b"<a/>" * 50})) as z:
        assert read_head(z, "mimetype", 19) == b"application/hwp+zip"


def test_too_many_members_are_refused_before_zipfile_reads_the_directory() -> None:
    stream = _zip({f"m{i}": b"" for i in range(30)}, zipfile.ZIP_STORED)
    with pytest.raises(UnsafeArchive) as refused:
        open_zip(stream, ZipLimits(max_members=20))
    assert refused.value.code == "too_many_members"


def test_a_huge_directory_is_refused() -> None:
    stream = _zip({"x" * 2000 + str(i): b"" for i in range(5)}, zipfile.ZIP_STORED)
    with pytest.raises(UnsafeArchive, match="too_many_members"):
        open_zip(stream, ZipLimits(max_directory_bytes=4096))


def test_a_member_packed_beyond_the_ratio_is_refused() -> None:
    stream = _zip({"mimetype": bytes(4 * 1024 * 1024)})
    with pytest.raises(UnsafeArchive) as refused:
        open_zip(stream)
    assert refused.value.code == "ratio"


def _info(name: str, unpacked: int, packed: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.file_size, info.compress_size = unpacked, packed
    return info


def test_the_declared_unpacked_total_is_capped() -> None:
    limits = ZipLimits(max_unpacked_bytes=100 * 1024 * 1024)
    members = [_info(f"overlap{i}", 30 * 1024 * 1024, 1024 * 1024) for i in range(4)]
    with pytest.raises(UnsafeArchive, match="too_large_unpacked"):
        check_members(members, limits)
    check_members(members[:3], limits)


def test_small_members_may_pack_hard() -> None:
    check_members([_info("styles.xml", 500_000, 100)], ZipLimits())


def test_zip64_end_records_are_read_too() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(3):
            archive.writestr(f"m{i}", b"x")
    data = bytearray(buffer.getvalue())
    # Rewrite the end record as ZIP64 claims 70,000 members, as a bomb would.
    end = data.rfind(b"PK\x05\x06")
    directory_bytes, directory_at = struct.unpack("<LL", data[end + 12 : end + 20])
    record = struct.pack(
        "<4sQHHLLQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, 70_000, 70_000,
        directory_bytes, directory_at,
    )  # fmt: skip
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, directory_bytes,
                       directory_at, 0)  # fmt: skip
    forged = bytes(data[:end]) + record + locator + eocd
    with pytest.raises(UnsafeArchive, match="too_many_members"):
        open_zip(io.BytesIO(forged))


def test_read_head_never_reads_more_than_asked() -> None:
    with open_zip(_zip({"mimetype": b"a" * 1000})) as archive:
        assert read_head(archive, "mimetype", 10) == b"a" * 10
        assert read_head(archive, "missing", 10) == b""


def test_not_a_zip_is_said_so() -> None:
    with pytest.raises(UnsafeArchive, match="not_a_zip"):
        open_zip(io.BytesIO(b"PK\x03\x04 but nothing else"))
