"""Shared by the durability tests: databases and servers the tests start
themselves, a client that streams incident reports and remembers what was
acknowledged, and the check that every acknowledged report exists exactly once
and in order.

Everything runs on loopback, in processes started here: the application under
uvicorn (as ``scripts/serve`` runs it), a PostgreSQL cluster of the test's own
(``PgCluster``), a nats-server. A test that needs a binary or service that is
missing skips with the reason, except when ``CI`` is set: then it fails.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, Self

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
SMARTCITY = str(Path(PYTHON).parent / "smartcity")
PG_BIN = Path(os.environ.get("SMARTCITY_PG_BIN", "/usr/lib/postgresql/15/bin"))
MAIN_PG = os.environ.get("SMARTCITY_DURABILITY_PG", "postgres://postgres@127.0.0.1:5432/postgres")
INTAKE = "/api/operations/incidents"
STATUSES = ("10", "40", "40", "50", "91")
"""One incident's messages from its sender: occurred, information changed
twice, monitoring released, closed."""


def unavailable(message: str) -> NoReturn:
    """Skip for a missing binary or service; fail under CI, where it must exist."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate: Any, timeout: float, what: str, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


# --- databases ---------------------------------------------------------------


def app_env(data_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of the application's processes (server and commands)."""
    env = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "SMARTCITY_TEST_SQLITE", "SMARTCITY_REALTIME_NATS_URL"):
        env.pop(name, None)
    if env.pop("PYTHONDONTWRITEBYTECODE", None):
        # These tests start the app a dozen times; compiling every module
        # afresh costs seconds each. Cache bytecode outside the checkout.
        env["PYTHONPYCACHEPREFIX"] = str(
            Path(tempfile.gettempdir()) / "smartcity-durability-pycache"
        )
    (data_dir / "static").mkdir(parents=True, exist_ok=True)  # ServeStatic warns without it
    env.update(
        SMARTCITY_DATA_DIR=str(data_dir),
        DATABASE_URL=database_url,
        SMARTCITY_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def provision(env: dict[str, str]) -> str:
    """Migrate, add the 고양시 tenant and issue a 112 key; returns the key."""
    done = subprocess.run(
        [PYTHON, str(Path(__file__).with_name("provision.py"))],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if done.returncode != 0:
        raise AssertionError(f"provisioning failed:\n{done.stdout}\n{done.stderr}")
    return str(json.loads(done.stdout.strip().splitlines()[-1])["api_key"])


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy (the online backup API: WAL content included)."""
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def pg_reachable(url: str) -> str | None:
    """None when ``url`` answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        return f"PostgreSQL at {url} is not reachable ({type(exc).__name__}: {exc})"
    return None


@contextlib.contextmanager
def pg_database(server_url: str, name: str, template: str = "") -> Iterator[str]:
    """A new database ``name`` on the server of ``server_url`` (empty, or a copy
    of ``template``); dropped afterwards."""
    import psycopg

    admin = server_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class PgCluster:
    """A PostgreSQL 15 cluster of the test's own: ``initdb`` into a temporary
    directory owned by ``postgres`` (the tests run as root, and PostgreSQL
    refuses to), TCP on a free loopback port, its socket in the same directory,
    ``fsync`` on (the default) so a crash loses nothing committed."""

    def __init__(self) -> None:
        for binary in ("initdb", "pg_ctl", "postgres"):
            if not (PG_BIN / binary).exists():
                unavailable(f"PostgreSQL binary {PG_BIN / binary} not found (SMARTCITY_PG_BIN)")
        if os.geteuid() == 0 and shutil.which("runuser") is None:
            unavailable("runuser not found: needed to run PostgreSQL as user postgres")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="smartcity-durability-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        if os.geteuid() == 0:
            import pwd

            try:
                entry = pwd.getpwnam("postgres")
            except KeyError:
                unavailable("there is no user postgres to run the test cluster as")
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--no-locale", "--no-sync")  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, binary: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(PG_BIN / binary), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            output = f"{done.stdout}\n{done.stderr}\n{self.log_tail()}"
            raise AssertionError(f"{binary} {' '.join(args)} failed:\n{output}")
        return done

    def _options(self) -> str:
        return (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir}"
            " -c max_connections=60 -c shared_buffers=16MB -c fsync=on -c synchronous_commit=on"
        )

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                  "-o", self._options(), "start")  # fmt: skip

    def restart_fast(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                  "-m", "fast", "-o", self._options(), "restart")  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-m", mode, "stop")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def destroy(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


# --- the application ---------------------------------------------------------


class KillableProcess:
    """A child process a durability test SIGKILLs and restarts: the
    application server, the broker consumer."""

    process: subprocess.Popen[bytes] | None = None
    #: How long ``stop`` waits after SIGTERM before SIGKILL.
    stop_grace_s: float = 15.0

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, in-flight transactions die mid-way."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(self.stop_grace_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


class AppServer(KillableProcess):
    """The application under uvicorn, one worker, as ``scripts/serve`` runs it;
    restartable on the same port after a SIGKILL."""

    def __init__(self, env: dict[str, str], log_path: Path, port: int | None = None) -> None:
        self.env = env
        self.port = port or free_port()
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 90.0) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
             "--port", str(self.port), "--no-access-log", "--log-level", "warning"],
            env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        self.starts += 1

        def answers() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited at start:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                try:
                    conn.request("GET", "/healthz")
                    return conn.getresponse().status == 200
                finally:
                    conn.close()
            return False

        wait_for(answers, timeout, "the server to answer /healthz", interval=0.1)

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise AssertionError("no VmRSS in /proc status")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def unavailable_reasons(self) -> dict[str, int]:
        """What the "database unavailable" log lines said, counted."""
        reasons: Counter[str] = Counter()
        for line in self.log_text().splitlines():
            if "database unavailable" in line:
                reasons[line.split("->", 1)[-1].strip()[:160]] += 1
        return dict(reasons)

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""


# --- the sending system --------------------------------------------------------


@dataclass(frozen=True)
class Message:
    incident: int
    step: int
    external_id: str
    key: str
    status: str
    detail: str
    body: bytes


def scenario(run: str, incidents: int, occurred_at: str) -> list[list[Message]]:
    """``incidents`` incidents, each the sequence 10→40→40→50→91; every message
    has its own ``Idempotency-Key`` and its own detail text (so its timeline
    row can be told apart)."""
    plan = []
    for i in range(incidents):
        external_id = f"{run}-{i:03d}"
        messages = []
        for step, status in enumerate(STATUSES):
            detail = f"{external_id} 메시지 {step} ({status})"
            body = {
                "event_type": "112UC001",
                "status": status,
                "external_id": external_id,
                "occurred_at": occurred_at,
                "latitude": f"{37.63 + (i % 50) * 0.001:.6f}",  # inside 고양시
                "longitude": f"{126.78 + (i % 50) * 0.001:.6f}",
                "address": "경기도 고양시 덕양구 고양시청로 10",
                "detail": detail,
                "case_type": "강도",
            }
            messages.append(
                Message(i, step, external_id, f"{external_id}-{step}", status, detail,
                        json.dumps(body, ensure_ascii=False).encode())
            )  # fmt: skip
        plan.append(messages)
    return plan


@dataclass
class Ack:
    key: str
    http_status: int
    incident_id: int
    replayed: bool
    attempts: int
    after_failure: bool
    """An earlier attempt got no answer (connection lost) or a 503."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Sender:
    """One keep-alive connection of a sending system."""

    def __init__(self, port: int, api_key: str, timeout: float = 10.0) -> None:
        self.port, self.api_key, self.timeout = port, api_key, timeout
        self._conn: http.client.HTTPConnection | None = None

    def post(self, key: str, body: bytes) -> Response:
        if self._conn is None:
            self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self._conn.request(
                "POST", INTAKE, body,
                {"Content-Type": "application/json", "X-Api-Key": self.api_key,
                 "Idempotency-Key": key},
            )  # fmt: skip
            raw = self._conn.getresponse()
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
        except BaseException:
            self.close()
            raise

    def get(self, path: str) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            conn.request("GET", path)
            raw = conn.getresponse()
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
        finally:
            conn.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class SenderPool:
    """Worker threads that take units of work (an incident's messages, or a
    batch of them) from a queue until done or past the deadline; the streams
    below share it."""

    plan: list[list[Message]]
    acks: dict[str, Ack]
    in_flight: set[str]
    workers: int
    deadline_s: float

    def _prepare(self, units: list[Any]) -> None:
        self._lock = threading.Lock()
        self._todo: queue.Queue[Any] = queue.Queue()
        for unit in units:
            self._todo.put(unit)
        self._threads = [
            threading.Thread(target=self._work, name=f"sender-{n}", daemon=True)
            for n in range(self.workers)
        ]
        self._deadline = 0.0

    def _work(self) -> None:
        raise NotImplementedError

    @property
    def total(self) -> int:
        return sum(len(m) for m in self.plan)

    def acked(self) -> int:
        with self._lock:
            return len(self.acks)

    def snapshot_in_flight(self) -> set[str]:
        with self._lock:
            return set(self.in_flight)

    def start(self) -> Self:
        self._deadline = time.monotonic() + self.deadline_s
        for thread in self._threads:
            thread.start()
        return self

    def join(self) -> None:
        for thread in self._threads:
            thread.join(max(1.0, self._deadline - time.monotonic() + 15))


@dataclass
class Stream(SenderPool):
    """Workers that each take an incident and send its messages in order, each
    until it is acknowledged (2xx): on a lost connection or a 503 the same
    message is sent again with the same key, so what the server committed but
    could not acknowledge is answered as a replay."""

    port: int
    api_key: str
    plan: list[list[Message]]
    workers: int = 6
    deadline_s: float = 150.0
    pause_s: float = 0.0
    acks: dict[str, Ack] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)
    unexpected: list[tuple[str, int, bytes]] = field(default_factory=list)
    unavailable_samples: list[Response] = field(default_factory=list)
    in_flight: set[str] = field(default_factory=set)
    sent_at: dict[str, float] = field(default_factory=dict)
    acked_at: dict[str, float] = field(default_factory=dict)
    given_up: list[str] = field(default_factory=list)
    history: dict[str, list[str]] = field(default_factory=dict)
    """Every attempt's outcome per key, for the failure message."""

    def __post_init__(self) -> None:
        self._prepare(self.plan)

    def _work(self) -> None:
        sender = Sender(self.port, self.api_key)
        try:
            while True:
                try:
                    messages = self._todo.get_nowait()
                except queue.Empty:
                    return
                for message in messages:
                    if not self._deliver(sender, message):
                        with self._lock:
                            self.given_up.append(message.key)
                        break
                    if self.pause_s:
                        time.sleep(self.pause_s)
        finally:
            sender.close()

    def _deliver(self, sender: Sender, message: Message) -> bool:
        attempts, failed = 0, False
        while time.monotonic() < self._deadline:
            attempts += 1
            with self._lock:
                self.in_flight.add(message.key)
                self.sent_at.setdefault(message.key, time.monotonic())
            try:
                response = sender.post(message.key, message.body)
            except (OSError, http.client.HTTPException) as exc:
                with self._lock:
                    self.outcomes["no answer"] += 1
                    self.history.setdefault(message.key, []).append(
                        f"{time.monotonic():.3f} {type(exc).__name__}"
                    )
                failed = True
                time.sleep(0.05)
                continue
            finally:
                with self._lock:
                    self.in_flight.discard(message.key)
            with self._lock:
                self.outcomes[str(response.status)] += 1
                self.history.setdefault(message.key, []).append(
                    f"{time.monotonic():.3f} {response.status} {response.body[:120]!r}"
                )
            if response.status in (200, 201):
                data = response.json()
                ack = Ack(
                    message.key, response.status, int(data["id"]),
                    response.headers.get("idempotent-replayed") == "true", attempts, failed,
                )  # fmt: skip
                with self._lock:
                    self.acks[message.key] = ack
                    self.acked_at[message.key] = time.monotonic()
                return True
            if response.status == 503:
                failed = True
                with self._lock:
                    if len(self.unavailable_samples) < 20:
                        self.unavailable_samples.append(response)
                time.sleep(0.1)
                continue
            with self._lock:
                self.unexpected.append((message.key, response.status, response.body[:2000]))
            if 400 <= response.status < 500:
                return False  # the server refuses this message; sending it again will not help
            time.sleep(0.1)
        return False


def check_unavailable_response(response: Response) -> None:
    """A 503 a sender can act on: problem JSON with a code, and Retry-After."""
    assert response.status == 503, response
    assert response.headers.get("retry-after", "").isdigit(), response.headers
    assert response.headers.get("content-type", "").startswith("application/json"), response
    problem = response.json()
    assert problem["code"] == "database_unavailable", problem
    assert problem["detail"], problem


def resend_some_acknowledged(port: int, api_key: str, stream: Stream, every: int = 4) -> int:
    """Send every ``every``-th acknowledged message again: each must be answered
    as a replay of the same incident, changing nothing."""
    by_key = {m.key: m for messages in stream.plan for m in messages}
    sender = Sender(port, api_key)
    resent = 0
    try:
        for key in sorted(stream.acks)[::every]:
            response = sender.post(key, by_key[key].body)
            assert response.status == 200, (key, response)
            assert response.headers.get("idempotent-replayed") == "true", (key, response.headers)
            assert response.json()["id"] == stream.acks[key].incident_id, key
            resent += 1
    finally:
        sender.close()
    return resent


# --- the database, read directly ---------------------------------------------


class DbReader:
    """Plain SQL over the database the server wrote (SQLite file or PostgreSQL)."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        if database_url.startswith("sqlite:///"):
            self._conn: Any = sqlite3.connect(database_url.removeprefix("sqlite:///"))
            self._mark = "?"
        else:
            import psycopg

            self._conn = psycopg.connect(database_url, autocommit=True)
            self._mark = "%s"

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return list(self._conn.execute(sql.replace("%s", self._mark), params).fetchall())

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> DbReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def incident_audit(db: Any) -> dict[str, list[str]]:
    """Each incident's audit actions in chain order: rows of their own (the
    CLI, the services) and events of group rows (every intake endpoint goes
    through the group writer, ADR 0023)."""
    actions: dict[str, list[str]] = {}
    for action, object_id, data in db.rows(
        "SELECT action, object_id, data FROM core_auditevent"
        " WHERE object_type = 'operations.incident' OR action = %s ORDER BY id",
        "operations.incidents_received",
    ):
        if action != "operations.incidents_received":
            actions.setdefault(object_id, []).append(action)
            continue
        for member in _json(data)["chained_events"]:
            if member["object_type"] == "operations.incident":
                actions.setdefault(member["object_id"], []).append(member["action"])
    return actions


def check_exactly_once(
    database_url: str, stream: Stream, audit: dict[str, list[str]] | None = None
) -> dict[str, int]:
    """Every acknowledged message exists exactly once, and each incident's
    timeline holds its messages in the order they were sent. ``audit``: each
    incident's audit actions when they live in group rows (batched intake)."""
    assert not stream.given_up, f"messages never acknowledged: {stream.given_up[:10]}"
    assert len(stream.acks) == stream.total, (len(stream.acks), stream.total)
    with DbReader(database_url) as db:
        records: dict[str, list[int]] = {}
        for key, incident_id in db.rows(
            "SELECT key, incident_id FROM operations_idempotencyrecord"
        ):
            records.setdefault(key, []).append(incident_id)
        for key, ack in stream.acks.items():
            assert records.get(key) == [ack.incident_id], (key, records.get(key), ack)
        assert len(records) == stream.total, "committed messages that were never sent"
        timeline_rows = 0
        if audit is None:
            audit = incident_audit(db)
        for messages in stream.plan:
            external_id = messages[0].external_id
            ids = [r[0] for r in db.rows(
                "SELECT id FROM operations_incident WHERE external_id = %s", external_id
            )]  # fmt: skip
            assert len(ids) == 1, (external_id, ids)
            (incident_id,) = ids
            assert {stream.acks[m.key].incident_id for m in messages} == {incident_id}
            timeline = db.rows(
                "SELECT action, status_id, data FROM operations_incidentevent"
                " WHERE incident_id = %s ORDER BY id",
                incident_id,
            )
            timeline_rows += len(timeline)
            assert [t[1] for t in timeline] == [m.status for m in messages], (external_id, timeline)
            assert timeline[0][0] == "reported", timeline[0]
            details = [_json(t[2])["changes"]["detail"][1] for t in timeline[1:]]
            assert details == [m.detail for m in messages[1:]], (external_id, details)
            actions = audit.get(str(incident_id), [])
            assert actions == ["operations.incident_reported"] + ["operations.incident_updated"] * (
                len(messages) - 1
            ), (external_id, actions)
    return {"idempotency_records": len(records), "timeline_rows": timeline_rows}


def audit_chain_intact(env: dict[str, str]) -> str:
    done = subprocess.run(
        [SMARTCITY, "audit", "verify"], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, f"audit chain broken:\n{done.stdout}\n{done.stderr}"
    return done.stdout.strip()


def crash_figures(stream: Stream, in_flight_at_kills: list[set[str]]) -> str:
    """How many messages were in flight at each kill, and how many of those had
    been committed before the crash (answered as a replay when re-sent)."""
    parts = []
    for n, keys in enumerate(in_flight_at_kills, 1):
        committed = sum(1 for k in keys if k in stream.acks and stream.acks[k].replayed)
        parts.append(f"kill {n}: {len(keys)} in flight, {committed} of them already committed")
    return "; ".join(parts)
