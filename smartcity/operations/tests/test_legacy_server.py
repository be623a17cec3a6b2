"""The legacy linkage adapter over real TCP on 127.0.0.1: recorded frames from
112, 119 and a carrier become incidents; malformed frames are refused while
another peer keeps working; a re-sent frame is a replay; answers follow commits."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError

from smartcity.core.models import AuditEvent
from smartcity.operations.domain.event_time import KST
from smartcity.operations.domain.legacy_dialect import load_dialect
from smartcity.operations.domain.legacy_encoding import (
    Reply,
    decode_reply,
    encode_frame,
)
from smartcity.operations.domain.legacy_frames import (
    FrameDecoder,
    RawFrame,
)
from smartcity.operations.domain.legacy_peers import PeersConfig, PeerSpec
from smartcity.operations.legacy.intake import link_peers
from smartcity.operations.legacy.server import LegacyServer
from smartcity.operations.models import (
    CarrierCase,
    IdempotencyRecord,
    Incident,
    IncidentEvent,
)
from smartcity.operations.services.tenancy import issue_intake_client
from smartcity.realtime.models import OutboxEvent

pytestmark = pytest.mark.django_db(transaction=True)

DATA = Path(__file__).parent / "data" / "legacy"
DIALECT = load_dialect()
LOOPBACK = frozenset({"127.0.0.1"})


def recorded(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.fixture
def peers(tenant_b):  # type: ignore[no-untyped-def]
    """나래시's centre linked to a 112 room (UTF-8), a 119 room (CP949) and a carrier."""
    for source in ("112", "119", "WP1"):
        issue_intake_client(tenant=tenant_b, name=f"link-{source}", source=source)
    config = PeersConfig(
        (
            PeerSpec("112", tenant_b.code, "link-112", "utf-8", LOOPBACK),
            PeerSpec("119", tenant_b.code, "link-119", "cp949", LOOPBACK),
            PeerSpec("WP1", tenant_b.code, "link-WP1", "utf-8", LOOPBACK),
        ),
        frame_timeout_s=0.5,
        idle_timeout_s=30,
    )
    return config, link_peers(config, DIALECT)


@contextmanager
def running(peers: tuple[PeersConfig, Any], **options: Any) -> Iterator[tuple[LegacyServer, int]]:
    """The server on a free port, in its own thread and event loop."""
    config, linked = peers
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    holder: dict[str, Any] = {}

    async def main() -> None:
        server = LegacyServer(dialect=DIALECT, config=config, peers=linked, **options)
        holder["server"] = server
        holder["port"] = (await server.start("127.0.0.1", 0))[1]
        ready.set()
        await server.wait_stopped()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(10), "server did not start"
    try:
        yield holder["server"], holder["port"]
    finally:
        loop.call_soon_threadsafe(holder["server"].request_stop)
        thread.join(30)
        loop.close()
        assert not thread.is_alive()


class Peer:
    """A connector: sends bytes, reads the adapter's answers."""

    def __init__(self, port: int, charset: str = "utf-8", source: str = "127.0.0.1") -> None:
        self.sock = socket.create_connection(
            ("127.0.0.1", port), timeout=10, source_address=(source, 0)
        )
        self.decoder = FrameDecoder(DIALECT)
        self.pending: list[RawFrame] = []
        self.charset = charset

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def answer(self) -> Reply:
        while not self.pending:
            data = self.sock.recv(65536)
            assert data, "connection closed by the adapter"
            self.pending += [i for i in self.decoder.feed(data) if isinstance(i, RawFrame)]
        reply = decode_reply(DIALECT, self.pending.pop(0), self.charset)
        assert isinstance(reply, Reply)
        return reply

    def exchange(self, data: bytes) -> Reply:
        self.send(data)
        return self.answer()

    def close(self) -> None:
        self.sock.close()


def login(port: int, name: str, charset: str = "utf-8") -> Peer:
    peer = Peer(port, charset)
    reply = peer.exchange(recorded(name))
    assert (reply.codes, reply.result) == ("99/99", "00")
    return peer


def test_112_messages_open_then_change_release_and_close_one_incident(peers) -> None:  # type: ignore[no-untyped-def]
    with running(peers) as (_server, port):
        police = login(port, "112_login.bin")
        steps = [
            ("112_request.bin", "10/10", "10"),
            ("112_change.bin", "10/40", "40"),
            ("112_release.bin", "10/50", "50"),
            ("112_close.bin", "10/91", "91"),
        ]
        for name, codes, status in steps:
            reply = police.exchange(recorded(name))
            assert (reply.codes, reply.result) == (codes, "00")
            assert reply.reference == "112-20260301-0001"
            # The answer came after the commit: another connection sees the change.
            incident = Incident.objects.get(external_id="112-20260301-0001")
            assert incident.status_id == status
        police.close()
    assert Incident.objects.count() == 1
    assert incident.event_type_id == "112UC001" and incident.sender == "112"
    assert (incident.latitude, incident.longitude) == (Decimal("37.5670"), Decimal("126.9790"))
    assert incident.address == "서울특별시 중구 세종대로 120"
    assert incident.case_type == "강도" and incident.grade_id == "10"
    assert incident.intake_client is not None and incident.intake_client.name == "link-112"
    assert incident.ended_at is not None


def test_119_frames_in_cp949_open_and_close_an_incident(peers) -> None:  # type: ignore[no-untyped-def]
    with running(peers) as (_server, port):
        fire = login(port, "119_login_cp949.bin", "cp949")
        opened = fire.exchange(recorded("119_request_cp949.bin"))
        incident = Incident.objects.get(external_id="119-20260301-0042")
        assert opened.result == "00" and incident.status_id == "10"
        assert (incident.latitude, incident.longitude) == (Decimal("37.6584"), Decimal("126.8320"))
        assert incident.event_type_id == "119UC001"
        assert incident.detail == "화재 / 주택화재"
        assert incident.address == "경기도 고양시 일산동구 중앙로 1036"
        assert fire.exchange(recorded("119_close_cp949.bin")).result == "00"
        fire.close()
    assert Incident.objects.get(pk=incident.pk).status_id == "91"


def test_a_carrier_sos_opens_an_incident_and_its_case_with_minimum_personal_data(peers) -> None:  # type: ignore[no-untyped-def]
    with running(peers) as (_server, port):
        carrier = login(port, "wp1_login.bin")
        assert carrier.exchange(recorded("wp1_request.bin")).result == "00"
        carrier.close()
    incident = Incident.objects.get(external_id="WP1-20260301-0007")
    assert incident.event_type_id == "WPSSF110" and incident.sender == "WP1"
    assert (incident.latitude, incident.longitude) == (Decimal("37.6760"), Decimal("126.7700"))
    case = CarrierCase.objects.get(incident=incident)
    assert case.event_kind == "sos" and case.photo_ref == "photo/7.jpg"
    assert (case.guardian_name, case.guardian_phone) == ("홍부모", "010-9876-5432")
    assert case.positions.count() == 1
    stored = " ".join(
        [incident.detail, incident.address]
        + [str(t.data) for t in IncidentEvent.objects.filter(incident=incident)]
        + [str(a.data) for a in AuditEvent.objects.all()]
        + [str(o.payload) for o in OutboxEvent.objects.all()]
    )
    for personal in ("홍길동", "010-1234-5678", "20150101", "치매", "파란 외투"):
        assert personal not in stored


def test_a_resent_frame_is_a_replay_not_a_duplicate(peers) -> None:  # type: ignore[no-untyped-def]
    with running(peers) as (server, port):
        police = login(port, "112_login.bin")
        first = police.exchange(recorded("112_request.bin"))
        again = police.exchange(recorded("112_request.bin"))
        # A reconnecting peer re-sends too.
        police.close()
        police = login(port, "112_login.bin")
        third = police.exchange(recorded("112_request.bin"))
        police.close()
    assert first.result == again.result == third.result == "00"
    assert Incident.objects.filter(external_id="112-20260301-0001").count() == 1
    assert IdempotencyRecord.objects.count() == 1
    assert server.stats["accepted"] == 1 and server.stats["replayed"] == 2


def test_frames_before_login_and_from_unknown_peers_are_refused(peers) -> None:  # type: ignore[no-untyped-def]
    with running(peers) as (_server, port):
        stranger = Peer(port)
        reply = stranger.exchange(recorded("112_request.bin"))
        assert (reply.result, reply.reason) == ("90", "not_logged_in")
        other = recorded("112_login.bin").replace(b"112UCP", b"113UCP")
        assert stranger.exchange(other).reason == "peer_not_configured"
        # Logged in as 112, a 119 frame is not this peer's to send.
        assert stranger.exchange(recorded("112_login.bin")).result == "00"
        assert stranger.exchange(recorded("119_request_cp949.bin")).reason == "sender_mismatch"
        stranger.close()
    assert Incident.objects.count() == 0


def test_malformed_frames_are_refused_while_another_peer_keeps_working(  # type: ignore[no-untyped-def]
    peers, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("WARNING", logger="smartcity.operations.legacy")
    with running(peers) as (server, port):
        police = login(port, "112_login.bin")
        fire = login(port, "119_login_cp949.bin", "cp949")
        expected = [
            ("bad_length_short.bin", "length_mismatch"),
            ("bad_length_digits.bin", "length_not_digits"),
            ("bad_unknown_code.bin", "unknown_code"),
            ("bad_coordinates.bin", "bad_coordinates"),
        ]
        for name, reason in expected:
            reply = police.exchange(recorded(name))
            assert (reply.result, reply.reason) == ("90", reason), name
        # Half a frame, then silence: the other peer is served meanwhile, and
        # after the frame timeout the half frame is refused as truncated.
        police.send(recorded("bad_truncated.bin"))
        assert fire.exchange(recorded("119_request_cp949.bin")).result == "00"
        assert police.answer().reason == "truncated"
        # Garbage gets no answer; the next good frame does, on the same connection.
        police.send(b"\xff\xfe garbage \r\n")
        assert police.exchange(recorded("112_request.bin")).result == "00"
        assert fire.exchange(recorded("119_close_cp949.bin")).result == "00"
        police.close()
        fire.close()
    assert set(Incident.objects.values_list("external_id", flat=True)) == {
        "112-20260301-0001", "119-20260301-0042",
    }  # fmt: skip
    assert server.rejections == {
        "length_mismatch": 1, "length_not_digits": 1, "unknown_code": 1, "bad_coordinates": 1,
        "truncated": 1, "bad_header": 1,
    }  # fmt: skip
    logged = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(logged) == 6
    assert any("length_not_digits" in m and "31 30 31 30" in m and "112@" in m for m in logged)


def test_a_failed_commit_gets_a_negative_answer_and_nothing_is_stored(peers) -> None:  # type: ignore[no-untyped-def]
    def broken(*args: Any) -> Any:
        raise DatabaseError("database is locked")

    with running(peers, report=broken) as (server, port):
        police = login(port, "112_login.bin")
        reply = police.exchange(recorded("112_request.bin"))
        police.close()
    assert (reply.result, reply.reason, reply.reference) == ("99", "database_error",
                                                             "112-20260301-0001")  # fmt: skip
    assert Incident.objects.count() == 0 and server.stats["failed"] == 1


def test_a_close_for_an_unknown_incident_is_refused_by_the_intake_rules(peers) -> None:  # type: ignore[no-untyped-def]
    with running(peers) as (_server, port):
        police = login(port, "112_login.bin")
        reply = police.exchange(recorded("112_close.bin"))
        police.close()
    assert (reply.result, reply.reason) == ("90", "unknown_incident")


def police_frame(**changes: str) -> bytes:
    """A 112 request (robbery in 나래시's area) with some fields replaced."""
    fields = {
        "case_no": "112-20260301-0009", "case_grade": "C1", "case_type": "강도",
        "case_no_2": "112-20260301-0009", "longitude": "126.9780", "latitude": "37.5665",
        "address": "서울특별시 중구 세종대로 110", "area_code": "11140",
        "time": "20260301211500", "user_id": "u1",
    }  # fmt: skip
    fields.update(changes)
    return encode_frame(
        DIALECT, codes="10/10", sender="112", fields=list(fields.values()), charset="utf-8",
        sent_at=dt.datetime(2026, 3, 1, 21, 15, 30, tzinfo=KST),
    )  # fmt: skip


def test_control_characters_and_impossible_times_are_rejected_for_good_not_failed(  # type: ignore[no-untyped-def]
    peers, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("WARNING", logger="smartcity.operations.legacy")
    frames = {
        "address": (police_frame(address="세종대로\x00110"), "control_character"),
        "case_no": (police_frame(case_no="112-\x00-9"), "control_character"),
        "year 0 in UTC": (police_frame(time="00010101000000"), "bad_time"),
        "before 1970": (police_frame(time="19691231000000"), "bad_time"),
    }
    carrier = recorded("wp1_request.bin").replace(
        "홍부모".encode(), b"\x00\x00\x00\x00\x00\x00\x00\x00\x00"
    )
    with running(peers) as (server, port):
        police = login(port, "112_login.bin")
        for what, (frame, reason) in frames.items():
            for _attempt in range(2):  # a re-send gets the same definite answer
                reply = police.exchange(frame)
                assert (reply.result, reply.reason) == ("90", reason), what
        # The connection still works.
        assert police.exchange(recorded("112_request.bin")).result == "00"
        police.close()
        wp1 = login(port, "wp1_login.bin")
        reply = wp1.exchange(carrier)
        assert (reply.result, reply.reason) == ("90", "control_character")
        wp1.close()
    assert server.stats["failed"] == 0
    assert list(Incident.objects.values_list("external_id", flat=True)) == ["112-20260301-0001"]
    logged = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(logged) == 9
    assert any("control_character (address: character 5)" in m for m in logged)


# --- Floods and strangers ---------------------------------------------------------------------

HEADER_LIKE = recorded("bad_length_digits.bin")[:48]  # a header whose length has a letter


def drain(sock: socket.socket) -> list[RawFrame]:
    """Everything the adapter sends until it closes the connection."""
    decoder, frames = FrameDecoder(DIALECT), []
    sock.settimeout(10)
    while True:
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            break
        if not data:
            break
        frames += [i for i in decoder.feed(data) if isinstance(i, RawFrame)]
    return frames


def refusal_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "smartcity.operations.legacy"
            and r.levelname == "WARNING"]  # fmt: skip


def test_a_megabyte_of_header_like_bytes_before_login_costs_three_replies_and_closes(  # type: ignore[no-untyped-def]
    peers, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="smartcity.operations.legacy")
    flood = HEADER_LIKE * (1_000_000 // len(HEADER_LIKE))
    with running(peers) as (server, port):
        stranger = Peer(port)
        with contextlib.suppress(OSError):  # the adapter may hang up mid-send
            stranger.send(flood)
        replies = drain(stranger.sock)
        stranger.close()
        # Everyone else is served as before.
        police = login(port, "112_login.bin")
        assert police.exchange(recorded("112_request.bin")).result == "00"
        police.close()
    assert len(replies) == 3
    assert {decode_reply(DIALECT, f, "utf-8").reason for f in replies} == {"length_not_digits"}  # type: ignore[union-attr]
    assert server.stats["closed_before_login"] == 1
    lines = refusal_lines(caplog)
    assert len(lines) == 4, lines  # three refusals and the hang-up
    assert "closed: 3 refused frame(s) before login" in lines[-1]


def test_a_logged_in_peer_is_answered_but_its_refusals_cost_a_bounded_number_of_lines(  # type: ignore[no-untyped-def]
    peers, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="smartcity.operations.legacy")
    with running(peers, log_burst=5, log_per_minute=0.01) as (server, port):
        police = login(port, "112_login.bin")
        police.send(recorded("bad_unknown_code.bin") * 200)
        replies = [police.answer() for _ in range(200)]
        assert police.exchange(recorded("112_request.bin")).result == "00"
        police.close()
    assert {(r.result, r.reason) for r in replies} == {("90", "unknown_code")}
    assert server.rejections["unknown_code"] == 200  # every refusal is still counted
    lines = refusal_lines(caplog)
    assert len(lines) == 6, lines  # the budget, then one summary when the connection closed
    assert "195 refusal log line(s) held back" in lines[-1]


def test_a_host_no_peer_names_is_closed_before_it_is_read(  # type: ignore[no-untyped-def]
    peers, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="smartcity.operations.legacy")
    config, _linked = peers
    elsewhere = frozenset({"127.0.0.2"})
    moved = dataclasses.replace(
        config, peers=tuple(dataclasses.replace(p, addresses=elsewhere) for p in config.peers)
    )
    with running((moved, link_peers(moved, DIALECT))) as (server, port):
        stranger = Peer(port)  # from 127.0.0.1
        with contextlib.suppress(OSError):
            stranger.send(recorded("112_login.bin"))
        assert drain(stranger.sock) == []  # not even the login is answered
        stranger.close()
        named = socket.socket()
        named.bind(("127.0.0.2", 0))
        named.connect(("127.0.0.1", port))
        peer = Peer.__new__(Peer)
        peer.sock, peer.decoder, peer.pending, peer.charset = (
            named,
            FrameDecoder(DIALECT),
            [],
            "utf-8",
        )
        assert peer.exchange(recorded("112_login.bin")).result == "00"
        peer.close()
    assert server.stats["unknown_hosts"] == 1 and server.stats["logins"] == 1
    assert any("127.0.0.1" in m and "no peer connects from this address" in m
               for m in refusal_lines(caplog))  # fmt: skip
