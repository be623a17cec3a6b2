"""A sending system that delivers in batches through NATS JetStream (the broker
path, docs/adr/0024), and the ``smartcity intake-broker`` process under test.

Each worker takes a few incidents and publishes their messages step by step,
one message per step (message *k* of each of its incidents, as a JSON array),
with a ``Nats-Msg-Id`` of its own, then waits for the result on its results
subject before the next step. The acknowledgement a sender relies on is that
result: the consumer publishes it after the group committed. Without a result
in time the worker publishes the same message again (same id: JetStream drops
it within its duplicate window, and the stored one is delivered again once
its acknowledgement wait ran out).
"""

from __future__ import annotations

import asyncio
import json
import queue
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartcity.operations.domain.broker_subjects import intake_subject, results_subject
from tests.durability.harness import (
    ROOT,
    SMARTCITY,
    Ack,
    KillableProcess,
    Message,
    SenderPool,
    wait_for,
)

API_KEY_HEADER = "Smartcity-Api-Key"
PREFIX = "smartcity"


class BrokerProcess(KillableProcess):
    """``smartcity intake-broker``; restartable after a SIGKILL (no
    acknowledgement or shutdown code runs)."""

    stop_grace_s = 20.0

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env, self.log_path = env, log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        before = self.log_text().count("taking reports")
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [SMARTCITY, "intake-broker"], env=self.env, cwd=ROOT, stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        self.starts += 1

        def started() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"intake-broker exited at start:\n{self.log_text()[-3000:]}")
            return self.log_text().count("taking reports") > before

        wait_for(started, 60, "intake-broker to start", interval=0.05)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""


@dataclass
class BrokerStream(SenderPool):
    nats_url: str
    api_key: str
    plan: list[list[Message]]
    workers: int = 4
    per_batch: int = 3
    deadline_s: float = 150.0
    answer_timeout_s: float = 15.0
    acks: dict[str, Ack] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)
    unexpected: list[tuple[str, int, Any]] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)
    in_flight: set[str] = field(default_factory=set)
    late_answers: list[dict[str, Any]] = field(default_factory=list)
    """Second results of a message already answered (delivered again after a
    kill between commit and acknowledgement)."""

    def __post_init__(self) -> None:
        self._prepare(
            [self.plan[s : s + self.per_batch] for s in range(0, len(self.plan), self.per_batch)]
        )
        self._names = iter(range(10**6))

    def _work(self) -> None:
        with self._lock:
            sender = f"w{next(self._names)}"
        asyncio.run(self._work_async(sender))

    async def _work_async(self, sender: str) -> None:
        import nats

        nc = await nats.connect(self.nats_url, max_reconnect_attempts=-1)
        js = nc.jetstream(timeout=5)
        waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}

        async def on_result(msg: Any) -> None:
            answer = json.loads(msg.data)
            future = waiting.get(answer["message"]["msg_id"])
            if future is not None and not future.done():
                future.set_result(answer)
            else:
                with self._lock:
                    self.late_answers.append(answer)

        await nc.subscribe(results_subject(PREFIX, sender), cb=on_result)
        try:
            while True:
                try:
                    incidents = self._todo.get_nowait()
                except queue.Empty:
                    return
                for step in range(max(len(m) for m in incidents)):
                    batch = [m[step] for m in incidents if step < len(m)]
                    if not await self._deliver(js, waiting, sender, batch):
                        with self._lock:
                            self.given_up.extend(m.key for m in batch if m.key not in self.acks)
                        break
        finally:
            await nc.close()

    async def _deliver(
        self, js: Any, waiting: dict[str, asyncio.Future[dict[str, Any]]], sender: str,
        batch: list[Message],
    ) -> bool:  # fmt: skip
        msg_id = f"msg-{batch[0].key}"
        body = json.dumps(
            [json.loads(m.body) | {"idempotency_key": m.key} for m in batch], ensure_ascii=False
        ).encode()
        headers = {API_KEY_HEADER: self.api_key, "Nats-Msg-Id": msg_id}
        future = waiting[msg_id] = asyncio.get_running_loop().create_future()
        publishes = 0
        with self._lock:
            self.in_flight.update(m.key for m in batch)
        try:
            while time.monotonic() < self._deadline:
                publishes += 1
                try:
                    await js.publish(intake_subject(PREFIX, sender), body, headers=headers)
                    answer = await asyncio.wait_for(asyncio.shield(future), self.answer_timeout_s)
                    break
                except Exception as exc:  # no answer in time, or NATS did not take it: again
                    with self._lock:
                        self.outcomes[f"no answer ({type(exc).__name__})"] += 1
                    await asyncio.sleep(0.1)
            else:
                return False
        finally:
            with self._lock:
                self.in_flight.difference_update(m.key for m in batch)
        with self._lock:
            self.outcomes[str(answer["status"])] += 1
        if answer["status"] != 200:
            with self._lock:
                self.unexpected.append((msg_id, answer["status"], answer))
            return False
        delivered = int(answer["message"]["delivered"] or 1)
        ok = True
        for message, result in zip(batch, answer["results"], strict=True):
            if result["status"] not in (200, 201):
                ok = False
                with self._lock:
                    self.unexpected.append((message.key, result["status"], result))
                continue
            incident = result["incident"]
            attempts = delivered + publishes - 1
            ack = Ack(message.key, result["status"], int(incident["id"]),
                      bool(incident["replayed"]), attempts, delivered > 1)  # fmt: skip
            with self._lock:
                self.acks[message.key] = ack
        return ok

    def check_late_answers(self) -> int:
        """A second result of a message names the same incidents as the first."""
        by_key = {key: ack.incident_id for key, ack in self.acks.items()}
        for answer in self.late_answers:
            assert answer["status"] == 200, answer
            for result in answer["results"]:
                assert result["status"] == 200 and result["incident"]["replayed"], result
                assert result["incident"]["id"] == by_key[result["idempotency_key"]], result
        return len(self.late_answers)
