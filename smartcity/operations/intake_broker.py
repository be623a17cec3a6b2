"""The broker path for sending systems: a durable JetStream consumer that feeds
the group writer and acknowledges each message only after its group committed
(docs/adr/0024-broker-intake-on-jetstream.md).

A sending system publishes to ``<prefix>.intake.in.<sender>`` on the
installation's stream (``REALTIME_NATS_*``, ADR 10) — one incident report (a
JSON object) or a batch (a JSON array, or NDJSON with ``Content-Type:
application/x-ndjson``), the schema of ``POST /api/operations/incidents/batch``,
each event with its own ``idempotency_key`` — with its API key in the
``Smartcity-Api-Key`` header. ``smartcity intake-broker`` reads those subjects
with a pull consumer, validates each message as the batch endpoint does,
submits its events to this process's group writer and, once the group
committed, publishes one result per event (201/200/409/422, the batch
endpoint's answer) on ``<prefix>.intake.results.<sender>`` and only then
acknowledges the message. A message without a valid key is refused (401
result, logged, terminated) and nothing of it is written.

A crash between commit and acknowledgement makes JetStream deliver the
message again after ``OPERATIONS_INTAKE_BROKER_ACK_WAIT_SECONDS``; its events
are then replays of the same incidents (idempotency keys), so nothing
acknowledged is lost and nothing is doubled. A failed group (the database
away) is not acknowledged either: the message is delivered again a second
later. While a message waits for its group the consumer tells JetStream it is
still working on it, so a slow commit is not mistaken for a crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.responses import NinjaJSONEncoder

from smartcity.operations.api.batch import NDJSON_TYPES, batch_ack, parse_batch, prepare_batch
from smartcity.operations.domain.broker_subjects import (
    intake_wildcard,
    results_subject,
    sender_of,
)
from smartcity.operations.intake_writer import group_writer
from smartcity.operations.services.intake_group import EventResult
from smartcity.realtime.bus import BusSettings, connect, ensure_stream

logger = logging.getLogger("smartcity.operations.intake")

API_KEY_HEADER = "Smartcity-Api-Key"
CONTENT_TYPE_HEADER = "Content-Type"
LANGUAGE_HEADER = "Accept-Language"
FETCH_MAX = 256
RETRY_DELAY_S = 1.0


@dataclass
class BrokerStats:
    messages: int = 0
    events_stored: int = 0
    refused: int = 0
    retried: int = 0


class IntakeConsumer:
    """Reads intake messages from JetStream until ``stop`` is set."""

    def __init__(
        self,
        cfg: BusSettings,
        *,
        stop: threading.Event | None = None,
        on_ready: Callable[[], None] | None = None,
    ) -> None:
        self.cfg = cfg
        self.on_ready = on_ready
        self.stop = stop or threading.Event()
        self.durable = str(settings.OPERATIONS_INTAKE_BROKER_CONSUMER)
        self.ack_wait_s = float(settings.OPERATIONS_INTAKE_BROKER_ACK_WAIT_SECONDS)
        self.in_flight = max(1, int(settings.OPERATIONS_INTAKE_BROKER_IN_FLIGHT))
        self.stats = BrokerStats()
        self.ready = threading.Event()
        """Set once the consumer exists and the first fetch is under way."""

    def consumer_config(self) -> Any:
        from nats.js import api

        return api.ConsumerConfig(
            durable_name=self.durable,
            filter_subject=intake_wildcard(self.cfg.prefix),
            deliver_policy=api.DeliverPolicy.ALL,
            ack_policy=api.AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait_s,
            max_ack_pending=self.in_flight * 2,
            max_deliver=-1,
        )

    async def run(self) -> None:
        import nats.errors

        nc = await connect(self.cfg, role="intake-broker")
        try:
            js = nc.jetstream(timeout=10)
            await ensure_stream(js, self.cfg)
            try:  # create, or bring an existing consumer to these settings
                await js.add_consumer(self.cfg.stream, self.consumer_config())
            except nats.errors.Error as error:
                logger.warning("intake broker: consumer %s kept as it is: %r", self.durable, error)
            sub = await js.pull_subscribe(
                intake_wildcard(self.cfg.prefix),
                durable=self.durable,
                stream=self.cfg.stream,
                config=self.consumer_config(),
            )
            slots = asyncio.Semaphore(self.in_flight)
            tasks: set[asyncio.Task[None]] = set()
            self.ready.set()
            if self.on_ready is not None:
                self.on_ready()
            while not self.stop.is_set():
                await slots.acquire()
                free = 1
                while free < FETCH_MAX and not slots.locked():
                    await slots.acquire()
                    free += 1
                try:
                    messages = await sub.fetch(batch=free, timeout=0.5)
                except (TimeoutError, nats.errors.TimeoutError):
                    messages = []
                except nats.errors.Error as error:
                    logger.warning("intake broker: fetch failed: %r", error)
                    messages = []
                    await asyncio.sleep(0.2)
                for _unused in range(free - len(messages)):
                    slots.release()
                for msg in messages:
                    task = asyncio.create_task(self.handle(nc, msg))
                    tasks.add(task)

                    def finished(task: asyncio.Task[None]) -> None:
                        tasks.discard(task)
                        slots.release()

                    task.add_done_callback(finished)
            if tasks:
                await asyncio.wait(tasks, timeout=self.ack_wait_s)
        finally:
            # Flush what was published and acknowledged, then close (a drain
            # would wait for the pull subscription's open request to expire).
            with contextlib.suppress(Exception):
                await nc.flush(timeout=2)
            with contextlib.suppress(Exception):
                await nc.close()

    async def handle(self, nc: Any, msg: Any) -> None:
        """One message: its result published and the message acknowledged
        after the commit, refused, or left to be delivered again."""
        self.stats.messages += 1
        headers = dict(msg.headers or {})
        sender = sender_of(self.cfg.prefix, msg.subject) or "unknown"
        reply = results_subject(self.cfg.prefix, sender)
        with translation.override(_language(headers.get(LANGUAGE_HEADER, ""))):
            try:
                answer = await self._answer(msg, headers, sender)
            except Exception:  # a bug, not the sender's fault: keep the message
                logger.exception("intake broker: message %s from %s failed", _sequence(msg), sender)
                answer = None
            if answer is None:  # the group failed: not acknowledged, delivered again
                self.stats.retried += 1
                with contextlib.suppress(Exception):
                    await msg.nak(delay=RETRY_DELAY_S)
                return
            status, body = answer
            body = {"message": _identity(msg, headers), "status": status, **body}
            data = json.dumps(body, ensure_ascii=False, default=str).encode()
        try:
            await nc.publish(reply, data, headers=_reply_headers(msg, headers))
            if status == 200:
                await msg.ack()
            else:
                await msg.term()  # refused whole: delivering it again would not help
        except Exception as error:  # the connection went: JetStream delivers it again
            logger.warning("intake broker: could not answer %s: %r", msg.subject, error)

    async def _answer(
        self, msg: Any, headers: dict[str, str], sender: str
    ) -> tuple[int, dict[str, Any]] | None:
        api_key = headers.get(API_KEY_HEADER, "")
        if not api_key:
            return self._refuse(
                msg, sender, 401, _("API 키(Smartcity-Api-Key 헤더)가 없습니다."), "no API key"
            )
        try:
            items = _parse(msg.data, headers.get(CONTENT_TYPE_HEADER, ""))
        except HttpError as error:
            return self._refuse(msg, sender, error.status_code, str(error), "unreadable")
        prepared = prepare_batch(items)
        future = group_writer().submit(api_key=api_key, events=prepared.events)
        try:
            results = await self._wait(future, msg)
        except Exception as error:
            logger.warning(
                "intake broker: group failed for %s, not acknowledged: %r", sender, error
            )
            return None
        if results is None:
            return self._refuse(
                msg,
                sender,
                401,
                _("API 키(Smartcity-Api-Key 헤더)가 올바르지 않습니다."),
                "invalid API key",
            )
        ack = batch_ack(prepared, results)
        self.stats.events_stored += ack["stored"]
        # JSON-safe (times as ISO text), as the batch endpoint renders it.
        return 200, json.loads(json.dumps(ack, cls=NinjaJSONEncoder))

    async def _wait(
        self, future: Future[list[EventResult] | None], msg: Any
    ) -> list[EventResult] | None:
        """The group's answer; meanwhile JetStream hears every third of the
        ack wait that the message is still being worked on."""
        waiting = asyncio.wrap_future(future)
        while True:
            done, _pending = await asyncio.wait({waiting}, timeout=self.ack_wait_s / 3)
            if done:
                return waiting.result()
            with contextlib.suppress(Exception):
                await msg.in_progress()

    def _refuse(
        self, msg: Any, sender: str, status: int, detail: str, reason: str
    ) -> tuple[int, dict[str, Any]]:
        self.stats.refused += 1
        logger.warning(
            "intake broker: message %s from %s refused (%s, %s): nothing written",
            _sequence(msg), sender, status, reason,
        )  # fmt: skip
        return status, {"detail": detail}


def _parse(data: bytes, content_type: str) -> list[Any]:
    """The events of a message: one JSON object, a JSON array or NDJSON."""
    if content_type not in NDJSON_TYPES and data.lstrip()[:1] == b"{":
        try:
            one = json.loads(data)
        except (UnicodeDecodeError, json.JSONDecodeError):
            one = None  # parse_batch names the place
        if isinstance(one, dict):
            return [one]
    return parse_batch(data, content_type or "application/json")


def _sequence(msg: Any) -> int | None:
    try:
        return int(msg.metadata.sequence.stream)
    except Exception:
        return None


def _identity(msg: Any, headers: dict[str, str]) -> dict[str, Any]:
    """What lets a sender match a result to what it sent."""
    from smartcity.realtime.bus import MSG_ID

    delivered = None
    with contextlib.suppress(Exception):
        delivered = int(msg.metadata.num_delivered)
    return {
        "subject": msg.subject,
        "sequence": _sequence(msg),
        "msg_id": headers.get(MSG_ID, ""),
        "delivered": delivered,
    }


def _reply_headers(msg: Any, headers: dict[str, str]) -> dict[str, str]:
    from smartcity.realtime.bus import MSG_ID

    out = {"Content-Type": "application/json"}
    if headers.get(MSG_ID):
        out["Smartcity-In-Reply-To"] = headers[MSG_ID]
    return out


def _language(header: str) -> str:
    for part in header.split(","):
        code = part.split(";")[0].strip()
        if not code:
            continue
        with contextlib.suppress(LookupError):
            return translation.get_supported_language_variant(code)
    return str(settings.LANGUAGE_CODE)
