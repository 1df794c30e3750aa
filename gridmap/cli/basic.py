"""`gridmap info` and `gridmap demo`."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import typer

from gridmap.cli.common import app, progress


def _pad(text: str, width: int) -> str:
    """Left-justify `text` to `width` terminal columns (CJK characters take two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - used, 0)


@app.command()
def info(
    file: Path = typer.Argument(..., help="District GeoPackage (.gpkg)."),
    crs: str | None = typer.Option(
        None, help="CRS to assume for layers without one, e.g. EPSG:4490."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Show layers, feature counts, CRS, extent and the problems found at load."""
    from gridmap.io import read_district

    district = read_district(file, crs=crs)
    summary = district.summary()
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    # District.summary() is plain data typed dict[str, object]; its parts are narrowed
    # to the dicts and lists it builds (always true, so nothing is skipped).
    extent, layers, extra = summary["extent"], summary["layers"], summary["extra_layers"]
    assert extent is None or isinstance(extent, dict)
    assert isinstance(layers, dict) and isinstance(extra, list)
    typer.echo(f"File: {summary['path']}")
    typer.echo(f"Working CRS: {summary['crs']} ({summary['crs_name']})")
    if extent:
        w, s, e, n = extent["wgs84"]
        typer.echo(f"Extent (WGS84): {w:.5f}, {s:.5f} .. {e:.5f}, {n:.5f}")
    typer.echo("Layers:")
    for name, entry in layers.items():
        geometry = "/".join(entry["geometry"]) or "table"
        source = entry.get("source_crs", "")
        title = _pad(entry["title_zh"], 22)
        typer.echo(f"  {name:<17} {title} {entry['features']:>8}  {geometry}  {source}")
    if extra:
        typer.echo(f"Other layers (kept untouched): {', '.join(extra)}")
    problems = district.problems
    typer.echo(f"Problems found at load: {len(problems)}")
    for problem in problems:
        typer.echo(f"  [{problem.severity}] {problem}")


@app.command()
def demo(
    path: Path = typer.Argument(Path("shangjie_demo.gpkg"), help="Where to write the sample."),
    seed: int = typer.Option(2025, help="Random seed; the same seed gives the same district."),
    force: bool = typer.Option(
        False, "--force", help="Replace an existing file (the old one is kept as .bak)."
    ),
) -> None:
    """Generate the sample district (上街区, Zhengzhou) as a GeoPackage."""
    from gridmap.cli.outputs import Outputs
    from gridmap.demo import DEMO_NAME, build_demo_district
    from gridmap.errors import SaveError
    from gridmap.io import write_layers

    Outputs().declare("PATH", path, "file", what="a GeoPackage (an SQLite database)")
    if path.exists() and not force:
        raise SaveError(f"{path} exists; pass --force to replace it (a backup is kept as .bak).")
    layers = build_demo_district(seed, progress=progress)
    progress(f"writing {path}")
    write_layers(path, layers, replace_file=True, name=DEMO_NAME)
    counts = ", ".join(f"{name} {len(layer)}" for name, layer in layers.items())
    typer.echo(f"Wrote {path}: {counts}")
