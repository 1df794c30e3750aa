"""The account rules: lockout after repeated failed sign-ins, and idle sessions.

Pure rules over times; the user store (`gridmap.io.accounts`) keeps the
counts and the app keeps the session's last activity.

>>> import pandas as pd
>>> t0 = pd.Timestamp("2026-12-03 09:00", tz="Asia/Shanghai")
>>> state = FailureState()
>>> for k in range(5):
...     state = LOCKOUT.after_failure(state, t0 + pd.Timedelta(minutes=k))
>>> state.locked_until
Timestamp('2026-12-03 09:19:00+0800', tz='Asia/Shanghai')
>>> LOCKOUT.is_locked(state, t0 + pd.Timedelta(minutes=30))
False
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class FailureState:
    """An account's failed sign-ins: how many since `first_at`, and any lock."""

    failures: int = 0
    first_at: pd.Timestamp | None = None
    locked_until: pd.Timestamp | None = None


@dataclass(frozen=True)
class LockoutPolicy:
    """`max_failures` failed sign-ins within `window` lock the account for `lock_for`."""

    max_failures: int = 5
    window: pd.Timedelta = pd.Timedelta(minutes=15)
    lock_for: pd.Timedelta = pd.Timedelta(minutes=15)

    def is_locked(self, state: FailureState, now: pd.Timestamp) -> bool:
        """Whether the account is locked at `now`."""
        return state.locked_until is not None and now < state.locked_until

    def after_failure(self, state: FailureState, now: pd.Timestamp) -> FailureState:
        """Return the state after one more failed sign-in at `now` (locked at the limit)."""
        if state.first_at is None or now - state.first_at > self.window:
            state = FailureState(failures=0, first_at=now)
        failures = state.failures + 1
        locked = now + self.lock_for if failures >= self.max_failures else state.locked_until
        return FailureState(failures=failures, first_at=state.first_at, locked_until=locked)


#: The default lockout: 5 failures within 15 minutes lock the account for 15 minutes.
LOCKOUT = LockoutPolicy()

#: A session idle this long is signed out.
IDLE_TIMEOUT = pd.Timedelta(minutes=30)


def session_expired(
    last_seen: pd.Timestamp, now: pd.Timestamp, idle: pd.Timedelta = IDLE_TIMEOUT
) -> bool:
    """Whether a session last active at `last_seen` has been idle too long at `now`.

    >>> t = pd.Timestamp("2026-12-03 09:00", tz="Asia/Shanghai")
    >>> minutes = pd.Timedelta(minutes=1)
    >>> session_expired(t, t + 29 * minutes), session_expired(t, t + 31 * minutes)
    (False, True)
    """
    return now - last_seen > idle
