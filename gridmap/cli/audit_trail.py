"""The CLI as the local administrator: who it acts as, what it says, and what it audits.

Whoever can run ``gridmap`` can read the district files anyway, so the CLI
acts as the OS user (`os_user`, `gridmap.identity.cli_user`): an
administrator. This module is the one home of what follows from that:

- the notice on standard error, printed once per export or save that carries
  full personal data (`NOTICE`; none with ``--public``);
- the author of every edit the CLI saves (`author`: the OS user, never a
  typed name);
- the audit lines (`Trail`): ``export``, ``save``, ``import`` and the user
  changes, with the OS user and the administrator role. The audit log is
  checked before any work (`Trail.start`), and a line that cannot be
  written fails the command with exit status 2 naming the audit file;
  inside `Outputs.guard` the files the command created are then removed, so
  no export leaves the machine unaudited;
- ``--public`` (`views`, `public_report`): the outputs are built from the
  district with every personal field left out and phone and ID numbers in
  free text masked; the analyses run on a masked copy that still has the
  fields, so their counts do not change.
"""

from __future__ import annotations

import contextlib
import getpass
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gridmap.cli.outputs import Outputs, is_stdout
from gridmap.errors import GridmapError, OptionError, SaveError
from gridmap.identity import User, cli_user, event

if TYPE_CHECKING:
    from gridmap.analysis.coverage import CoverageReport
    from gridmap.district import District
    from gridmap.io.audit import AuditLog

#: The notice of an export or save with full personal data (standard error, once per run).
NOTICE = (
    "gridmap: 以本机管理员身份运行（系统用户 {user}），输出含完整个人信息；"
    "加 --public 导出不含个人信息的公开版。\n"
    "gridmap: running as the local administrator (OS user {user}) with full personal data; "
    "--public leaves it out of exports."
)

#: The help of every export command's ``--public``.
PUBLIC_HELP = (
    "Public version (公开版): leave out every personal field (leaders, phones, members, "
    "household heads, unit managers, inspectors, team leaders) and mask phone and ID "
    "numbers in free text."
)

#: The most files an audit line names one by one (PNG pages beyond are counted).
_NAMED_FILES = 5


def os_user() -> str:
    """Return the OS account running the command (``unknown`` when it has no name)."""
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):  # no login name, no passwd entry (a container's bare uid)
        return "unknown"


def actor() -> User:
    """Return the user the CLI acts as and records: the OS user, as an administrator."""
    return cli_user(os_user())


def author(given: str | None = None, *, option: str = "--user") -> str:
    """Return the author recorded for an edit: the OS user.

    `given` is a name typed with `option` (kept so that scripts passing their
    own login name still run); any other name is refused, because an edit is
    attributed to who ran it, never to a typed name.
    """
    name = os_user()
    if given is not None and given.strip() and given.strip() != name:
        raise OptionError(
            f"{option} {given!r}: the CLI records the OS user ({name}) as the author of "
            f"every edit, never a typed name. Fix: drop {option}, or run the command as "
            f"{given}."
        )
    return name


@dataclass(frozen=True)
class Views:
    """The district a command analyses (`counted`) and the one its outputs read (`shown`).

    Without ``--public`` both are the district as loaded. With it, `shown`
    has no personal field at all (`mask_district` with ``public=True``), and
    `counted` has every personal field masked (``138****1234``, ``张*``) but
    present, so the checks that count them (a grid without a leader, the
    scorecard's named leaders) count as they do on the file, and a result
    can carry masked values at most (the one result with personal columns,
    the coverage report's grid table, loses them in `public_report`).
    """

    counted: District
    shown: District
    public: bool = False


def views(district: District, *, public: bool) -> Views:
    """Return the `Views` of `district` for an export, public or not."""
    if not public:
        return Views(district, district)
    from gridmap.analysis.access import NONE, mask_district

    return Views(mask_district(district, NONE), mask_district(district, NONE, public=True), True)


def public_report(report: CoverageReport) -> CoverageReport:
    """`report` without the personal fields of its grid table (the leaders it labels with)."""
    from dataclasses import replace

    from gridmap.analysis.access import personal_fields
    from gridmap.schema import GRID_LEVELS

    personal = {f for level in GRID_LEVELS for f in personal_fields(level)}
    grids = report.grids.drop(columns=[c for c in report.grids.columns if c in personal])
    return replace(report, grids=grids)


def _unavailable(path: Path | str, exc: BaseException, *, done: str) -> SaveError:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    return SaveError(
        f"the audit log {path} cannot be written ({reason}); {done}. "
        "Fix: make the GridMap home ($GRIDMAP_HOME, else ~/.gridmap) writable by this user, "
        "or point GRIDMAP_HOME at a folder that is."
    )


def audit_path() -> str:
    """Return the path of the audit log, for messages (the home is not created)."""
    from gridmap.io.accounts import home_path

    return str(home_path() / "audit.sqlite")


def open_audit(*, done: str = "nothing was written") -> AuditLog:
    """Open the audit log, checked writable now; else `SaveError` naming the file (exit 2)."""
    from gridmap.io.audit import AuditLog

    try:
        log = AuditLog()
        log.check_writable()
    except (OSError, sqlite3.Error) as exc:
        raise _unavailable(audit_path(), exc, done=done) from exc
    return log


def _files(paths: Iterable[Path | None]) -> list[str]:
    names = [("standard output" if is_stdout(p) else str(p)) for p in paths if p is not None]
    return list(dict.fromkeys(names))


def files_text(paths: Iterable[Path | None]) -> str:
    """``a.pdf, a.zip`` (the first `_NAMED_FILES`, then how many more)."""
    names = _files(paths)
    shown = ", ".join(names[:_NAMED_FILES])
    more = len(names) - _NAMED_FILES
    return shown + (f" and {more} more" if more > 0 else "")


@dataclass
class Trail:
    """The audit of one command run, as the OS user acting as an administrator."""

    command: str
    log: AuditLog
    user: User
    public: bool = False
    grids: tuple[str, ...] = ()
    extra: list[Path] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        command: str,
        *,
        public: bool = False,
        notice: bool | None = None,
        grids: Iterable[str] = (),
    ) -> Trail:
        """Check the audit log can be written and print the notice (default: unless `public`).

        Call it after the options are checked and before any work, so an
        unwritable audit log stops the command before it reads or writes.
        """
        log = open_audit()
        user = actor()
        if (not public) if notice is None else notice:
            typer.echo(NOTICE.format(user=user.name), err=True)
        return cls(command, log, user, public=public, grids=tuple(str(g) for g in grids))

    @property
    def version(self) -> str:
        """``public 公开版`` or ``full personal data 含个人信息``."""
        return "public 公开版" if self.public else "full personal data 含个人信息"

    def record(
        self,
        action: str,
        detail: str,
        *,
        outcome: str = "ok",
        grids: Iterable[str] | None = None,
        done: str = "the command's output was not kept",
    ) -> None:
        """Append one line; `SaveError` naming the audit file when it cannot be written."""
        line = event(
            action,
            self.user,
            outcome=outcome,
            grids=self.grids if grids is None else grids,
            detail=detail,
        )
        try:
            self.log.append(line)
        except (OSError, sqlite3.Error) as exc:
            raise _unavailable(self.log.path, exc, done=done) from exc

    def failed(
        self, action: str, detail: str, exc: BaseException, *, grids: Iterable[str] | None = None
    ) -> None:
        """Append a ``failed`` line for `exc` if the log takes it (the error itself goes on)."""
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        with contextlib.suppress(GridmapError, OSError, sqlite3.Error, ValueError):
            self.record(action, f"{detail}: {reason}", outcome="failed", grids=grids)

    def wrote(self, path: Path) -> None:
        """Name one more file of the export (a PNG page or a zip beside the PDF)."""
        self.extra.append(path)

    def export_detail(self, outputs: Outputs) -> str:
        """``gridmap check: r.json, l.xlsx (public 公开版)``."""
        names = files_text([*outputs.paths.values(), *self.extra])
        return f"gridmap {self.command}: {names} ({self.version})"

    @contextlib.contextmanager
    def exporting(self, outputs: Outputs) -> Iterator[Trail]:
        """Audit the writes inside the block as one ``export`` (``failed`` when they fail).

        Use it inside ``outputs.guard()``: when the line cannot be appended,
        the `SaveError` makes the guard remove the files this run created.
        """
        try:
            yield self
        except typer.Exit:
            raise
        except BaseException as exc:
            self.failed("export", self.export_detail(outputs), exc)
            raise
        self.record(
            "export",
            self.export_detail(outputs),
            done="the files this run created were removed",
        )


def start_export(
    command: str, outputs: Outputs, *, public: bool, grids: Iterable[str] = ()
) -> Trail | None:
    """`Trail.start` when the command writes any output, else None (nothing to audit)."""
    if not any(p is not None for p in outputs.paths.values()):
        return None
    return Trail.start(command, public=public, grids=grids)


@contextlib.contextmanager
def exporting(trail: Trail | None, outputs: Outputs) -> Iterator[None]:
    """`Trail.exporting` when there is a trail; nothing otherwise."""
    if trail is None:
        yield
        return
    with trail.exporting(outputs):
        yield
