"""`gridmap check`: the coverage audit (镇不漏村、村不漏楼、楼不漏户) from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gridmap.analysis.coverage import DEFAULT_MIN_AREA
from gridmap.cli.audit_trail import PUBLIC_HELP, exporting, public_report, start_export, views
from gridmap.cli.common import app, progress
from gridmap.cli.outputs import Outputs

if TYPE_CHECKING:
    from gridmap.analysis.coverage import CoverageReport


def summary_lines(report: CoverageReport, *, file: str = "") -> list[str]:
    """Return the short human summary: counts per check, then findings per large grid with names."""
    from gridmap.analysis.coverage import CHECKS

    summary = report.summary
    lines = [f"Coverage check {file}".rstrip() + f" (min_area {report.min_area:g} m²)"]
    for check, info in CHECKS.items():
        flag = (
            ""
            if summary[check] == 0
            else ("  <- error" if info.severity == "error" else "  <- warning")
        )
        lines.append(f"  {check:<23}{summary[check]:>8}  {info.zh}{flag}")
    verdict = "OK" if summary["ok"] else "NOT OK"
    lines.append(f"Errors: {summary['errors']}, warnings: {summary['warnings']} -> {verdict}")
    grids = report.grids
    names = grids[grids["level"] == "grid_large"].drop_duplicates("grid_id").set_index("grid_id")
    if summary["per_large"]:
        lines.append("Findings per large grid (大网格):")
        for large_id, count in summary["per_large"].items():
            name = names["name"].get(large_id)
            lines.append(f"  {large_id:<23}{count:>8}  {name or ''}")
    placed = sum(summary["per_large"].values())
    total = summary["errors"] + summary["warnings"]
    if total > placed:
        lines.append(f"  {'(none)':<23}{total - placed:>8}  不在任何大网格 / in no large grid")
    return lines


@app.command()
def check(
    file: Path = typer.Argument(..., help="District GeoPackage (.gpkg)."),
    json_out: Path | None = typer.Option(
        None, "--json", help="Write the report as JSON here (- for standard output)."
    ),
    xlsx_out: Path | None = typer.Option(
        None, "--xlsx", help="Write the ledger (台帐) workbook here."
    ),
    min_area: float = typer.Option(
        DEFAULT_MIN_AREA,
        "--min-area",
        help="Gaps, overlaps and parts outside a parent smaller "
        "than this (m²) are slivers and not reported (a finite number, 0 or more).",
    ),
    crs: str | None = typer.Option(
        None, help="CRS to assume for layers without one, e.g. EPSG:4490."
    ),
    public: bool = typer.Option(False, "--public", help=PUBLIC_HELP),
) -> None:
    """Check coverage and topology; exit 0 if no errors, 1 if errors, 2 if unreadable."""
    from gridmap.analysis.coverage import check_coverage, ledger_sheets, require_min_area
    from gridmap.io import read_district, write_json, write_ledger

    min_area = require_min_area(min_area, option="--min-area")  # before reading the file
    outputs = Outputs()
    outputs.declare("--json", json_out, "text")
    outputs.declare("--xlsx", xlsx_out, "binary", what="the ledger workbook")
    trail = start_export("check", outputs, public=public)
    district = views(read_district(file, crs=crs, progress=progress), public=public).counted
    progress("checking coverage")
    report = check_coverage(district, min_area=min_area)
    if public:
        report = public_report(report)
    with outputs.guard(), exporting(trail, outputs):
        if json_out is not None:
            progress(f"writing {json_out}")
            outputs.write("--json", lambda path: write_json(path, report.to_json_dict()))
        if xlsx_out is not None:
            progress(f"writing {xlsx_out}")
            from gridmap.clock import today_in_shanghai

            today = today_in_shanghai().isoformat()
            sheets = ledger_sheets(report, district=file.name, checked_at=today)
            outputs.write("--xlsx", lambda path: write_ledger(path, sheets), suffix=".xlsx")
    outputs.echo("\n".join(summary_lines(report, file=str(file))))
    if not report.ok:
        raise typer.Exit(1)
