"""The NATS JetStream transport for several application nodes (scale-out).

With ``REALTIME_NATS_URL`` empty (the default) nothing here runs: one process,
the outbox table, ``NOTIFY``/polling (``hub``). With it set:

- the **relay** (``realtime.relay``) moves committed outbox rows into the
  installation's stream, one message per row, subject
  ``<prefix>.events.<channel>``, header ``Nats-Msg-Id`` = the outbox id, so
  JetStream drops a re-sent row within the stream's duplicate window;
- each process's **hub** (``realtime.bus_worker``) reads the stream with an
  ordered consumer instead of the table, so a board on node 1 hears an
  incident received by node 2.

The outbox stays the transactional truth; the stream is a durable,
replicated delivery log after it (docs/adr/0010-nats-jetstream-scale-out.md).
This module holds only what both sides share: settings, the connection (which
reconnects for ever, because a node must outlive a NATS restart), the stream's
definition and the message format. It imports no product app.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from smartcity.realtime.domain.subjects import event_subject, stream_subjects

logger = logging.getLogger(__name__)

MSG_ID = "Nats-Msg-Id"
NODE_HEADER = "Smartcity-Node"


@dataclass(frozen=True, slots=True)
class BusSettings:
    """Where the bus is and how the installation's stream is defined."""

    url: str
    stream: str
    prefix: str
    node: str
    duplicate_window_s: float
    max_age_s: float
    relay_in_process: bool

    @property
    def servers(self) -> list[str]:
        return [part.strip() for part in self.url.split(",") if part.strip()]


def default_node_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def bus_settings() -> BusSettings | None:
    """The bus configuration, or ``None`` when no broker is configured."""
    url = str(getattr(settings, "REALTIME_NATS_URL", "") or "").strip()
    if not url:
        return None
    return BusSettings(
        url=url,
        stream=str(getattr(settings, "REALTIME_NATS_STREAM", "SMARTCITY")),
        prefix=str(getattr(settings, "REALTIME_NATS_SUBJECT_PREFIX", "smartcity")),
        node=str(getattr(settings, "REALTIME_NODE_NAME", "") or default_node_name()),
        duplicate_window_s=float(getattr(settings, "REALTIME_NATS_DUPLICATE_WINDOW_SECONDS", 600)),
        max_age_s=float(getattr(settings, "REALTIME_NATS_MAX_AGE_HOURS", 72)) * 3600,
        relay_in_process=bool(getattr(settings, "REALTIME_NATS_RELAY_IN_PROCESS", True)),
    )


def bus_enabled() -> bool:
    return bus_settings() is not None


# --- Connection ---------------------------------------------------------------------------


async def connect(
    cfg: BusSettings,
    *,
    role: str,
    reconnected: Callable[[], Awaitable[None]] | None = None,
    disconnected: Callable[[], Awaitable[None]] | None = None,
) -> Any:
    """A NATS connection that keeps reconnecting for as long as it is open.

    ``max_reconnect_attempts=-1``: a NATS restart must not leave a node
    without its bus; while disconnected the client buffers nothing for us (the
    relay waits for acknowledgements, and the hub resumes by stream sequence).
    """
    import nats

    client: list[Any] = []

    async def on_error(error: Exception) -> None:
        logger.warning("realtime bus (%s): %s", role, error)

    async def on_disconnected() -> None:
        if client and client[0].is_closed:
            return  # we closed it
        logger.warning("realtime bus (%s): disconnected from NATS", role)
        if disconnected is not None:
            await disconnected()

    async def on_reconnected() -> None:
        logger.warning("realtime bus (%s): reconnected to NATS", role)
        if reconnected is not None:
            await reconnected()

    nc = await nats.connect(
        servers=cfg.servers,
        name=f"smartcity {role} {cfg.node}",
        connect_timeout=2,
        reconnect_time_wait=0.5,
        max_reconnect_attempts=-1,
        ping_interval=5,
        max_outstanding_pings=2,
        pending_size=0,  # never buffer while disconnected: a publish fails, the outbox keeps it
        error_cb=on_error,
        disconnected_cb=on_disconnected,
        reconnected_cb=on_reconnected,
    )
    client.append(nc)
    return nc


# --- Stream ----------------------------------------------------------------------------------


def stream_config(cfg: BusSettings) -> Any:
    """File storage (survives a restart), one replica here — three in a NATS
    cluster (docs/deployment.md) —, limits retention pruned by age, and a
    duplicate window that covers a relay's crash and restart."""
    from nats.js import api

    return api.StreamConfig(
        name=cfg.stream,
        description="smartcity outbox events and hand-overs",
        subjects=stream_subjects(cfg.prefix),
        retention=api.RetentionPolicy.LIMITS,
        storage=api.StorageType.FILE,
        discard=api.DiscardPolicy.OLD,
        max_age=cfg.max_age_s,
        duplicate_window=cfg.duplicate_window_s,
        num_replicas=1,
    )


async def ensure_stream(js: Any, cfg: BusSettings) -> Any:
    """Create the stream, or update it to this definition; returns its info.

    Idempotent: every relay and hub calls it on connecting, so a fresh NATS
    works without a manual step (``smartcity realtime nats-setup`` does the
    same by hand and prints the result)."""
    from nats.js.errors import NotFoundError

    wanted = stream_config(cfg)
    try:
        info = await js.stream_info(cfg.stream)
    except NotFoundError:
        return await js.add_stream(wanted)
    current = info.config
    if (
        list(current.subjects or []) != list(wanted.subjects)
        or current.storage != wanted.storage
        or float(current.max_age or 0) != float(wanted.max_age)
        or float(current.duplicate_window or 0) != float(wanted.duplicate_window)
    ):
        return await js.update_stream(wanted)
    return info


# --- Messages --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BusEvent:
    """An outbox event as carried on the bus."""

    id: int
    channel: str
    kind: str
    payload: dict[str, Any]


def encode_event(
    cfg: BusSettings, *, id: int, channel: str, kind: str, payload: dict[str, Any]
) -> tuple[str, bytes, dict[str, str]]:
    """Subject, body and headers of the message for one outbox row."""
    body = json.dumps(
        {"id": id, "channel": channel, "kind": kind, "payload": payload},
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    ).encode()
    headers = {MSG_ID: f"outbox-{id}", NODE_HEADER: cfg.node}
    return event_subject(cfg.prefix, channel), body, headers


def decode_event(data: bytes) -> BusEvent:
    raw = json.loads(data)
    return BusEvent(
        id=int(raw["id"]),
        channel=str(raw["channel"]),
        kind=str(raw["kind"]),
        payload=dict(raw.get("payload") or {}),
    )
