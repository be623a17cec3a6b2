"""Occurrence times as senders write them.

The field protocol writes ``yyyyMMddHHmmssSSS`` (or without milliseconds) in
Korean time (platform.md §4); newer senders use ISO 8601. Both are accepted.
A time without an offset is Korean time, the only zone these systems use; a
time too far in the future is a clock or typing error and is refused.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo

KST = timezone(timedelta(hours=9))
MAX_CLOCK_SKEW = timedelta(minutes=5)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})?")


class BadEventTime(ValueError):
    """``str(exc)`` is a code: ``invalid`` or ``in_future``."""


def parse_event_time(value: str | datetime, *, default_tz: tzinfo = KST) -> datetime:
    """An aware datetime from a compact or ISO 8601 string (or a datetime)."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = value.strip()
        compact = _COMPACT.fullmatch(text)
        try:
            if compact:
                year, month, day, hour, minute, second = (int(p) for p in compact.groups()[:6])
                micros = int(compact.group(7) or 0) * 1000
                moment = datetime(year, month, day, hour, minute, second, micros)  # noqa: DTZ001
            else:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise BadEventTime("invalid") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_tz)
    return moment


def check_not_in_future(moment: datetime, now: datetime) -> None:
    if moment - now > MAX_CLOCK_SKEW:
        raise BadEventTime("in_future")
