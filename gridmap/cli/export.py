"""`gridmap export-pdf`: a print-ready map or a per-grid atlas as PDF (and PNG or zip)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gridmap.cli.audit_trail import PUBLIC_HELP, Trail, public_report, views
from gridmap.cli.common import app, progress
from gridmap.cli.options import language, png_dpi
from gridmap.cli.outputs import Outputs, is_stdout

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from gridmap.district import District
    from gridmap.render.pdf import PageOptions, PrintData


def split_layers(values: list[str] | None) -> tuple[str, ...] | None:
    """``--layers a,b --layers c`` -> ("a", "b", "c"); None when not given."""
    if not values:
        return None
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def level_of(district: District, grid_id: str) -> str:
    """Return the level holding grid `grid_id` (small first, the most specific)."""
    for level in ("grid_small", "grid_medium", "grid_large"):
        frame = district.get(level)
        if frame is not None and (frame["grid_id"].astype(str) == grid_id).any():
            return level
    raise typer.BadParameter(f"no grid has the id {grid_id!r}", param_hint="--grid")


@app.command("export-pdf")
def export_pdf(
    file: Path = typer.Argument(..., help="District GeoPackage (.gpkg)."),
    out: Path = typer.Option(
        ..., "--out", "-o", help="PDF to write (- for standard output when redirected)."
    ),
    grid: str | None = typer.Option(
        None,
        "--grid",
        help="Grid id to map (default: the whole district); with --atlas, only sheets inside it.",
    ),
    level: str | None = typer.Option(
        None,
        "--level",
        help="large, medium or small: the "
        "level of --grid, or of the atlas sheets (default medium).",
    ),
    atlas: bool = typer.Option(False, "--atlas", help="Cover, contents and one sheet per grid."),
    paper: str = typer.Option("A4", "--paper", help="A4 or A3."),
    landscape: bool | None = typer.Option(
        None,
        "--landscape/--portrait",
        help="Paper orientation (default: landscape when the mapped extent is wide).",
    ),
    layers: list[str] | None = typer.Option(
        None,
        "--layers",
        help="Overlays, comma separated: buildings, units, equipment, findings, inspections.",
    ),
    png: float | None = typer.Option(
        None, "--png", help="Also write PNG pages at this DPI (10 to 1200), beside the PDF."
    ),
    as_zip: bool = typer.Option(
        False, "--zip", help="With --atlas, also write one PDF per grid into OUT.zip."
    ),
    title: str | None = typer.Option(None, "--title", help="Title instead of the default."),
    name: str | None = typer.Option(
        None,
        "--name",
        help="District name shown on the pages (default: the name the file records, "
        "else the single large grid's, else the file name).",
    ),
    lang: str = typer.Option("zh", "--lang", help="zh or en."),
    basemap: str = typer.Option(
        "none",
        "--basemap",
        help="Web tiles under the map (needs the "
        "network): none, osm, tianditu_vec, tianditu_img, gaode.",
    ),
    tile_key: str | None = typer.Option(
        None, "--tile-key", help="Key of the tile provider (Tianditu tk)."
    ),
    crs: str | None = typer.Option(None, help="CRS to assume for layers without one."),
    public: bool = typer.Option(False, "--public", help=PUBLIC_HELP),
) -> None:
    """Export a print-ready map (or, with --atlas, a per-grid atlas) as PDF."""
    from gridmap import clock
    from gridmap.analysis.coverage import check_coverage
    from gridmap.io import fetch_tile, font_cache, read_district
    from gridmap.render.pdf import (
        DEFAULT_OVERLAYS,
        PageOptions,
        PrintData,
        basemap_for,
        fits_landscape,
        resolve_level,
    )

    if paper not in ("A4", "A3"):
        raise typer.BadParameter("choose A4 or A3", param_hint="--paper")
    lang = language(lang, "--lang")  # every option is checked before any work
    dpi = png_dpi(png, "--png") if png is not None else None
    outputs = Outputs()
    outputs.declare("--out", out, "binary", what="the PDF")
    if is_stdout(out) and (dpi is not None or as_zip):
        from gridmap.errors import OptionError

        raise OptionError(
            f"{'--png' if dpi is not None else '--zip'} writes files beside --out, so --out "
            "cannot be - (standard output). Fix: give a file name, e.g. --out map.pdf."
        )
    try:
        grid_level = resolve_level(level)
        tiles = basemap_for(basemap, key=tile_key, fetch=fetch_tile)
        if basemap != "none" and tiles is None:
            raise ValueError(f"the basemap {basemap} needs --tile-key")
        options = PageOptions(
            paper=paper,
            landscape=bool(landscape),
            lang=lang,
            title=title,
            layers=split_layers(layers) or DEFAULT_OVERLAYS,
            basemap=tiles,
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    trail = Trail.start(
        "export-pdf --atlas" if atlas else "export-pdf",
        public=public,
        grids=[grid] if grid else (),
    )
    seen = views(read_district(file, crs=crs, progress=progress), public=public)
    district = seen.shown
    progress("checking coverage")
    report = check_coverage(seen.counted)
    if public:
        report = public_report(report)
    data = PrintData(
        district,
        report,
        source=file.name,
        made=clock.today_in_shanghai(),
        district_name=name or district.display_name(),
        hazards=_hazards(district) if atlas else None,
    )
    map_level = grid_level or (level_of(district, grid) if grid else None)
    if landscape is None and not atlas:
        options = replace(options, landscape=fits_landscape(data, map_level, grid))
    stem = "map" if is_stdout(out) else out.stem
    if atlas:
        figures, pdf, members = _atlas(
            data, grid, grid_level or "grid_medium", options, stem, as_zip
        )
    else:
        from gridmap.render.pdf import map_sheet, pdf_bytes

        progress("laying out the map")
        figures = [map_sheet(data, level=map_level, grid_id=grid, options=options)]
        pdf, members = pdf_bytes(figures, title=title or stem, fonts=font_cache), None
    pages: dict[Path, bytes] = {}
    if dpi is not None:
        from gridmap.render.pdf import png_bytes

        for i, figure in enumerate(figures, 1):
            single = len(figures) == 1
            target = out.with_suffix(".png") if single else out.with_name(f"{stem}-{i:03d}.png")
            pages[target] = png_bytes(figure, dpi=dpi)
    # Everything is made before anything is written; a failed write removes what this run wrote.
    _write(outputs, trail, out, pdf, members, pages, n_pages=len(figures))
    if pages:
        progress(f"wrote {len(pages)} PNG page(s) at {dpi:g} dpi")
    orientation = "landscape" if options.landscape else "portrait"
    outputs.echo(f"Wrote {out}: {len(figures)} page(s), {paper} {orientation}")


def _write(
    outputs: Outputs,
    trail: Trail,
    out: Path,
    pdf: bytes,
    members: dict[str, bytes] | None,
    pages: dict[Path, bytes],
    *,
    n_pages: int,
) -> None:
    """Write the PDF, the zip and the PNG pages, audited as one export."""
    from gridmap.io import write_bytes, write_zip

    with outputs.guard(), trail.exporting(outputs):
        progress(f"writing {out} ({n_pages} pages)")
        outputs.write("--out", lambda path: write_bytes(path, pdf), suffix=".pdf")
        if members is not None:
            target = out.with_suffix(".zip")
            progress(f"writing {target} ({len(members)} PDFs)")
            outputs.write_file(target, lambda path: write_zip(path, members))
            trail.wrote(target)
        for target, page in pages.items():
            outputs.write_file(target, partial(write_bytes, data=page))
            trail.wrote(target)


def _hazards(district: District) -> pd.DataFrame | None:
    if district.get("hazards") is None:
        return None
    from gridmap import clock
    from gridmap.analysis.inspections import hazard_states

    return hazard_states(district, as_of=clock.today_in_shanghai())


def _atlas(
    data: PrintData, grid: str | None, level: str, options: PageOptions, stem: str, as_zip: bool
) -> tuple[list[Figure], bytes, dict[str, bytes] | None]:
    """Return the atlas' figures, its PDF and (with --zip) one PDF per grid, all in memory."""
    from gridmap.io import font_cache
    from gridmap.render.pdf import atlas_files, atlas_pdf, atlas_sheets

    inside = None
    if grid is not None:
        from gridmap.analysis.coverage import scope_ids, selection_for

        district = data.district
        selection = selection_for(district, level_of(district, grid), grid)
        inside = scope_ids(district, selection)[level]
    book = atlas_sheets(
        data,
        level=level,
        options=options,
        progress=progress,
        only=inside,
    )
    pdf = atlas_pdf(book, title=options.title or stem, fonts=font_cache)
    return book.figures, pdf, atlas_files(book, fonts=font_cache) if as_zip else None
