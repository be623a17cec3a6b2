"""Two application nodes behind one database share live updates over NATS.

Two uvicorn processes on one PostgreSQL database and a nats-server this test
starts, both configured with the bus. A situation board connected to node 1
must show an incident reported to node 2's intake API, and an incident handed
from one centre to another must reach the receiving centre's board on the
other node. With NATS configured the hubs read the JetStream stream, not the
outbox table (the table only answers a reconnecting client's backlog, and
these streams open without one). The test proves it two ways: the event is in
the stream under its outbox id, and a message put on the bus alone (no outbox
row anywhere) appears on node 1's board too.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from smartcity.realtime.testing import (
    NatsServer,
    free_port,
    nats_server,
    run_coroutine,
    skip_or_fail,
)

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_BASE = os.environ.get("SMARTCITY_TEST_PG", "postgres://postgres@127.0.0.1:5432")

# Two uvicorn nodes, a nats-server: with the durability tests, one at a time.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("servers")]

PREPARE = """
import io
import json
from django.core.management import call_command
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.accounts.models import Organisation, User
from smartcity.municipalities.models import Municipality
call_command("migrate", verbosity=0)
for code in ("41280", "41290"):
    call_command("operations", "add-tenant", code, stdout=io.StringIO())
out = io.StringIO()
call_command("operations", "issue-key", "--tenant", "41280", "--source", "112",
             "--name", "node test 112", stdout=out, stderr=io.StringIO())
issued = json.loads(out.getvalue())
sessions = {}
for code in ("41280", "41290"):
    centre = Organisation.objects.create(
        name_ko=f"{code} 통합운영센터", kind=OrganisationKind.OPERATIONS_CENTRE,
        municipality=Municipality.objects.get(code=code))
    user = User(username=f"op{code}", role=Role.PLATFORM_OPERATOR, organisation=centre)
    user.set_password("two-nodes-password-2026")
    user.save()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    sessions[code] = session.session_key
call_command("realtime", "nats-setup", stdout=io.StringIO())
print(json.dumps({"api_key": issued["api_key"], "sessions": sessions}))
"""

HAND_OVER = """
from smartcity.accounts.models import User
from smartcity.operations.models import Tenant
from smartcity.operations.services.incidents import hand_over_incident
hand_over_incident(incident_id={incident}, tenant=Tenant.objects.get(code="41280"),
                   to_tenant=Tenant.objects.get(code="41290"),
                   actor=User.objects.get(username="op41280"), reason="관할 이관")
"""


@dataclass
class Cluster:
    env: dict[str, str]
    ports: list[int]
    api_key: str
    sessions: dict[str, str]
    nats: NatsServer
    stream: str


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(BIN / "smartcity"), *args], env=env, cwd=ROOT, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    return done.stdout


@contextlib.contextmanager
def _database() -> Iterator[str]:
    try:
        import psycopg

        admin = psycopg.connect(f"{PG_BASE}/postgres", autocommit=True, connect_timeout=3)
    except Exception as error:
        skip_or_fail(f"PostgreSQL not reachable at {PG_BASE} ({error})")
    name = f"nodes_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{PG_BASE}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def _node(env: dict[str, str], name: str) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "uvicorn"), "config.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--no-access-log", "--log-level", "warning"],
        env=dict(env, SMARTCITY_REALTIME_NODE_NAME=name), cwd=ROOT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        import socket

        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"node {name} did not start")
            time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    with (
        _database() as url,
        nats_server() as nats,
        tempfile.TemporaryDirectory(prefix="smartcity-nodes-") as data,
    ):
        Path(data, "static").mkdir()
        stream = f"NODES{uuid.uuid4().hex[:6].upper()}"
        env = dict(os.environ)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.update(
            DATABASE_URL=url,
            SMARTCITY_DATA_DIR=data,
            SMARTCITY_REALTIME_NATS_URL=nats.url,
            SMARTCITY_REALTIME_NATS_STREAM=stream,
        )
        # One process for the whole set-up: each `smartcity` command costs
        # seconds of start-up, and this chain of server tests is the run's
        # critical path.
        prepared = json.loads(_run(["shell", "-c", PREPARE], env).strip().splitlines()[-1])
        api_key, sessions = prepared["api_key"], prepared["sessions"]
        with _node(env, "node1") as port1, _node(env, "node2") as port2:
            yield Cluster(env, [port1, port2], api_key, sessions, nats, stream)


class Board:
    """An SSE client of the situation board stream (what the browser's EventSource does)."""

    def __init__(self, port: int, session: str) -> None:
        self.port, self.session = port, session
        self.events: list[tuple[int, str, dict[str, object]]] = []
        self.connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Board:
        self._task = asyncio.create_task(self._read())
        await asyncio.wait_for(self.connected.wait(), 15)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    async def _read(self) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        writer.write(
            f"GET /operations/board/stream/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Cookie: sessionid={self.session}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        status = await reader.readline()
        assert b" 200 " in status, status
        event_id, kind = 0, ""
        try:
            while line := await reader.readline():
                if line.startswith(b": connected"):
                    self.connected.set()
                elif line.startswith(b"id: "):
                    event_id = int(line[4:])
                elif line.startswith(b"event: "):
                    kind = line[7:].strip().decode()
                elif line.startswith(b"data: "):
                    self.events.append((event_id, kind, json.loads(line[6:])))
        finally:
            writer.close()

    async def wait_for(self, kind: str, incident: int, timeout: float = 15) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event_id, event_kind, data in self.events:
                if event_kind == kind and data.get("id") == incident:
                    return event_id
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {kind} event for incident {incident}: {self.events}")


async def _report(port: int, key: str) -> int:
    body = json.dumps({
        "event_type": "112UC001", "external_id": f"N-{uuid.uuid4().hex[:8]}",
        "occurred_at": "2026-03-01T21:15:00+09:00", "latitude": "37.6584",
        "longitude": "126.7698", "address": "고양시 일산동구 중앙로 1286", "detail": "노드 시험",
    }).encode()  # fmt: skip
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (f"POST /api/operations/incidents HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
         f"Content-Type: application/json\r\nX-Api-Key: {key}\r\n"
         f"Idempotency-Key: {uuid.uuid4().hex}\r\nContent-Length: {len(body)}\r\n\r\n"
         ).encode() + body
    )  # fmt: skip
    answer = await reader.read()
    writer.close()
    head, _, payload = answer.partition(b"\r\n\r\n")
    assert b" 201 " in head.split(b"\r\n")[0], answer
    return int(json.loads(payload)["id"])


async def _stream_subject(cluster: Cluster, outbox_id: int) -> str | None:
    """The subject of the stream's message for that outbox id (``None``: not there)."""
    import nats

    nc = await nats.connect(cluster.nats.url)
    try:
        js = nc.jetstream()
        info = await js.stream_info(cluster.stream)
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            msg = await js.get_msg(cluster.stream, seq)
            if (msg.headers or {}).get("Nats-Msg-Id") == f"outbox-{outbox_id}":
                return str(msg.subject)
        return None
    finally:
        await nc.close()


async def _bus_only(cluster: Cluster, subject: str, marker: int) -> None:
    """Put an event on the bus that exists in no outbox table."""
    import nats

    nc = await nats.connect(cluster.nats.url)
    try:
        body = {"id": 10**12 + marker, "channel": subject.split(".events.", 1)[1],
                "kind": "incident", "payload": {"id": marker, "probe": True}}  # fmt: skip
        await nc.jetstream().publish(subject, json.dumps(body).encode())
    finally:
        await nc.close()


def test_a_board_on_node_1_shows_an_incident_received_by_node_2(cluster: Cluster) -> None:
    node1, node2 = cluster.ports

    async def scenario() -> tuple[int, float]:
        async with Board(node1, cluster.sessions["41280"]) as board:
            incident = await _report(node2, cluster.api_key)
            acked = time.perf_counter()
            event_id = await board.wait_for("incident", incident)
            return event_id, time.perf_counter() - acked

    event_id, seconds = run_coroutine(scenario())
    assert seconds < 5
    subject = run_coroutine(_stream_subject(cluster, event_id))
    assert subject is not None, "the event did not cross JetStream"

    async def probe() -> None:
        async with Board(node1, cluster.sessions["41280"]) as board:
            await _bus_only(cluster, subject, marker=-7)
            await board.wait_for("incident", -7)

    run_coroutine(probe())


def test_a_handed_over_incident_reaches_the_receiving_centre_on_the_other_node(
    cluster: Cluster,
) -> None:
    node1, node2 = cluster.ports

    async def scenario() -> None:
        incident = await _report(node2, cluster.api_key)
        async with (
            Board(node1, cluster.sessions["41280"]) as giving,
            Board(node2, cluster.sessions["41290"]) as receiving,
        ):
            # The hand-over is written by a third process (as an operator's
            # request on any node would be); both boards hear it over the bus.
            await asyncio.to_thread(
                _run, ["shell", "-c", HAND_OVER.format(incident=incident)], cluster.env
            )
            await giving.wait_for("incident_removed", incident)
            received = await receiving.wait_for("incident", incident)
            assert await _stream_subject(cluster, received) is not None

    run_coroutine(scenario())
