"""Benchmark: batched intake through the group writer, next to a raw batched INSERT.

    .venv/bin/python benchmarks/bench_intake_batch.py [--db sqlite|postgres|both]
        [--seconds 60] [--batch 100] [--connections 8] [--open-seconds 30]
        [--pg postgres://postgres@127.0.0.1:5432/postgres]

For each database, in one run, on a fresh migrated database, against the real
application (uvicorn, one worker):

1. **Sustained capacity** — ``--connections`` senders post batches of
   ``--batch`` new incidents (``/api/operations/incidents/batch``, JSON
   array, one ``idempotency_key`` each) back to back for ``--seconds``. Every
   event counts only once its 201 arrived, which the server sends after the
   group holding it committed (incident, timeline, outbox, idempotency record
   and the group's chained audit row).
2. **Raw batched INSERT** — as many incident rows written straight into the
   same table, 100 per transaction (``executemany``): the floor the database
   sets (``bench_incident_intake.raw_batched_insert``). Target (issue 17):
   capacity ≥ 15 % of it on PostgreSQL.
3. **Latency at a third of capacity** — events fall due at a third of the
   measured capacity for ``--open-seconds`` (open loop); each sender
   connection, once free, posts every event due and not yet taken as one batch
   (polling every 10 ms), as a gateway draining its queue would. *Time to
   acknowledgement* runs from an event being due to its batch's answer, so
   the wait for a free connection and any queueing count. Target: p99 ≤ 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import HEADER, HttpConnection, disposable_database, percentiles, row, uvicorn_server
from bench_incident_intake import body, raw_batched_insert, setup_tenant

URL = "/api/operations/incidents/batch"


def batch_body(numbers: range | list[int], rng: random.Random) -> bytes:
    items = [json.loads(body(n, rng)) | {"idempotency_key": uuid.uuid4().hex} for n in numbers]
    return json.dumps(items).encode()


async def post(conn: HttpConnection, key: str, payload: bytes) -> tuple[int, int]:
    """Answer status and how many events were stored (201/200)."""
    status, data = await conn.request(
        "POST", URL, payload, {"Content-Type": "application/json", "X-Api-Key": key}
    )
    if status != 200:
        return status, 0
    return status, int(json.loads(data)["stored"])


async def capacity(port: int, key: str, seconds: float, batch: int, connections: int) -> float:
    rng = random.Random(1)
    conns = [await HttpConnection(port).open() for _ in range(connections)]
    counter = iter(range(10**9))
    stored = 0
    errors = 0
    stop = time.perf_counter() + seconds

    async def worker(conn: HttpConnection) -> None:
        nonlocal stored, errors
        while time.perf_counter() < stop:
            start = next(counter) * batch
            payload = batch_body(range(start, start + batch), rng)
            _, count = await post(conn, key, payload)
            stored += count
            errors += batch - count

    began = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in conns))
    elapsed = time.perf_counter() - began
    for c in conns:
        c.close()
    if errors:
        print(f"  capacity run: {errors} events not stored")
    return stored / elapsed


async def open_loop(
    port: int, key: str, rate: float, seconds: float, connections: int
) -> tuple[list[float], int, int]:
    """Events fall due at ``rate``; each sender connection, when free, posts
    every event that is due and not yet taken as one batch (or waits up to
    10 ms for one), as a gateway draining its queue would."""
    rng = random.Random(2)
    loop = asyncio.get_running_loop()
    conns = [await HttpConnection(port).open() for _ in range(connections)]
    latencies: list[float] = []
    total = int(rate * seconds)
    errors = 0
    taken = 0
    start = loop.time() + 0.1

    async def sender(conn: HttpConnection) -> None:
        nonlocal taken, errors
        while taken < total:
            due_until = min(total, int((loop.time() - start) * rate) + 1)
            if due_until <= taken:
                await asyncio.sleep(0.01)
                continue
            first, taken = taken, due_until
            numbers = list(range(10**8 + first, 10**8 + due_until))
            _, count = await post(conn, key, batch_body(numbers, rng))
            now = loop.time()
            latencies.extend((now - (start + i / rate)) * 1000 for i in range(first, due_until))
            errors += len(numbers) - count

    await asyncio.sleep(max(0.0, start - loop.time()))
    await asyncio.gather(*(sender(c) for c in conns))
    for c in conns:
        c.close()
    return latencies, total, errors


def run(kind: str, args: argparse.Namespace) -> None:
    with disposable_database(kind, args.pg) as db:
        key = setup_tenant(db)
        env = dict(db.env, DB_CONN_MAX_AGE="0")
        with uvicorn_server("config.asgi:application", env) as server:
            asyncio.run(capacity(server.port, key, 3, args.batch, args.connections))  # warm-up
            rate = asyncio.run(
                capacity(server.port, key, args.seconds, args.batch, args.connections)
            )
            latencies, offered, errors = asyncio.run(
                open_loop(server.port, key, rate / 3, args.open_seconds, args.connections)
            )
        report(
            db, db.label, "batches", "batch intake", "ack", rate, latencies, offered, errors, args
        )


def report(
    db: Any, title: str, unit: str, path: str, answer: str, rate: float,
    latencies: list[float], offered: int, errors: int, args: argparse.Namespace,
) -> None:  # fmt: skip
    """The capacity and the latency at a third of it, next to the raw batched
    INSERT of as many incident rows in the same database (this and the broker
    benchmark)."""
    rows = max(20_000, int(rate * 10))
    raw_latencies, raw_rate = raw_batched_insert(db, rows)
    senders = getattr(args, "connections", None) or args.senders
    print(f"\n== {title}")
    print(
        f"capacity, {unit} of {args.batch} for {args.seconds:g} s ({senders} senders):"
        f" {rate:,.0f} events/s acknowledged after commit; raw batched INSERT {raw_rate:,.0f}"
        f" rows/s; ratio {rate / raw_rate:.1%} (target ≥ 15 %)"
    )
    print(HEADER)
    print(row(
        f"{path} at {rate / 3:,.0f}/s ({answer})", percentiles(latencies),
        f"{offered} events, {errors} not stored; target p99 ≤ 100 ms",
    ))  # fmt: skip
    print(row("raw batched INSERT, 100 rows/commit", percentiles(raw_latencies), f"{rows} rows"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--open-seconds", type=float, default=30.0)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    for kind in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        run(kind, args)


if __name__ == "__main__":
    main()
