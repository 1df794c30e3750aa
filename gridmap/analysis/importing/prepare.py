"""Importing real-world data, the pure part: mapping, coordinates, repairs, hierarchy, report.

`gridmap.tasks.importing` reads the files (Shapefile, GeoJSON, KML/KMZ, CSV/Excel,
GeoPackage, GeoParquet) into `SourceTable` objects; `prepare_import` turns
them into one layer typed to the schema and an `ImportReport` that accounts
for every feature: read = kept + dropped, each drop and repair counted by
reason. Nothing here touches disk or changes its inputs. The steps:

1. `apply_mapping`: rename source columns to schema fields (`suggest_mapping`
   proposes a mapping from the schema's aliases and name similarity);
2. tables (CSV/Excel ledgers) become points from their lon/lat or x/y columns;
3. coordinates: a declared CRS, or a conversion from GCJ-02/BD-09
   (`gridmap.geo.coords`), or CGCS2000/WGS 84/any EPSG code;
4. `repair_geometries`: Z dropped, invalid polygons made valid, collections
   reduced to polygons; exact duplicate rows dropped;
5. hierarchy: ``parent_id`` from parent names, codes or location
   (`gridmap.analysis.importing.parents`);
6. validation with the schema (`gridmap.layers.validate_layer`, which runs
   `conform_layer`): any error means nothing may be written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from gridmap.analysis.importing.geometry import (
    COORD_TARGETS,
    Tally,
    check_systems,
    convert_coordinates,
    coordinate_columns,
    declared_crs,
    drop_exact_duplicates,
    offset_warning,
    points_from_table,
    repair_geometries,
)
from gridmap.analysis.importing.mapping import (
    apply_mapping,
    check_mapping,
    rename_known,
)
from gridmap.analysis.importing.parents import match_parents
from gridmap.analysis.importing.report import ImportOptions, ImportReport
from gridmap.errors import Problem
from gridmap.geo import metric_crs_for_frame
from gridmap.layers import validate_layer
from gridmap.schema import LAYERS, PARENT_LEVEL, SourceTable

__all__ = ["prepare_import"]


_ID_PREFIX = {"grid_large": "L", "grid_medium": "M", "grid_small": "S"}


def _with_file(problems: Iterable[Problem], file: str, layer: str) -> list[Problem]:
    return [replace(p, file=p.file or file, layer=p.layer or layer) for p in problems]


def _source_layer(
    table: SourceTable, layer: str, options: ImportOptions, report: ImportReport
) -> gpd.GeoDataFrame | None:
    """One source renamed, as points if it is a ledger, in a CRS PROJ knows."""
    frame, name = table.frame, table.file
    report.notes += [f"{name}: {n}" for n in table.notes]
    report.warnings += [f"{name}: {w}" for w in table.warnings]
    is_table = not isinstance(frame, gpd.GeoDataFrame)
    problems = check_mapping(options.mapping, layer, frame.columns, table=is_table)
    if is_table and not problems:
        found = coordinate_columns(frame.columns, options.mapping)
        spec = LAYERS[layer]
        if found is None and (spec.geometry is None or spec.geometry_optional):
            frame = gpd.GeoDataFrame(frame, geometry=[None] * len(frame), crs="EPSG:4326")
            report.notes.append(f"{name}: no coordinate columns: imported without locations")
        elif found is None:
            problems.append(
                Problem(
                    "error",
                    "the table has no longitude/latitude (or x/y) columns.",
                    fix="name them in the mapping, e.g. --map '经度=lon' --map '纬度=lat'; "
                    f"the columns are: {', '.join(map(str, frame.columns))}.",
                )
            )
        else:
            crs = options.crs or declared_crs(options.from_coords)
            frame, notes, more = points_from_table(frame, *found, crs=crs)
            report.notes += [f"{name}: {n}" for n in notes]
            problems += more
    if problems:
        report.problems += _with_file(problems, name, layer)
        return None
    mapping = {s: t for s, t in options.mapping.items() if t not in COORD_TARGETS}
    frame, notes = apply_mapping(frame, mapping)
    report.notes += [f"{name}: {n}" for n in notes]
    frame, renames, notes = rename_known(frame, layer)
    report.notes += [f"{name}: {n}" for n in notes]
    for source, target in renames.items():
        report.mapping.setdefault(source, target)
    frame, notes, problems = convert_coordinates(
        frame, crs=options.crs, from_coords=options.from_coords
    )
    report.notes += [f"{name}: {n}" for n in notes]
    if problems:
        report.problems += _with_file(problems, name, layer)
        return None
    return _unreadable_records(frame, table, layer, options, report)


def _unreadable_records(
    frame: gpd.GeoDataFrame,
    table: SourceTable,
    layer: str,
    options: ImportOptions,
    report: ImportReport,
) -> gpd.GeoDataFrame:
    """Return records whose geometry cannot be read: an error naming each, or skipped if asked."""
    if not table.unreadable:
        return frame
    rows = np.asarray(table.unreadable, dtype=np.int64)
    key = LAYERS[layer].id_field
    ids = frame[key].to_numpy(dtype=object)[rows] if key in frame.columns else [None] * len(rows)
    named = [
        f"record {r + 1}" + (f" ({key} {i})" if i is not None and not pd.isna(i) else "")
        for r, i in zip(rows, ids, strict=True)
    ]
    shown = ", ".join(named[:20]) + (f" and {len(named) - 20} more" if len(named) > 20 else "")
    if not options.skip_bad_geometry:
        report.problems.append(
            Problem(
                "error",
                f"{len(rows)} records hold a geometry that cannot be read (the file is "
                f"damaged): {shown}. Nothing was written.",
                file=table.file,
                layer=layer,
                field="geometry",
                count=len(rows),
                fix="export the file again from its source, or import the other records "
                "with --skip-bad-geometry (in the app: tick 'skip records whose geometry "
                "cannot be read'); skipped records leave the features they would update as "
                "they are.",
            )
        )
        return frame
    skip = np.zeros(len(frame), dtype=bool)
    skip[rows] = True
    reason = "geometry cannot be read (skipped as asked)"
    report.add([Tally("dropped", reason, len(rows), tuple(named[:5]))])
    report.warnings.append(
        f"{table.file}: skipped {len(rows)} records whose geometry cannot be read: {shown}"
    )
    return frame[~skip]


def _combine(frames: list[gpd.GeoDataFrame], files: list[str]) -> gpd.GeoDataFrame:
    if len(frames) == 1:
        return frames[0]
    crs = frames[0].crs
    parts = [f.to_crs(crs).assign(source_file=file) for f, file in zip(frames, files, strict=True)]
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=crs)


def _fill_ids(
    frame: gpd.GeoDataFrame,
    layer: str,
    report: ImportReport,
    *,
    generate: bool,
    taken: Iterable[object],
) -> gpd.GeoDataFrame:
    key = LAYERS[layer].id_field
    if key not in frame.columns:
        if not generate:
            return frame
        frame = frame.assign(**{key: None})
    ids = frame[key]
    if pd.api.types.is_numeric_dtype(ids.dtype) and ids.notna().any():
        report.notes.append(f"{key} held numbers ({ids.dtype}); converted to text")
        if (ids.abs() > 2**53).any():
            report.warnings.append(f"some {key} numbers exceed 2^53 and may have lost digits")
    blank = (ids.isna() | (ids.astype(str).str.strip() == "")).to_numpy()
    if not (generate and blank.any()):
        return frame
    used = {str(v) for v in taken} | {str(v) for v in ids[~blank]}
    prefix = _ID_PREFIX.get(layer, layer[:1].upper())
    fresh: list[str] = []
    n = 0
    while len(fresh) < blank.sum():
        n += 1
        candidate = f"{prefix}-{n:05d}"
        if candidate not in used:
            fresh.append(candidate)
    out = frame.copy()
    out[key] = out[key].astype(object)
    out.loc[blank, key] = fresh
    report.add([Tally("repaired", f"{key} generated (none in the source)", int(blank.sum()))])
    return out


def _fill_fields(
    frame: gpd.GeoDataFrame,
    layer: str,
    defaults: Mapping[str, str],
    report: ImportReport,
    *,
    parents_matched: bool,
) -> gpd.GeoDataFrame:
    """Constant values (``--set``) where empty, then empty columns for missing required fields."""
    spec = LAYERS[layer]
    out = frame.copy()
    for name, value in defaults.items():
        if name not in spec.field_names:
            report.problems.append(
                Problem(
                    "error",
                    f"--set names {name!r}, which is not a field of {layer}.",
                    layer=layer,
                    fix=f"use one of: {', '.join(spec.field_names)}.",
                )
            )
            continue
        column = out[name] if name in out.columns else pd.Series(None, index=out.index)
        blank = column.isna() | (column.astype(str).str.strip() == "")
        out[name] = column.astype(object).where(~blank, value)
        report.notes.append(f"{name} set to {value!r} for {int(blank.sum())} features")
    for f in spec.fields:
        if f.name == "parent_id" and parents_matched:
            continue
        if f.required and f.name not in out.columns and f.name != spec.id_field:
            out[f.name] = None
            report.warnings.append(
                f"required field {f.name!r} ({f.zh}) is not in the source: added empty "
                f"(map a column to it with --map 'COLUMN={f.name}', or --set {f.name}=VALUE)"
            )
    return out


def _resolve_parents(
    frame: gpd.GeoDataFrame,
    layer: str,
    options: ImportOptions,
    parents: pd.DataFrame | None,
    report: ImportReport,
) -> gpd.GeoDataFrame:
    level = PARENT_LEVEL.get(layer)
    if options.parent_by is None:
        if level and parents is not None and "parent_id" in frame.columns:
            known = set(parents["grid_id"].astype(str))
            given = frame["parent_id"].dropna().astype(str)
            unknown = given[~given.isin(known)]
            if len(unknown):
                report.warnings.append(
                    f"{len(unknown)} features name a parent_id that {level} does not have, "
                    f"e.g. {', '.join(unknown.unique()[:5])}"
                )
        return frame
    column = options.parent_column or ("parent_name" if options.parent_by == "name" else None)
    if column is not None and column not in frame.columns:
        column = {**report.mapping, **options.mapping}.get(column, column)  # renamed by the mapping
    problem = None
    if level is None:
        problem = f"{layer} has no parent level, so parents cannot be matched."
    elif parents is None or not len(parents):
        problem = f"the district has no {level} yet to match parents in; import {level} first."
    elif options.parent_by != "location" and (column is None or column not in frame.columns):
        problem = (
            f"no column {column!r} to take parent {options.parent_by}s from; give it with "
            f"--parent-column (columns: {', '.join(map(str, frame.columns))})."
        )
    if problem or parents is None:  # no parents always comes with a problem
        report.problems.append(Problem("error", problem or f"no {level} to match.", layer=layer))
        return frame
    match = match_parents(
        frame,
        parents,
        by=options.parent_by,
        column=column or "parent_name",
        prefix=options.parent_prefix,
        accept_close=options.accept_close,
    )
    report.unmatched_parents += list(match.unmatched)
    report.approximate_parents += [(a, b) for a, b, _ in match.approximate]
    report.add(
        [Tally("repaired", "parent matched by a close name", n) for *_, n in match.approximate]
    )
    report.notes += list(match.notes)
    report.notes.append(f"parent_id found for {match.matched} of {len(frame)} features")
    missing = sum(u.features for u in match.unmatched)
    if missing:
        report.warnings.append(
            f"{missing} features kept without parent_id: their parent matched no {level} "
            "(listed below with the closest candidates)"
        )
    return match.frame


def prepare_import(
    sources: Sequence[SourceTable],
    layer: str,
    *,
    options: ImportOptions | None = None,
    parents: pd.DataFrame | None = None,
    reference: gpd.GeoDataFrame | None = None,
    target_crs: str | CRS | None = None,
    taken_ids: Iterable[object] = (),
) -> tuple[gpd.GeoDataFrame | None, ImportReport]:
    """Turn read sources into one layer typed to the schema, and report every step.

    Parameters
    ----------
    sources
        What `gridmap.tasks.importing.read_source` returned, one per file.
    layer
        The schema layer to fill, e.g. ``"grid_small"``.
    options
        Mapping, coordinate system, hierarchy, id generation, constants.
    parents
        The parent level's grids (for ``options.parent_by``, and to check
        ``parent_id`` values).
    reference
        A layer the user trusts; when the data lies in China and fits it
        clearly better once GCJ-02 or BD-09 is undone, a warning says so.
    target_crs
        CRS of the result; by default the metric working CRS for the data.
    taken_ids
        Ids that generated ids must not repeat (the rows an append keeps).

    Returns
    -------
    The typed layer (None when a source could not be used) and the report;
    when ``report.ok`` is False nothing may be written.

    Examples
    --------
    >>> from gridmap.analysis.importing import ImportOptions, SourceTable, prepare_import
    >>> grids = district["grid_small"].head(3).rename(columns={"grid_id": "网格编码"})
    >>> source = SourceTable(grids, file="zones.gpkg", format="GPKG")
    >>> options = ImportOptions(mapping={"网格编码": "grid_id"})
    >>> layer, report = prepare_import([source], "grid_small", options=options)
    >>> report.ok, len(layer), layer.crs.to_epsg()
    (True, 3, 4547)
    """
    options = options or ImportOptions()
    spec = LAYERS[layer]
    files = [t.file for t in sources]
    report = ImportReport(layer, files, mapping=dict(options.mapping))
    report.features_read = sum(len(t.frame) for t in sources)
    report.problems += check_systems(crs=options.crs, from_coords=options.from_coords)
    if not report.ok:
        return None, report
    frames = [_source_layer(t, layer, options, report) for t in sources]
    if not report.ok or not frames:
        return None, report
    frame = _combine(frames, files)
    if str(options.from_coords).lower() not in ("gcj02", "bd09"):
        warning = offset_warning(frame, reference)
        report.warnings += [warning] if warning else []
    frame, tallies, warnings = drop_exact_duplicates(frame, id_field=spec.id_field)
    report.add(tallies)
    report.warnings += warnings
    if options.repair:
        ids = frame[spec.id_field] if spec.id_field in frame.columns else frame.index.to_series()
        frame, tallies = repair_geometries(frame, spec, ids=ids)
        report.add(tallies)
    frame = _fill_ids(frame, layer, report, generate=options.generate_ids, taken=taken_ids)
    frame = _fill_fields(
        frame, layer, options.defaults, report, parents_matched=options.parent_by is not None
    )
    frame = _resolve_parents(frame, layer, options, parents, report)
    typed, problems = validate_layer(frame, spec, file=", ".join(files), coerce_ids=True)
    if not isinstance(typed, gpd.GeoDataFrame):  # validation keeps the frame's type
        raise TypeError(f"validating {layer} returned a {type(typed).__name__}, not a layer.")
    report.problems += [p for p in problems if p.severity == "error"]
    report.warnings += [p.message for p in problems if p.severity == "warning"]
    located = bool((~typed.geometry.isna() & ~typed.geometry.is_empty).any())
    if target_crs:
        target = CRS.from_user_input(target_crs)
    else:
        where = {"layer": layer, "file": ", ".join(files)}
        target = metric_crs_for_frame(typed, **where) if located else CRS.from_epsg(4326)
    typed = typed.to_crs(target)
    order = [c for c in spec.field_names if c in typed.columns]
    typed = typed[order + [c for c in typed.columns if c not in order]]
    report.features_kept = len(typed)
    report.crs = f"EPSG:{target.to_epsg()}" if target.to_epsg() else target.to_string()
    return typed, report
