"""The user store: accounts, roles, grids and password hashes, in a SQLite file of its own.

The store is never the district file: one store serves every district a
deployment opens. It lives in the GridMap home (``$GRIDMAP_HOME``, else
``~/.gridmap``) as ``users.sqlite``, readable by its owner only. A password
reaches it only as an Argon2id hash (`gridmap.analysis.access.hash_password`);
failed sign-ins are counted per account and lock it for a while
(`gridmap.analysis.access.LOCKOUT`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gridmap import clock
from gridmap.errors import OptionError, SignInError
from gridmap.identity import (
    LOCKOUT,
    FailureState,
    LockoutPolicy,
    Role,
    User,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)

#: The environment variable naming the GridMap home (user store, audit log, demo copy).
HOME_VARIABLE = "GRIDMAP_HOME"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    display TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    grids TEXT NOT NULL DEFAULT '[]',
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0,
    first_failure_at TEXT,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    signed_in_at TEXT
);
"""

#: What the sign-in says for an unknown name and for a wrong password alike.
WRONG = "the user name or the password is wrong"


def home_path() -> Path:
    """Return where the GridMap home is: ``$GRIDMAP_HOME``, else ``~/.gridmap`` (not created)."""
    return Path(os.environ.get(HOME_VARIABLE) or Path.home() / ".gridmap").expanduser()


def gridmap_home() -> Path:
    """Return the GridMap home (`home_path`), created owner-only when it is missing."""
    home = home_path()
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    return home


def create_private_db(path: Path, schema: str) -> None:
    """Create the tables of `schema` in SQLite file `path`; a new file is owner-only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    with contextlib.closing(sqlite3.connect(path, timeout=10)) as db:
        db.executescript(schema)
    if new:
        with contextlib.suppress(OSError):
            path.chmod(0o600)


@dataclass(frozen=True)
class Account:
    """A user as the store lists it: the `User` and its state."""

    user: User
    disabled: bool
    locked_until: pd.Timestamp | None
    created_at: str
    changed_at: str
    signed_in_at: str | None


def _stamp(value: str | None) -> pd.Timestamp | None:
    return pd.Timestamp(value) if value else None


def _now_text() -> str:
    return clock.now_in_shanghai().isoformat(timespec="seconds")


class UserStore:
    """The accounts in ``users.sqlite`` (default: in `gridmap_home`)."""

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, policy: LockoutPolicy = LOCKOUT
    ):
        self.path = Path(path) if path is not None else gridmap_home() / "users.sqlite"
        self.policy = policy
        create_private_db(self.path, _SCHEMA)

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    # -- reading ------------------------------------------------------------------------------
    @staticmethod
    def _user(row: sqlite3.Row) -> User:
        return User(
            row["name"],
            Role(row["role"]),
            grids=tuple(json.loads(row["grids"])),
            display=row["display"],
        )

    def _row(self, db: sqlite3.Connection, name: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = db.execute(
            "SELECT * FROM users WHERE name = ?", (name,)
        ).fetchone()
        return row

    def _need(self, db: sqlite3.Connection, name: str) -> sqlite3.Row:
        row = self._row(db, name)
        if row is None:
            raise OptionError(
                f"there is no user {name!r} in {self.path}; `gridmap users` lists them"
            )
        return row

    def get(self, name: str) -> User | None:
        """Return the enabled user `name`, or None (unknown or disabled)."""
        with self._db() as db:
            row = self._row(db, name)
        return None if row is None or row["disabled"] else self._user(row)

    def accounts(self) -> list[Account]:
        """Every account, by name."""
        with self._db() as db:
            rows = db.execute("SELECT * FROM users ORDER BY name").fetchall()
        return [
            Account(
                self._user(r),
                bool(r["disabled"]),
                _stamp(r["locked_until"]),
                r["created_at"],
                r["changed_at"],
                r["signed_in_at"],
            )
            for r in rows
        ]

    def is_empty(self) -> bool:
        """Tell whether the store has no account (the first must be an administrator)."""
        with self._db() as db:
            return db.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0

    # -- changing -----------------------------------------------------------------------------
    @staticmethod
    def _checked(user: User, password: str) -> str:
        problem = password_problem(password, user.name)
        if problem:
            raise OptionError(f"{problem} (user {user.name!r}); nothing was saved")
        return hash_password(password)

    def add(self, user: User, password: str) -> None:
        """Add `user` with `password`; the first account of a store must be an administrator."""
        digest = self._checked(user, password)
        now = _now_text()
        with self._db() as db:
            if self._row(db, user.name) is not None:
                raise OptionError(f"user {user.name!r} already exists in {self.path}")
            empty = db.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 0
            if empty and user.role is not Role.ADMINISTRATOR:
                raise OptionError(
                    "the first user must be an administrator: "
                    f"gridmap users add {user.name} --role administrator"
                )
            db.execute(
                "INSERT INTO users (name, display, role, grids, password_hash, created_at,"
                " changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    user.name,
                    user.display,
                    user.role.value,
                    json.dumps(list(user.grids)),
                    digest,
                    now,
                    now,
                ),
            )

    def _last_admin(self, db: sqlite3.Connection, name: str) -> bool:
        others = db.execute(
            "SELECT COUNT(*) FROM users"
            " WHERE role = 'administrator' AND disabled = 0 AND name != ?",
            (name,),
        ).fetchone()[0]
        return bool(others == 0)

    def change(
        self,
        name: str,
        *,
        role: Role | None = None,
        grids: tuple[str, ...] | None = None,
        display: str | None = None,
    ) -> User:
        """Change `name`'s role, grids or display name; return the user as it now is."""
        with self._db() as db:
            row = self._need(db, name)
            old = self._user(row)
            new = User(
                name,
                role if role is not None else old.role,
                grids=grids if grids is not None else old.grids,
                display=display if display is not None else old.display,
            )
            if (
                old.role is Role.ADMINISTRATOR
                and new.role is not Role.ADMINISTRATOR
                and self._last_admin(db, name)
            ):
                raise OptionError(f"{name!r} is the last administrator; make another one first")
            db.execute(
                "UPDATE users SET role = ?, grids = ?, display = ?, changed_at = ? WHERE name = ?",
                (new.role.value, json.dumps(list(new.grids)), new.display, _now_text(), name),
            )
        return new

    def set_disabled(self, name: str, disabled: bool) -> None:
        """Disable (sign-in refused, sessions end at their next step) or enable `name`."""
        with self._db() as db:
            row = self._need(db, name)
            if disabled and row["role"] == "administrator" and self._last_admin(db, name):
                raise OptionError(f"{name!r} is the last administrator; make another one first")
            db.execute(
                "UPDATE users SET disabled = ?, changed_at = ? WHERE name = ?",
                (int(disabled), _now_text(), name),
            )

    def reset_password(self, name: str, password: str) -> None:
        """Give `name` a new password and lift any lock."""
        with self._db() as db:
            row = self._need(db, name)
            digest = self._checked(self._user(row), password)
            db.execute(
                "UPDATE users SET password_hash = ?, failures = 0, first_failure_at = NULL,"
                " locked_until = NULL, changed_at = ? WHERE name = ?",
                (digest, _now_text(), name),
            )

    def unlock(self, name: str) -> None:
        """Lift a lock after failed sign-ins (the password stays)."""
        with self._db() as db:
            self._need(db, name)
            db.execute(
                "UPDATE users SET failures = 0, first_failure_at = NULL, locked_until = NULL"
                " WHERE name = ?",
                (name,),
            )

    # -- signing in ---------------------------------------------------------------------------
    def sign_in(self, name: str, password: str, *, now: pd.Timestamp | None = None) -> User:
        """Return user `name` if `password` is right; else raise `SignInError` (failure counted).

        An unknown name and a wrong password get the same message; a disabled
        account, or one locked after repeated failures, says so.
        """
        now = now if now is not None else clock.now_in_shanghai()
        refusal: SignInError | None = None
        with self._db() as db:  # a refusal is raised after the commit, so its count is kept
            row = self._row(db, name.strip())
            if row is None:
                verify_password(_dummy_hash(), password)  # the same time as a known name
                raise SignInError(WRONG)
            state = FailureState(
                row["failures"], _stamp(row["first_failure_at"]), _stamp(row["locked_until"])
            )
            if self.policy.is_locked(state, now):
                raise SignInError(_locked_text(state, now), locked=True)
            if row["disabled"]:
                raise SignInError(f"account {name!r} is disabled; ask an administrator")
            if verify_password(row["password_hash"], password):
                updates = "failures = 0, first_failure_at = NULL, locked_until = NULL"
                updates += ", signed_in_at = ?"
                params: list[object] = [now.isoformat(timespec="seconds")]
                if needs_rehash(row["password_hash"]):
                    updates += ", password_hash = ?"
                    params.append(hash_password(password))
                db.execute(f"UPDATE users SET {updates} WHERE name = ?", (*params, row["name"]))
                return self._user(row)
            state = self.policy.after_failure(state, now)
            db.execute(
                "UPDATE users SET failures = ?, first_failure_at = ?, locked_until = ?"
                " WHERE name = ?",
                (state.failures, _iso(state.first_at), _iso(state.locked_until), row["name"]),
            )
            locked = self.policy.is_locked(state, now)
            refusal = SignInError(_locked_text(state, now) if locked else WRONG, locked=locked)
        raise refusal


def _iso(stamp: pd.Timestamp | None) -> str | None:
    return None if stamp is None else stamp.isoformat()


def _locked_text(state: FailureState, now: pd.Timestamp) -> str:
    assert state.locked_until is not None
    minutes = max(1, math.ceil((state.locked_until - now).total_seconds() / 60))
    return (
        f"too many failed sign-ins: the account is locked for {minutes} more minute(s) "
        f"(until {state.locked_until:%H:%M}); an administrator can unlock it with "
        "`gridmap users unlock NAME`"
    )


@functools.cache
def _dummy_hash() -> str:
    """Return a hash to verify unknown names against, so they take as long as known ones."""
    return hash_password("not a password of anyone")
