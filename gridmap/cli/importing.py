"""`gridmap import`: Shapefile, GeoJSON, KML/KMZ, CSV/Excel ... into a district layer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gridmap.cli.audit_trail import Trail, author
from gridmap.cli.common import app, progress

if TYPE_CHECKING:
    from gridmap.analysis.importing import ImportReport


def _pairs(items: list[str], what: str) -> dict[str, str]:
    from gridmap.analysis.importing import parse_mapping

    try:
        return parse_mapping(items)
    except Exception as exc:  # parse_mapping raises DataError; say which option
        raise typer.BadParameter(str(exc), param_hint=what) from exc


@app.command("import")
def import_(
    sources: list[Path] = typer.Argument(
        ...,
        help="Files to import: .shp, .zip (zipped Shapefile ...), .geojson/.json, .kml, .kmz, "
        ".csv, .xlsx, .gpkg, .parquet. Several files are combined into one layer.",
    ),
    into: Path = typer.Option(..., "--into", help="District GeoPackage; created if missing."),
    layer: str = typer.Option(
        ..., "--layer", help="Layer to fill: grid_large, grid_medium, grid_small, buildings, ..."
    ),
    mapping: list[str] = typer.Option(
        [],
        "--map",
        help="'SOURCE_COLUMN=FIELD', repeatable. Besides the layer's fields: lon/lat (or x/y) "
        "name a ledger's coordinate columns, parent_name the parent's name.",
    ),
    crs: str | None = typer.Option(
        None, "--crs", help="CRS of the source, overriding the file's, e.g. EPSG:4547."
    ),
    from_coords: str | None = typer.Option(
        None,
        "--from-coords",
        help="What the coordinates really are: gcj02 (Gaode/Tencent), bd09 (Baidu), wgs84, "
        "cgcs2000 or an EPSG code. GCJ-02 and BD-09 are converted to WGS 84.",
    ),
    parent_by: str | None = typer.Option(
        None, "--parent-by", help="Fill parent_id by the parent's name, code or location."
    ),
    parent_column: str | None = typer.Option(
        None, "--parent-column", help="Column holding the parent's name or code."
    ),
    parent_prefix: int | None = typer.Option(
        None, "--parent-prefix", help="The parent's code is the first N characters of the column."
    ),
    accept_close: float | None = typer.Option(
        None,
        "--accept-close",
        help="Accept the single closest parent name of at least this similarity (0-1); "
        "every such match is reported.",
    ),
    set_values: list[str] = typer.Option(
        [], "--set", help="'FIELD=VALUE' where the source has none, e.g. --set kind=community."
    ),
    generate_ids: bool = typer.Option(
        False, "--generate-ids", help="Give features without an id a new one (L-00001 ...)."
    ),
    mode: str = typer.Option(
        "upsert",
        "--mode",
        help="upsert (default): add new features and update those whose id exists, keeping "
        "all others; replace: the layer becomes the imported features, the others are "
        "removed; append: add only, an existing id is an error.",
    ),
    append: bool = typer.Option(False, "--append", help="Same as --mode append.", hidden=True),
    skip_bad_geometry: bool = typer.Option(
        False,
        "--skip-bad-geometry",
        help="Import the other records when some records' geometry cannot be read "
        "(a damaged .shp); without it nothing is written.",
    ),
    source_layer: str | None = typer.Option(
        None, "--source-layer", help="Layer of a GeoPackage, sheet of a workbook, file in a zip."
    ),
    encoding: str | None = typer.Option(
        None, "--encoding", help="Text encoding of a Shapefile without .cpg (default: detected)."
    ),
    reference: Path | None = typer.Option(
        None, "--reference", help="A layer you trust, to check whether the data is in GCJ-02."
    ),
    no_repair: bool = typer.Option(False, "--no-repair", help="Do not repair geometries."),
    user: str | None = typer.Option(
        None,
        "--user",
        hidden=True,
        help="Refused unless it is the OS user: the edit log records the OS user.",
    ),
    reason: str | None = typer.Option(None, "--reason", help="Why (for the edit log)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Read, check and report; write nothing."),
    name: str | None = typer.Option(
        None, "--name", help="Record the district's name in the file (titles printed maps)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Import files into a district layer, reporting every feature read, repaired or dropped.

    By default features are added or updated by id and every other feature of the layer
    is kept (--mode upsert); the report says how many are added, updated and removed, and
    for a grid level how many buildings, households and units change zone, on a dry run
    too. A new file is created with the layer; an existing one is changed in one atomic
    save with an 'import' entry in the edit log (undo with the edit log), attributed to
    the OS user, and an 'import' line in the audit log. Nothing is written when any
    error is found. Exit status 1 when the data has errors, 2 when a
    source cannot be read.
    """
    from gridmap.analysis.importing import ImportOptions
    from gridmap.errors import DataError, Problem
    from gridmap.tasks.importing import IMPORT_MODES, import_layer, require_layer

    if mode not in IMPORT_MODES:
        raise typer.BadParameter(f"use one of: {', '.join(IMPORT_MODES)}", param_hint="--mode")
    if append and mode not in ("upsert", "append"):
        raise typer.BadParameter(f"--append contradicts --mode {mode}", param_hint="--append")
    mode = "append" if append else mode
    options = ImportOptions(
        mapping=_pairs(mapping, "--map"),
        crs=crs,
        from_coords=from_coords,
        parent_by=parent_by,  # type: ignore[arg-type]  # checked in prepare_import
        parent_column=parent_column,
        parent_prefix=parent_prefix,
        accept_close=accept_close,
        generate_ids=generate_ids,
        defaults=_pairs(set_values, "--set"),
        repair=not no_repair,
        skip_bad_geometry=skip_bad_geometry,
    )
    if parent_by not in (None, "name", "code", "location"):
        raise typer.BadParameter("use name, code or location", param_hint="--parent-by")
    require_layer(layer)
    missing = [s for s in sources if not s.exists()]
    if missing:
        raise DataError(
            [
                Problem(
                    "error",
                    "file not found; nothing was imported.",
                    file=str(s),
                    fix="check the path (a Shapefile is imported by its .shp).",
                )
                for s in missing
            ]
        )
    imported_by = author(user)
    trail = None if dry_run else Trail.start("import")
    progress(f"importing {len(sources)} file(s) into {into} ({layer})")
    detail = f"gridmap import: {layer} into {into} from {', '.join(map(str, sources))}"
    try:
        report = import_layer(
            sources,
            into,
            layer,
            options=options,
            mode=mode,
            dry_run=dry_run,
            source_layer=source_layer,
            encoding=encoding,
            reference=reference,
            user=imported_by,
            reason=reason,
            district_name=name,
        )
    except Exception as exc:
        if trail is not None:
            trail.failed("import", detail, exc)
        raise
    if trail is not None:
        _audit(trail, report, detail)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(report.lines()))
    if report.unreadable_sources:
        raise typer.Exit(2)  # the input cannot be read (README: exit status)
    if not report.ok:
        raise typer.Exit(1)


def _audit(trail: Trail, report: ImportReport, detail: str) -> None:
    """Append the import's audit line: what was written, or why nothing was."""
    if report.written:
        counts = f"added {report.added}, updated {report.updated}, removed {report.removed}"
        trail.record(
            "import",
            f"{detail} ({report.mode}): {counts}",
            done="the import was saved, but this line is missing from the audit log",
        )
    else:
        why = f"{len(report.problems)} error(s)" if report.problems else "unreadable source"
        trail.record("import", f"{detail}: nothing written, {why}", outcome="failed")
