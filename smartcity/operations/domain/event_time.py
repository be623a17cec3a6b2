"""Occurrence times as senders write them.

The field protocol writes ``yyyyMMddHHmmssSSS`` (or without milliseconds) in
Korean time (platform.md §4); newer senders use ISO 8601. Both are accepted.
A time without an offset is Korean time, the only zone these systems use.

A time is only plausible between ``EARLIEST`` (no linked system existed
before 1970; earlier values are typing errors or a zeroed field, and year 1
with an eastern offset is not even representable in UTC) and a few minutes
after the server's clock (a time too far in the future is a clock or typing
error). Out-of-range times are refused here, before anything stores or
compares them, so no later step overflows.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

KST = timezone(timedelta(hours=9))
MAX_CLOCK_SKEW = timedelta(minutes=5)
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})?")


class BadEventTime(ValueError):
    """``str(exc)`` is a code: ``invalid``, ``out_of_range`` or ``in_future``."""


def parse_event_time(value: str | datetime, *, default_tz: tzinfo = KST) -> datetime:
    """An aware datetime from a compact or ISO 8601 string (or a datetime),
    within the plausible range (see :func:`check_in_range`)."""
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
    check_in_range(moment)
    return moment


def check_in_range(moment: datetime) -> None:
    """Refuse (``out_of_range``) a naive time, one not representable in UTC,
    or one before ``EARLIEST``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise BadEventTime("out_of_range")
    try:
        utc = moment.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise BadEventTime("out_of_range") from exc
    if utc < EARLIEST:
        raise BadEventTime("out_of_range")


def check_not_in_future(moment: datetime, now: datetime) -> None:
    """Refuse a time more than ``MAX_CLOCK_SKEW`` after ``now`` (``in_future``);
    a time outside the plausible range is refused first (``out_of_range``)."""
    check_in_range(moment)
    if moment - now > MAX_CLOCK_SKEW:
        raise BadEventTime("in_future")
