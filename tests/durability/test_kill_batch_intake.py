"""SIGKILL the server while senders deliver in batches through the group
writer: nothing acknowledged is lost or doubled (ADR 0023).

Senders post batches (message *k* of three incidents each, 10→40→40→50→91)
while the server is killed twice and restarted; a batch without an answer is
sent again whole, with the same keys. Afterwards every acknowledged event
exists exactly once, each incident's timeline is in the order its messages
were sent, and the audit chain, one row per group, verifies.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid

import pytest

from tests.durability.batch_stream import BatchStream, check_batch_exactly_once
from tests.durability.conftest import Deployment
from tests.durability.harness import AppServer, audit_chain_intact, scenario, wait_for

INCIDENTS = 30
KILL_AT = (0.25, 0.6)


def kill_during_batches(deployment: Deployment) -> None:
    env = deployment.env()
    server = AppServer(env, deployment.data_dir / "server.log")
    occurred = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
    plan = scenario(f"KB{uuid.uuid4().hex[:6]}", INCIDENTS, occurred)
    server.start()
    in_flight = []
    try:
        stream = BatchStream(server.port, deployment.api_key, plan, workers=4).start()
        for fraction in KILL_AT:
            wait_for(lambda f=fraction: stream.acked() >= f * stream.total, 90, "acks")
            in_flight.append(len(stream.snapshot_in_flight()))
            server.kill()
            time.sleep(0.3)
            server.start()
        stream.join()
        assert not stream.unexpected, stream.unexpected[:5]
        assert stream.outcomes["503"] == 0, server.unavailable_reasons()
    finally:
        server.stop()
    figures = check_batch_exactly_once(deployment.database_url, stream)
    replayed = sum(1 for ack in stream.acks.values() if ack.replayed)
    chain = audit_chain_intact(env)
    assert "Traceback" not in server.log_text(), server.log_tail()
    print(
        f"\n{stream.total} events in {INCIDENTS} incidents by batch, {len(KILL_AT)} SIGKILLs "
        f"({in_flight} events in flight); {replayed} committed before a kill and answered "
        f"as replays; responses {dict(stream.outcomes)}; {figures}; {chain}"
    )


def test_sigkill_during_batches_loses_and_doubles_nothing_on_sqlite(
    sqlite_deployment: Deployment,
) -> None:
    kill_during_batches(sqlite_deployment)


@pytest.mark.slow
def test_sigkill_during_batches_loses_and_doubles_nothing_on_postgresql(
    postgres_deployment: Deployment,
) -> None:
    kill_during_batches(postgres_deployment)
