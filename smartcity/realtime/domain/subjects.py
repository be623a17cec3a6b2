"""NATS subjects for outbox channels, and the bounded memory of delivered ids.

A channel such as ``operations.tenant.7`` becomes the subject
``<prefix>.events.operations.tenant.7``: its dots stay token separators, so
``<prefix>.events.>`` is every event and ``<prefix>.events.operations.>``
every operations event. Characters NATS gives a meaning to (space, ``*``,
``>``) or that are not plain ASCII are escaped as ``%XX`` (UTF-8 bytes), and
an empty token becomes ``%`` alone, so any channel name maps to one valid
subject and two different channels never share one.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable

EVENTS = "events"
HANDOVER = "handover"

_PLAIN = re.compile(r"[A-Za-z0-9_\-]")


def _token(raw: str) -> str:
    if raw == "":
        return "%"
    out: list[str] = []
    for char in raw:
        if _PLAIN.fullmatch(char):
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode())
    return "".join(out)


def subject_for(prefix: str, kind: str, name: str) -> str:
    """``<prefix>.<kind>.<name's dot-separated tokens, escaped>``."""
    return ".".join([prefix, kind, *(_token(part) for part in name.split("."))])


def event_subject(prefix: str, channel: str) -> str:
    """The subject an outbox event of ``channel`` is relayed to."""
    return subject_for(prefix, EVENTS, channel)


def all_events(prefix: str) -> str:
    """The wildcard that matches every relayed outbox event."""
    return f"{prefix}.{EVENTS}.>"


def stream_subjects(prefix: str) -> list[str]:
    """What the installation's stream stores: everything under its prefix."""
    return [f"{prefix}.>"]


class RecentIds:
    """The last ``capacity`` ids seen, to drop a re-delivered event.

    JetStream drops a re-sent message id only within its duplicate window, and
    a reader that resumes after a reconnection may overlap what it already
    had; remembering recent ids makes either harmless."""

    def __init__(self, capacity: int = 50_000) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[int, None] = OrderedDict()

    def __contains__(self, value: object) -> bool:
        return value in self._seen

    def __len__(self) -> int:
        return len(self._seen)

    def add(self, value: int) -> bool:
        """Remember ``value``; ``False`` if it was already there."""
        if value in self._seen:
            return False
        self._seen[value] = None
        while len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        return True

    def fresh(self, values: Iterable[int]) -> list[int]:
        """The values not seen before (remembering them), in the given order."""
        return [value for value in values if self.add(value)]
