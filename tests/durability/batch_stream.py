"""A sending system that delivers in batches (``/api/operations/incidents/batch``),
and the exactly-once check for incidents whose audit lives in group rows.

Each worker takes a few incidents and sends their messages step by step, one
batch per step (message *k* of each of its incidents), until every event of
the batch is acknowledged: on a lost connection or a 503 it sends the same
batch again with the same keys, so what was committed but not acknowledged
comes back as a replay.
"""

from __future__ import annotations

import http.client
import json
import queue
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.durability.harness import (
    Ack,
    DbReader,
    Message,
    SenderPool,
    _json,
    check_exactly_once,
)

BATCH = "/api/operations/incidents/batch"
GROUP_ACTION = "operations.incidents_received"


@dataclass
class BatchStream(SenderPool):
    port: int
    api_key: str
    plan: list[list[Message]]
    workers: int = 4
    per_batch: int = 3
    deadline_s: float = 150.0
    acks: dict[str, Ack] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)
    unexpected: list[tuple[str, int, Any]] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)
    in_flight: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._prepare(
            [self.plan[s : s + self.per_batch] for s in range(0, len(self.plan), self.per_batch)]
        )

    def _work(self) -> None:
        while True:
            try:
                incidents = self._todo.get_nowait()
            except queue.Empty:
                return
            for step in range(max(len(m) for m in incidents)):
                batch = [m[step] for m in incidents if step < len(m)]
                if not self._deliver(batch):
                    with self._lock:
                        self.given_up.extend(m.key for m in batch if m.key not in self.acks)
                    break

    def _deliver(self, batch: list[Message]) -> bool:
        body = json.dumps(
            [json.loads(m.body) | {"idempotency_key": m.key} for m in batch], ensure_ascii=False
        ).encode()
        attempts, failed = 0, False
        while time.monotonic() < self._deadline:
            attempts += 1
            with self._lock:
                self.in_flight.update(m.key for m in batch)
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                try:
                    conn.request("POST", BATCH, body, {"Content-Type": "application/json",
                                                       "X-Api-Key": self.api_key})  # fmt: skip
                    raw = conn.getresponse()
                    status, data = raw.status, raw.read()
                finally:
                    conn.close()
            except (OSError, http.client.HTTPException):
                with self._lock:
                    self.outcomes["no answer"] += 1
                failed = True
                time.sleep(0.05)
                continue
            finally:
                with self._lock:
                    self.in_flight.difference_update(m.key for m in batch)
            with self._lock:
                self.outcomes[str(status)] += 1
            if status == 503:
                failed = True
                time.sleep(0.1)
                continue
            if status != 200:
                with self._lock:
                    self.unexpected.append(("batch", status, data[:2000]))
                return False
            results = json.loads(data)["results"]
            ok = True
            for message, result in zip(batch, results, strict=True):
                if result["status"] not in (200, 201):
                    ok = False
                    with self._lock:
                        self.unexpected.append((message.key, result["status"], result))
                    continue
                incident = result["incident"]
                ack = Ack(message.key, result["status"], int(incident["id"]),
                          bool(incident["replayed"]), attempts, failed)  # fmt: skip
                with self._lock:
                    self.acks[message.key] = ack
            return ok
        return False


def grouped_audit(database_url: str) -> dict[str, list[str]]:
    """Each incident's audit actions, from the group rows' events, in order."""
    actions: dict[str, list[str]] = {}
    with DbReader(database_url) as db:
        rows = db.rows(
            "SELECT data FROM core_auditevent WHERE action = %s ORDER BY id", GROUP_ACTION
        )
    for (data,) in rows:
        for member in _json(data)["chained_events"]:
            if member["object_type"] == "operations.incident":
                actions.setdefault(member["object_id"], []).append(member["action"])
    return actions


def check_batch_exactly_once(database_url: str, stream: BatchStream) -> dict[str, int]:
    """``check_exactly_once`` for a batch stream: the same checks of keys,
    incidents and timelines; the audit from the group rows."""
    return check_exactly_once(database_url, stream, audit=grouped_audit(database_url))  # type: ignore[arg-type]
