"""Benchmark: live board updates (SSE) fanned out to 1,000 subscribers.

    .venv/bin/python benchmarks/bench_board_fanout.py [--db sqlite|postgres|both]
        [--subscribers 1000] [--events 20] [--interval 0.5]

For each database, in one run:

1. **Product** — the real application under uvicorn (one worker) on a fresh
   migrated database; ``--subscribers`` clients open the situation board's
   stream (``/operations/board/stream/``) as a signed-in operator, then a 112
   system reports ``--events`` incidents through the intake API, one every
   ``--interval`` seconds. Each report is committed with its outbox row; the
   process's one outbox reader (woken by ``NOTIFY`` on PostgreSQL, polling every
   ``REALTIME_POLL_MS`` = 100 ms on SQLite) encodes the event once and puts it
   on every subscriber's queue.
2. **Baseline** — the same clients on a bare ASGI SSE app (``_bare_sse.py``: an
   in-memory broadcast, no Django, no database) under the same uvicorn; the
   publisher POSTs each update to it.

Latency of a delivery runs from the moment the publisher *sent* the report to
the moment a subscriber read the event, so the product's figure includes the
intake transaction (about 10–25 ms, see ``bench_incident_intake.py``).
"Last subscriber" is, per event, the latency of the slowest of the 1,000.
Clients and server share this machine's CPUs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import (
    HEADER,
    SMARTCITY,
    Database,
    HttpConnection,
    Server,
    disposable_database,
    percentiles,
    row,
    uvicorn_server,
)

MAKE_OPERATOR = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from smartcity.accounts.choices import OrganisationKind, Role
from smartcity.accounts.models import Organisation, User
from smartcity.municipalities.models import Municipality
centre = Organisation.objects.create(
    name_ko="벤치 통합운영센터", kind=OrganisationKind.OPERATIONS_CENTRE,
    municipality=Municipality.objects.get(code="41280"))
user = User(username="bench", role=Role.PLATFORM_OPERATOR, organisation=centre)
user.set_password("bench-password-2026")
user.save()
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


def prepare(db: Database) -> tuple[str, str]:
    """A tenant, a 112 key and a signed-in operator's session id."""
    run = {"env": db.env, "check": True, "capture_output": True, "text": True}
    subprocess.run([SMARTCITY, "operations", "add-tenant", "41280"], **run)  # type: ignore[call-overload]
    issued = subprocess.run(  # type: ignore[call-overload]
        [SMARTCITY, "operations", "issue-key", "--tenant", "41280", "--source", "112",
         "--name", "bench 112"], **run,
    )  # fmt: skip
    session = subprocess.run([SMARTCITY, "shell", "-c", MAKE_OPERATOR], **run)  # type: ignore[call-overload]
    return json.loads(issued.stdout)["api_key"], session.stdout.strip().splitlines()[-1]


class Fanout:
    def __init__(self) -> None:
        self.connected = 0
        self.received: dict[int, list[float]] = defaultdict(list)
        self.all_connected = asyncio.Event()
        self.target = 0

    async def subscriber(self, port: int, path: str, cookie: str) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={cookie}\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        status = await reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"stream refused: {status!r}")
        try:
            while line := await reader.readline():
                if line.startswith(b": connected"):
                    self.connected += 1
                    if self.connected == self.target:
                        self.all_connected.set()
                elif line.startswith(b"data: "):
                    now = time.perf_counter()
                    data = json.loads(line[6:])
                    self.received[int(data.get("id", data.get("seq", -1)))].append(now)
        finally:
            writer.close()


async def measure(server: Server, *, stream: str, cookie: str, publish, count: int,  # type: ignore[no-untyped-def]
                  events: int, interval: float) -> dict[str, object]:  # fmt: skip
    fan = Fanout()
    fan.target = count
    rss_before = server.rss_mb()
    began = time.perf_counter()
    tasks = []
    for start in range(0, count, 50):  # connect in waves, as boards open over time
        for _ in range(start, min(count, start + 50)):
            tasks.append(asyncio.create_task(fan.subscriber(server.port, stream, cookie)))
        await asyncio.sleep(0.02)
    await asyncio.wait_for(fan.all_connected.wait(), 300)
    connect_s = time.perf_counter() - began
    rss_after = server.rss_mb()
    publisher = await HttpConnection(server.port).open()
    sent: dict[int, float] = {}
    acks: list[float] = []
    for n in range(events):
        t0 = time.perf_counter()
        key = await publish(publisher, n)
        sent[key] = t0
        acks.append((time.perf_counter() - t0) * 1000)
        await asyncio.sleep(interval)
    deadline = time.perf_counter() + 30
    while any(len(fan.received[k]) < count for k in sent) and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    publisher.close()
    deliveries = [(t - sent[k]) * 1000 for k in sent for t in fan.received[k]]
    slowest = [(max(fan.received[k]) - sent[k]) * 1000 for k in sent if fan.received[k]]
    missing = sum(count - len(fan.received[k]) for k in sent)
    return {
        "deliveries": deliveries,
        "slowest": slowest,
        "acks": acks,
        "missing": missing,
        "connect_s": connect_s,
        "rss": (rss_before, rss_after),
    }


def report(label: str, result: dict[str, object], count: int) -> None:
    rss_before, rss_after = result["rss"]  # type: ignore[misc]
    print(row(f"{label}: every delivery", percentiles(result["deliveries"]),  # type: ignore[arg-type]
              f"{len(result['deliveries'])} deliveries, {result['missing']} missing"))  # type: ignore[arg-type]  # fmt: skip
    print(row(f"{label}: last subscriber per event", percentiles(result["slowest"])))  # type: ignore[arg-type]
    print(row(f"{label}: publish acknowledged", percentiles(result["acks"])))  # type: ignore[arg-type]
    print(
        f"{'':44}{count} subscribers connected in {result['connect_s']:.1f} s; server memory "
        f"{rss_before:.0f} → {rss_after:.0f} MB "
        f"({(rss_after - rss_before) * 1024 / count:.0f} KB each)"
    )


def run(kind: str, args: argparse.Namespace) -> None:
    with disposable_database(kind, args.pg) as db:
        key, cookie = prepare(db)

        async def intake(conn: HttpConnection, n: int) -> int:
            body = json.dumps({
                "event_type": "112UC001", "external_id": f"F-{n}-{uuid.uuid4().hex[:6]}",
                "occurred_at": "2026-03-01T21:15:00+09:00", "latitude": "37.6584",
                "longitude": "126.7698", "address": "고양시 일산동구 중앙로 1286",
            }).encode()  # fmt: skip
            status, answer = await conn.request("POST", "/api/operations/incidents", body, {
                "Content-Type": "application/json", "X-Api-Key": key,
                "Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
            assert status == 201, answer
            return int(json.loads(answer)["id"])

        with uvicorn_server("config.asgi:application", db.env) as server:
            product = asyncio.run(measure(
                server, stream="/operations/board/stream/", cookie=cookie, publish=intake,
                count=args.subscribers, events=args.events, interval=args.interval))  # fmt: skip

    async def bare_publish(conn: HttpConnection, n: int) -> int:
        status, _ = await conn.request("POST", "/publish", json.dumps({"seq": n}).encode())
        assert status == 204
        return n

    with uvicorn_server(
        "_bare_sse:app", dict(db.env, PYTHONPATH=str(Path(__file__).parent))
    ) as bare:
        baseline = asyncio.run(measure(
            bare, stream="/stream", cookie="", publish=bare_publish, count=args.subscribers,
            events=args.events, interval=args.interval))  # fmt: skip

    print(f"\n== {db.label}: {args.subscribers:,} subscribers, {args.events} events")
    print(HEADER)
    report("product (Django SSE + outbox)", product, args.subscribers)
    report("baseline (bare ASGI broadcast)", baseline, args.subscribers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--subscribers", type=int, default=1_000)
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between reports")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    for kind in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        run(kind, args)


if __name__ == "__main__":
    main()
