"""Soak: a steady load for a bounded time shows no growth in latency or memory.

``SMARTCITY_SOAK_SECONDS`` (default 60 in the suite; run it for 600 or 3600
by hand) of open-loop intake at ``SMARTCITY_SOAK_RATE`` reports per second
(default 20) against one uvicorn worker on SQLite (``SMARTCITY_SOAK_DB=postgres``
for the machine's PostgreSQL). The load is what a centre sees: incidents opened,
updated twice, released and closed (10→40→40→50→91, in order per incident),
plus, in every other incident, one message sent twice (an idempotent replay).

Time to acknowledgement runs from when a report was *due* (waiting for a free
connection counts). After a warm-up (a tenth of the run, at least 5 s) the run
is cut into six windows; each window's p50/p99 and the server's resident memory
(VmRSS from /proc) are printed. Asserted:

* latency: the p99 of the last third of the run ≤ max(2 × the first third's,
  first + 50 ms) (thirds, not windows: see the comment at the assertion);
* memory: RSS growth from the first to the last window ≤ 16 MB + 3 MB per
  further minute of run. Why that bound: after warm-up Django's caches (URL
  resolvers, templates, the vocabulary, compiled regexes) are full, so what
  remains is allocator noise — CPython's arenas and glibc's per-thread malloc
  arenas, since under ASGI every request runs in a fresh thread — measured at
  a few MB that levels off. A leak of 10 KB per request, at 20 reports/s, would
  add 12 MB a minute and fail a 5-minute run; the 60-second default catches
  leaks of that size only coarsely, which is why longer runs are by hand.

Measured (2 shared CPUs, SQLite, 300 s at 20/s, 6,000 reports): p50 27–32 ms
in every window, p99 50–190 ms (machine noise, not a trend), RSS 162.0 →
163.6 MB.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import statistics
import threading
import time
import uuid
from collections.abc import Iterator

import numpy as np
import pytest

from tests.durability.conftest import Deployment
from tests.durability.harness import AppServer, Message, Sender, scenario

# Latencies are compared over the run: scripts/test runs this test by itself.
pytestmark = pytest.mark.alone

SECONDS = float(os.environ.get("SMARTCITY_SOAK_SECONDS", "60"))
RATE = float(os.environ.get("SMARTCITY_SOAK_RATE", "20"))
WINDOWS = 6
LANES = 8  # incidents in progress at once; one connection each


@pytest.fixture
def soak_deployment(request: pytest.FixtureRequest) -> Iterator[Deployment]:
    if os.environ.get("SMARTCITY_SOAK_DB") == "postgres":
        yield request.getfixturevalue("postgres_deployment")
    else:
        yield request.getfixturevalue("sqlite_deployment")


def _messages(run: str, total: int) -> Iterator[tuple[int, Message, bool]]:
    """(lane, message, is_replay) in sending order: ``LANES`` incidents in
    progress at once, round-robin, each lane sending its incidents' messages
    in order; in every other incident the second information change is sent
    twice (a replay: the same key and body)."""
    occurred = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat()
    plan = iter(scenario(run, total // 5 + 2 * LANES, occurred))

    def lane_messages() -> Iterator[tuple[Message, bool]]:
        for messages in plan:
            for message in messages:
                yield message, False
                if message.step == 2 and message.incident % 2 == 0:
                    yield message, True

    lanes = [lane_messages() for _ in range(LANES)]
    sent = 0
    while sent < total:
        for lane, messages in enumerate(lanes):
            message, replay = next(messages)
            yield lane, message, replay
            sent += 1


class Load:
    """Open loop: a scheduler hands each due message to its incident's lane."""

    def __init__(self, port: int, api_key: str, rate: float, seconds: float) -> None:
        self.port, self.api_key, self.rate, self.seconds = port, api_key, rate, seconds
        self.samples: list[tuple[float, float]] = []  # (due, latency ms)
        self.errors: list[str] = []
        self._lanes: list[queue.Queue[tuple[float, Message, bool] | None]] = [
            queue.Queue() for _ in range(LANES)
        ]
        self._lock = threading.Lock()

    def run(self) -> None:
        workers = [threading.Thread(target=self._lane, args=(q,), daemon=True) for q in self._lanes]
        for worker in workers:
            worker.start()
        total = int(self.rate * self.seconds)
        start = time.monotonic() + 0.2
        for i, (lane, message, replay) in enumerate(_messages(uuid.uuid4().hex[:8], total)):
            due = start + i / self.rate
            time.sleep(max(0.0, due - time.monotonic()))
            self._lanes[lane].put((due, message, replay))
        for q in self._lanes:
            q.put(None)
        for worker in workers:
            worker.join(60)

    def _lane(self, items: queue.Queue[tuple[float, Message, bool] | None]) -> None:
        sender = Sender(self.port, self.api_key)
        try:
            while (item := items.get()) is not None:
                due, message, replay = item
                try:
                    response = sender.post(message.key, message.body)
                    status = response.status
                    replayed = response.headers.get("idempotent-replayed") == "true"
                except OSError as exc:
                    status, replayed = 0, False
                    self.errors.append(f"{message.key}: {exc}")
                latency = (time.monotonic() - due) * 1000
                with self._lock:
                    self.samples.append((due, latency))
                    if status not in (200, 201) or replayed != replay:
                        self.errors.append(f"{message.key}: {status} replayed={replayed}")
        finally:
            sender.close()


@pytest.mark.slow
def test_steady_load_shows_no_growth_in_latency_or_memory(soak_deployment: Deployment) -> None:
    server = AppServer(soak_deployment.env(), soak_deployment.data_dir / "server.log")
    server.start()
    rss: list[tuple[float, int]] = []
    done = threading.Event()

    def sample_memory() -> None:
        while not done.wait(0.5):
            rss.append((time.monotonic(), server.rss_kb()))

    warm_up = max(5.0, SECONDS / 10)
    try:
        Load(server.port, soak_deployment.api_key, RATE, warm_up).run()
        sampler = threading.Thread(target=sample_memory, daemon=True)
        began = time.monotonic()
        sampler.start()
        load = Load(server.port, soak_deployment.api_key, RATE, SECONDS)
        load.run()
        done.set()
        sampler.join(5)
    finally:
        done.set()
        server.stop()
    assert not load.errors, load.errors[:10]

    span = SECONDS / WINDOWS
    rows = []
    for w in range(WINDOWS):
        lo, hi = began + w * span, began + (w + 1) * span
        latencies = [ms for due, ms in load.samples if lo <= due < hi]
        memory = [kb for at, kb in rss if lo <= at < hi]
        assert latencies and memory, f"window {w} is empty"
        rows.append(
            (
                float(np.percentile(latencies, 50)),
                float(np.percentile(latencies, 99)),
                statistics.median(memory) / 1024,
                len(latencies),
            )
        )
    print(f"\nsoak: {RATE:g} reports/s for {SECONDS:g} s after {warm_up:g} s warm-up, "
          f"{len(load.samples)} reports, 0 errors")  # fmt: skip
    print(f"{'window':>8}{'reports':>9}{'p50 ms':>9}{'p99 ms':>9}{'RSS MB':>9}")
    for w, (p50, p99, mb, n) in enumerate(rows):
        print(f"{w + 1:>8}{n:>9}{p50:>9.1f}{p99:>9.1f}{mb:>9.1f}")
    # Compared: the first and the last third of the run. A 10-second window's
    # p99 is its second-slowest report, which one stall of a shared machine
    # decides; a third holds enough reports for the p99 to mean something.
    third = SECONDS / 3
    first_p99 = float(np.percentile([ms for due, ms in load.samples if due < began + third], 99))
    last_p99 = float(
        np.percentile([ms for due, ms in load.samples if due >= began + SECONDS - third], 99)
    )
    growth_mb = rows[-1][2] - rows[0][2]
    allowed_mb = 16 + 3 * max(0.0, (SECONDS - span) / 60 - 1)
    print(f"p99 first third {first_p99:.1f} ms, last third {last_p99:.1f} ms; "
          f"RSS growth {growth_mb:+.1f} MB (allowed {allowed_mb:.1f} MB)")  # fmt: skip
    assert last_p99 <= max(2 * first_p99, first_p99 + 50), (first_p99, last_p99)
    assert growth_mb <= allowed_mb, (growth_mb, allowed_mb)
