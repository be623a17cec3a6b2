"""Frames of the legacy socket dialect and their streaming decoder (platform.md
§4; the widths and codes are the dialect's data, see ``legacy_dialect``).
Reading a frame's message is ``legacy_messages``; writing frames and
reading replies is ``legacy_encoding``.

A frame is a fixed header (code1, code2, send time, sender, ``UCP``, time,
body length) and a body of ``|``-separated fields ending in ``;``. The body
length counts bytes in the peer's character set, so framing never decodes
text; the body is decoded (UTF-8 or CP949) only once the frame is whole.

The decoder takes bytes as they arrive — half a header, several frames in one
read — and yields whole frames or typed :class:`Rejection` s; it never raises
on input. After a malformed frame it **resynchronises**: it drops bytes up to
the next place where a plausible header starts (digits where the header has
digits, the ``UCP`` literal in its place), so one bad frame costs that frame
only and the peer's connection stays open.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from smartcity.operations.domain.legacy_dialect import Dialect

TIME_FORMAT = "%Y%m%d%H%M%S"


class RejectReason(StrEnum):
    """Why a frame was refused (logged, counted, and sent back as the reason)."""

    # Framing: the decoder resynchronises after these.
    BAD_HEADER = "bad_header"
    LENGTH_NOT_DIGITS = "length_not_digits"
    LENGTH_TOO_LARGE = "length_too_large"
    LENGTH_MISMATCH = "length_mismatch"
    MISSING_TERMINATOR = "missing_terminator"
    TRUNCATED = "truncated"
    # Content: the frame was whole, its content is not acceptable.
    UNKNOWN_CODE = "unknown_code"
    UNKNOWN_SENDER = "unknown_sender"
    BAD_CHARSET = "bad_charset"
    FIELD_COUNT = "field_count"
    MISSING_FIELD = "missing_field"
    FIELD_TOO_LONG = "field_too_long"
    BAD_COORDINATES = "bad_coordinates"
    BAD_TIME = "bad_time"
    CONTROL_CHARACTER = "control_character"
    # The connection's state (decided by the server, not the codec).
    NOT_LOGGED_IN = "not_logged_in"
    PEER_NOT_CONFIGURED = "peer_not_configured"
    SENDER_MISMATCH = "sender_mismatch"


@dataclass(frozen=True)
class Rejection:
    reason: RejectReason
    detail: str = ""
    excerpt: bytes = b""
    """The first bytes of what was refused (for the log, as hex)."""
    codes: str = ""
    """The frame's code pair when its header could be read (then it is answered)."""
    sender: str = ""

    def hex_excerpt(self) -> str:
        return self.excerpt.hex(" ")


@dataclass(frozen=True)
class RawFrame:
    """A frame whose header and length were right; the body is still bytes."""

    header: Mapping[str, str]
    body: bytes
    """The body without its terminator."""
    raw: bytes
    codes: str
    sender: str


Decoded = RawFrame | Rejection


def _field_pattern(kind: str, width: int, value: str, padding: str) -> bytes:
    if kind in {"digits", "time"}:
        return rb"[0-9]{%d}" % width
    if kind == "sender":
        return rb"[A-Za-z0-9%s]{%d}" % (re.escape(padding.encode()), width)
    if kind == "literal":
        return re.escape(value.encode("ascii"))
    return rb"[\x00-\xff]{%d}" % width  # length: checked after the header is found


@dataclass
class FrameDecoder:
    """Bytes in, frames and rejections out (see the module's docstring)."""

    dialect: Dialect
    _buf: bytearray = field(default_factory=bytearray)
    _skipping: bool = False
    """Dropping the rest of a refused frame: no further rejection until a header."""

    def __post_init__(self) -> None:
        header = self.dialect.header
        self._size = header.size
        parts = [
            _field_pattern(f.kind, f.width, f.value, header.sender_padding) for f in header.fields
        ]
        self._header_re = re.compile(b"".join(parts), re.DOTALL)
        self._field_res = [
            re.compile(p, re.DOTALL) for p in parts
        ]  # per field, for prefixes of a header
        self._term = self.dialect.body.terminator.encode("ascii")[0]

    @property
    def pending(self) -> int:
        """Bytes received but not yet a frame (a frame in progress)."""
        return len(self._buf)

    def feed(self, data: bytes) -> list[Decoded]:
        self._buf += data
        return self._drain(final=False)

    def flush(self) -> list[Decoded]:
        """No more bytes of the pending frame will come (end of stream or the
        read timeout): what is left is truncated."""
        out = self._drain(final=True)
        self._buf.clear()
        self._skipping = False
        return out

    # -- internals

    def _drain(self, *, final: bool) -> list[Decoded]:
        out: list[Decoded] = []
        while self._buf:
            item = self._step(final)
            if item is None:
                break
            if isinstance(item, RawFrame | Rejection):
                out.append(item)
        return out

    def _prefix_ok(self, start: int) -> bool:
        """Could a header start at ``start``, judging by the bytes there so far?"""
        buf = self._buf
        offset = start
        for f, pattern in zip(self.dialect.header.fields, self._field_res, strict=True):
            chunk = bytes(buf[offset : offset + f.width])
            if len(chunk) < f.width:
                if f.kind == "literal":
                    return f.value.encode("ascii").startswith(chunk)
                return pattern.fullmatch(chunk + b"0" * (f.width - len(chunk))) is not None
            if pattern.fullmatch(chunk) is None:
                return False
            offset += f.width
        return True

    def _next_start(self, start: int) -> int | None:
        """Where the next (possibly still partial) plausible header begins."""
        found = self._header_re.search(self._buf, start)
        limit = found.start() if found else len(self._buf)
        for index in range(max(start, len(self._buf) - self._size + 1), limit):
            if self._prefix_ok(index):
                return index
        return found.start() if found else None

    def _resync(self, start: int) -> None:
        """Drop bytes up to the next plausible header at or after ``start``. Until
        a whole header is read, dropped bytes are the rest of what was refused."""
        nxt = self._next_start(start)
        if nxt is None:
            self._buf.clear()
        else:
            del self._buf[:nxt]
        self._skipping = True

    def _excerpt(self, end: int | None = None) -> bytes:
        limit = self.dialect.excerpt_bytes
        return bytes(self._buf[: min(limit, end if end is not None else limit)])

    def _step(self, final: bool) -> Decoded | bool | None:
        """One item, ``True`` to go on without one, ``None`` to wait for bytes."""
        buf, size = self._buf, self._size
        if self._header_re.match(buf) is None:
            if len(buf) < size and self._prefix_ok(0):
                if not final:
                    return None
                excerpt, skipping = self._excerpt(), self._skipping
                self._buf.clear()
                if skipping:  # the tail of a frame already refused
                    return True
                return Rejection(RejectReason.TRUNCATED, "header incomplete", excerpt)
            nxt = self._next_start(1)
            end = nxt if nxt is not None else len(buf)
            excerpt = self._excerpt(end)
            skipping = self._skipping
            self._resync(1)
            if skipping:
                return True
            return Rejection(RejectReason.BAD_HEADER, f"{end} byte(s) before a header", excerpt)
        self._skipping = False
        header = self._parse_header(bytes(buf[:size]))
        codes, sender = f"{header['code1']}/{header['code2']}", header["sender"]
        length_text = header["length"]

        def refuse(reason: RejectReason, detail: str, end: int | None = None) -> Rejection:
            rejection = Rejection(reason, detail, self._excerpt(end), codes, sender)
            self._resync(1)
            return rejection

        if not (length_text.isascii() and length_text.isdigit()):
            return refuse(RejectReason.LENGTH_NOT_DIGITS, f"length field {length_text!r}", size)
        declared = int(length_text)
        if declared > self.dialect.body.max_bytes:
            return refuse(RejectReason.LENGTH_TOO_LARGE, f"declared {declared}", size)
        total = size + declared + (0 if self.dialect.body.length_counts_terminator else 1)
        # A terminator followed by a whole header before the declared end: the
        # length is wrong and the next frame has begun.
        boundary = self._boundary(size, min(total - 1, len(buf)))
        if boundary is not None:
            actual = boundary + 1 - size
            detail = f"declared {declared}, frame ends after {actual}"
            return refuse(RejectReason.LENGTH_MISMATCH, detail, boundary + 1)
        if len(buf) < total:
            if not final:
                return None
            detail = f"declared {declared}, received {len(buf) - size}"
            truncated = Rejection(RejectReason.TRUNCATED, detail, self._excerpt(), codes, sender)
            self._buf.clear()
            return truncated
        if total == size or buf[total - 1] != self._term:
            later = self._term in buf[size:]
            reason = RejectReason.LENGTH_MISMATCH if later else RejectReason.MISSING_TERMINATOR
            return refuse(reason, f"declared {declared}, no terminator at the end", total)
        raw = bytes(buf[:total])
        del buf[:total]
        return RawFrame(header, raw[size : total - 1], raw, codes, sender)

    def _boundary(self, start: int, end: int) -> int | None:
        buf, index = self._buf, start
        while True:
            index = buf.find(self._term, index, end)
            if index < 0:
                return None
            if self._header_re.match(buf, index + 1) is not None:
                return index
            index += 1

    def _parse_header(self, data: bytes) -> dict[str, str]:
        """The header's fields by name, plus ``code1``, ``code2``, ``sender`` and
        ``length`` whatever the dialect calls them."""
        header: dict[str, str] = {}
        offset = 0
        fields = self.dialect.header.fields
        for index, f in enumerate(fields):
            text = data[offset : offset + f.width].decode("latin-1")
            offset += f.width
            if f.kind == "sender":
                text = text.rstrip(self.dialect.header.sender_padding)
                header["sender"] = text
            elif f.kind == "length":
                header["length"] = text
            elif index < 2:
                header[("code1", "code2")[index]] = text
            header[f.name] = text
        return header


def decode_stream(dialect: Dialect, chunks: Iterable[bytes]) -> list[Decoded]:
    """Every frame and rejection in a finite stream (tests, the simulator)."""
    decoder = FrameDecoder(dialect)
    out: list[Decoded] = []
    for chunk in chunks:
        out.extend(decoder.feed(chunk))
    out.extend(decoder.flush())
    return out
