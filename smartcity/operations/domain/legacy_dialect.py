"""The legacy socket dialect of deployed platforms (platform.md §4) as data.

Cities' 112, 119 and carrier connectors speak one fixed-header dialect, but
public code tables disagree and cities have local variants. Everything a
variant may change — header widths, message codes, sender codes, the body
layout of each sender's messages, which body field is the occurrence number
or the latitude, the event type a sender's request opens, the result codes of
the answer — is a data file, read and checked here; the codec
(``legacy_frames``, ``legacy_messages``, ``legacy_encoding``) and the adapter
only interpret it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HEADER_KINDS = frozenset({"digits", "time", "sender", "literal", "length"})
ACTIONS = frozenset({"login", "report"})
REQUIRED_ROLES = ("external_id", "latitude", "longitude", "occurred_at")
OPTIONAL_ROLES = ("address", "grade", "case_type", "area_code", "user_id")
OUTCOMES = ("accepted", "replayed", "rejected", "refused", "failed")
CARRIER_KINDS = frozenset({"sos", "left_safe_zone"})

DEFAULT_DIALECT = Path(__file__).resolve().parent.parent / "dialects" / "ucp_default.json"


class DialectError(ValueError):
    """A dialect file that cannot be used; the message names the place."""


@dataclass(frozen=True)
class HeaderField:
    name: str
    width: int
    kind: str
    value: str = ""


@dataclass(frozen=True)
class HeaderSpec:
    fields: tuple[HeaderField, ...]
    sender_padding: str = " "

    @property
    def size(self) -> int:
        return sum(f.width for f in self.fields)

    def span(self, name: str) -> tuple[int, int]:
        start = 0
        for field in self.fields:
            if field.name == name:
                return start, start + field.width
            start += field.width
        raise KeyError(name)

    def of_kind(self, kind: str) -> HeaderField:
        return next(f for f in self.fields if f.kind == kind)


@dataclass(frozen=True)
class BodySpec:
    separator: str = "|"
    terminator: str = ";"
    length_counts_terminator: bool = True
    max_bytes: int = 65536


@dataclass(frozen=True)
class Layout:
    name: str
    fields: tuple[str, ...]
    exact: bool = True


@dataclass(frozen=True)
class MessageSpec:
    codes: str
    """``"10/10"``: code1 and code2 joined by a slash."""
    name: str
    action: str
    status: str = ""


@dataclass(frozen=True)
class CarrierSpec:
    """Which fields of a carrier's body go to the vulnerable-person case. Any
    other personal field (name, mobile, birth date, home address…) is dropped."""

    kind_field: str
    kinds: Mapping[str, str]
    default_kind: str = ""
    photo: str = ""
    guardian_name: str = ""
    guardian_phone: str = ""


@dataclass(frozen=True)
class SenderSpec:
    code: str
    source: str
    event_type: str
    layouts: Mapping[str, str]
    roles: Mapping[str, str]
    detail: tuple[str, ...] = ()
    grades: Mapping[str, str] | None = None
    carrier: CarrierSpec | None = None

    def field_for(self, role: str) -> str:
        return self.roles.get(role, "")


@dataclass(frozen=True)
class ReplySpec:
    fields: tuple[str, ...]
    results: Mapping[str, str]
    codes: Mapping[str, str]
    """Reply code pair per message (``"99/99" → "99/99"``); absent: the same pair."""

    def codes_for(self, codes: str) -> str:
        return self.codes.get(codes, codes)


@dataclass(frozen=True)
class Dialect:
    name: str
    header: HeaderSpec
    body: BodySpec
    messages: Mapping[str, MessageSpec]
    layouts: Mapping[str, Layout]
    senders: Mapping[str, SenderSpec]
    reply: ReplySpec
    excerpt_bytes: int = 80
    idempotency_header_fields: tuple[str, ...] = ()

    def layout_for(self, sender: str, codes: str) -> Layout | None:
        spec = self.senders.get(sender)
        if spec is None or codes not in spec.layouts:
            return None
        return self.layouts[spec.layouts[codes]]


def load_dialect(path: str | Path | None = None) -> Dialect:
    """Read and check a dialect file (JSON or YAML); ``None`` is the packaged default."""
    target = Path(path) if path else DEFAULT_DIALECT
    return dialect_from_mapping(read_data_file(target), source=str(target))


def read_data_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DialectError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        if path.suffix.lower() in {".yaml", ".yml"}:
            return yaml.safe_load(text)
        return json.loads(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise DialectError(f"{path}: not valid {path.suffix.lstrip('.') or 'JSON'}: {exc}") from exc


def _need(data: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in data:
        raise DialectError(f"{where}: missing '{key}'")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DialectError(f"{where}.{key}: expected {kind.__name__}")
    return value


def _codes_key(value: str, where: str) -> str:
    parts = value.split("/")
    if len(parts) != 2 or not all(p.isascii() and p for p in parts):
        raise DialectError(f"{where}: message key {value!r} is not 'code1/code2'")
    return value


def dialect_from_mapping(data: Any, *, source: str = "dialect") -> Dialect:
    """A :class:`Dialect` from parsed data, or :class:`DialectError` naming what is wrong."""
    if not isinstance(data, Mapping):
        raise DialectError(f"{source}: the top level must be a mapping")
    header = _header(_need(data, "header", Mapping, source), f"{source}.header")
    body_data = data.get("body", {})
    if not isinstance(body_data, Mapping):
        raise DialectError(f"{source}.body: expected mapping")
    body = BodySpec(
        separator=str(body_data.get("separator", "|")),
        terminator=str(body_data.get("terminator", ";")),
        length_counts_terminator=bool(body_data.get("length_counts_terminator", True)),
        max_bytes=int(body_data.get("max_bytes", 65536)),
    )
    if len(body.separator) != 1 or len(body.terminator) != 1 or body.separator == body.terminator:
        raise DialectError(f"{source}.body: separator and terminator must be two different chars")
    if not body.terminator.isascii() or not body.separator.isascii():
        raise DialectError(f"{source}.body: separator and terminator must be ASCII")
    length_width = header.of_kind("length").width
    if body.max_bytes < 1 or len(str(body.max_bytes)) > length_width:
        raise DialectError(f"{source}.body.max_bytes: must fit the length field")
    code_widths = (header.fields[0].width, header.fields[1].width)
    messages: dict[str, MessageSpec] = {}
    for key, spec in _need(data, "messages", Mapping, source).items():
        where = f"{source}.messages.{key}"
        codes = _codes_key(str(key), where)
        if tuple(len(p) for p in codes.split("/")) != code_widths:
            raise DialectError(f"{where}: codes do not fit the header's code widths")
        action = _need(spec, "action", str, where)
        if action not in ACTIONS:
            raise DialectError(f"{where}.action: one of {sorted(ACTIONS)}")
        status = str(spec.get("status", ""))
        if action == "report" and not status:
            raise DialectError(f"{where}.status: a report message needs a status code")
        messages[codes] = MessageSpec(codes, str(spec.get("name", codes)), action, status)
    if sum(1 for m in messages.values() if m.action == "login") != 1:
        raise DialectError(f"{source}.messages: exactly one message must have action 'login'")
    layouts: dict[str, Layout] = {}
    for name, spec in _need(data, "layouts", Mapping, source).items():
        where = f"{source}.layouts.{name}"
        fields = tuple(str(f) for f in _need(spec, "fields", list, where))
        if len(set(fields)) != len(fields) or any(not f for f in fields):
            raise DialectError(f"{where}.fields: names must be unique and non-empty")
        layouts[str(name)] = Layout(str(name), fields, bool(spec.get("exact", True)))
    sender_width = header.of_kind("sender").width
    senders: dict[str, SenderSpec] = {}
    for code, spec in _need(data, "senders", Mapping, source).items():
        senders[str(code)] = _sender(
            str(code), spec, f"{source}.senders.{code}", messages, layouts, sender_width
        )
    reply = _reply(_need(data, "reply", Mapping, source), f"{source}.reply", messages)
    key_fields = tuple(str(f) for f in data.get("idempotency_header_fields", []))
    names = {f.name for f in header.fields}
    if not set(key_fields) <= names:
        raise DialectError(f"{source}.idempotency_header_fields: not header fields")
    return Dialect(
        name=str(data.get("dialect", source)),
        header=header,
        body=body,
        messages=messages,
        layouts=layouts,
        senders=senders,
        reply=reply,
        excerpt_bytes=int(data.get("log_excerpt_bytes", 80)),
        idempotency_header_fields=key_fields,
    )


def _header(data: Mapping[str, Any], where: str) -> HeaderSpec:
    fields: list[HeaderField] = []
    for index, item in enumerate(_need(data, "fields", list, where)):
        here = f"{where}.fields[{index}]"
        if not isinstance(item, Mapping):
            raise DialectError(f"{here}: expected mapping")
        name = _need(item, "name", str, here)
        width = _need(item, "width", int, here)
        kind = _need(item, "kind", str, here)
        if kind not in HEADER_KINDS:
            raise DialectError(f"{here}.kind: one of {sorted(HEADER_KINDS)}")
        value = str(item.get("value", ""))
        if width < 1 or (kind == "literal" and (len(value) != width or not value.isascii())):
            raise DialectError(f"{here}: width must be positive (and fit the literal value)")
        if kind == "time" and width != 14:
            raise DialectError(f"{here}: a time field is yyyyMMddHHmmss (14)")
        fields.append(HeaderField(name, width, kind, value))
    kinds = [f.kind for f in fields]
    if kinds[:2] != ["digits", "digits"]:
        raise DialectError(f"{where}.fields: the first two fields are code1 and code2 (digits)")
    for kind in ("sender", "length"):
        if kinds.count(kind) != 1:
            raise DialectError(f"{where}.fields: exactly one field of kind '{kind}'")
    if "literal" not in kinds and "time" not in kinds:
        raise DialectError(f"{where}.fields: a literal or time field is needed to find headers")
    if len({f.name for f in fields}) != len(fields):
        raise DialectError(f"{where}.fields: names must be unique")
    padding = str(data.get("sender_padding", " "))
    if len(padding) != 1 or not padding.isascii():
        raise DialectError(f"{where}.sender_padding: one ASCII character")
    return HeaderSpec(tuple(fields), padding)


def _sender(
    code: str, spec: Any, where: str, messages: Mapping[str, MessageSpec],
    layouts: Mapping[str, Layout], width: int,
) -> SenderSpec:  # fmt: skip
    if not isinstance(spec, Mapping):
        raise DialectError(f"{where}: expected mapping")
    if not code.isascii() or not code.isalnum() or len(code) > width:
        raise DialectError(f"{where}: sender code must be ASCII letters/digits, at most {width}")
    event_type = _need(spec, "event_type", str, where)
    roles = {str(k): str(v) for k, v in _need(spec, "roles", Mapping, where).items()}
    unknown_roles = set(roles) - set(REQUIRED_ROLES) - set(OPTIONAL_ROLES)
    if unknown_roles:
        raise DialectError(f"{where}.roles: unknown role(s) {sorted(unknown_roles)}")
    for role in REQUIRED_ROLES:
        if role not in roles:
            raise DialectError(f"{where}.roles: missing '{role}'")
    sender_layouts = {str(k): str(v) for k, v in _need(spec, "layouts", Mapping, where).items()}
    detail = tuple(str(f) for f in spec.get("detail", []))
    carrier = _carrier(spec.get("carrier"), f"{where}.carrier")
    for codes, layout_name in sender_layouts.items():
        if codes not in messages:
            raise DialectError(f"{where}.layouts: {codes} is not a message of this dialect")
        if layout_name not in layouts:
            raise DialectError(f"{where}.layouts.{codes}: unknown layout {layout_name!r}")
        if messages[codes].action != "report":
            continue
        fields = set(layouts[layout_name].fields)
        used = [roles["external_id"], *detail]
        if carrier is not None:
            used += [carrier.kind_field, carrier.photo, carrier.guardian_name]
            used += [carrier.guardian_phone]
        missing = [f for f in used if f and f not in fields]
        if missing:
            raise DialectError(f"{where}.layouts.{codes}: layout lacks field(s) {missing}")
    grades = spec.get("grades")
    return SenderSpec(
        code=code,
        source=str(spec.get("source", code)),
        event_type=event_type,
        layouts=sender_layouts,
        roles=roles,
        detail=detail,
        grades={str(k): str(v) for k, v in grades.items()} if isinstance(grades, Mapping) else None,
        carrier=carrier,
    )


def _carrier(spec: Any, where: str) -> CarrierSpec | None:
    if spec is None:
        return None
    if not isinstance(spec, Mapping):
        raise DialectError(f"{where}: expected mapping")
    kinds = {str(k): str(v) for k, v in _need(spec, "kinds", Mapping, where).items()}
    default = str(spec.get("default_kind", ""))
    bad = sorted({*kinds.values(), *([default] if default else [])} - CARRIER_KINDS)
    if bad:
        raise DialectError(f"{where}: unknown carrier event kind(s) {bad}")
    return CarrierSpec(
        kind_field=_need(spec, "kind_field", str, where),
        kinds=kinds,
        default_kind=default,
        photo=str(spec.get("photo", "")),
        guardian_name=str(spec.get("guardian_name", "")),
        guardian_phone=str(spec.get("guardian_phone", "")),
    )


def _reply(data: Mapping[str, Any], where: str, messages: Mapping[str, MessageSpec]) -> ReplySpec:
    fields = tuple(str(f) for f in _need(data, "fields", list, where))
    if "result" not in fields:
        raise DialectError(f"{where}.fields: must include 'result'")
    unknown = set(fields) - {"result", "reason", "reference"}
    if unknown:
        raise DialectError(f"{where}.fields: unknown field(s) {sorted(unknown)}")
    results = {str(k): str(v) for k, v in _need(data, "results", Mapping, where).items()}
    missing = [name for name in OUTCOMES if name not in results]
    if missing:
        raise DialectError(f"{where}.results: missing {missing}")
    codes = {str(k): str(v) for k, v in data.get("codes", {}).items()}
    for key, value in codes.items():
        if key not in messages:
            raise DialectError(f"{where}.codes: {key} is not a message of this dialect")
        _codes_key(value, f"{where}.codes.{key}")
    return ReplySpec(fields, results, codes)
