"""The lock-out rule for repeated failed sign-ins, as a pure function.

It is applied twice (``services.attempt_sign_in``): to each (account name,
client address) pair, so that nobody can lock someone else's account from
their own address, and to each client address over all names, so that one
address cannot try name after name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ThrottleState:
    failures: int
    locked_until: dt.datetime | None
    last_failure_at: dt.datetime | None = None


def is_locked(state: ThrottleState, now: dt.datetime) -> bool:
    """Locked while ``now`` is before the lock's end (server clock)."""
    return state.locked_until is not None and now < state.locked_until


def after_failure(
    state: ThrottleState,
    now: dt.datetime,
    *,
    limit: int,
    lockout: dt.timedelta,
    window: dt.timedelta | None = None,
) -> ThrottleState:
    """The state after one more failure: the ``limit``-th failure locks for
    ``lockout``; an expired lock starts a fresh count, and so does a failure
    more than ``window`` after the previous one (when a window is given)."""
    failures = state.failures
    if state.locked_until is not None and now >= state.locked_until:
        failures = 0
    if (
        window is not None
        and state.last_failure_at is not None
        and now - state.last_failure_at > window
    ):
        failures = 0
    failures += 1
    if failures >= limit:
        return ThrottleState(failures=failures, locked_until=now + lockout, last_failure_at=now)
    return ThrottleState(failures=failures, locked_until=None, last_failure_at=now)
