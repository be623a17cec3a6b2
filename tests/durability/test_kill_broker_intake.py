"""SIGKILL ``smartcity intake-broker`` while senders deliver through NATS
JetStream: nothing acknowledged is lost or doubled (docs/adr/0024).

Senders publish batches (message *k* of three incidents each, 10→40→40→50→91)
on ``smartcity.intake.in.<sender>`` of a nats-server the test starts
(JetStream, ``sync_interval: always``), and wait for each batch's result
before the next. The consumer process is killed twice mid-stream and started
again; JetStream delivers what it had not acknowledged again after the
acknowledgement wait (2 s here). Afterwards every acknowledged event exists
exactly once, each incident's timeline is in sending order, a second result
for a message (committed, killed before its acknowledgement) names the same
incidents as replays, and the audit chain verifies.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid

import pytest

from smartcity.realtime.testing import nats_server
from tests.durability.batch_stream import check_batch_exactly_once
from tests.durability.broker_stream import BrokerProcess, BrokerStream
from tests.durability.conftest import Deployment
from tests.durability.harness import DbReader, audit_chain_intact, scenario, wait_for

INCIDENTS = 30
KILL_AT = (0.25, 0.6)


def kill_between_commit_and_answer(
    deployment: Deployment, stream: BrokerStream, broker: BrokerProcess, within_s: float = 5.0
) -> int:
    """SIGKILL the consumer, at a moment when the database holds events whose
    result has not reached their sender (committed, maybe not acknowledged)
    if one comes within ``within_s``; returns how many there were."""
    deadline = time.monotonic() + within_s
    with DbReader(deployment.database_url) as db:
        while True:
            answered = stream.acked()
            ((committed,),) = db.rows("SELECT count(*) FROM operations_idempotencyrecord")
            if committed > answered or time.monotonic() > deadline:
                broker.kill()
                return max(0, committed - answered)
            time.sleep(0.001)


def kill_during_broker_intake(deployment: Deployment) -> None:
    with nats_server() as nats:
        env = deployment.env(
            SMARTCITY_REALTIME_NATS_URL=nats.url, SMARTCITY_INTAKE_BROKER_ACK_WAIT="2"
        )
        broker = BrokerProcess(env, deployment.data_dir / "broker.log")
        occurred = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
        plan = scenario(f"KN{uuid.uuid4().hex[:6]}", INCIDENTS, occurred)
        broker.start()
        in_flight: list[int] = []
        committed_unanswered: list[int] = []
        try:
            stream = BrokerStream(nats.url, deployment.api_key, plan, workers=4).start()
            for fraction in KILL_AT:
                wait_for(lambda f=fraction: stream.acked() >= f * stream.total, 90, "results")
                in_flight.append(len(stream.snapshot_in_flight()))
                committed_unanswered.append(
                    kill_between_commit_and_answer(deployment, stream, broker)
                )
                time.sleep(0.3)
                broker.start()
            stream.join()
            assert not stream.unexpected, stream.unexpected[:5]
        finally:
            broker.stop()
    figures = check_batch_exactly_once(deployment.database_url, stream)
    late = stream.check_late_answers()
    replayed = sum(1 for ack in stream.acks.values() if ack.replayed)
    redelivered = sum(1 for ack in stream.acks.values() if ack.after_failure)
    chain = audit_chain_intact(env)
    assert "Traceback" not in broker.log_text(), broker.log_text()[-3000:]
    print(
        f"\n{stream.total} events in {INCIDENTS} incidents through JetStream, {len(KILL_AT)} "
        f"SIGKILLs of the consumer ({in_flight} events in flight, "
        f"{committed_unanswered} committed and not yet answered); {replayed} committed before "
        f"a kill and answered as replays; {redelivered} delivered again by JetStream; "
        f"{late} second result(s); results "
        f"{dict(stream.outcomes)}; {figures}; {chain}"
    )


def test_sigkill_of_the_broker_consumer_loses_and_doubles_nothing_on_sqlite(
    sqlite_deployment: Deployment,
) -> None:
    kill_during_broker_intake(sqlite_deployment)


@pytest.mark.slow
def test_sigkill_of_the_broker_consumer_loses_and_doubles_nothing_on_postgresql(
    postgres_deployment: Deployment,
) -> None:
    kill_during_broker_intake(postgres_deployment)
