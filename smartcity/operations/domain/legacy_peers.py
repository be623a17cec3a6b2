"""Who may connect to the legacy linkage adapter, and as whom.

A peer is one connector of a 112, 119 or carrier system: its sender code, the
addresses it connects from, its character set (UTF-8 or EUC-KR/CP949), the
tenant it reports into and the intake client it acts as (``smartcity
operations issue-key``: its name or key prefix). Read from a YAML or JSON file
(``OPERATIONS_LEGACY_PEERS``) or ``--peer`` flags.

Every peer names its addresses: a connection from an address no peer names
is closed before it is read. Accepting any host is an explicit choice
(``addresses: ['*']``), never the result of leaving the list out.
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
DEFAULT_MAX_REFUSED_BEFORE_LOGIN = 3
ANY_ADDRESS = "*"


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

    def accepts_address(self, address: str) -> bool:
        return ANY_ADDRESS in self.addresses or _ip(address) in self.addresses

    def accepts(self, sender: str, address: str) -> bool:
        return sender == self.sender and self.accepts_address(address)


@dataclass(frozen=True)
class PeersConfig:
    peers: tuple[PeerSpec, ...]
    frame_timeout_s: float = DEFAULT_FRAME_TIMEOUT_S
    """A frame begun must be whole within this time, or it is refused as truncated."""
    idle_timeout_s: float = DEFAULT_IDLE_TIMEOUT_S
    """A connection silent this long is closed (0: never)."""
    max_refused_before_login: int = DEFAULT_MAX_REFUSED_BEFORE_LOGIN
    """A connection that has not logged in is closed at this many refused frames."""

    def knows(self, address: str) -> bool:
        """Does any peer connect from ``address`` (or accept any host)?"""
        return any(p.accepts_address(address) for p in self.peers)

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
    """An address as peers name it (an IPv4 peer seen on an IPv6 socket as ``::ffff:a.b.c.d``
    is ``a.b.c.d``)."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return text.strip()
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def peer_from_mapping(data: Any, dialect: Dialect, where: str = "peer") -> PeerSpec:
    if not isinstance(data, Mapping):
        raise PeersError(f"{where}: expected mapping")
    missing = [k for k in ("sender", "tenant", "client") if not str(data.get(k, "")).strip()]
    if missing:
        raise PeersError(f"{where}: missing {missing}")
    sender = str(data["sender"]).strip()
    if sender not in dialect.senders:
        raise PeersError(f"{where}.sender: {sender!r} is not a sender of dialect {dialect.name}")
    return PeerSpec(
        sender=sender,
        tenant=str(data["tenant"]).strip(),
        client=str(data["client"]).strip(),
        charset=normalise_charset(str(data.get("charset", "utf-8"))),
        addresses=_addresses(data.get("addresses"), f"{where}.addresses"),
        name=str(data.get("name", "")).strip(),
    )


def _addresses(value: Any, where: str) -> frozenset[str]:
    """The IP addresses a peer connects from, or ``{'*'}`` (any host, explicitly)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Sequence) or not value:
        raise PeersError(
            f"{where}: list the IP addresses this connector connects from "
            f"(or ['{ANY_ADDRESS}'] to accept any host)"
        )
    texts = [str(item).strip() for item in value]
    if ANY_ADDRESS in texts:
        if len(texts) > 1:
            raise PeersError(f"{where}: '{ANY_ADDRESS}' (any host) stands alone")
        return frozenset({ANY_ADDRESS})
    addresses = set()
    for text in texts:
        try:
            addresses.add(str(ipaddress.ip_address(text)))
        except ValueError as exc:
            raise PeersError(f"{where}: {text!r} is not an IP address") from exc
    return frozenset(addresses)


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
    refused = data.get("max_refused_before_login", DEFAULT_MAX_REFUSED_BEFORE_LOGIN)
    if not isinstance(refused, int) or isinstance(refused, bool) or refused < 1:
        raise PeersError(f"{source}.max_refused_before_login: a whole number, at least 1")
    return PeersConfig(peers, frame, idle, refused)


def load_peers(path: str | Path, dialect: Dialect) -> PeersConfig:
    target = Path(path)
    try:
        data = read_data_file(target)
    except DialectError as exc:
        raise PeersError(str(exc)) from exc
    return peers_from_mapping(data, dialect, source=str(target))


def peer_from_flag(text: str, dialect: Dialect) -> PeerSpec:
    """``SENDER:TENANT:CLIENT:CHARSET:ADDRESS[,ADDRESS…]`` (``--peer``); the
    charset may be empty (UTF-8); the address ``*`` accepts any host."""
    parts = text.split(":", 4)
    if len(parts) != 5:
        raise PeersError(f"--peer {text!r}: SENDER:TENANT:CLIENT:CHARSET:ADDRESS")
    data: dict[str, Any] = {"sender": parts[0], "tenant": parts[1], "client": parts[2]}
    if parts[3]:
        data["charset"] = parts[3]
    data["addresses"] = [a for a in parts[4].split(",") if a.strip()]
    return peer_from_mapping(data, dialect, f"--peer {text}")
