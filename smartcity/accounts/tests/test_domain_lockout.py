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
    assert state == ThrottleState(1, None)
