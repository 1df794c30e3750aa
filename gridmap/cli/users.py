"""`gridmap users`: the accounts of the app (list, add, change, disable, enable, unlock, reset).

The accounts live in the user store (`gridmap.io.accounts.UserStore`,
``users.sqlite`` in the GridMap home), never in a district file. The first
account must be an administrator; there is no default password. A password is
read with getpass (asked twice) or as one line of standard input
(``--password-stdin``), checked against the policy (`password_problem`) and
handed to the store, which keeps only its Argon2id hash; it is never printed
or logged. Every change is appended to the audit log with the OS user as an
administrator (`gridmap.cli.audit_trail`).
"""

from __future__ import annotations

import contextlib
import getpass
import sys
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gridmap.cli.audit_trail import Trail
from gridmap.cli.common import app
from gridmap.errors import GridmapError, OptionError
from gridmap.identity import Role, User, parse_role, password_problem

if TYPE_CHECKING:
    from gridmap.io.accounts import Account, UserStore

users_app = typer.Typer(
    name="users",
    help="The app's accounts: list, add, change, disable, enable, unlock, reset "
    "(用户管理). Without a command: the list.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(users_app, name="users")

ROLE_HELP = (
    "administrator (系统管理员), planner (规划人员), grid_leader (网格负责人), "
    "staff (工作人员) or viewer (查看); code or Chinese name."
)


def _pad(text: str, width: int) -> str:
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 0)


def _store() -> UserStore:
    from gridmap.io.accounts import UserStore

    return UserStore()


def _role(text: str) -> Role:
    try:
        return parse_role(text)
    except ValueError as exc:
        raise OptionError(f"--role: {exc}") from None


def _user(name: str, role: Role, grids: tuple[str, ...], display: str) -> User:
    try:
        return User(name.strip(), role, grids=grids, display=display)
    except ValueError as exc:  # a grid leader without grids, a blank name
        raise OptionError(f"{exc}; nothing was saved") from None


def _check_grids(grids: tuple[str, ...], district: Path | None) -> None:
    """With ``--district``: every grid id is in that district, else `OptionError` naming them."""
    if district is None or not grids:
        return
    from gridmap.io import read_district
    from gridmap.schema import GRID_LEVELS

    loaded = read_district(district)
    known: set[str] = set()
    for level in GRID_LEVELS:
        frame = loaded.get(level)
        if frame is not None and "grid_id" in frame:
            known |= {str(g) for g in frame["grid_id"].dropna()}
    missing = [g for g in grids if g not in known]
    if missing:
        raise OptionError(
            f"--grid: {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not a grid of "
            f"{district}; nothing was saved. Fix: give ids of its grid_large, grid_medium or "
            "grid_small layers (`gridmap info` lists the layers)."
        )


def read_password(name: str, *, from_stdin: bool) -> str:
    """Read the new password of `name`: one line of stdin, or asked twice with getpass.

    `OptionError` (nothing saved) when the two do not match or the policy refuses it;
    the message never contains the password.
    """
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password[:-1] if password.endswith("\r") else password
    else:
        password = getpass.getpass(f"Password for {name} / {name} 的密码: ")
        again = getpass.getpass("Again / 再输入一次: ")
        if password != again:
            raise OptionError("the two passwords do not match; nothing was saved")
    problem = password_problem(password, name)
    if problem:
        raise OptionError(f"{problem} (user {name!r}); nothing was saved")
    return password


@contextlib.contextmanager
def _audited(trail: Trail, action: str, detail: str, grids: tuple[str, ...] = ()) -> Iterator[None]:
    """Audit the change inside as `action` (``failed``, with the reason, when refused)."""
    try:
        yield
    except GridmapError as exc:
        trail.failed(action, detail, exc, grids=grids)
        raise
    trail.record(
        action,
        detail,
        grids=grids,
        done="the change was saved, but this line is missing from the audit log",
    )


def _start() -> Trail:
    return Trail.start("users", notice=False)


# --- the list -------------------------------------------------------------------------------


def _stamp(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("T", " ")[:16] if text else "—"


#: The list's columns: header and width in terminal columns (the last one unpadded).
_COLUMNS = (
    ("name 用户名", 14),
    ("display 姓名", 12),
    ("role 角色", 24),
    ("grids 网格", 22),
    ("disabled 停用", 14),
    ("locked until 锁定至", 21),
    ("last sign-in 最近登录", 0),
)


def _row(cells: list[str]) -> str:
    parts = []
    for cell, (_, width) in zip(cells, _COLUMNS, strict=True):
        parts.append(_pad(cell, width - 1) + " " if width else cell)
    return "".join(parts).rstrip()


def account_lines(accounts: list[Account]) -> list[str]:
    """Return the table of accounts: name, display, role, grids, disabled, locked, last sign-in."""
    lines = [_row([h for h, _ in _COLUMNS])]
    for a in accounts:
        user = a.user
        grids = ",".join(user.grids) or ("(全区 district)" if user.role is Role.STAFF else "—")
        locked = a.locked_until.isoformat() if a.locked_until is not None else None
        lines.append(
            _row(
                [
                    user.name,
                    user.display or "—",
                    f"{user.role.zh} {user.role.en}",
                    grids,
                    "yes 是" if a.disabled else "no 否",
                    _stamp(locked),
                    _stamp(a.signed_in_at),
                ]
            )
        )
    return lines


@users_app.callback()
def _users(ctx: typer.Context) -> None:
    if ctx.invoked_subcommand is None:
        list_()


@users_app.command("list")
def list_() -> None:
    """List the accounts (用户列表)."""
    store = _store()
    accounts = store.accounts()
    if not accounts:
        typer.echo(
            f"No accounts yet in {store.path}. Create the first administrator:\n"
            "  gridmap users add NAME --role administrator"
        )
        return
    typer.echo("\n".join(account_lines(accounts)))


# --- changes --------------------------------------------------------------------------------


@users_app.command("add")
def add(
    name: str = typer.Argument(..., help="The name the user signs in with."),
    role: str = typer.Option(..., "--role", help=ROLE_HELP),
    grid: list[str] | None = typer.Option(
        None, "--grid", help="A grid id the user is bound to (repeat: --grid M1 --grid M2)."
    ),
    display: str = typer.Option("", "--display", help="The name shown beside it (张三)."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password as one line of standard input."
    ),
    district: Path | None = typer.Option(
        None, "--district", help="Check that the --grid ids exist in this district file."
    ),
) -> None:
    """Add an account; the password is asked twice (or read from standard input)."""
    chosen = _role(role)
    grids = tuple(dict.fromkeys(g.strip() for g in grid or () if g.strip()))
    user = _user(name, chosen, grids, display.strip())
    store = _store()
    if store.is_empty() and chosen is not Role.ADMINISTRATOR:
        raise OptionError(
            f"the first user must be an administrator; nothing was saved. Fix: gridmap users "
            f"add {user.name} --role administrator"
        )
    if any(a.user.name == user.name for a in store.accounts()):
        raise OptionError(f"user {user.name!r} already exists in {store.path}; nothing was saved")
    _check_grids(grids, district)
    trail = _start()
    password = read_password(user.name, from_stdin=password_stdin)
    detail = f"{user.label}: {chosen.value} ({chosen.zh})" + (
        f", grids {','.join(grids)}" if grids else ""
    )
    with _audited(trail, "user_add", detail, grids):
        store.add(user, password)
    typer.echo(f"Added {user.label} as {chosen.zh} {chosen.en} to {store.path}")


@users_app.command("change")
def change(
    name: str = typer.Argument(..., help="The account to change."),
    role: str | None = typer.Option(None, "--role", help=ROLE_HELP),
    grid: list[str] | None = typer.Option(
        None, "--grid", help="The grids the user is bound to, replacing the old ones (repeat)."
    ),
    no_grids: bool = typer.Option(False, "--no-grids", help="Bind the user to no grid."),
    display: str | None = typer.Option(None, "--display", help="The name shown beside it."),
    district: Path | None = typer.Option(
        None, "--district", help="Check that the --grid ids exist in this district file."
    ),
) -> None:
    """Change an account's role, grids or display name."""
    if grid and no_grids:
        raise OptionError("--grid and --no-grids contradict each other; give one of them")
    grids: tuple[str, ...] | None = None
    if no_grids:
        grids = ()
    elif grid:
        grids = tuple(dict.fromkeys(g.strip() for g in grid if g.strip()))
    chosen = _role(role) if role is not None else None
    if chosen is None and grids is None and display is None:
        raise OptionError(
            "nothing to change; give --role, --grid, --no-grids or --display "
            "(`gridmap users change --help`)"
        )
    store = _store()
    old = _account(store, name).user
    _check_grids(grids or (), district)
    trail = _start()
    new_role = chosen or old.role
    new_grids = old.grids if grids is None else grids
    changes = []
    if new_role is not old.role:
        changes.append(f"role {old.role.value} -> {new_role.value}")
    if new_grids != old.grids:
        changes.append(f"grids {','.join(old.grids) or '-'} -> {','.join(new_grids) or '-'}")
    if display is not None and display.strip() != old.display:
        changes.append(f"display {old.display or '-'} -> {display.strip() or '-'}")
    detail = f"{name}: {'; '.join(changes) or 'unchanged'}"
    with _audited(trail, "user_change", detail, new_grids):
        try:
            user = store.change(
                name,
                role=chosen,
                grids=grids,
                display=display.strip() if display is not None else None,
            )
        except ValueError as exc:  # the user it would become is not valid (grid leader, no grid)
            if isinstance(exc, GridmapError):
                raise
            raise OptionError(f"{exc}; nothing was saved") from None
    grids_text = ",".join(user.grids) or "—"
    typer.echo(f"Changed {user.label}: {user.role.zh} {user.role.en}, grids {grids_text}")


def _account(store: UserStore, name: str) -> Account:
    for account in store.accounts():
        if account.user.name == name:
            return account
    raise OptionError(f"there is no user {name!r} in {store.path}; `gridmap users` lists them")


def _simple(
    name: str, action: str, detail: str, change: Callable[[UserStore], None], done: str
) -> None:
    store = _store()
    _account(store, name)
    trail = _start()
    with _audited(trail, action, detail):
        change(store)
    typer.echo(done)


@users_app.command("disable")
def disable(name: str = typer.Argument(..., help="The account to disable.")) -> None:
    """Disable an account: sign-in refused, open sessions end at their next step."""
    _simple(
        name,
        "user_disable",
        name,
        lambda store: store.set_disabled(name, True),
        f"Disabled {name}",
    )


@users_app.command("enable")
def enable(name: str = typer.Argument(..., help="The account to enable again.")) -> None:
    """Enable a disabled account."""
    _simple(
        name,
        "user_enable",
        name,
        lambda store: store.set_disabled(name, False),
        f"Enabled {name}",
    )


@users_app.command("unlock")
def unlock(name: str = typer.Argument(..., help="The account to unlock.")) -> None:
    """Lift the lock after repeated failed sign-ins (the password stays)."""
    _simple(
        name,
        "user_change",
        f"{name}: unlocked",
        lambda store: store.unlock(name),
        f"Unlocked {name}",
    )


@users_app.command("reset")
def reset(
    name: str = typer.Argument(..., help="The account whose password is reset."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the new password as one line of standard input."
    ),
) -> None:
    """Give an account a new password (asked twice, or read from standard input); lifts a lock."""
    store = _store()
    _account(store, name)
    trail = _start()
    password = read_password(name, from_stdin=password_stdin)
    with _audited(trail, "user_reset", name):
        store.reset_password(name, password)
    typer.echo(f"Reset the password of {name}")
