"""Channel names map to valid, distinct NATS subjects; recent ids drop re-deliveries."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smartcity.realtime.domain.subjects import (
    RecentIds,
    all_events,
    event_subject,
    stream_subjects,
)


def test_channel_dots_stay_subject_tokens() -> None:
    subject = event_subject("smartcity", "operations.tenant.7")
    assert subject == "smartcity.events.operations.tenant.7"
    assert all_events("smartcity") == "smartcity.events.>"
    assert stream_subjects("smartcity") == ["smartcity.>"]


def test_characters_nats_gives_a_meaning_to_are_escaped() -> None:
    assert event_subject("p", "a b.*.>") == "p.events.a%20b.%2A.%3E"
    assert event_subject("p", "a..b") == "p.events.a.%.b"
    assert event_subject("p", "관제") == "p.events.%EA%B4%80%EC%A0%9C"


@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
def test_different_channels_never_share_a_subject(a: str, b: str) -> None:
    subject_a, subject_b = event_subject("p", a), event_subject("p", b)
    assert (subject_a == subject_b) == (a == b)
    for token in subject_a.split("."):
        assert token and not any(c in token for c in " \t\r\n*>")


def test_recent_ids_forget_the_oldest_beyond_capacity() -> None:
    recent = RecentIds(capacity=3)
    assert recent.fresh([1, 2, 2, 3]) == [1, 2, 3]
    assert recent.add(4) and 1 not in recent and len(recent) == 3
    assert not recent.add(4)
    assert recent.fresh([1, 3]) == [1]
