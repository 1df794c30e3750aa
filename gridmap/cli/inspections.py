"""`gridmap inspections` (schedule compliance) and `gridmap hazards` (the hazard ledger)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from gridmap.cli.audit_trail import PUBLIC_HELP, exporting, start_export, views
from gridmap.cli.common import app, progress
from gridmap.cli.options import date_range, date_value
from gridmap.cli.outputs import Outputs


def compliance_lines(result, summary, *, start: dt.date, end: dt.date, counted: int) -> list[str]:
    """Return the printed summary: grids per status for each requirement."""
    from gridmap.standards.inspections import ROLE_LABELS

    lines = [f"Inspection compliance {start} .. {end} ({counted} inspections in the range)"]
    lines.append(
        f"  {'role':<14}{'level':<12}{'grids':>6}{'on_schedule':>13}{'late':>6}"
        f"{'never':>7}  巡查人员"
    )
    for row in summary.itertuples(index=False):
        lines.append(
            f"  {row.role:<14}{row.level:<12}{row.grids:>6}{row.on_schedule:>13}"
            f"{row.late:>6}{row.never:>7}  {ROLE_LABELS.get(row.role, ('',))[0]}"
        )
    behind = result[result["status"] != "on_schedule"]
    lines.append(f"Requirements not met: {len(behind)} of {len(result)}")
    worst = behind.sort_values(["longest_gap_days", "grid_id"], ascending=[False, True]).head(5)
    for row in worst.itertuples(index=False):
        lines.append(
            f"  {row.grid_id:<16}{row.role:<14}{row.done:>5}/{row.required:<5} longest gap "
            f"{row.longest_gap_days} days  {row.status}"
        )
    return lines


@app.command()
def inspections(
    file: Path = typer.Argument(..., help="District GeoPackage (.gpkg)."),
    date_from: str = typer.Option(..., "--from", help="First day of the range (2025-01-01)."),
    date_to: str = typer.Option(..., "--to", help="Last day of the range, included."),
    json_out: Path | None = typer.Option(
        None,
        "--json",
        help="Write the records (grid_id, level, role, required, done, "
        "longest_gap_days, status) as JSON here (- for standard output).",
    ),
    xlsx_out: Path | None = typer.Option(None, "--xlsx", help="Write the ledger workbook here."),
    crs: str | None = typer.Option(None, help="CRS to assume for layers without one."),
    public: bool = typer.Option(False, "--public", help=PUBLIC_HELP),
) -> None:
    """Schedule compliance per grid and role (定期检查制度) for a date range, in Asia/Shanghai."""
    from gridmap.analysis.inspections import (
        assign_inspections,
        compliance,
        compliance_records,
        compliance_summary,
        select_inspections,
    )
    from gridmap.io import (
        compliance_summary_zh,
        compliance_table_zh,
        read_district,
        write_compliance_xlsx,
        write_records_json,
    )
    from gridmap.standards.inspections import DEFAULT_FREQUENCIES

    start, end = date_range(date_from, date_to, first="--from", last="--to")
    outputs = Outputs()
    outputs.declare("--json", json_out, "text")
    outputs.declare("--xlsx", xlsx_out, "binary", what="the compliance workbook")
    trail = start_export("inspections", outputs, public=public)
    seen = views(read_district(file, crs=crs, progress=progress), public=public)
    district = seen.counted
    progress("placing inspections in grids")
    assignment = assign_inspections(district)
    progress("computing compliance")
    result = compliance(district, start=start, end=end, assignment=assignment)
    summary = compliance_summary(result)
    with outputs.guard(), exporting(trail, outputs):
        if json_out is not None:
            progress(f"writing {json_out}")
            records = compliance_records(result)
            outputs.write("--json", lambda path: write_records_json(path, records))
        if xlsx_out is not None:
            progress(f"writing {xlsx_out}")
            names = _grid_names(seen.shown)
            periods: dict[tuple[str, str], str] = {
                (r.role, r.level): r.period for r in DEFAULT_FREQUENCIES
            }
            summary_zh = compliance_summary_zh(summary, periods=periods)
            table = compliance_table_zh(result, names=names, periods=periods)
            outputs.write(
                "--xlsx",
                lambda path: write_compliance_xlsx(
                    path, table, start=start, end=end, summary_zh=summary_zh
                ),
                suffix=".xlsx",
            )
    counted = int(select_inspections(district, start=start, end=end).sum())
    outputs.echo(
        "\n".join(compliance_lines(result, summary, start=start, end=end, counted=counted))
    )


def _grid_names(district):
    """Every grid's name by id (None where unnamed; the first level holding an id wins)."""
    import pandas as pd

    from gridmap.schema import GRID_LEVELS

    table = pd.concat([district.grid_names(lv, ids_for_unnamed=False) for lv in GRID_LEVELS])
    return table[~table.index.duplicated(keep="first")]


@app.command()
def hazards(
    file: Path = typer.Argument(..., help="District GeoPackage (.gpkg)."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Day to report the state at (default: today in Asia/Shanghai)."
    ),
    xlsx_out: Path | None = typer.Option(
        None, "--xlsx", help="Write the hazard ledger (隐患台帐, one sheet per community) here."
    ),
    crs: str | None = typer.Option(None, help="CRS to assume for layers without one."),
    public: bool = typer.Option(False, "--public", help=PUBLIC_HELP),
) -> None:
    """Show the hazard closed loop: state, overdue hazards and escalations due (隐患处理制度)."""
    from gridmap.analysis.inspections import (
        ESCALATION_LABELS,
        HAZARD_STATES,
        STATE_LABELS,
        escalations_due,
        hazard_ledger,
        hazard_states,
    )
    from gridmap.clock import today_in_shanghai
    from gridmap.io import read_district, write_hazard_ledger_xlsx

    day = date_value(as_of, "--as-of") or today_in_shanghai()
    outputs = Outputs()
    outputs.declare("--xlsx", xlsx_out, "binary", what="the hazard ledger workbook")
    trail = start_export("hazards", outputs, public=public)
    seen = views(read_district(file, crs=crs, progress=progress), public=public)
    states = hazard_states(seen.counted, as_of=day)
    if xlsx_out is not None:
        progress(f"writing {xlsx_out}")
        ledger = hazard_ledger(states, seen.shown)
        with outputs.guard(), exporting(trail, outputs):
            outputs.write(
                "--xlsx",
                lambda path: write_hazard_ledger_xlsx(path, ledger, as_of=day),
                suffix=".xlsx",
            )
    counts = states["state"].value_counts()
    lines = [f"Hazards as of {day}: {len(states)}"]
    for state in HAZARD_STATES:
        lines.append(f"  {state:<16}{int(counts.get(state, 0)):>6}  {STATE_LABELS[state][0]}")
    lines.append(
        f"  {'overdue now':<13}{int(states['overdue'].sum()):>6}  逾期未整改（含已移交/督办）"
    )
    due = escalations_due(states)
    lines.append(f"Escalations due: {len(due)} ({int(due['new_today'].sum())} new today)")
    for row in due.head(10).itertuples(index=False):
        # Text columns (the stubs type a row's fields as any scalar, bytes included).
        hazard_id, escalation = str(row.hazard_id), str(row.escalation)
        medium = str(row.medium_id or "")
        label = ESCALATION_LABELS[escalation][0]
        lines.append(f"  {hazard_id:<14}{escalation:<10} since {row.due_since}  {label}  {medium}")
    if len(due) > 10:
        lines.append(f"  ... {len(due) - 10} more (see --xlsx)")
    outputs.echo("\n".join(lines))
