"""Shared by the HTTP benchmarks: a disposable database, a uvicorn server in a
subprocess, a minimal keep-alive HTTP/1.1 client and percentiles.

The client is a few lines of asyncio streams rather than a library so the
benchmarks need nothing beyond the project's own dependencies, and so its own
cost is small and the same for the product and its baseline.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SMARTCITY = str(Path(PYTHON).parent / "smartcity")


@dataclass
class Database:
    url: str
    label: str
    env: dict[str, str]


@contextlib.contextmanager
def disposable_database(kind: str, pg_base: str) -> Iterator[Database]:
    """A migrated, empty database: a temporary SQLite file, or a new PostgreSQL
    database on the server of ``pg_base`` (dropped afterwards)."""
    with tempfile.TemporaryDirectory(prefix="smartcity-bench-") as tmp:
        env = dict(os.environ)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env["SMARTCITY_DATA_DIR"] = tmp
        Path(tmp, "static").mkdir()  # STATIC_ROOT: ServeStatic warns when it is missing
        if kind == "sqlite":
            url = f"sqlite:///{tmp}/bench.sqlite3"
            label = "SQLite (WAL, synchronous=NORMAL)"
            name = ""
        else:
            import psycopg

            name = f"smartcity_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(pg_base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
                c.execute(f'CREATE DATABASE "{name}"')
                version = c.execute("SHOW server_version").fetchone()
            url = pg_base.rsplit("/", 1)[0] + "/" + name
            label = f"PostgreSQL {version[0] if version else ''}"
        env["DATABASE_URL"] = url
        try:
            subprocess.run([SMARTCITY, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
            yield Database(url, label, env)
        finally:
            if name:
                import psycopg

                with psycopg.connect(pg_base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
                    c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    port: int
    pid: int

    def rss_mb(self) -> float:
        """Resident memory of the server process."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


@contextlib.contextmanager
def uvicorn_server(
    app: str, env: dict[str, str], *, extra: list[str] | None = None
) -> Iterator[Server]:
    """``uvicorn APP`` in a subprocess (one worker), yielded once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [PYTHON, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
         "--no-access-log", "--log-level", "warning", *(extra or [])],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"uvicorn {app} did not start")
            time.sleep(0.05)
        yield Server(port, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


class HttpConnection:
    """One keep-alive HTTP/1.1 connection (Content-Length or chunked bodies)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader
        self.writer: asyncio.StreamWriter

    async def open(self) -> HttpConnection:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        return self

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        length, chunked = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding" and "chunked" in value:
                chunked = True
        if not chunked:
            return status, await self.reader.readexactly(length)
        data = b""
        while True:
            size = int((await self.reader.readline()).strip(), 16)
            chunk = await self.reader.readexactly(size + 2)
            if size == 0:
                return status, data
            data += chunk[:-2]

    def close(self) -> None:
        self.writer.close()


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    if not samples_ms:
        return {"p50": float("nan"), "p90": float("nan"), "p99": float("nan"), "max": float("nan")}
    values = np.array(samples_ms)
    return {
        "p50": float(np.percentile(values, 50)),
        "p90": float(np.percentile(values, 90)),
        "p99": float(np.percentile(values, 99)),
        "max": float(values.max()),
    }


def row(label: str, stats: dict[str, float], extra: str = "") -> str:
    cells = "".join(f"{stats[k]:10.2f}" for k in ("p50", "p90", "p99", "max"))
    return f"{label:44}{cells}  {extra}"


HEADER = f"{'':44}{'p50 ms':>10}{'p90 ms':>10}{'p99 ms':>10}{'max ms':>10}"
