"""Roles by name, passwords (Argon2id), lockout and idle sessions."""

from __future__ import annotations

import pandas as pd
import pytest

from gridmap.identity import (
    LOCKOUT,
    FailureState,
    Role,
    hash_password,
    needs_rehash,
    parse_role,
    password_problem,
    session_expired,
    verify_password,
)

T0 = pd.Timestamp("2026-12-03 09:00", tz="Asia/Shanghai")
MIN = pd.Timedelta(minutes=1)


def test_roles_are_named_by_code_or_chinese() -> None:
    assert parse_role("网格负责人") is Role.GRID_LEADER
    assert parse_role("grid-leader") is Role.GRID_LEADER
    assert parse_role("ADMINISTRATOR") is Role.ADMINISTRATOR
    with pytest.raises(ValueError, match="unknown role 'boss'; the roles are: administrator"):
        parse_role("boss")


def test_a_hash_is_argon2id_salted_and_never_the_password() -> None:
    first, second = hash_password("长城-password-1"), hash_password("长城-password-1")
    assert first.startswith("$argon2id$") and first != second  # a new salt each time
    assert "password" not in first
    assert verify_password(first, "长城-password-1") and not verify_password(
        first, "长城-password-2"
    )
    assert not verify_password("not a hash", "x") and needs_rehash("not a hash")
    assert not needs_rehash(first)


@pytest.mark.parametrize(
    ("password", "problem"),
    [("short", "needs at least 10"), ("zhangsan01", None), ("aaaaaaaaaaaa", "4 different")],
)
def test_password_policy(password: str, problem: str | None) -> None:
    found = password_problem(password, "zhang")
    assert found is None if problem is None else problem in str(found)
    assert "user's name" in str(password_problem("Zhangsan01", "zhangsan01"))


def test_five_failures_in_fifteen_minutes_lock_for_fifteen() -> None:
    state = FailureState()
    for k in range(4):
        state = LOCKOUT.after_failure(state, T0 + k * MIN)
        assert not LOCKOUT.is_locked(state, T0 + k * MIN)
    state = LOCKOUT.after_failure(state, T0 + 4 * MIN)
    assert LOCKOUT.is_locked(state, T0 + 4 * MIN)
    assert LOCKOUT.is_locked(state, T0 + 18 * MIN) and not LOCKOUT.is_locked(state, T0 + 20 * MIN)


def test_failures_spread_beyond_the_window_start_again() -> None:
    state = FailureState()
    for k in range(4):
        state = LOCKOUT.after_failure(state, T0 + k * MIN)
    state = LOCKOUT.after_failure(state, T0 + 20 * MIN)  # the window has passed: a new count
    assert state.failures == 1 and not LOCKOUT.is_locked(state, T0 + 20 * MIN)


def test_sessions_expire_after_thirty_idle_minutes() -> None:
    assert not session_expired(T0, T0 + 30 * MIN)
    assert session_expired(T0, T0 + 30 * MIN + pd.Timedelta(seconds=1))
