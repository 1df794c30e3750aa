"""Identity: users, roles, passwords and the account rules every front end shares.

A floor below io and the features: the user store on disk
(`gridmap.io.accounts`) keeps `User` records and Argon2id hashes, the audit
log (`gridmap.io.audit`) keeps `AuditEvent` records, the access feature
(`gridmap.analysis.access`) decides what a `User` sees and may change, and
the app and the CLI sign users in with these rules.

>>> user = User("zhang", Role.GRID_LEADER, grids=("M1",), display="张三")
>>> user.label, user.can(Action.RECORD_HAZARDS), user.can(Action.EDIT_BOUNDARIES)
('张三 (zhang)', True, False)

Modules
-------
`roles`
    `Role`, `Action`, `PERMISSIONS`, `parse_role`: the plan's five kinds of responsible parties.
`users`
    `User` (name, role, grids), `cli_user`.
`passwords`
    `hash_password`, `verify_password`, `needs_rehash`, `password_problem`.
`accounts`
    `LockoutPolicy`, `FailureState`, `LOCKOUT`, `IDLE_TIMEOUT`, `session_expired`.
`audit`
    `AuditEvent`, `AUDIT_ACTIONS`, `event`.
"""

from __future__ import annotations

from gridmap.identity.accounts import (
    IDLE_TIMEOUT,
    LOCKOUT,
    FailureState,
    LockoutPolicy,
    session_expired,
)
from gridmap.identity.audit import AUDIT_ACTIONS, OUTCOMES, AuditEvent, event
from gridmap.identity.passwords import (
    MIN_LENGTH,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from gridmap.identity.roles import PERMISSIONS, ROLE_LABELS, Action, Role, parse_role
from gridmap.identity.users import User, cli_user

__all__ = [
    "AUDIT_ACTIONS",
    "IDLE_TIMEOUT",
    "LOCKOUT",
    "MIN_LENGTH",
    "OUTCOMES",
    "PERMISSIONS",
    "ROLE_LABELS",
    "Action",
    "AuditEvent",
    "FailureState",
    "LockoutPolicy",
    "Role",
    "User",
    "cli_user",
    "event",
    "hash_password",
    "needs_rehash",
    "parse_role",
    "password_problem",
    "session_expired",
    "verify_password",
]
