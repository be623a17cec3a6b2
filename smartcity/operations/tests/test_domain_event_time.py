from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smartcity.operations.domain.event_time import (
    KST,
    BadEventTime,
    check_not_in_future,
    parse_event_time,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20260301211500123", datetime(2026, 3, 1, 21, 15, 0, 123_000, tzinfo=KST)),
        ("20260301211500", datetime(2026, 3, 1, 21, 15, 0, tzinfo=KST)),
        ("2026-03-01T21:15:00", datetime(2026, 3, 1, 21, 15, tzinfo=KST)),
        ("2026-03-01T12:15:00Z", datetime(2026, 3, 1, 12, 15, tzinfo=UTC)),
        ("2026-03-01 21:15:00+09:00", datetime(2026, 3, 1, 21, 15, tzinfo=KST)),
    ],
)
def test_field_protocol_and_iso_times(text: str, expected: datetime) -> None:
    parsed = parse_event_time(text)
    assert parsed == expected and parsed.tzinfo is not None


@pytest.mark.parametrize("text", ["2026-13-01", "20261301211500", "yesterday", ""])
def test_bad_times_are_refused_with_a_code(text: str) -> None:
    with pytest.raises(BadEventTime, match="invalid"):
        parse_event_time(text)


def test_a_few_minutes_of_clock_skew_are_tolerated_not_more() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    check_not_in_future(now + timedelta(minutes=4), now)
    with pytest.raises(BadEventTime, match="in_future"):
        check_not_in_future(now + timedelta(minutes=6), now)
