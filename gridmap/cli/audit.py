"""`gridmap audit`: read, export and verify the audit log (审计日志).

The log (`gridmap.io.audit.AuditLog`, ``audit.sqlite`` in the GridMap home)
is append-only and chained by SHA-256. ``gridmap audit`` prints it, or writes
it as an Excel workbook or CSV with headers in both languages (the export is
itself audited); ``gridmap audit verify`` checks the chain and exits 1 listing
the rows that were changed, removed or reordered.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import typer

from gridmap import clock
from gridmap.cli.audit_trail import Trail
from gridmap.cli.common import app
from gridmap.cli.options import date_value
from gridmap.cli.outputs import Outputs, is_stdout
from gridmap.errors import OptionError

if TYPE_CHECKING:
    from gridmap.io.audit import AuditLog

audit_app = typer.Typer(
    name="audit",
    help="The audit log (审计日志): print or export it (-o), or verify its hash chain.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(audit_app, name="audit")

#: Outcome -> its bilingual label in the export.
OUTCOME_LABELS = {"ok": "成功 ok", "denied": "拒绝 denied", "failed": "失败 failed"}
TIMEZONE = "Asia/Shanghai"


def bilingual_table(events: pd.DataFrame) -> pd.DataFrame:
    """Return the log with headers and action, role and outcome names in Chinese and English."""
    from gridmap.identity import ROLE_LABELS, Role
    from gridmap.io.audit import HEADERS, audit_table

    zh, en = audit_table(events, "zh"), audit_table(events, "en")
    table = pd.DataFrame(
        {f"{HEADERS[c][0]} {HEADERS[c][1]}": events[c] for c in events.columns if c in HEADERS}
    )
    action = f"{HEADERS['action'][0]} {HEADERS['action'][1]}"
    table[action] = (zh[HEADERS["action"][0]] + " " + en[HEADERS["action"][1]]).to_numpy()
    roles = {r.value: f"{ROLE_LABELS[r][0]} {ROLE_LABELS[r][1]}" for r in Role}
    role = f"{HEADERS['role'][0]} {HEADERS['role'][1]}"
    table[role] = events["role"].map(lambda r: roles.get(r, r)).to_numpy()
    outcome = f"{HEADERS['outcome'][0]} {HEADERS['outcome'][1]}"
    table[outcome] = events["outcome"].map(lambda o: OUTCOME_LABELS.get(o, o)).to_numpy()
    return table


def _day(value: str | None, option: str) -> pd.Timestamp | None:
    day = date_value(value, option)
    return None if day is None else pd.Timestamp(day).tz_localize(TIMEZONE)


def _kind(path: Path | None) -> str | None:
    if path is None:
        return None
    if is_stdout(path) or path.suffix.lower() == ".csv":
        return "csv"
    if path.suffix.lower() == ".xlsx":
        return "xlsx"
    raise OptionError(
        f"-o {path}: the audit log is written as .xlsx or .csv (or - for CSV on standard "
        "output). Fix: e.g. -o audit.xlsx."
    )


def _lines(events: pd.DataFrame) -> list[str]:
    lines = []
    for record in events.to_dict(orient="records"):
        row = {k: str(v) for k, v in record.items()}  # the log's columns are text and numbers
        grids = f" [{row['grids']}]" if row["grids"] else ""
        mark = "" if row["outcome"] == "ok" else f" ({row['outcome']})"
        lines.append(
            f"{row['seq']:>6}  {row['at'][:19].replace('T', ' ')}  {row['user']:<14}"
            f"{row['role']:<14}{row['action']:<15}{mark}{grids}  {row['detail']}"
        )
    return lines


@audit_app.callback()
def audit(
    ctx: typer.Context,
    since: str | None = typer.Option(None, "--since", help="First day (2026-12-01), included."),
    until: str | None = typer.Option(None, "--until", help="Last day, included."),
    user: str | None = typer.Option(None, "--user", help="Only this user's events."),
    action: str | None = typer.Option(
        None, "--action", help="Only this action (export, save, sign_in, user_add ...)."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Write it here: FILE.xlsx, FILE.csv, or - for CSV on stdout."
    ),
) -> None:
    """Print the audit log, or write it with -o (Excel or CSV, headers in both languages)."""
    if ctx.invoked_subcommand is not None:
        return
    from gridmap.identity import AUDIT_ACTIONS

    first, last = _day(since, "--since"), _day(until, "--until")
    if first is not None and last is not None and last < first:
        raise OptionError(f"--since {since} is after --until {until}. Fix: swap them.")
    if action is not None and action not in AUDIT_ACTIONS:
        raise OptionError(f"--action {action!r} is not one of: {', '.join(AUDIT_ACTIONS)}")
    kind = _kind(out)
    outputs = Outputs()
    outputs.declare("--out", out, "text" if kind == "csv" else "binary", what="the workbook")
    trail = Trail.start("audit", notice=False) if out is not None else None
    log = trail.log if trail is not None else _log()
    events = log.read(
        since=first,
        until=None if last is None else last + pd.Timedelta(days=1),
        user=user,
        action=action,
    )
    if out is None:
        if events.empty:
            typer.echo(f"No events in {log.path} for these filters.")
            return
        typer.echo("\n".join(_lines(events)))
        return
    assert trail is not None
    _write(outputs, trail, out, events, kind=kind or "csv")
    outputs.echo(f"Wrote {len(events)} event(s) of {log.path} to {out}")


def _write(outputs: Outputs, trail: Trail, out: Path, events: pd.DataFrame, *, kind: str) -> None:
    from gridmap.io import write_bytes, write_workbook
    from gridmap.schema import Sheet

    table = bilingual_table(events)
    if kind == "xlsx":
        made = clock.now_in_shanghai().strftime("%Y-%m-%d %H:%M")
        title = f"审计日志 audit log（{len(table)} 条 events，导出 exported {made}）"
        sheets = [Sheet("审计日志", title, table)]
        with outputs.guard(), trail.exporting(outputs):
            outputs.write("--out", lambda path: write_workbook(path, sheets), suffix=".xlsx")
        return
    bom = "" if is_stdout(out) else "\ufeff"  # a BOM lets Excel read the file as UTF-8
    data = (bom + table.to_csv(index=False)).encode("utf-8")
    with outputs.guard(), trail.exporting(outputs):
        outputs.write("--out", lambda path: write_bytes(path, data), suffix=".csv")


def _log() -> AuditLog:
    from gridmap.cli.audit_trail import audit_path
    from gridmap.errors import SaveError
    from gridmap.io.audit import AuditLog

    try:
        return AuditLog()
    except (OSError, sqlite3.Error) as exc:
        raise SaveError(f"the audit log {audit_path()} cannot be opened ({exc}).") from exc


@audit_app.command("verify")
def verify() -> None:
    """Check the hash chain: exit 0 when intact, 1 listing the rows changed or removed."""
    log = _log()
    broken = log.verify()
    rows = len(log.read())
    if not broken:
        typer.echo(f"Audit log {log.path}: {rows} event(s), the hash chain is intact.")
        return
    typer.echo(
        f"Audit log {log.path}: {len(broken)} of {rows} event(s) break the hash chain "
        "(changed, or a row before them removed or reordered):"
    )
    for seq in broken[:50]:
        typer.echo(f"  row {seq}")
    if len(broken) > 50:
        typer.echo(f"  ... {len(broken) - 50} more")
    raise typer.Exit(1)
