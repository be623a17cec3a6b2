"""The legacy linkage TCP server (``smartcity linkage serve``).

One asyncio task per connection reads bytes, feeds the codec and handles the
frames it yields in order; database work runs in a small thread pool (the ORM
is synchronous and each worker thread keeps its own connection). A peer's
frames are handled one at a time, so its messages about one incident are
applied in the order it sent them, and the reply to a frame is written only
after the worker returned — that is, after the transaction committed.

A connection from an address no peer names is closed before it is read. A
malformed frame is refused (logged with the peer, the reason code and a hex
excerpt, counted, and answered negatively when its header could be read); the
codec resynchronises, so a logged-in peer's connection stays open and no other
peer notices. Before login, a few refused frames (``max_refused_before_login``)
close the connection. Refusal log lines are budgeted (``LogBudget``): one budget
shared by everything not logged in, one per logged-in connection; the lines
held back are counted and reported with the next line let through.
On SIGTERM/SIGINT the server stops accepting, lets each connection finish the
frames it already received, closes them and exits.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from smartcity.operations.domain.legacy_dialect import Dialect
from smartcity.operations.domain.legacy_encoding import (
    encode_reply,
)
from smartcity.operations.domain.legacy_frames import (
    FrameDecoder,
    RawFrame,
    Rejection,
    RejectReason,
)
from smartcity.operations.domain.legacy_messages import (
    Message,
    decode_message,
)
from smartcity.operations.domain.legacy_peers import PeersConfig, PeerSpec
from smartcity.operations.domain.log_budget import LogBudget
from smartcity.operations.legacy.intake import Answer, LinkedPeer, receive_legacy_report

logger = logging.getLogger("smartcity.operations.legacy")

READ_SIZE = 65536
WRITE_TIMEOUT_S = 10.0
STOP_GRACE_S = 30.0


@dataclass
class _Connection:
    address: str
    port: int
    writer: asyncio.StreamWriter
    peer: LinkedPeer | None = None
    decoder: FrameDecoder | None = None
    refused_before_login: int = 0
    closing: bool = False
    """Set to close the connection after the frame being handled."""
    log_budget: LogBudget | None = None
    """The connection's own log budget once logged in (before: the server's)."""

    @property
    def label(self) -> str:
        who = self.peer.label if self.peer else "-"
        return f"{who} {self.address}:{self.port}"


@dataclass
class LegacyServer:
    dialect: Dialect
    config: PeersConfig
    peers: dict[PeerSpec, LinkedPeer]
    workers: int = 4
    stats: collections.Counter[str] = field(default_factory=collections.Counter)
    rejections: collections.Counter[str] = field(default_factory=collections.Counter)
    report: Callable[[LinkedPeer, Message, Dialect], Answer] | None = None
    """The write path (tests may count calls); default ``receive_legacy_report``."""
    log_burst: int = 20
    log_per_minute: float = 10.0

    def __post_init__(self) -> None:
        self._anonymous_log = LogBudget(self.log_burst, self.log_per_minute)
        self._stop = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=self.workers, thread_name_prefix="legacy-db"
        )

    # -- lifecycle

    async def start(self, host: str, port: int) -> tuple[str, int]:
        self._server = await asyncio.start_server(self._accept, host, port, limit=READ_SIZE * 4)
        sock = self._server.sockets[0].getsockname()
        return str(sock[0]), int(sock[1])

    def request_stop(self) -> None:
        if not self._stop.is_set():
            logger.info("legacy adapter stopping: finishing frames in flight")
        self._stop.set()
        if self._server is not None:
            self._server.close()

    def install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self.request_stop)

    async def wait_stopped(self) -> None:
        await self._stop.wait()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=STOP_GRACE_S)
            for task in pending:
                task.cancel()
        self._pool.shutdown(wait=True)
        logger.info(
            "legacy adapter stopped: %s; rejected %s", dict(self.stats), dict(self.rejections)
        )

    # -- connections

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        peername = writer.get_extra_info("peername") or ("?", 0)
        conn = _Connection(str(peername[0]), int(peername[1]), writer)
        conn.decoder = FrameDecoder(self.dialect)
        self.stats["connections"] += 1
        if not self.config.knows(conn.address):
            self.stats["unknown_hosts"] += 1
            self._log(
                conn, logging.WARNING, "legacy connection from %s refused: no peer connects "
                "from this address", conn.label,
            )  # fmt: skip
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            self._tasks.discard(task)
            return
        logger.info("legacy connection from %s", conn.label)
        try:
            await self._serve(conn, reader)
        except (OSError, asyncio.IncompleteReadError) as exc:  # reset, write timeout
            logger.info("legacy connection %s lost: %s", conn.label, exc)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            self._tasks.discard(task)
            held = conn.log_budget.held if conn.log_budget else 0
            if held:
                logger.warning(
                    "legacy connection %s: %d refusal log line(s) held back", conn.label, held
                )
            logger.info("legacy connection %s closed", conn.label)

    async def _serve(self, conn: _Connection, reader: asyncio.StreamReader) -> None:
        decoder = conn.decoder
        assert decoder is not None
        stop_wait = asyncio.ensure_future(self._stop.wait())
        try:
            while not self._stop.is_set():
                pending = decoder.pending > 0
                timeout = self.config.frame_timeout_s if pending else self.config.idle_timeout_s
                read = asyncio.ensure_future(reader.read(READ_SIZE))
                done, _ = await asyncio.wait(
                    {read, stop_wait},
                    timeout=timeout or None,
                    return_when=asyncio.FIRST_COMPLETED,
                )
                if read not in done:
                    read.cancel()
                    if stop_wait in done:
                        break  # stopping: a partial frame is not acknowledged, the peer resends
                    if not pending:
                        logger.info("legacy connection %s idle: closing", conn.label)
                        break
                    items = decoder.flush()  # the frame in progress timed out
                else:
                    data = read.result()
                    items = decoder.feed(data) if data else decoder.flush()
                    if not data:
                        await self._handle_all(conn, items)
                        break
                await self._handle_all(conn, items)
                if conn.closing:
                    break
        finally:
            stop_wait.cancel()

    async def _handle_all(self, conn: _Connection, items: list[RawFrame | Rejection]) -> None:
        for item in items:
            await self._handle(conn, item)
            if conn.closing:
                return

    async def _handle(self, conn: _Connection, item: RawFrame | Rejection) -> None:
        if isinstance(item, Rejection):
            await self._refuse(conn, item)
            return
        self.stats["frames"] += 1
        spec = self.dialect.messages.get(item.codes)
        if spec is not None and spec.action == "login":
            await self._login(conn, item)
            return
        if conn.peer is None:
            await self._refuse(conn, _rejection(item, RejectReason.NOT_LOGGED_IN, self.dialect))
            return
        if item.sender != conn.peer.sender:
            detail = f"logged in as {conn.peer.sender}"
            await self._refuse(
                conn, _rejection(item, RejectReason.SENDER_MISMATCH, self.dialect, detail)
            )
            return
        message = decode_message(self.dialect, item, conn.peer.charset)
        if isinstance(message, Rejection):
            await self._refuse(conn, message)
            return
        answer = await self._report(conn.peer, message)
        if answer.outcome in {"rejected", "refused", "failed"}:
            self.rejections[answer.reason] += 1
            self._log(
                conn, logging.WARNING, "legacy %s %s from %s: %s %s (reference %s)",
                message.codes, answer.outcome, conn.label, answer.reason, message.spec.name,
                answer.reference,
            )  # fmt: skip
        self.stats[answer.outcome] += 1
        await self._reply(conn, item.codes, item.sender, answer)

    async def _login(self, conn: _Connection, frame: RawFrame) -> None:
        spec = self.config.match(frame.sender, conn.address)
        peer = self.peers.get(spec) if spec is not None else None
        if peer is None:
            detail = f"no peer {frame.sender!r} from {conn.address}"
            rejection = _rejection(frame, RejectReason.PEER_NOT_CONFIGURED, self.dialect, detail)
            await self._refuse(conn, rejection)
            return
        message = decode_message(self.dialect, frame, peer.charset)
        if isinstance(message, Rejection):
            await self._refuse(conn, message)
            return
        conn.peer = peer
        conn.log_budget = LogBudget(self.log_burst, self.log_per_minute)
        self.stats["logins"] += 1
        logger.info("legacy login %s", conn.label)
        await self._reply(conn, frame.codes, frame.sender, Answer("accepted", "", ""))

    async def _report(self, peer: LinkedPeer, message: Message) -> Answer:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._report_in_thread, peer, message)

    def _report_in_thread(self, peer: LinkedPeer, message: Message) -> Answer:
        reference = message.report.external_id if message.report else ""
        close_old_connections()
        try:
            if self.report is not None:
                return self.report(peer, message, self.dialect)
            return receive_legacy_report(peer=peer, message=message, dialect=self.dialect)
        except DatabaseError as exc:
            logger.error("legacy %s from %s: database error %s", message.codes, peer.label, exc)
            connection.close()  # reconnect on the next message (the server may have restarted)
            return Answer("failed", "database_error", reference)
        except Exception:
            logger.exception("legacy %s from %s: internal error", message.codes, peer.label)
            return Answer("failed", "internal_error", reference)
        finally:
            close_old_connections()

    async def _refuse(self, conn: _Connection, rejection: Rejection) -> None:
        self.rejections[rejection.reason.value] += 1
        self.stats["rejected"] += 1
        self._log(
            conn, logging.WARNING,
            "legacy frame refused from %s: %s (%s) codes=%s sender=%s bytes=[%s]",
            conn.label, rejection.reason.value, rejection.detail, rejection.codes or "-",
            rejection.sender or "-", rejection.hex_excerpt(),
        )  # fmt: skip
        if rejection.codes and rejection.sender:
            answer = Answer("rejected", rejection.reason.value, "")
            await self._reply(conn, rejection.codes, rejection.sender, answer)
        if conn.peer is None:
            conn.refused_before_login += 1
            if conn.refused_before_login >= self.config.max_refused_before_login:
                self.stats["closed_before_login"] += 1
                self._log(
                    conn, logging.WARNING,
                    "legacy connection %s closed: %d refused frame(s) before login",
                    conn.label, conn.refused_before_login,
                )  # fmt: skip
                conn.closing = True

    def _log(self, conn: _Connection, level: int, msg: str, *args: object) -> None:
        """Log within the budget of the connection (logged in) or of everything
        not logged in; a line let through says how many were held back before it."""
        budget = conn.log_budget or self._anonymous_log
        held = budget.take(time.monotonic())
        if held is None:
            return
        if held:
            msg += " [%d similar line(s) held back]"
            args = (*args, held)
        logger.log(level, msg, *args)

    async def _reply(self, conn: _Connection, codes: str, sender: str, answer: Answer) -> None:
        charset = conn.peer.charset if conn.peer else "utf-8"
        data = encode_reply(
            self.dialect, codes=codes, sender=sender, outcome=answer.outcome,
            reason=answer.reason, reference=answer.reference, charset=charset,
            now=timezone.now(),
        )  # fmt: skip
        conn.writer.write(data)
        await asyncio.wait_for(conn.writer.drain(), WRITE_TIMEOUT_S)


def _rejection(
    frame: RawFrame, reason: RejectReason, dialect: Dialect, detail: str = ""
) -> Rejection:
    return Rejection(reason, detail, frame.raw[: dialect.excerpt_bytes], frame.codes, frame.sender)


async def serve_forever(
    server: LegacyServer, host: str, port: int, *, ready: Callable[[str, int], None]
) -> None:
    """Start, announce (``ready``), run until SIGTERM/SIGINT, stop gracefully."""
    bound = await server.start(host, port)
    server.install_signal_handlers()
    ready(*bound)
    await server.wait_stopped()
