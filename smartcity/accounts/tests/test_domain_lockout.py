from __future__ import annotations

import datetime as dt

from smartcity.accounts.domain.lockout import ThrottleState, after_failure, is_locked

NOW = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
LOCK = dt.timedelta(minutes=15)


def test_the_limit_th_failure_locks() -> None:
    state = ThrottleState(0, None)
    for _ in range(4):
        state = after_failure(state, NOW, limit=5, lockout=LOCK)
        assert not is_locked(state, NOW)
    state = after_failure(state, NOW, limit=5, lockout=LOCK)
    assert is_locked(state, NOW)
    assert not is_locked(state, NOW + LOCK)


def test_failure_after_an_expired_lock_starts_a_new_count() -> None:
    state = ThrottleState(5, NOW - dt.timedelta(seconds=1))
    state = after_failure(state, NOW, limit=5, lockout=LOCK)
    assert state == ThrottleState(1, None, NOW)


def test_failures_further_apart_than_the_window_start_a_new_count() -> None:
    window = dt.timedelta(minutes=10)
    state = ThrottleState(0, None)
    for minute in range(0, 50, 11):
        state = after_failure(
            state, NOW + dt.timedelta(minutes=minute), limit=3, lockout=LOCK, window=window
        )
        assert state.failures == 1
    state = after_failure(state, state.last_failure_at + window, limit=2, lockout=LOCK,  # type: ignore[operator]
                          window=window)  # fmt: skip
    assert state.failures == 2 and state.locked_until is not None
