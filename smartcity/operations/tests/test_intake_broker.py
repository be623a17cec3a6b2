"""The broker path as a sending system sees it: events published on
``<prefix>.intake.in.<sender>`` of a real nats-server (started by the test)
are stored by the group writer, and one result per event comes back on
``<prefix>.intake.results.<sender>`` after the commit (docs/adr/0024)."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from smartcity.core.selectors import verify_audit_chain
from smartcity.operations.domain.broker_subjects import intake_subject, results_subject
from smartcity.operations.intake_broker import API_KEY_HEADER, IntakeConsumer
from smartcity.operations.intake_writer import group_writer
from smartcity.operations.models import IdempotencyRecord, Incident
from smartcity.operations.tests.factories import api_key, report_body
from smartcity.realtime.bus import MSG_ID, BusSettings, ensure_stream
from smartcity.realtime.testing import NatsServer, nats_server, own_bus, run_coroutine

# The group writer commits on its own thread and connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def nats() -> Iterator[NatsServer]:
    with nats_server() as server:
        yield server


@pytest.fixture
def bus(nats: NatsServer, settings: Any) -> BusSettings:
    """This test's own stream and subjects on the module's server."""
    return own_bus(nats, settings, OPERATIONS_INTAKE_BROKER_ACK_WAIT_SECONDS=5)


@pytest.fixture
def consumer(bus: BusSettings) -> Iterator[IntakeConsumer]:
    """``smartcity intake-broker``'s consumer, running on a thread of its own."""
    stop = threading.Event()
    running = IntakeConsumer(bus, stop=stop)
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(running.run())
        except BaseException as exc:
            errors.append(exc)
            running.ready.set()

    thread = threading.Thread(target=target, name="intake-broker", daemon=True)
    thread.start()
    assert running.ready.wait(20), "the consumer did not start"
    assert not errors, errors
    try:
        yield running
    finally:
        stop.set()
        thread.join(20)
        group_writer().stop()  # close its connection before the test database goes
    assert not errors, errors


@pytest.fixture
def key(tenant_a) -> str:  # type: ignore[no-untyped-def]
    return api_key(tenant_a, "112")


def event(n: int, **overrides: Any) -> dict[str, Any]:
    return report_body(**({"external_id": f"M-{n}", "idempotency_key": f"m-{n}"} | overrides))


def exchange(
    cfg: BusSettings, messages: list[tuple[Any, dict[str, str]]], sender: str = "112-test"
) -> list[dict[str, Any]]:
    """Publish ``messages`` (body, headers) as ``sender`` and return one result
    per message, in the order they were sent."""

    async def run() -> list[dict[str, Any]]:
        import nats

        nc = await nats.connect(cfg.url)
        try:
            inbox = await nc.subscribe(results_subject(cfg.prefix, sender))
            js = nc.jetstream()
            sequences = []
            for body, headers in messages:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                ack = await js.publish(intake_subject(cfg.prefix, sender), data, headers=headers)
                sequences.append(ack.seq)
            results: dict[int, dict[str, Any]] = {}
            while len(results) < len(messages):
                msg = await inbox.next_msg(timeout=20)
                answer = json.loads(msg.data)
                results.setdefault(answer["message"]["sequence"], answer)
            return [results[seq] for seq in sequences]
        finally:
            await nc.close()

    return run_coroutine(run())


def pending_acks(cfg: BusSettings, durable: str) -> tuple[int, int]:
    """The consumer's messages delivered but not acknowledged, and not delivered."""

    async def run() -> tuple[int, int]:
        import nats

        nc = await nats.connect(cfg.url)
        try:
            info = await nc.jetstream().consumer_info(cfg.stream, durable)
            return info.num_ack_pending, info.num_pending
        finally:
            await nc.close()

    return run_coroutine(run())


def test_events_published_are_stored_and_answered_one_result_each(
    bus: BusSettings, consumer: IntakeConsumer, key: str
) -> None:
    headers = {API_KEY_HEADER: key, MSG_ID: "batch-1"}
    batch = [event(n) for n in range(3)]
    ndjson = "\n".join(json.dumps(e) for e in (event(3), event(4))).encode()
    one, two, three = exchange(bus, [
        (event(9), {API_KEY_HEADER: key}),  # one report: a JSON object
        (batch, headers),
        (ndjson, {API_KEY_HEADER: key, "Content-Type": "application/x-ndjson"}),
    ])  # fmt: skip
    assert one["status"] == 200 and [r["status"] for r in one["results"]] == [201]
    assert two["message"]["msg_id"] == "batch-1"
    assert [r["status"] for r in two["results"]] == [201, 201, 201]
    assert [r["idempotency_key"] for r in two["results"]] == ["m-0", "m-1", "m-2"]
    assert (three["stored"], three["refused"]) == (2, 0)
    # Answered means committed and acknowledged: in the database for this
    # connection, and nothing left for JetStream to deliver.
    ids = {r["incident"]["id"] for a in (one, two, three) for r in a["results"]}
    assert set(Incident.objects.values_list("id", flat=True)) == ids and len(ids) == 6
    assert IdempotencyRecord.objects.count() == 6
    assert pending_acks(bus, consumer.durable) == (0, 0)
    assert verify_audit_chain() is None


def test_a_message_without_a_valid_key_is_refused_logged_and_not_written(
    bus: BusSettings, consumer: IntakeConsumer, key: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="smartcity.operations.intake")
    wrong, missing = exchange(bus, [
        ([event(1)], {API_KEY_HEADER: key + "x", "Accept-Language": "en"}),
        ([event(2)], {}),
    ])  # fmt: skip
    assert (wrong["status"], missing["status"]) == (401, 401)
    assert wrong["detail"] == "The API key (Smartcity-Api-Key header) is not valid."
    assert missing["detail"] == "API 키(Smartcity-Api-Key 헤더)가 없습니다."
    assert "results" not in wrong
    assert not Incident.objects.exists() and not IdempotencyRecord.objects.exists()
    refusals = sorted(r.getMessage() for r in caplog.records if "refused" in r.getMessage())
    assert len(refusals) == 2, refusals
    assert "(401, invalid API key)" in refusals[0] and "(401, no API key)" in refusals[1]
    assert pending_acks(bus, consumer.durable) == (0, 0)  # terminated, not delivered again


def test_an_invalid_event_gets_a_422_naming_its_field_and_the_others_are_stored(
    bus: BusSettings, consumer: IntakeConsumer, key: str
) -> None:
    (answer,) = exchange(
        bus, [([event(1), event(2, latitude="999"), {"x": 1}], {API_KEY_HEADER: key})]
    )
    assert [r["status"] for r in answer["results"]] == [201, 422, 422]
    assert answer["results"][1]["errors"][0]["loc"] == ["body", 1, "latitude"]
    assert (answer["stored"], answer["refused"]) == (1, 2)
    assert Incident.objects.count() == 1


def test_an_unreadable_message_is_refused_with_a_400_naming_the_place(
    bus: BusSettings, consumer: IntakeConsumer, key: str
) -> None:
    broken, empty = exchange(
        bus, [(b'[{"event_type": ', {API_KEY_HEADER: key}), (b"[]", {API_KEY_HEADER: key})]
    )
    assert broken["status"] == 400 and "1행" in broken["detail"], broken
    assert empty["status"] == 400, empty
    assert not Incident.objects.exists()


def test_the_same_key_is_the_same_incident_on_the_rest_batch_and_broker_paths(
    bus: BusSettings, consumer: IntakeConsumer, key: str, client: Client
) -> None:
    single = client.post(
        "/api/operations/incidents", data=json.dumps(report_body(external_id="X-1")),
        content_type="application/json", headers={"X-Api-Key": key, "Idempotency-Key": "x-1"},
    )  # fmt: skip
    assert single.status_code == 201
    first, again = exchange(bus, [
        ([event(1, external_id="X-1", idempotency_key="x-1"),  # the REST report again
          event(2, external_id="X-2", idempotency_key="x-2"),  # new on the broker
          event(3, external_id="X-1", idempotency_key="x-1", detail="다른 내용")],
         {API_KEY_HEADER: key}),
        ([event(2, external_id="X-2", idempotency_key="x-2")], {API_KEY_HEADER: key}),
    ])  # fmt: skip
    assert [r["status"] for r in first["results"]] == [200, 201, 409]
    assert first["results"][0]["incident"]["id"] == single.json()["id"]
    assert first["results"][0]["incident"]["replayed"]
    assert first["results"][2]["code"] == "idempotency_key_reused"
    assert again["results"][0]["incident"]["id"] == first["results"][1]["incident"]["id"]
    batch = client.post(
        "/api/operations/incidents/batch",
        data=json.dumps([event(2, external_id="X-2", idempotency_key="x-2")]),
        content_type="application/json", headers={"X-Api-Key": key},
    )  # fmt: skip
    assert batch.json()["results"][0]["status"] == 200
    assert batch.json()["results"][0]["incident"]["id"] == first["results"][1]["incident"]["id"]
    assert Incident.objects.count() == 2 and IdempotencyRecord.objects.count() == 2


def test_a_restarted_consumer_takes_the_settings_of_the_moment(
    bus: BusSettings, settings: Any
) -> None:
    settings.OPERATIONS_INTAKE_BROKER_ACK_WAIT_SECONDS = 30
    earlier = IntakeConsumer(bus).consumer_config()

    async def create_earlier() -> None:
        import nats

        nc = await nats.connect(bus.url)
        try:
            js = nc.jetstream()
            await ensure_stream(js, bus)
            await js.add_consumer(bus.stream, earlier)
        finally:
            await nc.close()

    async def ack_wait() -> float:
        import nats

        nc = await nats.connect(bus.url)
        try:
            info = await nc.jetstream().consumer_info(bus.stream, earlier.durable_name)
            return float(info.config.ack_wait)
        finally:
            await nc.close()

    run_coroutine(create_earlier())
    assert run_coroutine(ack_wait()) == 30
    settings.OPERATIONS_INTAKE_BROKER_ACK_WAIT_SECONDS = 4
    stop = threading.Event()
    run_coroutine(IntakeConsumer(bus, stop=stop, on_ready=stop.set).run())  # starts, stops
    assert run_coroutine(ack_wait()) == 4
