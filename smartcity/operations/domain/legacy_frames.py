"""Frames of the legacy socket dialect: a streaming decoder, the message
reader and the encoder (platform.md §4; the widths and codes are the
dialect's data, see ``legacy_dialect``).

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

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from smartcity.operations.domain.cctv_values import KOREA_TERRITORY
from smartcity.operations.domain.event_time import (
    KST,
    BadEventTime,
    check_in_range,
    parse_event_time,
)
from smartcity.operations.domain.legacy_dialect import (
    Dialect,
    Layout,
    MessageSpec,
    SenderSpec,
)
from smartcity.operations.domain.text_values import first_control_character

TIME_FORMAT = "%Y%m%d%H%M%S"
MAX_EXTERNAL_ID = 64


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


@dataclass(frozen=True)
class CarrierFacts:
    """What a carrier's event adds to the incident (personal data minimum)."""

    event_kind: str
    photo_ref: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""


@dataclass(frozen=True)
class Report:
    """The facts of a report message, typed (the 119 body's latitude-first and
    the 112 body's longitude-first order already resolved)."""

    external_id: str
    latitude: Decimal
    longitude: Decimal
    occurred_at: dt.datetime
    address: str = ""
    grade: str | None = None
    case_type: str = ""
    detail: str = ""
    area_code: str = ""
    carrier: CarrierFacts | None = None


@dataclass(frozen=True)
class Message:
    spec: MessageSpec
    sender: str
    sent_at: dt.datetime
    fields: Mapping[str, str]
    body_text: str
    raw: bytes
    report: Report | None = None
    header: Mapping[str, str] = field(default_factory=dict)

    @property
    def codes(self) -> str:
        return self.spec.codes


@dataclass(frozen=True)
class Reply:
    codes: str
    sender: str
    result: str
    reason: str = ""
    reference: str = ""


Decoded = RawFrame | Rejection


# --- Framing ----------------------------------------------------------------------------------


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


# --- Reading messages -------------------------------------------------------------------------


def _header_time(value: str) -> dt.datetime | None:
    try:
        moment = dt.datetime.strptime(value, TIME_FORMAT).replace(tzinfo=KST)
        check_in_range(moment)
    except ValueError:  # BadEventTime too
        return None
    return moment


def in_korea(lat: Decimal, lon: Decimal) -> bool:
    return any(box.contains(lat, lon) for box in KOREA_TERRITORY)


def parse_coordinates(lat_text: str, lon_text: str) -> tuple[Decimal, Decimal] | str:
    """(latitude, longitude), or the reason they cannot be used."""
    try:
        lat, lon = Decimal(lat_text.strip()), Decimal(lon_text.strip())
    except InvalidOperation:
        return f"not numbers: {lat_text!r}, {lon_text!r}"
    if not (lat.is_finite() and lon.is_finite()):
        return f"not numbers: {lat_text!r}, {lon_text!r}"
    if in_korea(lat, lon):
        return lat, lon
    if in_korea(lon, lat):
        return f"latitude {lat} / longitude {lon} look swapped"
    return f"latitude {lat} / longitude {lon} outside Korea"


def decode_message(dialect: Dialect, frame: RawFrame, charset: str) -> Message | Rejection:
    """Check a whole frame against the dialect and read its fields."""
    excerpt = frame.raw[: dialect.excerpt_bytes]

    def refuse(reason: RejectReason, detail: str) -> Rejection:
        return Rejection(reason, detail, excerpt, frame.codes, frame.sender)

    spec = dialect.messages.get(frame.codes)
    if spec is None:
        return refuse(RejectReason.UNKNOWN_CODE, f"codes {frame.codes}")
    sender = dialect.senders.get(frame.sender)
    if sender is None:
        return refuse(RejectReason.UNKNOWN_SENDER, f"sender {frame.sender!r}")
    layout = dialect.layout_for(frame.sender, frame.codes)
    if layout is None:
        return refuse(RejectReason.UNKNOWN_CODE, f"codes {frame.codes} from {frame.sender}")
    times = [f for f in dialect.header.fields if f.kind == "time"]
    moments = [_header_time(frame.header[f.name]) for f in times]
    if any(m is None for m in moments):
        return refuse(RejectReason.BAD_TIME, "header time is not yyyyMMddHHmmss")
    try:
        text = frame.body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return refuse(RejectReason.BAD_CHARSET, f"body is not {charset}")
    values = text.split(dialect.body.separator)
    if layout.exact and len(values) != len(layout.fields):
        return refuse(
            RejectReason.FIELD_COUNT, f"{len(values)} field(s), layout {layout.name} has "
            f"{len(layout.fields)}"
        )  # fmt: skip
    fields = dict(zip(layout.fields, values, strict=False))
    sent_at = (
        moments[0] if moments and moments[0] is not None else dt.datetime.min.replace(tzinfo=KST)
    )
    report: Report | None = None
    if spec.action == "report":
        outcome = read_report(sender, layout, fields, dialect)
        if isinstance(outcome, tuple):
            return refuse(*outcome)
        report = outcome
    return Message(spec, frame.sender, sent_at, fields, text, frame.raw, report, frame.header)


def read_report(
    sender: SenderSpec, layout: Layout, fields: Mapping[str, str], dialect: Dialect
) -> Report | tuple[RejectReason, str]:
    def value(role: str) -> str:
        name = sender.field_for(role)
        return fields.get(name, "").strip() if name else ""

    for name in _kept_fields(sender):
        position = first_control_character(fields.get(name, ""), free_text=name in sender.detail)
        if position is not None:
            return RejectReason.CONTROL_CHARACTER, f"{name}: character {position + 1}"
    external_id = value("external_id")
    if not external_id:
        return RejectReason.MISSING_FIELD, f"{sender.field_for('external_id')} is empty"
    if len(external_id) > MAX_EXTERNAL_ID:
        return RejectReason.FIELD_TOO_LONG, f"{sender.field_for('external_id')} > {MAX_EXTERNAL_ID}"
    coordinates = parse_coordinates(value("latitude"), value("longitude"))
    if isinstance(coordinates, str):
        return RejectReason.BAD_COORDINATES, coordinates
    try:
        occurred_at = parse_event_time(value("occurred_at"))
    except BadEventTime:
        return RejectReason.BAD_TIME, f"{sender.field_for('occurred_at')} {value('occurred_at')!r}"
    grade_text = value("grade")
    grade = sender.grades.get(grade_text) if sender.grades is not None else grade_text or None
    detail = " / ".join(
        fields[name].strip() for name in sender.detail if fields.get(name, "").strip()
    )
    carrier = None
    if sender.carrier is not None:
        spec = sender.carrier
        kind_text = fields.get(spec.kind_field, "").strip()
        kind = spec.kinds.get(kind_text, spec.default_kind)
        if not kind:
            return RejectReason.MISSING_FIELD, f"{spec.kind_field} {kind_text!r} unknown"
        carrier = CarrierFacts(
            event_kind=kind,
            photo_ref=fields.get(spec.photo, "").strip() if spec.photo else "",
            guardian_name=fields.get(spec.guardian_name, "").strip() if spec.guardian_name else "",
            guardian_phone=(
                fields.get(spec.guardian_phone, "").strip() if spec.guardian_phone else ""
            ),
        )
    return Report(
        external_id=external_id,
        latitude=coordinates[0],
        longitude=coordinates[1],
        occurred_at=occurred_at,
        address=value("address"),
        grade=grade,
        case_type=value("case_type"),
        detail=detail,
        area_code=value("area_code"),
        carrier=carrier,
    )


def _kept_fields(sender: SenderSpec) -> list[str]:
    """The body fields a report keeps (the others, such as a carrier's dropped
    personal fields, are never read, so whatever they hold does no harm)."""
    names = [*sender.roles.values(), *sender.detail]
    if sender.carrier is not None:
        spec = sender.carrier
        names += [spec.kind_field, spec.photo, spec.guardian_name, spec.guardian_phone]
    return [name for name in dict.fromkeys(names) if name]


# --- Encoding ---------------------------------------------------------------------------------


class EncodeError(ValueError):
    """A value that cannot be put into a frame (a separator inside a field…)."""


def encode_frame(
    dialect: Dialect, *, codes: str, sender: str, fields: Sequence[str], charset: str,
    sent_at: dt.datetime, time: dt.datetime | None = None,
) -> bytes:  # fmt: skip
    """One frame: the header for ``codes`` from ``sender`` and the body's fields."""
    body_spec = dialect.body
    for value in fields:
        if body_spec.separator in value or body_spec.terminator in value:
            raise EncodeError(f"field {value!r} contains a separator or the terminator")
    body = (body_spec.separator.join(fields) + body_spec.terminator).encode(charset)
    length = len(body) - (0 if body_spec.length_counts_terminator else 1)
    code1, code2 = codes.split("/")
    header = []
    stamp = [sent_at, time or sent_at]
    for index, f in enumerate(dialect.header.fields):
        if index < 2:
            text = (code1, code2)[index]
        elif f.kind == "time":
            text = stamp.pop(0).astimezone(KST).strftime(TIME_FORMAT) if stamp else "0" * 14
        elif f.kind == "sender":
            text = sender.ljust(f.width, dialect.header.sender_padding)
        elif f.kind == "literal":
            text = f.value
        elif f.kind == "length":
            text = str(length).rjust(f.width, "0")
        else:
            text = "0" * f.width
        if len(text) != f.width or not text.isascii():
            raise EncodeError(f"header field {f.name}: {text!r} does not fit {f.width}")
        header.append(text)
    return "".join(header).encode("ascii") + body


def encode_reply(
    dialect: Dialect, *, codes: str, sender: str, outcome: str, reason: str = "",
    reference: str = "", charset: str, now: dt.datetime,
) -> bytes:  # fmt: skip
    """The answer to a ``codes`` frame: the dialect's result code for ``outcome``
    (``accepted``, ``replayed``, ``rejected``, ``refused``, ``failed``)."""
    values = {"result": dialect.reply.results[outcome], "reason": reason, "reference": reference}
    fields = [_clean(dialect, values[name]) for name in dialect.reply.fields]
    return encode_frame(
        dialect, codes=dialect.reply.codes_for(codes), sender=sender, fields=fields,
        charset=charset, sent_at=now,
    )  # fmt: skip


def _clean(dialect: Dialect, value: str) -> str:
    for char in (dialect.body.separator, dialect.body.terminator):
        value = value.replace(char, " ")
    return value


def decode_reply(dialect: Dialect, frame: RawFrame, charset: str) -> Reply | Rejection:
    try:
        text = frame.body.decode(charset)
    except UnicodeDecodeError:
        return Rejection(RejectReason.BAD_CHARSET, charset, frame.raw[:80], frame.codes)
    values = dict(zip(dialect.reply.fields, text.split(dialect.body.separator), strict=False))
    return Reply(
        codes=frame.codes,
        sender=frame.sender,
        result=values.get("result", ""),
        reason=values.get("reason", ""),
        reference=values.get("reference", ""),
    )


def idempotency_key(dialect: Dialect, message: Message) -> tuple[str, str]:
    """(key, request hash) of a report: the sender, its occurrence number, the
    code pair and a hash of the decoded body (so a re-sent frame — even in
    another character set — is a replay), plus the header fields the dialect
    names (``idempotency_header_fields``, e.g. a message-creation time)."""
    report = message.report
    external_id = report.external_id if report is not None else ""
    body_hash = hashlib.sha256(message.body_text.encode("utf-8")).hexdigest()
    extra = [message.header.get(name, "") for name in dialect.idempotency_header_fields]
    code = message.codes.replace("/", "")
    key = ":".join(["legacy", message.sender, external_id, code, *extra, body_hash[:32]])
    return key, body_hash


def decode_stream(dialect: Dialect, chunks: Iterable[bytes]) -> list[Decoded]:
    """Every frame and rejection in a finite stream (tests, the simulator)."""
    decoder = FrameDecoder(dialect)
    out: list[Decoded] = []
    for chunk in chunks:
        out.extend(decoder.feed(chunk))
    out.extend(decoder.flush())
    return out
