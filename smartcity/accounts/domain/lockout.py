"""The lock-out rule for repeated failed sign-ins, as a pure function."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ThrottleState:
    failures: int
    locked_until: dt.datetime | None


def is_locked(state: ThrottleState, now: dt.datetime) -> bool:
    """Locked while ``now`` is before the lock's end (server clock)."""
    return state.locked_until is not None and now < state.locked_until


def after_failure(
    state: ThrottleState, now: dt.datetime, *, limit: int, lockout: dt.timedelta
) -> ThrottleState:
    """The state after one more failure: the ``limit``-th failure locks the
    account for ``lockout``; an expired lock starts a fresh count."""
    failures = state.failures
    if state.locked_until is not None and now >= state.locked_until:
        failures = 0
    failures += 1
    if failures >= limit:
        return ThrottleState(failures=failures, locked_until=now + lockout)
    return ThrottleState(failures=failures, locked_until=None)
