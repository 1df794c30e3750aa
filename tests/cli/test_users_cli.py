"""`gridmap users`: accounts added, refused, changed, locked and unlocked, every change audited."""

from __future__ import annotations

import getpass
import io
from pathlib import Path

import pytest

from gridmap.cli import main
from gridmap.io.accounts import UserStore
from gridmap.io.audit import AuditLog

ADMIN_PASSWORD = "correct horse 1"
LEADER_PASSWORD = "zhangsan pass1"


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def add(monkeypatch: pytest.MonkeyPatch, *argv: str, password: str) -> int:
    _stdin(monkeypatch, password + "\n")
    return main(["users", "add", *argv, "--password-stdin"])


@pytest.fixture
def admin(monkeypatch: pytest.MonkeyPatch) -> str:
    assert add(monkeypatch, "admin", "--role", "administrator", password=ADMIN_PASSWORD) == 0
    return "admin"


def test_an_empty_store_says_how_to_begin(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["users"]) == 0
    out = capsys.readouterr().out
    assert "No accounts yet" in out and "gridmap users add NAME --role administrator" in out


def test_the_first_account_must_be_an_administrator(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(monkeypatch, "li", "--role", "viewer", password="viewer pass 1") == 2
    assert "the first user must be an administrator" in capsys.readouterr().err
    assert UserStore().is_empty()


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short", "needs at least 10"),
        ("aaaaaaaaaaaa", "4 different characters"),
        ("adminadmin", "may not be the user's name"),
    ],
)
def test_a_weak_password_is_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], password: str, why: str
) -> None:
    name = "adminadmin" if "name" in why else "admin"
    assert add(monkeypatch, name, "--role", "administrator", password=password) == 2
    err = capsys.readouterr().err
    assert why in err and "nothing was saved" in err
    assert password == name or password not in err
    assert UserStore().is_empty()


def test_getpass_asks_twice_and_the_two_must_match(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([ADMIN_PASSWORD, ADMIN_PASSWORD + "x"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(answers))
    assert main(["users", "add", "admin", "--role", "administrator"]) == 2
    assert "do not match" in capsys.readouterr().err
    answers = iter([ADMIN_PASSWORD, ADMIN_PASSWORD])
    assert main(["users", "add", "admin", "--role", "administrator"]) == 0
    assert UserStore().sign_in("admin", ADMIN_PASSWORD).name == "admin"


def test_roles_by_chinese_name_and_a_grid_leader_needs_grids(
    admin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(monkeypatch, "zhang", "--role", "网格负责人", password=LEADER_PASSWORD) == 2
    assert "bound to no grid" in capsys.readouterr().err
    argv = ["zhang", "--role", "网格负责人", "--grid", "M1", "--display", "张三"]
    assert add(monkeypatch, *argv, password=LEADER_PASSWORD) == 0
    assert "网格负责人 grid leader" in capsys.readouterr().out
    user = UserStore().get("zhang")
    assert user is not None and user.role.value == "grid_leader" and user.grids == ("M1",)
    assert add(monkeypatch, "li", "--role", "boss", password="li password 1") == 2
    assert "unknown role 'boss'" in capsys.readouterr().err


def test_district_option_names_the_grids_it_does_not_have(
    admin: str,
    tiny_gpkg: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["zhang", "--role", "grid_leader", "--grid", "M1", "--grid", "M9", "--grid", "X"]
    assert add(monkeypatch, *argv, "--district", str(tiny_gpkg), password=LEADER_PASSWORD) == 2
    err = capsys.readouterr().err
    assert "M9, X are not a grid of" in err and "M1" not in err.split("not a grid")[0]
    assert UserStore().get("zhang") is None
    argv = ["zhang", "--role", "grid_leader", "--grid", "M1", "--district", str(tiny_gpkg)]
    assert add(monkeypatch, *argv, password=LEADER_PASSWORD) == 0


def test_changes_are_audited_as_the_os_user(
    admin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        add(monkeypatch, "zhang", "--role", "grid_leader", "--grid", "M1", password=LEADER_PASSWORD)
        == 0
    )
    assert main(["users", "change", "zhang", "--role", "staff", "--no-grids"]) == 0
    assert main(["users", "change", "zhang", "--display", "张三"]) == 0
    assert main(["users", "disable", "zhang"]) == 0
    assert UserStore().get("zhang") is None  # disabled
    assert main(["users", "enable", "zhang"]) == 0
    assert main(["users", "unlock", "zhang"]) == 0
    _stdin(monkeypatch, "another pass 2\n")
    assert main(["users", "reset", "zhang", "--password-stdin"]) == 0
    log = AuditLog().read()
    assert log["action"].tolist() == [
        "user_add",
        "user_add",
        "user_change",
        "user_change",
        "user_disable",
        "user_enable",
        "user_change",
        "user_reset",
    ]
    assert set(log["user"]) == {getpass.getuser()} and set(log["role"]) == {"administrator"}
    assert set(log["outcome"]) == {"ok"}
    assert log["detail"].iloc[2] == "zhang: role grid_leader -> staff; grids M1 -> -"
    assert log["detail"].iloc[6] == "zhang: unlocked"
    assert log["grids"].iloc[1] == "M1"
    assert UserStore().sign_in("zhang", "another pass 2").role.value == "staff"
    assert AuditLog().verify() == []


def test_a_refused_change_is_audited_as_failed(
    admin: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "disable", "admin"]) == 2
    assert "last administrator" in capsys.readouterr().err
    row = AuditLog().read().iloc[-1]
    assert (row["action"], row["outcome"]) == ("user_disable", "failed")
    assert "last administrator" in row["detail"]


def test_change_needs_something_to_change_and_a_known_user(
    admin: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "change", "admin"]) == 2
    assert "nothing to change" in capsys.readouterr().err
    assert main(["users", "change", "nobody", "--role", "viewer"]) == 2
    assert "there is no user 'nobody'" in capsys.readouterr().err
    assert main(["users", "change", "admin", "--grid", "M1", "--no-grids"]) == 2
    assert main(["users", "disable", "nobody"]) == 2


def test_unlock_lifts_a_lockout_and_the_list_shows_it(
    admin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gridmap.errors import SignInError

    assert add(monkeypatch, "li", "--role", "viewer", password="viewer pass 1") == 0
    store = UserStore()
    for _ in range(5):
        with pytest.raises(SignInError):
            store.sign_in("li", "wrong password")
    with pytest.raises(SignInError, match="locked"):
        store.sign_in("li", "viewer pass 1")
    capsys.readouterr()
    assert main(["users", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("name 用户名") and "last sign-in 最近登录" in lines[0]
    (li,) = [line for line in lines if line.startswith("li ")]
    assert "查看 viewer" in li and "no 否" in li and li.count(":") >= 1  # a lock time is shown
    assert main(["users", "unlock", "li"]) == 0
    assert store.sign_in("li", "viewer pass 1").name == "li"


def test_no_password_in_any_file_output_or_log_line(
    gridmap_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(monkeypatch, "admin", "--role", "administrator", password=ADMIN_PASSWORD) == 0
    _stdin(monkeypatch, "second pass 22\n")
    assert main(["users", "reset", "admin", "--password-stdin"]) == 0
    assert main(["users"]) == 0
    assert main(["audit"]) == 0
    printed = capsys.readouterr()
    for password in (ADMIN_PASSWORD, "second pass 22"):
        assert password not in printed.out + printed.err
        for path in gridmap_home.rglob("*"):
            if path.is_file():
                assert password.encode() not in path.read_bytes(), path
    assert "$argon2id$" not in printed.out + printed.err
    assert "argon2" not in " ".join(AuditLog().read()["detail"])
