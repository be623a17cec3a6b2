"""The outbox cursor never loses an id that commits late, and forgets rollbacks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity.realtime.domain.cursor import OutboxCursor


def test_in_order_ids_are_delivered_once() -> None:
    cursor = OutboxCursor()
    assert cursor.advance([1, 2, 3], now=0) == [1, 2, 3]
    assert cursor.advance([3], now=1) == []
    assert cursor.position == 3 and cursor.pending_gaps() == ()


def test_an_id_committed_after_a_higher_one_is_still_delivered() -> None:
    cursor = OutboxCursor(position=40)
    assert cursor.advance([42], now=0) == [42]  # 41 is still in flight
    assert cursor.pending_gaps() == (41,)
    assert cursor.advance([41], now=1) == [41]
    assert cursor.pending_gaps() == ()


def test_gaps_of_rolled_back_transactions_are_forgotten() -> None:
    cursor = OutboxCursor(position=0, gap_timeout_s=30)
    cursor.advance([5], now=0)
    assert cursor.pending_gaps() == (1, 2, 3, 4)
    cursor.advance([], now=31)
    assert cursor.pending_gaps() == ()


def test_the_number_of_remembered_gaps_is_bounded() -> None:
    cursor = OutboxCursor(max_gaps=10)
    cursor.advance([1_000], now=0)
    assert cursor.pending_gaps() == tuple(range(990, 1_000))


@settings(max_examples=200, deadline=None)
@given(st.permutations(list(range(1, 30))), st.integers(min_value=1, max_value=6))
def test_any_commit_order_delivers_every_id_exactly_once(order: list[int], batch: int) -> None:
    """Ids become visible in any order, a few per poll; each poll returns what
    is visible among ``id > position`` and the gaps, as the SQL query would."""
    cursor = OutboxCursor()
    visible: set[int] = set()
    delivered: list[int] = []
    for start in range(0, len(order), batch):
        visible.update(order[start : start + batch])
        wanted = {i for i in visible if i > cursor.position} | (visible & set(cursor.gaps))
        delivered.extend(cursor.advance(wanted, now=0))
    assert sorted(delivered) == list(range(1, 30))
    assert len(delivered) == len(set(delivered))
