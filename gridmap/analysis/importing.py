"""Importing real-world data, the pure part: mapping, coordinates, repairs, hierarchy, report.

`gridmap.io.imports` reads the files (Shapefile, GeoJSON, KML/KMZ, CSV/Excel,
GeoPackage, GeoParquet) into `SourceTable` objects; `prepare_import` turns
them into one layer typed to the schema and an `ImportReport` that accounts
for every feature: read = kept + dropped, each drop and repair counted by
reason. Nothing here touches disk or changes its inputs. The steps:

1. `apply_mapping`: rename source columns to schema fields (`suggest_mapping`
   proposes a mapping from the schema's aliases and name similarity);
2. tables (CSV/Excel ledgers) become points from their lon/lat or x/y columns;
3. coordinates: a declared CRS, or a conversion from GCJ-02/BD-09
   (`gridmap.coords`), or CGCS2000/WGS 84/any EPSG code;
4. `repair_geometries`: Z dropped, invalid polygons made valid, collections
   reduced to polygons; exact duplicate rows dropped;
5. hierarchy: ``parent_id`` from parent names, codes or location
   (`gridmap.analysis.parents`);
6. validation with the schema (`gridmap.layers.validate_layer`, which runs
   `conform_layer`): any error means nothing may be written.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from gridmap.analysis.import_geometry import (
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
from gridmap.analysis.parents import ParentBy, UnmatchedParent, match_parents
from gridmap.crs import metric_crs_for_frame
from gridmap.errors import DataError, Problem
from gridmap.layers import validate_layer
from gridmap.schema import COORDINATE_ALIASES, LAYERS, PARENT_LEVEL, PARENT_NAME_ALIASES


@dataclass(frozen=True)
class SourceTable:
    """One source as read from disk: a GeoDataFrame, or a plain table (CSV/Excel ledger)."""

    frame: pd.DataFrame
    file: str
    format: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportOptions:
    """How to import: see `prepare_import` and ``gridmap import --help``."""

    mapping: Mapping[str, str] = field(default_factory=dict)
    crs: str | None = None
    from_coords: str | None = None
    parent_by: ParentBy | None = None
    parent_column: str | None = None
    parent_prefix: int | None = None
    accept_close: float | None = None
    generate_ids: bool = False
    defaults: Mapping[str, str] = field(default_factory=dict)
    repair: bool = True


@dataclass
class ImportReport:
    """What an import did, feature by feature: ``features_read == features_kept + dropped``.

    `repaired` and `dropped` count features per reason (a feature repaired
    for two reasons counts under both). `problems` are errors: while there is
    one, nothing is written.
    """

    layer: str
    sources: list[str]
    features_read: int = 0
    features_kept: int = 0
    repaired: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)
    dropped_examples: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unmatched_parents: list[UnmatchedParent] = field(default_factory=list)
    approximate_parents: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    crs: str | None = None
    into: str | None = None
    mode: str = "replace"
    written: bool = False
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def features_dropped(self) -> int:
        return sum(self.dropped.values())

    def add(self, tallies: Iterable[Tally]) -> None:
        """Count features repaired or dropped, per reason."""
        for t in tallies:
            table = self.repaired if t.kind == "repaired" else self.dropped
            table[t.reason] = table.get(t.reason, 0) + t.count
            if t.kind == "dropped":
                shown = self.dropped_examples.setdefault(t.reason, [])
                shown += list(t.examples)[: max(0, 5 - len(shown))]

    def as_dict(self) -> dict[str, object]:
        return {
            "layer": self.layer,
            "sources": self.sources,
            "into": self.into,
            "mode": self.mode,
            "written": self.written,
            "dry_run": self.dry_run,
            "crs": self.crs,
            "features_read": self.features_read,
            "features_kept": self.features_kept,
            "features_dropped": self.features_dropped,
            "repaired": self.repaired,
            "dropped": self.dropped,
            "dropped_examples": self.dropped_examples,
            "mapping": self.mapping,
            "notes": self.notes,
            "warnings": self.warnings,
            "unmatched_parents": [
                {"value": u.value, "features": u.features, "candidates": list(u.candidates)}
                for u in self.unmatched_parents
            ],
            "approximate_parents": [list(p) for p in self.approximate_parents],
            "problems": [p.as_dict() for p in self.problems],
        }

    def lines(self, *, shown: int = 20) -> list[str]:
        """The report as text lines, for the CLI and the docs (`shown` unmatched parents)."""
        head = "Dry run (nothing written)" if self.dry_run else "Written" if self.written else ""
        out = [f"Import into {self.layer}" + (f" of {self.into}" if self.into else "")]
        out += [f"  sources: {', '.join(self.sources)}"]
        if head or not self.ok:
            out.append(f"  {head or 'Not written: the errors below must be fixed first'}")
        out.append(
            f"  features read {self.features_read}, kept {self.features_kept}, "
            f"dropped {self.features_dropped}"
        )
        out += [f"  repaired: {n} {reason}" for reason, n in self.repaired.items()]
        for reason, n in self.dropped.items():
            examples = ", ".join(self.dropped_examples.get(reason, []))
            out.append(f"  dropped: {n} {reason}" + (f" (e.g. {examples})" if examples else ""))
        if self.mapping:
            out.append("  mapping: " + ", ".join(f"{s} -> {d}" for s, d in self.mapping.items()))
        out += [f"  note: {n}" for n in self.notes]
        out += [f"  warning: {w}" for w in self.warnings]
        if self.unmatched_parents:
            out.append(f"  unmatched parents ({len(self.unmatched_parents)}), kept without parent:")
            out += [f"    {u}" for u in self.unmatched_parents[:shown]]
            if len(self.unmatched_parents) > shown:
                more = len(self.unmatched_parents) - shown
                out.append(f"    ... and {more} more (--json lists them all)")
        out += [f"  parent accepted as close: {a!r} -> {b!r}" for a, b in self.approximate_parents]
        out += [f"  error: {p}" for p in self.problems if p.severity == "error"]
        return out


# ---------------------------------------------------------------------------
# Column mapping


def mapping_targets(layer: str, *, table: bool = False) -> tuple[str, ...]:
    """Names a source column may be mapped to for `layer`."""
    spec = LAYERS[layer]
    extra = ("parent_name",) if layer in PARENT_LEVEL else ()
    return (*spec.field_names, *extra, *(COORD_TARGETS if table else ()))


def _alias_table(layer: str, *, table: bool) -> dict[str, str]:
    out = dict(LAYERS[layer].alias_map())
    for alias in PARENT_NAME_ALIASES.get(layer, ()):
        out.setdefault(alias.lower(), "parent_name")
    if table:
        for target, aliases in COORDINATE_ALIASES.items():
            for alias in aliases:
                out.setdefault(alias.lower(), target)
    return out


def suggest_mapping(
    columns: Iterable[object], layer: str, *, table: bool = False, cutoff: float = 0.8
) -> dict[str, str]:
    """Propose ``{source column: target}`` from the schema's aliases, then name similarity.

    Each target is proposed once; `table` adds the lon/lat columns of ledgers.

    >>> suggest_mapping(["网格编号", "网格名", "所属社区", "人口"], "grid_small")
    {'网格编号': 'grid_id', '所属社区': 'parent_name', '网格名': 'name'}
    """
    aliases = _alias_table(layer, table=table)
    names = [str(c) for c in columns]
    out: dict[str, str] = {}
    for name in names:
        target = aliases.get(name.strip().lower())
        if target is not None and target not in out.values():
            out[name] = target
    keys = list(aliases)
    for name in names:
        if name in out:
            continue
        for close in difflib.get_close_matches(name.strip().lower(), keys, n=3, cutoff=cutoff):
            if aliases[close] not in out.values():
                out[name] = aliases[close]
                break
    return out


def parse_mapping(items: Iterable[str]) -> dict[str, str]:
    """Parse ``'source=target'`` items (the CLI's ``--map``).

    >>> parse_mapping(["NOM=name", " Arr_Vll = parent_name "])
    {'NOM': 'name', 'Arr_Vll': 'parent_name'}
    """
    out: dict[str, str] = {}
    for item in items:
        source, sep, target = item.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise DataError(
                Problem(
                    "error", f"cannot read the mapping {item!r}.", fix="write it as 'NOM=name'."
                )
            )
        out[source.strip()] = target.strip()
    return out


def check_mapping(
    mapping: Mapping[str, str], layer: str, columns: Iterable[object], *, table: bool = False
) -> list[Problem]:
    """Every problem with a mapping: unknown source columns, unknown or repeated targets."""
    present = [str(c) for c in columns]
    allowed = mapping_targets(layer, table=table)
    problems = []
    for source, target in mapping.items():
        if source not in present:
            problems.append(
                Problem(
                    "error",
                    f"the mapping names column {source!r}, which the source does not have.",
                    layer=layer,
                    fix=f"the source's columns are: {', '.join(present)}.",
                )
            )
        if target not in allowed:
            problems.append(
                Problem(
                    "error",
                    f"{target!r} is not a field of {layer}.",
                    layer=layer,
                    fix=f"map to one of: {', '.join(allowed)}.",
                )
            )
    targets = pd.Series(list(mapping.values()), dtype=object)
    for target in targets[targets.duplicated()].unique():
        sources = [s for s, t in mapping.items() if t == target]
        problems.append(
            Problem(
                "error",
                f"columns {', '.join(map(repr, sources))} are all mapped to {target!r}.",
                layer=layer,
                fix="map one column to each field.",
            )
        )
    return problems


def apply_mapping(
    frame: pd.DataFrame, mapping: Mapping[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    """Rename columns by `mapping`; a column already named like a target moves aside.

    Returns the new frame and a note per column moved aside (as ``<name>_source``).
    """
    renames = {s: t for s, t in mapping.items() if s in frame.columns and s != t}
    geometry = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    clashes = [t for t in renames.values() if t in frame.columns and t not in renames]
    moved = {t: f"{t}_source" for t in clashes if t != geometry}
    notes = [
        f"column {t!r} renamed {n!r} to make room for the mapped column" for t, n in moved.items()
    ]
    out = frame.rename(columns=moved).rename(columns=renames)
    return out, notes


# ---------------------------------------------------------------------------
# The pipeline

_ID_PREFIX = {"grid_large": "L", "grid_medium": "M", "grid_small": "S"}


def _with_file(problems: Iterable[Problem], file: str, layer: str) -> list[Problem]:
    return [
        Problem(**{**p.__dict__, "file": p.file or file, "layer": p.layer or layer})
        for p in problems
    ]


def _source_layer(
    table: SourceTable, layer: str, options: ImportOptions, report: ImportReport
) -> gpd.GeoDataFrame | None:
    """One source renamed, as points if it is a ledger, in a CRS PROJ knows."""
    frame, name = table.frame, table.file
    report.notes += [f"{name}: {n}" for n in table.notes]
    is_table = not isinstance(frame, gpd.GeoDataFrame)
    problems = check_mapping(options.mapping, layer, frame.columns, table=is_table)
    if is_table and not problems:
        found = coordinate_columns(frame.columns, options.mapping)
        if found is None:
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
    frame, renames, notes = _rename_known(frame, layer)
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
    return frame


def _alias_renames(frame: pd.DataFrame, layer: str) -> tuple[dict[str, str], list[str]]:
    """Columns to rename by the schema's aliases; of two candidates the more specific wins.

    A field's own name beats its first alias, which beats later ones: a
    GeoJSON feature ``id`` (a row number) does not displace 网格编码.
    """
    spec = LAYERS[layer]
    rank = {}
    for f in spec.fields:
        for i, alias in enumerate((f.name, *f.aliases)):
            rank.setdefault(alias.strip().lower(), (f.name, i))
    best: dict[str, tuple[int, str]] = {}
    notes = []
    for column in frame.columns:
        found = rank.get(str(column).strip().lower())
        if found is None:
            continue
        target, i = found
        if target in best:
            keep = min(best[target], (i, str(column)))
            other = str(column) if keep[1] != str(column) else best[target][1]
            notes.append(f"columns {keep[1]!r} and {other!r} both mean {target}: used {keep[1]!r}")
            best[target] = keep
        else:
            best[target] = (i, str(column))
    renames = {column: target for target, (_, column) in best.items() if column != target}
    return renames, notes


def _rename_known(frame: pd.DataFrame, layer: str) -> tuple[pd.DataFrame, dict[str, str], list]:
    """Rename columns the schema knows by an alias (网格名称 -> name, 所属街道 -> parent_name)."""
    renames, notes = _alias_renames(frame, layer)
    present = set(frame.columns)
    renames = {s: t for s, t in renames.items() if t not in present}
    frame = frame.rename(columns=renames)
    if "parent_name" not in frame.columns:
        aliases = {a.lower() for a in PARENT_NAME_ALIASES.get(layer, ())}
        found = [c for c in frame.columns if str(c).strip().lower() in aliases]
        if found:
            frame = frame.rename(columns={found[0]: "parent_name"})
            renames[found[0]] = "parent_name"
    return frame, renames, notes


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
    fresh, n = [], 0
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
    if problem:
        report.problems.append(Problem("error", problem, layer=layer))
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
        What `gridmap.io.imports.read_source` returned, one per file.
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
    report.problems += [p for p in problems if p.severity == "error"]
    report.warnings += [p.message for p in problems if p.severity == "warning"]
    target = CRS.from_user_input(target_crs) if target_crs else metric_crs_for_frame(typed)
    typed = typed.to_crs(target)
    order = [c for c in spec.field_names if c in typed.columns]
    typed = typed[order + [c for c in typed.columns if c not in order]]
    report.features_kept = len(typed)
    report.crs = f"EPSG:{target.to_epsg()}" if target.to_epsg() else target.to_string()
    return typed, report
