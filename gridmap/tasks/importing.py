"""Importing real-world files into a district: `import_layer` (a task: io and a feature).

`import_layer` reads the sources (`gridmap.io.import_readers.read_source`),
prepares the layer (pure, `gridmap.analysis.importing.prepare.prepare_import`), plans
what it changes in the district's layer by id (pure,
`gridmap.analysis.importing.plan`: upsert by default, replace or append when
asked) and writes it: a new file with `write_layers`, an existing one through
`save_edit`, so the change is one atomic save with an ``import`` entry in the
edit log. Nothing is written if any source fails, a record's geometry cannot
be read (unless skipped), the layer does not validate, or on a dry run.

The import modules, by task: `gridmap.io.import_encoding` (text encodings,
Shapefile code pages), `gridmap.io.import_kml` (KML folders),
`gridmap.io.import_readers` (one reader per format), `gridmap.io.uploads`
(uploaded files kept together). The names the app and the CLI use are
importable from here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd

from gridmap.analysis.importing import (
    IMPORT_MODES,
    ImportOptions,
    ImportPlan,
    ImportReport,
    SourceTable,
    plan_import,
    prepare_import,
    zone_changes,
)
from gridmap.district import District
from gridmap.errors import DataError, Problem
from gridmap.io.archives import DEFAULT_LIMITS, ArchiveLimits
from gridmap.io.editlog import save_edit
from gridmap.io.gpkg import read_district, write_layers
from gridmap.io.import_encoding import detect_encoding
from gridmap.io.import_readers import FORMATS, read_source
from gridmap.io.uploads import SIDECARS, store_sources
from gridmap.schema import GRID_LEVELS, LAYERS, PARENT_LEVEL

__all__ = [
    "FORMATS",
    "IMPORT_MODES",
    "SIDECARS",
    "detect_encoding",
    "import_layer",
    "read_source",
    "require_layer",
    "store_sources",
]


def _widened(current: pd.DataFrame | None, typed: gpd.GeoDataFrame, crs) -> gpd.GeoDataFrame:
    """Return the current layer with every column of the imported rows, so no attribute is lost."""
    if current is None:
        return typed.iloc[0:0].to_crs(crs)
    columns = list(current.columns) + [c for c in typed.columns if c not in current.columns]
    out = current.reindex(columns=columns)
    return gpd.GeoDataFrame(out, geometry=current.geometry.name, crs=current.crs)


def _trusted_layer(district, layer: str) -> gpd.GeoDataFrame | None:
    """Return the district's layer to compare new data with: points with buildings, else grids.

    Points always fall in some grid of a tiling, so only buildings tell a
    shifted point layer from a true one; polygons share edges with their
    parent level, the layer they replace or any grid level.
    """
    points = tuple(LAYERS[layer].geometry or ()) == ("Point",)
    order = ("buildings",) if points else (PARENT_LEVEL.get(layer), layer, *GRID_LEVELS)
    for name in order:
        found = district.get(name) if name else None
        if isinstance(found, gpd.GeoDataFrame) and len(found):
            return found
    return None


def require_layer(layer: str) -> None:
    """Raise `DataError` naming the layers when `layer` is not one of the schema's."""
    if layer not in LAYERS:
        raise DataError(f"unknown layer {layer!r}; layers are: {', '.join(LAYERS)}.")


def _read_sources(
    sources: Sequence[str | os.PathLike[str]], *, target: str, layer, encoding, limits
) -> tuple[list[SourceTable], list[Problem], list[str]]:
    """Every source read, the problems of those that could not be, and their names."""
    tables, problems, unreadable = [], [], []
    for source in sources:
        try:
            tables.append(
                read_source(source, layer=layer, target=target, encoding=encoding, limits=limits)
            )
        except DataError as exc:
            problems += exc.problems
            unreadable.append(str(source))
    return tables, problems, unreadable


def _account(
    report: ImportReport, plan: ImportPlan, before: District, *, max_removed: int | None
) -> None:
    """Put the plan's counts, problems and zone changes in the report."""
    report.added, report.updated, report.removed = plan.added, plan.updated, plan.removed
    report.geometry_kept = plan.geometry_kept
    report.problems += plan.problems
    if max_removed is not None and plan.removed > max_removed:
        report.problems.append(
            Problem(
                "error",
                f"the import would now remove {plan.removed} features, more than the "
                f"{max_removed} confirmed (the file changed since the check); nothing was written.",
                file=str(before.path),
                layer=plan.edit.layer,
                fix="check again and confirm what the import removes.",
            )
        )
    if report.ok:
        try:
            report.zone_changes = zone_changes(before, plan.edit)
        except DataError as exc:  # the edit does not fit the layer: said, nothing written
            report.problems += exc.problems


def import_layer(  # noqa: PLR0913 -- the options of `gridmap import`, keyword-only
    sources: Sequence[str | os.PathLike[str]],
    into: str | os.PathLike[str],
    layer: str,
    *,
    options: ImportOptions | None = None,
    mode: str = "upsert",
    dry_run: bool = False,
    source_layer: str | None = None,
    encoding: str | None = None,
    reference: str | os.PathLike[str] | None = None,
    user: str = "",
    reason: str | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    district_name: str | None = None,
    max_removed: int | None = None,
) -> ImportReport:
    """Import `sources` as `layer` of the GeoPackage `into`; return the report.

    `mode` says what happens to the features already in the layer
    (`gridmap.analysis.importing.plan`): ``"upsert"`` (the default) adds the
    imported features and updates those whose id exists, keeping every
    other; ``"replace"`` makes the layer the imported features, removing the
    rest; ``"append"`` only adds (an id that already exists is an error).
    The report counts the features added, updated and removed, and for a
    grid level the buildings, households and units that change zone, on a
    dry run too. Parents for ``options.parent_by`` come from the parent
    level already in `into`. `reference` is a file the user trusts, used to
    warn when the data looks like GCJ-02 (by default the parent level, or
    the layer itself, in `into`). `district_name`, when given, is recorded as
    the district's name in `into` (printed maps are titled by it).
    `max_removed`, when given, is the number of removals the user confirmed
    (after a dry run): an import that would remove more writes nothing.
    Raises `GridmapError` only when `into` cannot be read or written; problems
    with the sources or the data are in the report, and then nothing is written.
    """
    require_layer(layer)
    if mode not in IMPORT_MODES:
        raise DataError(f"mode is one of {', '.join(IMPORT_MODES)}, not {mode!r}.")
    options = options or ImportOptions()
    files = [str(s) for s in sources]
    tables, problems, unreadable = _read_sources(
        sources, target=layer, layer=source_layer, encoding=encoding, limits=limits
    )
    target = Path(into)
    district = read_district(target, partial=True) if target.exists() else None
    if problems:
        report = ImportReport(
            layer, files, problems=problems, into=str(target), mode=mode, dry_run=dry_run
        )
        report.unreadable_sources = unreadable
        return report
    parents = district.get(PARENT_LEVEL[layer]) if district and layer in PARENT_LEVEL else None
    trusted = read_source(reference).frame if reference is not None else None
    if trusted is None and district is not None:
        trusted = _trusted_layer(district, layer)
    current = district.get(layer) if district is not None else None
    keep = current if current is not None and mode != "replace" else None
    typed, report = prepare_import(
        tables,
        layer,
        options=options,
        parents=parents,
        reference=trusted if isinstance(trusted, gpd.GeoDataFrame) else None,
        target_crs=district.crs if district is not None else None,
        taken_ids=keep[LAYERS[layer].id_field] if keep is not None else (),
    )
    report.into, report.mode, report.dry_run = str(target), mode, dry_run
    if typed is None:
        return report
    if district is None:
        report.added, report.updated, report.removed = len(typed), 0, 0
        if report.ok and not dry_run:
            write_layers(target, {layer: typed}, name=district_name)
            report.written = True
        return report
    reason = reason or f"import from {', '.join(Path(f).name for f in files)}"
    base = _widened(current, typed, district.crs)
    plan = plan_import(base, typed, layer, mode=mode, user=user, reason=reason)
    before = district.with_layers(**{layer: base})
    _account(report, plan, before, max_removed=max_removed)
    if not report.ok or dry_run:
        return report
    if district_name:
        before = replace(before, name=district_name)
    try:
        save_edit(before, plan.edit)
    except DataError as exc:
        report.problems += exc.problems
        return report
    report.written = True
    return report
