"""The legacy socket dialect's codec, dialect and peers files: pure, no database."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity.operations.domain.event_time import KST
from smartcity.operations.domain.legacy_dialect import (
    DialectError,
    dialect_from_mapping,
    load_dialect,
    read_data_file,
)
from smartcity.operations.domain.legacy_encoding import (
    decode_reply,
    encode_frame,
    encode_reply,
)
from smartcity.operations.domain.legacy_frames import (
    FrameDecoder,
    RawFrame,
    Rejection,
    RejectReason,
    decode_stream,
)
from smartcity.operations.domain.legacy_messages import (
    Message,
    decode_message,
    idempotency_key,
)
from smartcity.operations.domain.legacy_peers import (
    PeersError,
    load_peers,
    peer_from_flag,
    peers_from_mapping,
)

DATA = Path(__file__).parent / "data" / "legacy"
DIALECT = load_dialect()
SENT = dt.datetime(2026, 3, 1, 21, 15, 30, tzinfo=KST)


def recorded(name: str) -> bytes:
    return (DATA / name).read_bytes()


def only_frame(data: bytes) -> RawFrame:
    items = decode_stream(DIALECT, [data])
    assert len(items) == 1 and isinstance(items[0], RawFrame), items
    return items[0]


def message(name: str, charset: str = "utf-8") -> Message:
    decoded = decode_message(DIALECT, only_frame(recorded(name)), charset)
    assert isinstance(decoded, Message), decoded
    return decoded


def reasons(items: list[RawFrame | Rejection]) -> list[str]:
    return [i.reason.value if isinstance(i, Rejection) else f"frame {i.codes}" for i in items]


# --- Recorded frames ----------------------------------------------------------------------


def test_112_request_gives_longitude_before_latitude() -> None:
    decoded = message("112_request.bin")
    assert decoded.codes == "10/10" and decoded.sender == "112"
    report = decoded.report
    assert report is not None
    assert (report.latitude, report.longitude) == (Decimal("37.5665"), Decimal("126.9780"))
    assert report.external_id == "112-20260301-0001"
    assert report.grade == "10" and report.case_type == "강도"
    assert report.occurred_at == dt.datetime(2026, 3, 1, 21, 15, tzinfo=KST)
    assert decoded.sent_at == SENT


def test_119_request_in_cp949_gives_latitude_before_longitude() -> None:
    raw = recorded("119_request_cp949.bin")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    decoded = message("119_request_cp949.bin", "cp949")
    report = decoded.report
    assert report is not None
    assert (report.latitude, report.longitude) == (Decimal("37.6584"), Decimal("126.8320"))
    assert report.detail == "화재 / 주택화재"
    assert report.address == "경기도 고양시 일산동구 중앙로 1036"
    bad = decode_message(DIALECT, only_frame(raw), "utf-8")
    assert isinstance(bad, Rejection) and bad.reason is RejectReason.BAD_CHARSET


def test_carrier_event_keeps_only_what_finding_the_person_needs() -> None:
    report = message("wp1_request.bin").report
    assert report is not None and report.carrier is not None
    assert report.carrier.event_kind == "sos"
    assert report.carrier.photo_ref == "photo/7.jpg"
    assert (report.carrier.guardian_name, report.carrier.guardian_phone) == (
        "홍부모", "010-9876-5432",
    )  # fmt: skip
    kept = repr(report)
    for personal in ("홍길동", "010-1234-5678", "20150101", "치매", "파란 외투"):
        assert personal not in kept


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad_length_short.bin", ["length_mismatch"]),
        ("bad_length_digits.bin", ["length_not_digits"]),
        ("bad_truncated.bin", ["truncated"]),
    ],
)
def test_malformed_recordings_are_refused_with_their_reason(name: str, expected: list[str]) -> None:
    items = decode_stream(DIALECT, [recorded(name)])
    assert reasons(items) == expected
    rejection = items[0]
    assert isinstance(rejection, Rejection)
    assert rejection.codes == "10/10" and rejection.sender == "112"
    assert rejection.hex_excerpt().startswith("31 30 31 30")


@pytest.mark.parametrize(
    ("name", "reason"),
    [("bad_unknown_code.bin", RejectReason.UNKNOWN_CODE),
     ("bad_coordinates.bin", RejectReason.BAD_COORDINATES)],
)  # fmt: skip
def test_whole_frames_with_bad_content_are_refused(name: str, reason: RejectReason) -> None:
    decoded = decode_message(DIALECT, only_frame(recorded(name)), "utf-8")
    assert isinstance(decoded, Rejection) and decoded.reason is reason


def test_a_bad_frame_costs_only_itself() -> None:
    good, login = recorded("112_request.bin"), recorded("112_login.bin")
    stream = (
        b"\x00junk" + login + recorded("bad_length_digits.bin") + good
        + recorded("bad_length_short.bin") + login + good[:30] + b"|||" + login
    )  # fmt: skip
    items = decode_stream(DIALECT, [stream])
    assert reasons(items) == [
        "bad_header", "frame 99/99", "length_not_digits", "frame 10/10", "length_mismatch",
        "frame 99/99", "bad_header", "frame 99/99",
    ]  # fmt: skip


def test_a_length_too_long_is_found_when_the_next_frame_arrives() -> None:
    good, login = recorded("112_request.bin"), recorded("112_login.bin")
    too_long = good[:38] + b"%010d" % (len(good) - 48 + 40) + good[48:]
    decoder = FrameDecoder(DIALECT)
    assert decoder.feed(too_long) == []  # waiting for the rest of the declared body
    items = decoder.feed(login)
    assert reasons(items) == ["length_mismatch", "frame 99/99"]


def test_lengths_beyond_the_limit_and_missing_terminators_are_refused() -> None:
    good = recorded("112_request.bin")
    huge = good[:38] + b"9999999999" + good[48:]
    no_end = good[:-1]
    no_end = no_end[:38] + b"%010d" % (len(no_end) - 48) + no_end[48:]
    assert reasons(decode_stream(DIALECT, [huge])) == ["length_too_large"]
    assert reasons(decode_stream(DIALECT, [no_end])) == ["missing_terminator"]


def test_timeout_flush_refuses_the_partial_frame_and_the_decoder_goes_on() -> None:
    decoder = FrameDecoder(DIALECT)
    good = recorded("112_request.bin")
    assert decoder.feed(good[:100]) == [] and decoder.pending == 100
    assert reasons(decoder.flush()) == ["truncated"]
    assert decoder.pending == 0
    assert reasons(decoder.feed(good)) == ["frame 10/10"]


def test_unknown_senders_fields_and_times_are_refused() -> None:
    body = ["x", "C1", "강도", "x", "126.9", "37.5", "addr", "11140", "20260301211500", "u"]
    unknown = encode_frame(DIALECT, codes="10/10", sender="999", fields=body, charset="utf-8",
                           sent_at=SENT)  # fmt: skip
    short = encode_frame(DIALECT, codes="10/10", sender="112", fields=body[:-1], charset="utf-8",
                         sent_at=SENT)  # fmt: skip
    month13 = bytearray(recorded("112_request.bin"))
    month13[8:10] = b"13"
    bad_time = list(body)
    bad_time[8] = "yesterday"
    late = encode_frame(DIALECT, codes="10/10", sender="112", fields=bad_time, charset="utf-8",
                        sent_at=SENT)  # fmt: skip
    for data, reason in [
        (unknown, RejectReason.UNKNOWN_SENDER),
        (short, RejectReason.FIELD_COUNT),
        (bytes(month13), RejectReason.BAD_TIME),
        (late, RejectReason.BAD_TIME),
    ]:
        decoded = decode_message(DIALECT, only_frame(data), "utf-8")
        assert isinstance(decoded, Rejection) and decoded.reason is reason, (reason, decoded)


def test_swapped_coordinates_are_named_in_the_detail() -> None:
    body = ["x", "C1", "강도", "x", "37.5665", "126.978", "a", "1", "20260301211500", "u"]
    frame = encode_frame(DIALECT, codes="10/10", sender="112", fields=body, charset="utf-8",
                         sent_at=SENT)  # fmt: skip
    decoded = decode_message(DIALECT, only_frame(frame), "utf-8")
    assert isinstance(decoded, Rejection) and "swapped" in decoded.detail


def test_a_resent_frame_has_the_same_idempotency_key_in_any_charset() -> None:
    first = message("119_request_cp949.bin", "cp949")
    body = recorded("119_request_cp949.bin")[48:-1].decode("cp949").split("|")
    again = encode_frame(DIALECT, codes="10/10", sender="119", fields=body, charset="utf-8",
                         sent_at=SENT + dt.timedelta(minutes=1))  # fmt: skip
    second = decode_message(DIALECT, only_frame(again), "utf-8")
    closing = encode_frame(DIALECT, codes="10/91", sender="119", fields=body, charset="utf-8",
                           sent_at=SENT)  # fmt: skip
    third = decode_message(DIALECT, only_frame(closing), "utf-8")
    assert isinstance(second, Message) and isinstance(third, Message)
    assert idempotency_key(DIALECT, first) == idempotency_key(DIALECT, second)
    assert idempotency_key(DIALECT, first)[0] != idempotency_key(DIALECT, third)[0]
    assert "119-20260301-0042" in idempotency_key(DIALECT, first)[0]


def test_replies_round_trip() -> None:
    data = encode_reply(DIALECT, codes="10/10", sender="WP1", outcome="refused",
                        reason="incident_closed", reference="A|B", charset="cp949",
                        now=SENT)  # fmt: skip
    reply = decode_reply(DIALECT, only_frame(data), "cp949")
    assert not isinstance(reply, Rejection)
    assert (reply.codes, reply.sender, reply.result, reply.reason, reply.reference) == (
        "10/10", "WP1", "91", "incident_closed", "A B",
    )  # fmt: skip


# --- Properties ---------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters="|;"),
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
    ),
    max_size=12,
)
CODES = st.sampled_from(sorted(DIALECT.messages))
SENDERS = st.sampled_from(sorted(DIALECT.senders))
CHARSETS = st.sampled_from(["utf-8", "cp949"])


def _framed(codes: str, sender: str, fields: list[str], charset: str) -> tuple:  # type: ignore[type-arg]
    data = encode_frame(
        DIALECT, codes=codes, sender=sender, fields=fields, charset=charset, sent_at=SENT
    )
    return data, codes, sender, fields, charset


FRAME = st.builds(_framed, CODES, SENDERS, st.lists(TEXT, min_size=1, max_size=6), CHARSETS)


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    edges = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(edges)]


@given(FRAME)
def test_encode_then_decode_gives_the_frame_back(case: tuple) -> None:  # type: ignore[type-arg]
    data, codes, sender, fields, charset = case
    frame = only_frame(data)
    assert (frame.codes, frame.sender) == (codes, sender)
    assert frame.body.decode(charset).split("|") == fields


@given(
    st.sampled_from(["112", "119"]),
    st.decimals(min_value=Decimal("33.2"), max_value=Decimal("38.5"), places=6),
    st.decimals(min_value=Decimal("124.7"), max_value=Decimal("129.5"), places=6),
    CHARSETS,
)
def test_coordinates_come_back_the_right_way_round(
    sender: str, lat: Decimal, lon: Decimal, charset: str
) -> None:
    layout = DIALECT.layout_for(sender, "10/10")
    assert layout is not None
    values = dict.fromkeys(layout.fields, "가")
    values.update(latitude=str(lat), longitude=str(lon), time="20260301211500")
    data = encode_frame(DIALECT, codes="10/10", sender=sender, charset=charset, sent_at=SENT,
                        fields=[values[name] for name in layout.fields])  # fmt: skip
    decoded = decode_message(DIALECT, only_frame(data), charset)
    assert isinstance(decoded, Message) and decoded.report is not None
    assert (decoded.report.latitude, decoded.report.longitude) == (lat, lon)


@settings(max_examples=300)
@given(
    st.lists(
        st.one_of(st.binary(max_size=80), FRAME.map(lambda c: c[0]),
                  FRAME.map(lambda c: c[0][: len(c[0]) // 2])),
        max_size=8,
    ),
    st.lists(st.integers(min_value=0), max_size=10),
)  # fmt: skip
def test_any_byte_stream_gives_only_frames_and_rejections(
    parts: list[bytes], cuts: list[int]
) -> None:
    items = decode_stream(DIALECT, split(b"".join(parts), cuts))
    for item in items:
        assert isinstance(item, RawFrame | Rejection)
        if isinstance(item, RawFrame):
            for charset in ("utf-8", "cp949"):
                assert isinstance(decode_message(DIALECT, item, charset), Message | Rejection)


@settings(max_examples=300)
@given(
    st.lists(st.one_of(st.binary(max_size=60), FRAME.map(lambda c: c[0])), max_size=8),
    st.lists(st.integers(min_value=0), max_size=12),
)
def test_split_points_do_not_change_the_frames(parts: list[bytes], cuts: list[int]) -> None:
    data = b"".join(parts)
    whole = [i.raw for i in decode_stream(DIALECT, [data]) if isinstance(i, RawFrame)]
    pieces = [i.raw for i in decode_stream(DIALECT, split(data, cuts)) if isinstance(i, RawFrame)]
    assert pieces == whole


NO_DIGITS = st.binary(max_size=40).map(lambda b: bytes(c for c in b if not 0x30 <= c <= 0x39))


@given(st.lists(st.tuples(NO_DIGITS, FRAME.map(lambda c: c[0])), max_size=6),
       st.lists(st.integers(min_value=0), max_size=12))  # fmt: skip
def test_every_frame_survives_garbage_between_frames(
    parts: list[tuple[bytes, bytes]], cuts: list[int]
) -> None:
    data = b"".join(junk + frame for junk, frame in parts)
    frames = [i.raw for i in decode_stream(DIALECT, split(data, cuts)) if isinstance(i, RawFrame)]
    assert frames == [frame for _junk, frame in parts]


# --- Dialect and peers files --------------------------------------------------------------


def test_a_city_variant_is_a_data_file(tmp_path: Path) -> None:
    data = read_data_file(Path(DIALECT_PATH))
    data["header"]["fields"][3]["width"] = 4
    data["header"]["sender_padding"] = "_"
    data["senders"]["112"]["event_type"] = "112UC120"
    data["messages"]["10/60"] = {"name": "dispatch", "action": "report", "status": "40"}
    data["senders"]["112"]["layouts"]["10/60"] = "112_request"
    import yaml

    path = tmp_path / "city.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    variant = load_dialect(path)
    assert variant.header.size == 49 and variant.senders["112"].event_type == "112UC120"
    body = recorded("112_request.bin")[48:-1].decode().split("|")
    frame = encode_frame(variant, codes="10/60", sender="112", fields=body, charset="utf-8",
                         sent_at=SENT)  # fmt: skip
    assert frame[18:28] == b"112_UCP202"
    decoded = decode_message(variant, only_frame_of(variant, frame), "utf-8")
    assert isinstance(decoded, Message) and decoded.spec.name == "dispatch"


def only_frame_of(dialect, data: bytes) -> RawFrame:  # type: ignore[no-untyped-def]
    items = decode_stream(dialect, [data])
    assert len(items) == 1 and isinstance(items[0], RawFrame)
    return items[0]


DIALECT_PATH = str(Path(__file__).resolve().parents[1] / "dialects" / "ucp_default.json")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["senders"]["119"]["roles"].pop("latitude"), "missing 'latitude'"),
        (lambda d: d["senders"]["119"]["layouts"].update({"10/40": "nope"}), "unknown layout"),
        (lambda d: d["header"]["fields"][4].update(kind="magic"), "kind"),
        (lambda d: d["reply"]["results"].pop("failed"), "missing ['failed']"),
        (lambda d: d["messages"].update({"100/1": {"action": "login"}}), "code widths"),
        (lambda d: d["senders"]["WP1"]["carrier"]["kinds"].update(X="fly"), "carrier event kind"),
    ],
)
def test_a_broken_dialect_file_is_refused_with_its_place(change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = read_data_file(Path(DIALECT_PATH))
    change(data)
    with pytest.raises(DialectError, match=message.replace("[", r"\[").replace("]", r"\]")):
        dialect_from_mapping(data)


def test_peers_file_and_flags(tmp_path: Path) -> None:
    path = tmp_path / "peers.yaml"
    path.write_text(
        "frame_timeout_seconds: 3\nmax_refused_before_login: 2\npeers:\n"
        "  - {sender: '119', tenant: '41280', client: fire, charset: EUC-KR,"
        " addresses: ['10.0.0.9']}\n"
        "  - {sender: '112', tenant: '41280', client: police, addresses: ['10.0.0.7', '::1']}\n",
        encoding="utf-8",
    )
    config = load_peers(path, DIALECT)
    assert config.frame_timeout_s == 3.0 and config.max_refused_before_login == 2
    assert config.match("119", "10.0.0.9") is not None
    assert config.match("119", "10.0.0.9").charset == "euc_kr"  # type: ignore[union-attr]
    assert config.match("119", "127.0.0.1") is None
    assert config.match("112", "::ffff:10.0.0.7") is not None  # IPv4 seen on an IPv6 socket
    assert config.knows("::1") and not config.knows("127.0.0.1")
    flag = peer_from_flag("WP1:41280:carrier:cp949:127.0.0.1", DIALECT)
    assert (flag.sender, flag.charset, flag.addresses) == ("WP1", "cp949", frozenset({"127.0.0.1"}))
    assert peer_from_flag("112:41280:police::10.0.0.1,::1", DIALECT).addresses == {
        "10.0.0.1", "::1"
    }  # fmt: skip
    with pytest.raises(PeersError, match="not a sender"):
        peers_from_mapping({"peers": [{"sender": "113", "tenant": "1", "client": "x"}]}, DIALECT)
    with pytest.raises(PeersError, match="charset"):
        peer_from_flag("112:1:x:latin-1:127.0.0.1", DIALECT)


@pytest.mark.parametrize(
    ("addresses", "message"),
    [
        (None, r"peers\[0\]\.addresses: list the IP addresses"),
        ([], r"list the IP addresses .* \['\*'\] to accept any host"),
        (["gateway.example"], "is not an IP address"),
        (["*", "10.0.0.1"], "stands alone"),
    ],
)
def test_a_peer_must_name_its_addresses(addresses: list[str] | None, message: str) -> None:
    peer: dict[str, object] = {"sender": "112", "tenant": "1", "client": "x"}
    if addresses is not None:
        peer["addresses"] = addresses
    with pytest.raises(PeersError, match=message):
        peers_from_mapping({"peers": [peer]}, DIALECT)
    with pytest.raises(PeersError, match="SENDER:TENANT:CLIENT:CHARSET:ADDRESS"):
        peer_from_flag("112:1:x:utf-8", DIALECT)


def test_any_host_is_an_explicit_choice() -> None:
    config = peers_from_mapping(
        {"peers": [{"sender": "112", "tenant": "1", "client": "x", "addresses": ["*"]}]}, DIALECT
    )
    assert config.knows("203.0.113.5") and config.match("112", "203.0.113.5") is not None
    assert peer_from_flag("112:1:x::*", DIALECT).accepts("112", "198.51.100.1")


@pytest.mark.parametrize(
    ("index", "value", "reason", "detail"),
    [
        (6, "세종대로\x00110", RejectReason.CONTROL_CHARACTER, "address: character 5"),
        (0, "112-\x1b-1", RejectReason.CONTROL_CHARACTER, "case_no: character 5"),
        (2, "강도\r\n", RejectReason.CONTROL_CHARACTER, "case_type: character 3"),
        (8, "00010101000000", RejectReason.BAD_TIME, "time '00010101000000'"),
        (8, "19691231235959", RejectReason.BAD_TIME, "time '19691231235959'"),
    ],
)
def test_control_characters_and_impossible_times_in_kept_fields_are_refused(
    index: int, value: str, reason: RejectReason, detail: str
) -> None:
    body = ["112-1", "C1", "강도", "x", "126.978", "37.5665", "addr", "11140", "20260301211500"]
    body.append("u")
    body[index] = value
    frame = encode_frame(DIALECT, codes="10/10", sender="112", fields=body, charset="utf-8",
                         sent_at=SENT)  # fmt: skip
    decoded = decode_message(DIALECT, only_frame(frame), "utf-8")
    assert isinstance(decoded, Rejection), decoded
    assert (decoded.reason, decoded.detail) == (reason, detail)


def test_free_text_keeps_line_breaks_and_unread_fields_are_not_judged() -> None:
    body = ["119-1", "화재", "주택\n화재", "37.6584", "126.8320", "고양시", "41285"]
    body += ["20260301211500", "u"]
    frame = encode_frame(DIALECT, codes="10/10", sender="119", fields=body, charset="cp949",
                         sent_at=SENT)  # fmt: skip
    decoded = decode_message(DIALECT, only_frame(frame), "cp949")
    assert isinstance(decoded, Message) and decoded.report is not None
    assert decoded.report.detail == "화재 / 주택\n화재"
    # A carrier's dropped personal field (the person's name) is never read.
    sos = recorded("wp1_request.bin").replace("홍길동".encode(), b"\x00" * 9)
    assert isinstance(decode_message(DIALECT, only_frame(sos), "utf-8"), Message)
