"""The audit log: append-only, one row per event, each row chained to the one before.

``audit.sqlite`` in the GridMap home (`gridmap.io.accounts.gridmap_home`)
holds one table, ``events``: the time (Asia/Shanghai), user, role, action,
grid ids, outcome and detail of every sign-in, failed sign-in, sign-out,
view of personal data, export, save and user change. SQLite triggers refuse
UPDATE and DELETE, and each row stores the SHA-256 of the previous row's hash
and its own content, so a row changed or removed by other means is found by
`AuditLog.verify`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from gridmap import clock
from gridmap.identity import AUDIT_ACTIONS, AuditEvent
from gridmap.io.accounts import create_private_db, gridmap_home

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    grids TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""

#: The columns of the log as `AuditLog.read` returns them.
COLUMNS: tuple[str, ...] = ("seq", "at", "user", "role", "action", "grids", "outcome", "detail")

#: Column -> (Chinese, English) header of the exported log (审计日志).
HEADERS: dict[str, tuple[str, str]] = {
    "seq": ("序号", "no."),
    "at": ("时间", "time"),
    "user": ("用户", "user"),
    "role": ("角色", "role"),
    "action": ("操作", "action"),
    "grids": ("网格", "grids"),
    "outcome": ("结果", "outcome"),
    "detail": ("说明", "detail"),
}

_GENESIS = "0" * 64


def _digest(prev: str, values: tuple[str, ...]) -> str:
    payload = json.dumps([prev, *values], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditLog:
    """The append-only audit log in ``audit.sqlite`` (default: in the GridMap home)."""

    def __init__(self, path: str | os.PathLike[str] | None = None):
        self.path = Path(path) if path is not None else gridmap_home() / "audit.sqlite"
        create_private_db(self.path, _SCHEMA)

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            yield db
        finally:
            db.close()

    def append(self, event: AuditEvent, *, at: pd.Timestamp | None = None) -> int:
        """Append `event` (time: now in Asia/Shanghai); return its sequence number."""
        stamp = (at if at is not None else clock.now_in_shanghai()).isoformat(timespec="seconds")
        values = (
            stamp,
            event.user,
            event.role,
            event.action,
            ",".join(event.grids),
            event.outcome,
            event.detail,
        )
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                last = db.execute("SELECT hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
                prev = last[0] if last else _GENESIS
                cursor = db.execute(
                    "INSERT INTO events (at, user, role, action, grids, outcome, detail,"
                    " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (*values, prev, _digest(prev, values)),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return int(cursor.lastrowid or 0)

    def check_writable(self) -> None:
        """Raise `sqlite3.Error` or `OSError` unless an event could be appended now.

        A row is inserted in a transaction that is rolled back, so nothing is
        written; a read-only file, a folder where SQLite cannot create its
        journal or a database locked by another writer is found before the
        caller makes what it would have to audit (an export is not made
        without its audit line).
        """
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "INSERT INTO events (at, user, role, action, grids, outcome, detail,"
                    " prev_hash, hash) VALUES ('', '', '', 'probe', '', '', '', '', '')"
                )
            finally:
                if db.in_transaction:
                    db.execute("ROLLBACK")

    def read(
        self,
        *,
        since: pd.Timestamp | None = None,
        until: pd.Timestamp | None = None,
        user: str | None = None,
        action: str | None = None,
    ) -> pd.DataFrame:
        """Return the events, oldest first, by time (``until`` exclusive), user and action."""
        where, params = [], []
        if since is not None:
            where.append("at >= ?")
            params.append(since.isoformat(timespec="seconds"))
        if until is not None:
            where.append("at < ?")
            params.append(until.isoformat(timespec="seconds"))
        if user:
            where.append("user = ?")
            params.append(user)
        if action:
            where.append("action = ?")
            params.append(action)
        sql = f"SELECT {', '.join(COLUMNS)} FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self._db() as db:
            rows = db.execute(sql + " ORDER BY seq", params).fetchall()
        return pd.DataFrame(rows, columns=list(COLUMNS))

    def verify(self) -> list[int]:
        """Sequence numbers of rows whose chain is broken (changed, removed before, reordered)."""
        broken: list[int] = []
        prev = _GENESIS
        with self._db() as db:
            rows = db.execute(
                "SELECT seq, at, user, role, action, grids, outcome, detail, prev_hash, hash"
                " FROM events ORDER BY seq"
            ).fetchall()
        for seq, *values, prev_hash, digest in rows:
            if prev_hash != prev or digest != _digest(prev, tuple(values)):
                broken.append(int(seq))
            prev = digest
        return broken


def audit_table(events: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Return the log with action names and headers in `lang` (for the page and the export)."""
    index = 0 if lang == "zh" else 1
    shown = events.copy()
    shown["action"] = shown["action"].map(lambda a: AUDIT_ACTIONS.get(a, (a, a))[index])
    return shown.rename(columns={c: HEADERS[c][index] for c in shown.columns if c in HEADERS})
