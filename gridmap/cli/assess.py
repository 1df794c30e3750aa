"""`gridmap assess`: the assessment scorecard of every town and community for a period."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import typer

from gridmap.cli.audit_trail import PUBLIC_HELP, exporting, start_export, views
from gridmap.cli.common import app, progress
from gridmap.cli.options import date_value
from gridmap.cli.outputs import Outputs


def _pad(text: str, width: int) -> str:
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 0)


def scorecard_lines(assessment) -> list[str]:
    """Return the printed summary: the ranking, with the indicators each grid failed."""
    from gridmap.analysis.assessment import LEVEL_LABELS

    labels = {i.key: i.zh for i in assessment.table}
    results = assessment.results
    failed = (
        results[results["applicable"].astype(bool) & ~results["passed"].astype(bool)]
        .groupby(["level", "grid_id"])["indicator"]
        .agg(list)
    )
    lines = [
        f"Assessment {assessment.period.label} ({assessment.first} .. {assessment.last}), "
        f"{len(assessment.scores)} grids"
    ]
    for level in ("grid_large", "grid_medium"):
        rows = assessment.scores[assessment.scores["level"] == level]
        lines.append(f"{LEVEL_LABELS[level][0]} / {LEVEL_LABELS[level][1]}:")
        for row in rows.itertuples(index=False):
            veto = f"  否决 vetoed: {row.vetoed_by}" if row.vetoed else ""
            missed = failed.get((row.level, row.grid_id), [])
            shown = "、".join(labels.get(k, k).split("（")[0] for k in missed if k != row.vetoed_by)
            lines.append(
                f"  {str(row.rank):>3}  {row.grid_id:<14}{_pad(str(row.name), 14)}"
                f"{row.score:>7.1f}{veto}" + (f"  未达标: {shown}" if shown else "")
            )
    for problem in assessment.problems:
        lines.append(f"[{problem.severity}] {problem}")
    return lines


@app.command()
def assess(
    file: Path = typer.Argument(..., help="District GeoPackage (.gpkg)."),
    period: str = typer.Option(
        ..., "--period", help="Half year (2025H2, 2026H1) or year (2026), in Asia/Shanghai."
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="Day of the assessment (default: today in Asia/Shanghai); a period still "
        "running is assessed up to this day.",
    ),
    json_out: Path | None = typer.Option(
        None, "--json", help="Write the scorecard as JSON here (- for standard output)."
    ),
    xlsx_out: Path | None = typer.Option(
        None, "--xlsx", help="Write the workbook (ranking, detail, indicators, drills, meetings)."
    ),
    veto: list[str] | None = typer.Option(
        None,
        "--veto",
        help="Indicator that vetoes a grid (repeat the option); default: the scorecard's "
        "(coverage and serious_fire).",
    ),
    fire: list[str] | None = typer.Option(
        None,
        "--fire",
        help="Code of a grid with a serious fire where responsibility was not fulfilled "
        "(repeat the option).",
    ),
    crs: str | None = typer.Option(None, help="CRS to assume for layers without one."),
    public: bool = typer.Option(False, "--public", help=PUBLIC_HELP),
) -> None:
    """Score every town and community (考核): indicators, targets, pass/fail, veto and rank."""
    from gridmap.analysis.assessment import assess as run_assessment
    from gridmap.analysis.assessment import parse_period
    from gridmap.clock import today_in_shanghai
    from gridmap.io import read_district
    from gridmap.standards.assessment import SCORECARD, with_vetoes
    from gridmap.tasks import write_assessment_json, write_assessment_xlsx

    try:
        chosen = parse_period(period)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--period") from None
    day = date_value(as_of, "--as-of") or today_in_shanghai()
    try:
        table = with_vetoes(veto) if veto else SCORECARD
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--veto") from None
    outputs = Outputs()
    outputs.declare("--json", json_out, "text")
    outputs.declare("--xlsx", xlsx_out, "binary", what="the assessment workbook")
    trail = start_export("assess", outputs, public=public)
    district = views(read_district(file, crs=crs, progress=progress), public=public).counted
    progress(f"assessing {chosen.label}")
    try:
        result = run_assessment(
            district, period=chosen, as_of=day, table=table, serious_fires=fire or ()
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    with outputs.guard(), exporting(trail, outputs):
        if json_out is not None:
            progress(f"writing {json_out}")
            outputs.write("--json", lambda path: write_assessment_json(path, result))
        if xlsx_out is not None:
            progress(f"writing {xlsx_out}")
            outputs.write(
                "--xlsx", lambda path: write_assessment_xlsx(path, result), suffix=".xlsx"
            )
    outputs.echo("\n".join(scorecard_lines(result)))
