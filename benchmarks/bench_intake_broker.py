"""Benchmark: intake through NATS JetStream (the broker path), next to a raw batched INSERT.

    .venv/bin/python benchmarks/bench_intake_broker.py [--db postgres|sqlite|both]
        [--seconds 60] [--open-seconds 30] [--batch 100] [--senders 8]
        [--pg postgres://postgres@127.0.0.1:5432/postgres]

For each database, in one run, on a fresh migrated database, with a
nats-server of its own (JetStream, file store, ``sync_interval: always`` as
production runs it, docs/adr/0010) and ``smartcity intake-broker`` as its own
process (docs/adr/0024):

1. **Sustained capacity** — ``--senders`` sending systems publish messages of
   ``--batch`` new incidents on ``smartcity.intake.in.<sender>`` (JetStream
   publish, waiting for the stream's acknowledgement), each waiting for the
   result of its message on ``smartcity.intake.results.<sender>`` before the
   next, for ``--seconds``. Every event counts once its 201 arrived, which the
   consumer publishes after the group holding it committed, before it
   acknowledges the message to JetStream.
2. **Raw batched INSERT** — as many incident rows written straight into the
   same table, 100 per transaction (``bench_incident_intake.raw_batched_insert``).
   Target (issue 17): capacity ≥ 15 % of it on PostgreSQL.
3. **Latency at a third of capacity** — events fall due at a third of the
   measured capacity for ``--open-seconds`` (open loop); each sender, once its
   last message is answered, publishes every event due and not yet taken as
   one message (polling every 10 ms). *Time to acknowledgement* runs from an
   event being due to its result's arrival. Target: p99 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _harness import ROOT, SMARTCITY, disposable_database
from bench_incident_intake import setup_tenant
from bench_intake_batch import batch_body, report

from smartcity.realtime.testing import NatsServer, nats_server_binary

PREFIX = "smartcity"


@contextlib.contextmanager
def broker_process(env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """``smartcity intake-broker``, yielded once its consumer is ready."""
    with tempfile.NamedTemporaryFile(prefix="bench-broker-", suffix=".log") as log:
        process = subprocess.Popen(
            [SMARTCITY, "intake-broker"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 60
            while b"taking reports" not in Path(log.name).read_bytes():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"intake-broker did not start:\n{Path(log.name).read_text()}"
                    )
                time.sleep(0.05)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
            errors = [ln for ln in Path(log.name).read_text().splitlines() if "refused (" in ln]
            if errors:
                print(f"  broker log: {len(errors)} refusal(s), e.g. {errors[0]}")


class Senders:
    """``count`` sending systems on one NATS connection, each with its own
    results subject; ``send`` publishes a message and returns its result."""

    def __init__(self, url: str, key: str, count: int) -> None:
        self.url, self.key, self.count = url, key, count
        self._waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}

    async def open(self) -> Senders:
        import nats

        self.nc = await nats.connect(self.url)
        self.js = self.nc.jetstream(timeout=30)

        async def on_result(msg: Any) -> None:
            answer = json.loads(msg.data)
            future = self._waiting.pop(answer["message"]["msg_id"], None)
            if future is not None and not future.done():
                future.set_result(answer)

        await self.nc.subscribe(f"{PREFIX}.intake.results.>", cb=on_result)
        return self

    async def send(self, sender: int, payload: bytes) -> int:
        """Publish and wait for the result; how many events were stored."""
        msg_id = uuid.uuid4().hex
        future = self._waiting[msg_id] = asyncio.get_running_loop().create_future()
        headers = {"Smartcity-Api-Key": self.key, "Nats-Msg-Id": msg_id}
        await self.js.publish(f"{PREFIX}.intake.in.bench-{sender}", payload, headers=headers)
        answer = await asyncio.wait_for(future, 60)
        return int(answer.get("stored", 0))

    async def close(self) -> None:
        await self.nc.close()


async def capacity(url: str, key: str, seconds: float, batch: int, count: int) -> float:
    rng = random.Random(1)
    senders = await Senders(url, key, count).open()
    counter = iter(range(10**9))
    stored = errors = 0
    stop = time.perf_counter() + seconds

    async def worker(n: int) -> None:
        nonlocal stored, errors
        while time.perf_counter() < stop:
            start = next(counter) * batch
            got = await senders.send(n, batch_body(range(start, start + batch), rng))
            stored += got
            errors += batch - got

    began = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(count)))
    elapsed = time.perf_counter() - began
    await senders.close()
    if errors:
        print(f"  capacity run: {errors} events not stored")
    return stored / elapsed


async def open_loop(
    url: str, key: str, rate: float, seconds: float, count: int
) -> tuple[list[float], int, int]:
    rng = random.Random(2)
    loop = asyncio.get_running_loop()
    senders = await Senders(url, key, count).open()
    latencies: list[float] = []
    total = int(rate * seconds)
    errors = taken = 0
    start = loop.time() + 0.1

    async def sender(n: int) -> None:
        nonlocal taken, errors
        while taken < total:
            due_until = min(total, int((loop.time() - start) * rate) + 1)
            if due_until <= taken:
                await asyncio.sleep(0.01)
                continue
            first, taken = taken, due_until
            numbers = list(range(10**8 + first, 10**8 + due_until))
            got = await senders.send(n, batch_body(numbers, rng))
            now = loop.time()
            latencies.extend((now - (start + i / rate)) * 1000 for i in range(first, due_until))
            errors += len(numbers) - got

    await asyncio.sleep(max(0.0, start - loop.time()))
    await asyncio.gather(*(sender(n) for n in range(count)))
    await senders.close()
    return latencies, total, errors


def run(kind: str, args: argparse.Namespace) -> None:
    with (
        tempfile.TemporaryDirectory(prefix="smartcity-bench-nats-") as store,
        disposable_database(kind, args.pg) as db,
    ):
        nats = NatsServer(nats_server_binary(), store)
        nats.start()
        try:
            key = setup_tenant(db)
            env = dict(db.env, SMARTCITY_REALTIME_NATS_URL=nats.url)
            env.pop("SMARTCITY_TEST_SQLITE", None)
            with broker_process(env):
                asyncio.run(capacity(nats.url, key, 3, args.batch, args.senders))  # warm-up
                rate = asyncio.run(capacity(nats.url, key, args.seconds, args.batch, args.senders))
                latencies, offered, errors = asyncio.run(
                    open_loop(nats.url, key, rate / 3, args.open_seconds, args.senders)
                )
        finally:
            nats.stop()
        report(
            db, f"{db.label}, NATS JetStream (sync_interval: always)", "messages",
            "broker intake", "result", rate, latencies, offered, errors, args,
        )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="postgres")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--open-seconds", type=float, default=30.0)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    for kind in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        run(kind, args)


if __name__ == "__main__":
    main()
