"""Rules of the vulnerable-person service (사회적 약자 지원, platform.md §2 #5).

The carrier sends an event — an SOS from the person's device or the person
leaving a preset safe zone — with a photo, the guardian's contact and
positions. The centre keeps only what finding the person needs, and deletes
the personal data once the case is closed and the retention period passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class CarrierEventKind(StrEnum):
    SOS = "sos"
    LEFT_SAFE_ZONE = "left_safe_zone"


@dataclass(frozen=True)
class TrailPoint:
    lat: float
    lon: float
    at: dt.datetime


def last_positions(trail: Sequence[TrailPoint], count: int) -> list[TrailPoint]:
    """The ``count`` most recent positions, newest first (a later entry wins a tie)."""
    if count <= 0:
        return []
    ordered = sorted(enumerate(trail), key=lambda item: (item[1].at, item[0]), reverse=True)
    return [point for _index, point in ordered[:count]]


def purge_due(*, closed_at: dt.datetime | None, now: dt.datetime, retention_hours: int) -> bool:
    """Is the case's personal data due for deletion? Only after the case was
    closed, and only once ``retention_hours`` have passed since then."""
    if closed_at is None:
        return False
    return now >= closed_at + dt.timedelta(hours=max(0, retention_hours))


def mask_phone(phone: str) -> str:
    """A phone number with all but its last four digits hidden (for lists)."""
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 4:
        return "****" if digits else ""
    return "***-****-" + "".join(digits[-4:])
