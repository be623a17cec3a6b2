"""Restart NATS under load: intake goes on, and every event reaches JetStream
exactly once, in order per incident.

The test runs its own nats-server (JetStream, file store in a temporary
directory) and the application with ``SMARTCITY_REALTIME_NATS_URL`` set, so
its relay thread moves committed outbox rows into the stream
(``smartcity.realtime.relay``). Mid-stream nats-server is stopped gracefully
and started again, later killed with SIGKILL and started again after a few
seconds. Intake does not depend on NATS: reports keep being acknowledged while
it is away. Afterwards every acknowledged report exists exactly once in the
database, every outbox row is in the stream exactly once (``Nats-Msg-Id``
deduplication of the relay's re-sends), and each incident's events are in the
stream in the order its messages were sent.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from smartcity.realtime import testing as realtime_testing
from tests.durability.conftest import Deployment
from tests.durability.harness import (
    AppServer,
    DbReader,
    Stream,
    audit_chain_intact,
    check_exactly_once,
    free_port,
    resend_some_acknowledged,
    scenario,
    unavailable,
    wait_for,
)

NATS_SERVER = realtime_testing.NATS_SERVER
INCIDENTS = 16
STREAM = "DURABILITY"


class NatsServer:
    """A nats-server with JetStream on a free loopback port; its store survives restarts."""

    def __init__(self, store: Path, log: Path) -> None:
        self.port = free_port()
        self.store, self.log = store, log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                realtime_testing.nats_server_argv(NATS_SERVER, self.port, str(self.store)),
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip

        def ready() -> bool:
            import socket

            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2):
                    return True
            except OSError:
                assert self.process is not None and self.process.poll() is None, (
                    self.log.read_text()
                )
                return False

        wait_for(ready, 20, "nats-server to listen")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


async def _read_stream(url: str) -> list[tuple[int, str, dict[str, Any]]]:
    """(stream sequence, Nats-Msg-Id, decoded body) of every message in the stream."""
    import nats

    nc = await nats.connect(url, connect_timeout=5)
    try:
        js = nc.jetstream()
        info = await js.stream_info(STREAM)
        messages = []
        for seq in range(info.state.first_seq, info.state.last_seq + 1):
            msg = await js.get_msg(STREAM, seq)
            headers = msg.headers or {}
            messages.append((seq, str(headers.get("Nats-Msg-Id", "")), json.loads(msg.data)))
        return messages
    finally:
        await nc.close()


def _missing_piece() -> str | None:
    for module in ("smartcity.realtime.relay", "smartcity.realtime.bus"):
        if importlib.util.find_spec(module) is None:
            return f"{module} (the NATS JetStream transport) does not exist yet"
    return None


@pytest.mark.slow
def test_nats_restart_and_crash_lose_and_double_nothing(sqlite_deployment: Deployment) -> None:
    missing = _missing_piece()
    if missing:
        pytest.skip(missing)
    if not Path(NATS_SERVER).exists():
        unavailable(f"nats-server not found at {NATS_SERVER} (SMARTCITY_NATS_SERVER)")
    if importlib.util.find_spec("nats") is None:
        unavailable("nats-py is not installed (import nats)")

    tmp = Path(tempfile.mkdtemp(prefix="smartcity-durability-nats-"))
    nats_server = NatsServer(tmp / "jetstream", tmp / "nats.log")
    nats_server.start()
    env = sqlite_deployment.env(
        SMARTCITY_REALTIME_NATS_URL=nats_server.url,
        SMARTCITY_REALTIME_NATS_STREAM=STREAM,
        SMARTCITY_REALTIME_NODE_NAME="durability-node",
    )
    server = AppServer(env, sqlite_deployment.data_dir / "server.log")
    try:
        server.start()
        occurred = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
        plan = scenario(f"N{uuid.uuid4().hex[:6]}", INCIDENTS, occurred)
        stream = Stream(server.port, sqlite_deployment.api_key, plan, workers=4, pause_s=0.02)
        stream.start()

        wait_for(lambda: stream.acked() >= 0.25 * stream.total, 90, "acks before the restart")
        nats_server.stop(signal.SIGTERM)
        nats_server.start()

        wait_for(lambda: stream.acked() >= 0.5 * stream.total, 90, "acks before the crash")
        nats_server.stop(signal.SIGKILL)
        outage_began = stream.acked()
        time.sleep(3.0)
        acked_during_outage = stream.acked() - outage_began
        nats_server.start()

        stream.join()
        assert not stream.unexpected, stream.unexpected[:5]
        assert stream.outcomes["503"] == 0, server.unavailable_reasons()
        assert acked_during_outage > 0, "intake stopped while NATS was down"
        resent = resend_some_acknowledged(server.port, sqlite_deployment.api_key, stream)

        def unrelayed() -> int:
            with DbReader(sqlite_deployment.database_url) as db:
                return int(
                    db.rows("SELECT COUNT(*) FROM realtime_outboxevent WHERE relayed_at IS NULL")[
                        0
                    ][0]
                )

        wait_for(lambda: unrelayed() == 0, 60, "the relay to catch up", interval=0.5)
        in_stream = realtime_testing.run_coroutine(_read_stream(nats_server.url))
    finally:
        server.stop()
        nats_server.stop()

    figures = check_exactly_once(sqlite_deployment.database_url, stream)
    with DbReader(sqlite_deployment.database_url) as db:
        outbox = {
            int(r[0]): r for r in db.rows("SELECT id, channel, kind FROM realtime_outboxevent")
        }
    ids = [msg_id for _, msg_id, _ in in_stream]
    assert len(ids) == len(set(ids)), "an outbox row is in the stream twice"
    assert set(ids) == {f"outbox-{i}" for i in outbox}, "outbox rows missing from the stream"

    by_incident: dict[int, list[tuple[int, str]]] = {}
    for _, _, body in in_stream:
        if body["kind"] == "incident":
            by_incident.setdefault(int(body["payload"]["id"]), []).append(
                (int(body["id"]), str(body["payload"]["status"]))
            )
    incident_ids = {stream.acks[messages[0].key].incident_id for messages in plan}
    for incident_id in incident_ids:
        events = by_incident.get(incident_id, [])
        assert [status for _, status in events] == ["10", "40", "40", "50", "91"], events
        assert [i for i, _ in events] == sorted(i for i, _ in events), events
    chain = audit_chain_intact(env)
    assert "Traceback" not in server.log_text(), server.log_tail()
    shutil.rmtree(tmp, ignore_errors=True)
    print(
        f"\n{stream.total} messages; nats-server stopped and killed mid-stream; "
        f"{acked_during_outage} acknowledged during the 3 s outage; responses "
        f"{dict(stream.outcomes)}; {resent} re-sent and replayed; {figures}; "
        f"{len(in_stream)} messages in the JetStream stream, one per outbox row; {chain}"
    )
