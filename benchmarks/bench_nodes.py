"""Benchmark: incident intake on one and on two application nodes sharing
PostgreSQL and NATS JetStream, next to raw NATS publish throughput.

    .venv/bin/python benchmarks/bench_nodes.py [--rate 50] [--seconds 15]
        [--connections 16] [--capacity 1000] [--raw 5000]
        [--pg postgres://postgres@127.0.0.1:5432/postgres]

In one run, on a fresh migrated PostgreSQL database and a nats-server this
script starts (``-js``, file storage in a temporary directory):

1. **One node, then two** — uvicorn processes (one worker each) configured
   with the bus (``SMARTCITY_REALTIME_NATS_URL``): each runs the relay thread
   (one is active, by advisory lock) and would serve boards from the stream.
   - *Sustained intake*: an open-loop ``--rate`` reports/s for ``--seconds``,
     the connections spread over the nodes. *Time to acknowledgement* runs
     from when a report was due (no coordinated omission) to the end of the
     201, sent after the commit. *On the bus*: from when it was due to when
     the board event of that incident arrived on a plain NATS subscription
     in this process (intake, commit, relay, JetStream acknowledgement).
   - *Capacity*: the same requests closed-loop, as fast as the nodes answer.
2. **Raw NATS**, same server, same run, messages the size of a board event:
   core NATS publish (fire and forget, then one flush); JetStream publish
   waiting for each acknowledgement (what the relay does per message when
   alone); JetStream publish pipelined (``publish_async``, acknowledgements
   awaited in windows of 256: what the relay's batches approach).

The server is the one ``smartcity.realtime.testing`` picks: the dev lock's
nats-server 2.10+ with ``sync_interval: always`` (every acknowledged message
fsynced first), or the system's 2.9 without it, which acknowledges after
writing to the OS. The run prints which. Clients and servers share this
machine's CPUs; compare the rows of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _harness import (
    HEADER,
    Database,
    HttpConnection,
    disposable_database,
    percentiles,
    row,
    uvicorn_server,
)
from bench_incident_intake import URL, body, setup_tenant

from smartcity.realtime.testing import nats_server, server_version, syncs_every_write

PREFIX = "benchnodes"


async def send(conn: HttpConnection, key: str, payload: bytes) -> tuple[int, int | None]:
    status, answer = await conn.request(
        "POST", URL, payload,
        {"Content-Type": "application/json", "X-Api-Key": key,
         "Idempotency-Key": uuid.uuid4().hex},
    )  # fmt: skip
    incident = json.loads(answer).get("id") if status == 201 else None
    return status, incident


async def open_connections(ports: list[int], count: int) -> list[HttpConnection]:
    return [await HttpConnection(ports[i % len(ports)]).open() for i in range(count)]


async def sustained(
    ports: list[int], key: str, nats_url: str, rate: float, seconds: float, connections: int,
    *, watch_bus: bool,
) -> dict[str, object]:  # fmt: skip
    import nats

    loop = asyncio.get_running_loop()
    arrivals: dict[int, float] = {}

    async def on_event(msg) -> None:  # type: ignore[no-untyped-def]
        event = json.loads(msg.data)
        if event.get("kind") == "incident":
            arrivals.setdefault(int(event["payload"]["id"]), loop.time())

    nc = await nats.connect(nats_url)
    await nc.subscribe(f"{PREFIX}.events.>", cb=on_event)
    rng = random.Random(1)
    conns = await open_connections(ports, connections)
    total = int(rate * seconds)
    queue: asyncio.Queue[tuple[int, float] | None] = asyncio.Queue()
    latencies: list[float] = []
    due_of: dict[int, float] = {}
    errors = 0

    async def scheduler() -> None:
        start = loop.time() + 0.1
        for i in range(total):
            await asyncio.sleep(max(0.0, start + i / rate - loop.time()))
            queue.put_nowait((i, start + i / rate))
        for _ in conns:
            queue.put_nowait(None)

    async def worker(conn: HttpConnection) -> None:
        nonlocal errors
        while (item := await queue.get()) is not None:
            i, due = item
            status, incident = await send(conn, key, body(i, rng))
            latencies.append((loop.time() - due) * 1000)
            errors += status != 201
            if incident is not None:
                due_of[incident] = due

    began = loop.time()
    await asyncio.gather(scheduler(), *(worker(c) for c in conns))
    elapsed = loop.time() - began
    deadline = loop.time() + (15 if watch_bus else 0)
    while any(i not in arrivals for i in due_of) and loop.time() < deadline:
        await asyncio.sleep(0.05)
    await nc.close()
    for c in conns:
        c.close()
    on_bus = [(arrivals[i] - due) * 1000 for i, due in due_of.items() if i in arrivals]
    return {
        "ack": latencies,
        "bus": on_bus,
        "errors": errors,
        "missing": sum(1 for i in due_of if i not in arrivals),
        "offered": total / elapsed,
    }


async def capacity(ports: list[int], key: str, count: int, connections: int) -> tuple[float, int]:
    rng = random.Random(2)
    conns = await open_connections(ports, connections)
    remaining = iter(range(count))
    errors = 0

    async def worker(conn: HttpConnection) -> None:
        nonlocal errors
        for i in remaining:
            errors += (await send(conn, key, body(1_000_000 + i, rng)))[0] != 201

    began = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in conns))
    elapsed = time.perf_counter() - began
    for c in conns:
        c.close()
    return count / elapsed, errors


async def raw_nats(url: str, count: int) -> dict[str, object]:
    """Core and JetStream publish throughput with a board-event-sized message."""
    import nats
    from nats.js import api

    payload = json.dumps({
        "id": 123456, "channel": "operations.tenant.1", "kind": "incident",
        "payload": {"id": 1, "type": "112UC001", "type_ko": "112 긴급영상 지원",
                    "address": "경기도 고양시 일산동구 중앙로 1286", "lat": 37.65, "lon": 126.77,
                    "status": "10", "occurred_at": "2026-03-01T12:15:00+00:00"},
    }, ensure_ascii=False).encode()  # fmt: skip
    nc = await nats.connect(url)
    js = nc.jetstream(timeout=10)
    await js.add_stream(
        api.StreamConfig(name="BENCHRAW", subjects=["benchraw.>"], storage=api.StorageType.FILE,
                         duplicate_window=120)
    )  # fmt: skip
    results: dict[str, object] = {"size": len(payload)}

    began = time.perf_counter()
    for _ in range(count):
        await nc.publish("benchcore.x", payload)
    await nc.flush()
    results["core"] = count / (time.perf_counter() - began)

    latencies: list[float] = []
    began = time.perf_counter()
    for i in range(count):
        t0 = time.perf_counter()
        await js.publish("benchraw.sync", payload, headers={"Nats-Msg-Id": f"s{i}"})
        latencies.append((time.perf_counter() - t0) * 1000)
    results["js_sync"] = count / (time.perf_counter() - began)
    results["js_sync_latency"] = latencies

    began = time.perf_counter()
    for start in range(0, count, 256):
        futures = [
            await js.publish_async("benchraw.async", payload, headers={"Nats-Msg-Id": f"a{i}"})
            for i in range(start, min(count, start + 256))
        ]
        await asyncio.gather(*futures)
    results["js_async"] = count / (time.perf_counter() - began)
    await js.delete_stream("BENCHRAW")
    await nc.close()
    return results


def run_nodes(  # type: ignore[no-untyped-def]
    db: Database, key: str, nats_url: str, nodes: int, args: argparse.Namespace, *, bus: bool
):
    """``nodes`` uvicorn processes; ``bus=False``: the default, no broker (one node)."""
    env = dict(db.env, DB_CONN_MAX_AGE="0")
    if bus:
        env.update(
            SMARTCITY_REALTIME_NATS_URL=nats_url,
            SMARTCITY_REALTIME_NATS_SUBJECT_PREFIX=PREFIX,
            SMARTCITY_REALTIME_NATS_STREAM="BENCHNODES",
        )
    with contextlib.ExitStack() as stack:
        servers = [
            stack.enter_context(uvicorn_server(
                "config.asgi:application", dict(env, SMARTCITY_REALTIME_NODE_NAME=f"n{n}")))
            for n in range(nodes)
        ]  # fmt: skip
        ports = [s.port for s in servers]
        asyncio.run(capacity(ports, key, 200, args.connections))  # warm-up
        load = asyncio.run(
            sustained(
                ports, key, nats_url, args.rate, args.seconds, args.connections, watch_bus=bus
            )
        )
        throughput, cap_errors = asyncio.run(capacity(ports, key, args.capacity, args.connections))
    return load, throughput, cap_errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=50.0, help="reports per second")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--capacity", type=int, default=1_000, help="closed-loop requests")
    parser.add_argument("--raw", type=int, default=5_000, help="messages per raw NATS test")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    with nats_server() as nats, disposable_database("postgres", args.pg) as db:
        key = setup_tenant(db)
        measured = {
            "1 node, no broker": run_nodes(db, key, nats.url, 1, args, bus=False),
            "1 node + NATS": run_nodes(db, key, nats.url, 1, args, bus=True),
            "2 nodes + NATS": run_nodes(db, key, nats.url, 2, args, bus=True),
        }
        raw = asyncio.run(raw_nats(nats.url, args.raw))
        version = ".".join(map(str, server_version(nats.binary))) or "?"
        synced = "sync_interval: always" if syncs_every_write(nats.binary) else "OS-buffered acks"

    print(
        f"\n== {db.label} + nats-server {version} (JetStream, file storage, {synced}),"
        " one uvicorn worker per node"
    )
    print(HEADER)
    for label, (load, _, _) in measured.items():
        print(row(
            f"{label}: {args.rate:g}/s for {args.seconds:g} s (ack)", percentiles(load["ack"]),
            f"{len(load['ack'])} reports, {load['errors']} errors, offered {load['offered']:.0f}/s",
        ))  # fmt: skip
        if "NATS" in label:
            print(row(
                f"{label}: report due → event on the bus", percentiles(load["bus"]),
                f"{load['missing']} missing",
            ))  # fmt: skip
    print(row(
        "raw JetStream publish, ack each (ack)", percentiles(raw["js_sync_latency"]),  # type: ignore[arg-type]
        f"{args.raw} messages of {raw['size']} bytes",
    ))  # fmt: skip
    caps = "; ".join(
        f"{label} {t:,.0f} reports/s ({e} errors)" for label, (_, t, e) in measured.items()
    )
    print(f"capacity ({args.connections} connections): {caps}")
    print(
        f"raw NATS on the same server: core publish {raw['core']:,.0f} msg/s; JetStream publish "
        f"{raw['js_sync']:,.0f} msg/s acknowledging each, {raw['js_async']:,.0f} msg/s pipelined"
    )


if __name__ == "__main__":
    main()
