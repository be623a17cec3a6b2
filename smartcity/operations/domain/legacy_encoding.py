"""Writing frames of the legacy dialect (the simulator's reports, the
server's replies) and reading a reply."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from smartcity.operations.domain.event_time import KST
from smartcity.operations.domain.legacy_dialect import Dialect
from smartcity.operations.domain.legacy_frames import (
    TIME_FORMAT,
    RawFrame,
    Rejection,
    RejectReason,
)


@dataclass(frozen=True)
class Reply:
    codes: str
    sender: str
    result: str
    reason: str = ""
    reference: str = ""


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
