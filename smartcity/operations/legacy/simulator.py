"""A connector of a 112, 119 or carrier system, for development and tests
(``smartcity linkage simulate``): it replays a scenario — frames to send and
the answer each must get — against the adapter.

A scenario is a JSON file (packaged ones in ``scenarios/``, by name)::

    {"name": "...", "sender": "112", "charset": "utf-8",
     "steps": [{"codes": "99/99", "fields": ["GN-112"], "expect": {"result": "accepted"}},
               {"codes": "10/10", "fields": ["{run}-1", ...], "expect": {...}},
               {"raw": "garbage", "expect": null},
               {"resend": 1, "expect": {"result": "replayed"}}]}

``{run}`` becomes a token unique to the run (so a scenario can be replayed on
the same database), ``{now}`` the current Korean time (yyyyMMddHHmmss). A step
may corrupt its frame: ``"length": "00000x0300"`` replaces the length field,
``"length_delta": 5`` misstates it, ``"drop_terminator": true`` removes the
``;`` (and counts one byte less). ``expect.result`` names an outcome of the
dialect's ``reply.results``; ``reason`` and ``reference`` are compared when
given; ``null`` means no answer is expected.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import socket
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from smartcity.operations.domain.event_time import KST
from smartcity.operations.domain.legacy_dialect import Dialect
from smartcity.operations.domain.legacy_encoding import (
    decode_reply,
    encode_frame,
)
from smartcity.operations.domain.legacy_frames import (
    TIME_FORMAT,
    FrameDecoder,
    RawFrame,
    Rejection,
)
from smartcity.operations.domain.legacy_peers import normalise_charset

SCENARIOS = Path(__file__).resolve().parent / "scenarios"


class ScenarioError(ValueError):
    pass


@dataclass(frozen=True)
class StepResult:
    index: int
    note: str
    codes: str
    sent_hex: str
    sent_text: str
    expected: dict[str, str] | None
    reply: dict[str, str] | None
    ok: bool
    problem: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "step": self.index, "note": self.note, "codes": self.codes,
            "sent_hex": self.sent_hex, "sent": self.sent_text, "expected": self.expected,
            "reply": self.reply, "ok": self.ok, "problem": self.problem,
        }  # fmt: skip


@dataclass
class Scenario:
    name: str
    sender: str
    charset: str
    steps: list[dict[str, Any]]
    description: str = ""
    path: Path | None = None
    tokens: dict[str, str] = field(default_factory=dict)


def scenario_names() -> list[str]:
    return sorted(p.stem for p in SCENARIOS.glob("*.json"))


def load_scenario(name_or_path: str) -> Scenario:
    path = Path(name_or_path)
    if not path.is_file():
        path = SCENARIOS / f"{name_or_path.removesuffix('.json')}.json"
    if not path.is_file():
        raise ScenarioError(
            f"no scenario {name_or_path!r} (a file, or one of {', '.join(scenario_names())})"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ScenarioError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise ScenarioError(f"{path}: a mapping with 'steps' expected")
    return Scenario(
        name=str(data.get("name", path.stem)),
        sender=str(data.get("sender", "")),
        charset=str(data.get("charset", "utf-8")),
        steps=list(data["steps"]),
        description=str(data.get("description", "")),
        path=path,
    )


def _fill(text: str, tokens: dict[str, str]) -> str:
    for key, value in tokens.items():
        text = text.replace("{" + key + "}", value)
    return text


def build_frame(
    dialect: Dialect, step: dict[str, Any], *, sender: str, charset: str, tokens: dict[str, str],
    now: dt.datetime,
) -> bytes:  # fmt: skip
    """The bytes a step sends."""
    if "raw_hex" in step:
        return bytes.fromhex(str(step["raw_hex"]))
    if "raw" in step:
        return _fill(str(step["raw"]), tokens).encode(charset)
    fields = [_fill(str(v), tokens) for v in step.get("fields", [])]
    frame = encode_frame(
        dialect, codes=str(step["codes"]), sender=str(step.get("sender", sender)), fields=fields,
        charset=charset, sent_at=now,
    )  # fmt: skip
    start, end = dialect.header.span(dialect.header.of_kind("length").name)
    width = end - start
    declared = int(frame[start:end])
    if step.get("drop_terminator"):
        frame, declared = frame[:-1], declared - 1
    if "length_delta" in step:
        declared += int(step["length_delta"])
    length = str(step.get("length", str(declared).rjust(width, "0")))
    return frame[:start] + length.encode("latin-1") + frame[end:]


class _Link:
    def __init__(self, host: str, port: int, dialect: Dialect, timeout: float) -> None:
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.decoder = FrameDecoder(dialect)
        self.queue: deque[RawFrame | Rejection] = deque()
        self.timeout = timeout

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def receive(self) -> RawFrame | Rejection | None:
        deadline = time.monotonic() + self.timeout
        while not self.queue:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                return None
            if not data:
                self.queue.extend(self.decoder.flush())
                if not self.queue:
                    return None
                break
            self.queue.extend(self.decoder.feed(data))
        return self.queue.popleft()

    def close(self) -> None:
        self.sock.close()


def run_scenario(
    *, host: str, port: int, scenario: Scenario, dialect: Dialect, charset: str = "",
    timeout: float = 5.0,
) -> list[StepResult]:  # fmt: skip
    """Send each step's frame and check the answer; stops at a lost connection."""
    charset = normalise_charset(charset or scenario.charset)
    now = dt.datetime.now(KST)
    tokens = {
        "run": now.strftime("%y%m%d%H%M%S") + secrets.token_hex(2).upper(),
        "now": now.strftime(TIME_FORMAT),
    }
    tokens.update(scenario.tokens)
    link = _Link(host, port, dialect, timeout)
    sent: list[bytes] = []
    results: list[StepResult] = []
    try:
        for index, step in enumerate(scenario.steps):
            if "resend" in step:
                data = sent[int(step["resend"])]
            else:
                data = build_frame(
                    dialect, step, sender=scenario.sender, charset=charset, tokens=tokens,
                    now=dt.datetime.now(KST),
                )  # fmt: skip
            sent.append(data)
            link.send(data)
            if step.get("pause"):
                time.sleep(float(step["pause"]))
            result = _check(index, step, data, link, dialect, charset, tokens)
            results.append(result)
            if result.problem == "no answer":
                # A late answer would be read as the next step's: stop here.
                break
    finally:
        link.close()
    return results


def _check(
    index: int, step: dict[str, Any], data: bytes, link: _Link, dialect: Dialect, charset: str,
    tokens: dict[str, str],
) -> StepResult:  # fmt: skip
    header = data[:4].decode("latin-1")
    codes = f"{header[:2]}/{header[2:]}"
    expect_raw = step.get("expect")
    expected = (
        None
        if expect_raw is None
        else {k: _fill(str(v), tokens) for k, v in dict(expect_raw).items()}
    )

    def result(ok: bool, problem: str = "", reply: dict[str, str] | None = None) -> StepResult:
        return StepResult(
            index, str(step.get("note", "")), codes, data[:96].hex(" "),
            data.decode(charset, errors="replace"), expected, reply, ok, problem,
        )  # fmt: skip

    if expected is None:
        return result(True)
    item = link.receive()
    if item is None:
        return result(False, "no answer")
    reply = decode_reply(dialect, item, charset) if isinstance(item, RawFrame) else item
    if isinstance(reply, Rejection):
        return result(False, f"unreadable answer: {reply.reason.value}")
    got = {"codes": reply.codes, "result": reply.result, "reason": reply.reason,
           "reference": reply.reference}  # fmt: skip
    problems = []
    want_result = dialect.reply.results.get(expected.get("result", ""), expected.get("result"))
    if reply.result != want_result:
        problems.append(f"result {reply.result} (expected {expected.get('result')})")
    framed = "raw" not in step and "raw_hex" not in step
    want_codes = expected.get("codes") or (dialect.reply.codes_for(codes) if framed else "")
    if want_codes and reply.codes != want_codes:
        problems.append(f"codes {reply.codes} (expected {want_codes})")
    for name in ("reason", "reference"):
        if name in expected and got[name] != expected[name]:
            problems.append(f"{name} {got[name]!r} (expected {expected[name]!r})")
    return result(not problems, "; ".join(problems), got)
