"""Benchmark: sustained incident intake through the API, next to a raw batched INSERT.

    .venv/bin/python benchmarks/bench_incident_intake.py [--db sqlite|postgres|both]
        [--rate 50] [--seconds 20] [--connections 16] [--capacity 2000]
        [--pg postgres://postgres@127.0.0.1:5432/postgres]

For each database, in one run, on a fresh migrated database:

1. **Sustained intake** — an open-loop load of ``--rate`` reports per second for
   ``--seconds`` against the real application (uvicorn, one worker), each a new
   incident with its own ``Idempotency-Key``, over ``--connections`` keep-alive
   connections. *Time to acknowledgement* runs from the moment a report was due
   to be sent (so waiting for a free connection counts: no coordinated
   omission) to the end of the 201 response, which the API sends only after
   the transaction — incident, timeline row, idempotency record, outbox event
   and audit row — has committed.
2. **Capacity** — the same requests closed-loop, as fast as the server answers.
3. **Baselines** — ``/healthz`` on the same server (uvicorn + Django with no
   database work), and a **raw batched INSERT** — the same number of incident rows written
   straight into the same table, 100 rows per transaction (``executemany``),
   with no HTTP, ORM, validation, timeline, outbox or audit: the floor the
   database itself sets. A row's acknowledgement there is its batch's commit.

The server runs with ``DB_CONN_MAX_AGE=0``: under ASGI Django gives every
request its own thread, so persistent connections would only pile up (a
psycopg pool was measured too: +6 % on PostgreSQL, not worth a dependency).
What bounds intake is the transaction itself — about 15 statements, among
them the hash-chained audit row, whose head row is locked from its insert to
the commit, so commits of concurrent reports queue there. Numbers move
between runs on a shared machine; compare the rows of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    HEADER,
    SMARTCITY,
    Database,
    HttpConnection,
    disposable_database,
    percentiles,
    row,
    uvicorn_server,
)

URL = "/api/operations/incidents"


def setup_tenant(db: Database) -> str:
    subprocess.run([SMARTCITY, "operations", "add-tenant", "41280"], env=db.env, check=True,
                   capture_output=True)  # fmt: skip
    issued = subprocess.run(
        [SMARTCITY, "operations", "issue-key", "--tenant", "41280", "--source", "112",
         "--name", "bench 112"],
        env=db.env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return str(json.loads(issued.stdout)["api_key"])


def body(n: int, rng: random.Random) -> bytes:
    return json.dumps(
        {
            "event_type": "112UC001",
            "external_id": f"B-{n:08d}-{uuid.uuid4().hex[:6]}",
            "occurred_at": dt.datetime.now(dt.UTC).isoformat(),
            "latitude": f"{37.63 + rng.random() * 0.05:.6f}",  # inside 고양시
            "longitude": f"{126.78 + rng.random() * 0.05:.6f}",
            "address": "경기도 고양시 일산동구 중앙로 1286",
            "detail": "벤치마크 신고",
        }
    ).encode()


async def send(conn: HttpConnection, key: str, payload: bytes) -> int:
    status, _ = await conn.request(
        "POST", URL, payload,
        {"Content-Type": "application/json", "X-Api-Key": key,
         "Idempotency-Key": uuid.uuid4().hex},
    )  # fmt: skip
    return status


async def sustained(
    port: int, key: str, rate: float, seconds: float, connections: int
) -> tuple[list[float], int, float]:
    rng = random.Random(1)
    conns = [await HttpConnection(port).open() for _ in range(connections)]
    loop = asyncio.get_running_loop()
    total = int(rate * seconds)
    queue: asyncio.Queue[tuple[int, float] | None] = asyncio.Queue()
    latencies: list[float] = []
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
            status = await send(conn, key, body(i, rng))
            latencies.append((loop.time() - due) * 1000)
            errors += status != 201

    began = loop.time()
    await asyncio.gather(scheduler(), *(worker(c) for c in conns))
    elapsed = loop.time() - began
    for c in conns:
        c.close()
    return latencies, errors, total / elapsed


async def capacity(port: int, key: str, count: int, connections: int) -> tuple[float, int]:
    rng = random.Random(2)
    conns = [await HttpConnection(port).open() for _ in range(connections)]
    remaining = iter(range(count))
    errors = 0

    async def worker(conn: HttpConnection) -> None:
        nonlocal errors
        for i in remaining:
            errors += await send(conn, key, body(1_000_000 + i, rng)) != 201

    began = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in conns))
    elapsed = time.perf_counter() - began
    for c in conns:
        c.close()
    return count / elapsed, errors


async def bare_view(port: int, count: int, connections: int) -> float:
    """Requests per second of ``/healthz`` (a bare Django view, no database) on
    the same server: what uvicorn and Django cost before any intake work."""
    conns = [await HttpConnection(port).open() for _ in range(connections)]
    remaining = iter(range(count))

    async def worker(conn: HttpConnection) -> None:
        for _ in remaining:
            await conn.request("GET", "/healthz")

    began = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in conns))
    elapsed = time.perf_counter() - began
    for c in conns:
        c.close()
    return count / elapsed


def raw_batched_insert(db: Database, rows: int, batch: int = 100) -> tuple[list[float], float]:
    """Incident rows straight into ``operations_incident``, ``batch`` per commit."""
    now = dt.datetime.now(dt.UTC)
    sql = (
        "INSERT INTO operations_incident (tenant_id, origin_tenant_id, event_type_id, grade_id,"
        " status_id, sender, intake_client_id, external_id, latitude, longitude, address, detail,"
        " case_type, occurred_at, ended_at, created_at, updated_at) VALUES ({})"
    )
    rng = random.Random(3)
    if db.url.startswith("sqlite"):
        connection = sqlite3.connect(db.url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        (tenant,) = connection.execute(
            "SELECT id FROM operations_tenant WHERE code='41280'"
        ).fetchone()
        stamp: object = now.strftime("%Y-%m-%d %H:%M:%S.%f")
        statement = sql.format(", ".join("?" * 17))

        def commit(values: list[tuple[object, ...]]) -> None:
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany(statement, values)
            connection.execute("COMMIT")
    else:
        import psycopg

        connection = psycopg.connect(db.url)  # type: ignore[assignment]
        tenant = connection.execute(  # type: ignore[union-attr]
            "SELECT id FROM operations_tenant WHERE code='41280'"
        ).fetchone()[0]
        stamp = now
        statement = sql.format(", ".join(["%s"] * 17))

        def commit(values: list[tuple[object, ...]]) -> None:
            with connection.transaction(), connection.cursor() as cursor:  # type: ignore[attr-defined]
                cursor.executemany(statement, values)

    def values(n: int) -> tuple[object, ...]:
        return (
            tenant, tenant, "112UC001", "10", "10", "112", None, f"R-{n:08d}",
            f"{37.60 + rng.random() * 0.1:.6f}", f"{126.75 + rng.random() * 0.15:.6f}",
            "경기도 고양시 일산동구 중앙로 1286", "벤치마크 신고", "강도",
            stamp, None, stamp, stamp,
        )  # fmt: skip

    latencies: list[float] = []
    began = time.perf_counter()
    for start in range(0, rows, batch):
        chunk = [values(n) for n in range(start, min(rows, start + batch))]
        t0 = time.perf_counter()
        commit(chunk)
        latencies.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - began
    connection.close()
    return latencies, rows / elapsed


def run(kind: str, args: argparse.Namespace) -> None:
    with disposable_database(kind, args.pg) as db:
        key = setup_tenant(db)
        env = dict(db.env, DB_CONN_MAX_AGE=args.conn_max_age)
        with uvicorn_server("config.asgi:application", env) as server:
            port = server.port
            asyncio.run(capacity(port, key, 200, args.connections))  # warm-up
            latencies, errors, offered = asyncio.run(
                sustained(port, key, args.rate, args.seconds, args.connections)
            )
            throughput, cap_errors = asyncio.run(
                capacity(port, key, args.capacity, args.connections)
            )
            floor = asyncio.run(bare_view(port, args.capacity, args.connections))
        raw_latencies, raw_rate = raw_batched_insert(db, len(latencies))
    print(f"\n== {db.label}")
    print(HEADER)
    print(row(
        f"API intake, {args.rate:g}/s for {args.seconds:g} s (ack)", percentiles(latencies),
        f"{len(latencies)} reports, {errors} errors, offered {offered:.0f}/s",
    ))  # fmt: skip
    print(row(
        "raw batched INSERT, 100 rows/commit (commit)", percentiles(raw_latencies),
        f"{len(latencies)} rows",
    ))  # fmt: skip
    print(
        f"capacity: API {throughput:,.0f} reports/s ({args.connections} connections, "
        f"{cap_errors} errors); raw batched INSERT {raw_rate:,.0f} rows/s "
        f"({raw_rate / throughput:.0f}x); bare Django view on the same server {floor:,.0f} req/s;"
        f" API / bare view {throughput / floor:.0%} (target ≥ 60 %)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rate", type=float, default=50.0, help="reports per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--capacity", type=int, default=2_000, help="closed-loop requests")
    parser.add_argument("--conn-max-age", default="0")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    for kind in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        run(kind, args)


if __name__ == "__main__":
    main()
