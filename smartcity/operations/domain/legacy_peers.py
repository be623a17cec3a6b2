"""Who may connect to the legacy linkage adapter, and as whom.

A peer is one connector of a 112, 119 or carrier system: its sender code, the
addresses it connects from (none listed: any), its character set (UTF-8 or
EUC-KR/CP949), the tenant it reports into and the intake client it acts as
(``smartcity operations issue-key``: its name or key prefix). Read from a YAML
or JSON file (``OPERATIONS_LEGACY_PEERS``) or ``--peer`` flags.
"""

from __future__ import annotations

import codecs
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartcity.operations.domain.legacy_dialect import Dialect, DialectError, read_data_file

CHARSETS = frozenset({"utf-8", "cp949", "euc_kr"})
DEFAULT_FRAME_TIMEOUT_S = 10.0
DEFAULT_IDLE_TIMEOUT_S = 600.0


class PeersError(ValueError):
    """A peers file or flag that cannot be used; the message names the place."""


@dataclass(frozen=True)
class PeerSpec:
    sender: str
    tenant: str
    client: str
    charset: str = "utf-8"
    addresses: frozenset[str] = frozenset()
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or f"{self.sender}@{self.tenant}"

    def accepts(self, sender: str, address: str) -> bool:
        return sender == self.sender and (not self.addresses or _ip(address) in self.addresses)


@dataclass(frozen=True)
class PeersConfig:
    peers: tuple[PeerSpec, ...]
    frame_timeout_s: float = DEFAULT_FRAME_TIMEOUT_S
    """A frame begun must be whole within this time, or it is refused as truncated."""
    idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S
    """A connection silent this long is closed (0: never)."""

    def match(self, sender: str, address: str) -> PeerSpec | None:
        """The first peer entry for this sender code connecting from ``address``."""
        return next((p for p in self.peers if p.accepts(sender, address)), None)


def normalise_charset(name: str) -> str:
    try:
        canonical = codecs.lookup(name.strip()).name
    except LookupError as exc:
        raise PeersError(f"unknown charset {name!r}") from exc
    canonical = {"cp949": "cp949", "euc_kr": "euc_kr", "utf-8": "utf-8"}.get(canonical, canonical)
    if canonical not in CHARSETS:
        raise PeersError(f"charset {name!r}: one of utf-8, cp949, euc-kr")
    return canonical


def _ip(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return text.strip()


def peer_from_mapping(data: Any, dialect: Dialect, where: str = "peer") -> PeerSpec:
    if not isinstance(data, Mapping):
        raise PeersError(f"{where}: expected mapping")
    missing = [k for k in ("sender", "tenant", "client") if not str(data.get(k, "")).strip()]
    if missing:
        raise PeersError(f"{where}: missing {missing}")
    sender = str(data["sender"]).strip()
    if sender not in dialect.senders:
        raise PeersError(f"{where}.sender: {sender!r} is not a sender of dialect {dialect.name}")
    addresses = data.get("addresses", [])
    if isinstance(addresses, str):
        addresses = [addresses]
    if not isinstance(addresses, Sequence):
        raise PeersError(f"{where}.addresses: expected a list")
    return PeerSpec(
        sender=sender,
        tenant=str(data["tenant"]).strip(),
        client=str(data["client"]).strip(),
        charset=normalise_charset(str(data.get("charset", "utf-8"))),
        addresses=frozenset(_ip(str(a)) for a in addresses),
        name=str(data.get("name", "")).strip(),
    )


def peers_from_mapping(data: Any, dialect: Dialect, *, source: str = "peers") -> PeersConfig:
    if not isinstance(data, Mapping):
        raise PeersError(f"{source}: the top level must be a mapping with 'peers'")
    items = data.get("peers")
    if not isinstance(items, list):
        raise PeersError(f"{source}.peers: expected a list")
    peers = tuple(
        peer_from_mapping(item, dialect, f"{source}.peers[{i}]") for i, item in enumerate(items)
    )
    try:
        frame = float(data.get("frame_timeout_seconds", DEFAULT_FRAME_TIMEOUT_S))
        idle = float(data.get("idle_timeout_seconds", DEFAULT_IDLE_TIMEOUT_S))
    except (TypeError, ValueError) as exc:
        raise PeersError(f"{source}: timeouts must be numbers") from exc
    if frame <= 0 or idle < 0:
        raise PeersError(f"{source}: frame timeout must be positive, idle timeout not negative")
    return PeersConfig(peers, frame, idle)


def load_peers(path: str | Path, dialect: Dialect) -> PeersConfig:
    target = Path(path)
    try:
        data = read_data_file(target)
    except DialectError as exc:
        raise PeersError(str(exc)) from exc
    return peers_from_mapping(data, dialect, source=str(target))


def peer_from_flag(text: str, dialect: Dialect) -> PeerSpec:
    """``SENDER:TENANT:CLIENT[:CHARSET[:ADDRESS]]`` (``--peer``)."""
    parts = text.split(":")
    if not 3 <= len(parts) <= 5:
        raise PeersError(f"--peer {text!r}: SENDER:TENANT:CLIENT[:CHARSET[:ADDRESS]]")
    data: dict[str, Any] = {"sender": parts[0], "tenant": parts[1], "client": parts[2]}
    if len(parts) > 3 and parts[3]:
        data["charset"] = parts[3]
    if len(parts) > 4 and parts[4]:
        data["addresses"] = [parts[4]]
    return peer_from_mapping(data, dialect, f"--peer {text}")
