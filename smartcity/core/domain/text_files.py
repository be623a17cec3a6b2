"""Decoding the text files users upload: UTF-8 (with or without BOM) or CP949."""

from __future__ import annotations


class UndecodableFile(ValueError):
    """Neither UTF-8 nor CP949."""


def decode_text(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``. Official Korean downloads are often CP949
    (a superset of EUC-KR); anything else valid as UTF-8 is taken as UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp949"), "cp949"
    except UnicodeDecodeError as exc:
        raise UndecodableFile(str(exc)) from exc
