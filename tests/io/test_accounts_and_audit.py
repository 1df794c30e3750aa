"""The user store and the audit log on disk: real SQLite files, real second processes."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from gridmap.errors import OptionError, SignInError
from gridmap.identity import Role, User, event
from gridmap.io.accounts import WRONG, UserStore, gridmap_home
from gridmap.io.audit import AuditLog, audit_table

SECRET = "长城-secret-2026"
T0 = pd.Timestamp("2026-12-03 09:00", tz="Asia/Shanghai")
ADMIN = User("admin", Role.ADMINISTRATOR, display="管理员")


@pytest.fixture
def store(tmp_path: Path) -> UserStore:
    s = UserStore(tmp_path / "users.sqlite")
    s.add(ADMIN, SECRET)
    return s


def _bytes_of(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


def test_the_home_is_the_variable_or_the_users_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GRIDMAP_HOME", str(tmp_path / "h"))
    assert gridmap_home() == tmp_path / "h" and (tmp_path / "h").is_dir()
    assert UserStore().path == tmp_path / "h" / "users.sqlite"
    assert AuditLog().path == tmp_path / "h" / "audit.sqlite"


def test_the_password_is_in_no_file_in_clear(store: UserStore, tmp_path: Path) -> None:
    store.add(User("zhang", Role.GRID_LEADER, grids=("M1",)), "另一个-secret-9")
    store.reset_password("zhang", "第三个-secret-7")
    store.sign_in("zhang", "第三个-secret-7")
    data = _bytes_of(tmp_path)
    for password in (SECRET, "另一个-secret-9", "第三个-secret-7"):
        assert password.encode("utf-8") not in data
    assert b"$argon2id$" in data
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_the_first_user_is_an_administrator(tmp_path: Path) -> None:
    s = UserStore(tmp_path / "users.sqlite")
    assert s.is_empty()
    with pytest.raises(OptionError, match="the first user must be an administrator"):
        s.add(User("li", Role.VIEWER), SECRET)
    with pytest.raises(OptionError, match="needs at least 10"):
        s.add(ADMIN, "short")
    assert s.is_empty()


def test_sign_in_and_the_same_answer_for_unknown_and_wrong(store: UserStore) -> None:
    assert store.sign_in("admin", SECRET) == ADMIN
    for name, password in (("nobody", SECRET), ("admin", "wrong-password")):
        with pytest.raises(SignInError) as caught:
            store.sign_in(name, password)
        assert str(caught.value) == WRONG and not caught.value.locked


def test_lockout_survives_a_new_store_and_unlock_lifts_it(store: UserStore) -> None:
    for k in range(5):
        with pytest.raises(SignInError):
            store.sign_in("admin", "wrong-password", now=T0 + pd.Timedelta(seconds=k))
    again = UserStore(store.path)  # another process or a restart reads the same counts
    with pytest.raises(SignInError, match="locked for 15 more minute") as caught:
        again.sign_in("admin", SECRET, now=T0 + pd.Timedelta(minutes=1))
    assert caught.value.locked
    assert again.sign_in("admin", SECRET, now=T0 + pd.Timedelta(minutes=16)) == ADMIN
    for _ in range(5):
        with pytest.raises(SignInError):
            again.sign_in("admin", "wrong-password", now=T0 + pd.Timedelta(minutes=17))
    again.unlock("admin")
    assert again.sign_in("admin", SECRET, now=T0 + pd.Timedelta(minutes=17)) == ADMIN


def test_a_success_resets_the_count(store: UserStore) -> None:
    for _ in range(4):
        with pytest.raises(SignInError):
            store.sign_in("admin", "wrong-password", now=T0)
    store.sign_in("admin", SECRET, now=T0)
    with pytest.raises(SignInError) as caught:
        store.sign_in("admin", "wrong-password", now=T0)
    assert not caught.value.locked


def test_disable_change_and_the_last_administrator(store: UserStore) -> None:
    store.add(User("li", Role.STAFF, grids=("M2",)), "li-secret-123")
    with pytest.raises(OptionError, match="last administrator"):
        store.set_disabled("admin", True)
    with pytest.raises(OptionError, match="last administrator"):
        store.change("admin", role=Role.VIEWER)
    store.set_disabled("li", True)
    assert store.get("li") is None
    with pytest.raises(SignInError, match="disabled"):
        store.sign_in("li", "li-secret-123")
    store.set_disabled("li", False)
    changed = store.change("li", role=Role.GRID_LEADER, grids=("M1", "M3"), display="李四")
    assert store.get("li") == changed == User("li", Role.GRID_LEADER, ("M1", "M3"), "李四")
    with pytest.raises(OptionError, match="already exists"):
        store.add(User("li", Role.VIEWER), "li-secret-456")
    with pytest.raises(OptionError, match="there is no user 'wang'"):
        store.reset_password("wang", "wang-secret-1")
    listed = {a.user.name: a for a in store.accounts()}
    assert set(listed) == {"admin", "li"} and listed["admin"].signed_in_at is None


# -- the audit log -------------------------------------------------------------------------------


def test_events_are_kept_in_order_with_time_in_shanghai(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite")
    log.append(event("sign_in", ADMIN), at=T0)
    log.append(event("export", ADMIN, grids=["M1", "M2"], detail="atlas.pdf"), at=T0)
    log.append(event("sign_in_failed", None, name="nobody", outcome="failed"), at=T0)
    frame = log.read()
    assert frame["action"].tolist() == ["sign_in", "export", "sign_in_failed"]
    assert frame["at"].iloc[0] == "2026-12-03T09:00:00+08:00"
    assert frame["grids"].iloc[1] == "M1,M2" and frame["user"].iloc[2] == "nobody"
    assert log.read(action="export")["detail"].tolist() == ["atlas.pdf"]
    shown = audit_table(frame, "zh")
    assert list(shown.columns)[:5] == ["序号", "时间", "用户", "角色", "操作"]
    assert shown["操作"].tolist() == ["登录", "导出", "登录失败"]
    assert log.verify() == []


def test_the_log_refuses_update_and_delete(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite")
    log.append(event("sign_in", ADMIN))
    db = sqlite3.connect(log.path)
    for sql in ("UPDATE events SET user = 'x'", "DELETE FROM events"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute(sql)
    db.close()
    assert len(log.read()) == 1


def test_a_row_changed_behind_the_log_is_found(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite")
    for action in ("sign_in", "export", "sign_out"):
        log.append(event(action, ADMIN))
    db = sqlite3.connect(log.path)
    db.executescript(
        "DROP TRIGGER events_no_update; UPDATE events SET detail = 'nothing' WHERE seq = 2;"
    )
    db.close()
    assert log.verify() == [2]


def test_a_row_removed_behind_the_log_is_found(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite")
    for action in ("sign_in", "export", "sign_out"):
        log.append(event(action, ADMIN))
    db = sqlite3.connect(log.path)
    db.executescript("DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 2;")
    db.close()
    assert log.verify() == [3]


_WRITER = """
import sys
from gridmap.identity import Role, User, event
from gridmap.io.audit import AuditLog
log = AuditLog(sys.argv[1])
for k in range(40):
    log.append(event("export", User(sys.argv[2], Role.VIEWER), detail=str(k)))
"""


def test_two_processes_append_at_once_and_the_chain_holds(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    AuditLog(path)
    procs = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(path), who]) for who in ("a", "b")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    log = AuditLog(path)
    frame = log.read()
    assert len(frame) == 80 and frame["user"].value_counts().to_dict() == {"a": 40, "b": 40}
    assert log.verify() == []
