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


@pytest.mark.parametrize(
    "text",
    [
        "0001-01-01T00:00:00+09:00",  # year 0 in UTC: not representable
        "00010101000000000",  # the compact form, Korean time: the same
        "9999-12-31T23:59:59-14:00",  # year 10000 in UTC
        "1969-12-31T23:59:59+00:00",
        "19700101085959",  # 1969-12-31 23:59:59 UTC in Korean time
    ],
)
def test_times_outside_the_plausible_range_are_refused_at_parsing(text: str) -> None:
    with pytest.raises(BadEventTime, match="out_of_range"):
        parse_event_time(text)


def test_the_range_starts_in_1970_utc() -> None:
    assert parse_event_time("19700101090000") == datetime(1970, 1, 1, tzinfo=UTC)


def test_the_future_check_refuses_out_of_range_times_without_overflowing() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    with pytest.raises(BadEventTime, match="out_of_range"):
        check_not_in_future(datetime(1, 1, 1, tzinfo=KST), now)
    with pytest.raises(BadEventTime, match="out_of_range"):
        check_not_in_future(datetime(2026, 3, 1), now)  # noqa: DTZ001  (naive)
