"""Reading a whole frame's message against the dialect: the fields, the
report's typed facts (coordinates, times, a carrier's event) and the
report's idempotency key. The frames themselves are ``legacy_frames``."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

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
from smartcity.operations.domain.legacy_frames import (
    TIME_FORMAT,
    RawFrame,
    Rejection,
    RejectReason,
)
from smartcity.operations.domain.text_values import first_control_character

MAX_EXTERNAL_ID = 64


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
