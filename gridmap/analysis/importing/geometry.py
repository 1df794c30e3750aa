"""Importing, the geometry steps: points from ledger columns, coordinate systems, repairs.

Each function returns a new frame and what it did (`Tally` counts per reason,
notes, problems); `gridmap.analysis.importing.prepare.prepare_import` puts them in the
`ImportReport`. Nothing here changes its input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError as ProjCRSError

from gridmap.errors import CRSError, Problem
from gridmap.geo import CHINA_BOUNDS, convert_layer, datum_offset_check
from gridmap.schema import COORDINATE_ALIASES, LayerSpec

#: Names accepted by ``--from-coords`` besides any CRS PROJ knows (EPSG:4547 ...);
#: GCJ-02 and BD-09 are shifts of WGS 84 longitudes/latitudes, not CRSs.
NAMED_SYSTEMS: dict[str, str | None] = {
    "wgs84": "EPSG:4326",
    "cgcs2000": "EPSG:4490",
    "gcj02": None,
    "bd09": None,
}
COORD_TARGETS = ("lon", "lat", "x", "y")
_POLYGON_IDS = (3, 6)
_COLLECTION_ID, _MULTIPOINT_ID = 7, 4


@dataclass(frozen=True)
class Tally:
    """`count` features repaired or dropped for one `reason`, with a few example ids."""

    kind: Literal["repaired", "dropped"]
    reason: str
    count: int
    examples: tuple[str, ...] = ()


def _tally(kind, reason: str, mask: np.ndarray, ids: pd.Series | None = None) -> list[Tally]:
    n = int(np.count_nonzero(mask))
    if not n:
        return []
    shown = ids.to_numpy()[mask][:5] if ids is not None else ()
    examples = tuple(
        str(int(v)) if isinstance(v, float) and v.is_integer() else str(v) for v in shown
    )
    return [Tally(kind, reason, n, examples)]


# ---------------------------------------------------------------------------
# Ledgers: points from columns


def coordinate_columns(
    columns: Iterable[object], mapping: Mapping[str, str]
) -> tuple[str, str] | None:
    """Return the (x/lon, y/lat) columns of a table: mapped explicitly, else found by alias.

    >>> coordinate_columns(["单位名称", "经度", "纬度"], {})
    ('经度', '纬度')
    """
    names = [str(c) for c in columns]
    chosen = {t: s for s, t in mapping.items() if t in COORD_TARGETS}
    x = chosen.get("lon") or chosen.get("x")
    y = chosen.get("lat") or chosen.get("y")
    if x and y:
        return x, y
    lowered = {n.strip().lower(): n for n in names}
    found = [
        next((lowered[a.lower()] for a in COORDINATE_ALIASES[k] if a.lower() in lowered), None)
        for k in ("lon", "lat")
    ]
    return (found[0], found[1]) if found[0] and found[1] else None


def points_from_table(
    frame: pd.DataFrame, x: str, y: str, *, crs: str | None
) -> tuple[gpd.GeoDataFrame, list[str], list[Problem]]:
    """Points from two columns; rows without usable numbers are kept with no point.

    Degrees with no CRS given are taken as EPSG:4326 (said in the notes);
    metres with no CRS given are an error naming the columns.
    """
    lon = pd.to_numeric(frame[x], errors="coerce")
    lat = pd.to_numeric(frame[y], errors="coerce")
    usable = (lon.notna() & lat.notna() & np.isfinite(lon) & np.isfinite(lat)).to_numpy()
    notes, problems = [f"points from columns {x!r} (x) and {y!r} (y)"], []
    degrees = bool(((lon[usable].abs() <= 180) & (lat[usable].abs() <= 90)).all())
    if crs is None and degrees:
        crs = "EPSG:4326"
        notes.append("the columns hold degrees and no CRS was given: assumed EPSG:4326 (WGS 84)")
    elif crs is None:
        shown = f"{lon[usable].iloc[0]:.0f}, {lat[usable].iloc[0]:.0f}"
        problems.append(
            Problem(
                "error",
                f"columns {x!r}/{y!r} hold metres (e.g. {shown}), not degrees, and no CRS "
                "was given.",
                field=x,
                fix="pass the CRS of the coordinates, e.g. --crs EPSG:4547 (CGCS2000 "
                "3-degree Gauss-Kruger, CM 114E).",
            )
        )
    geometry = np.full(len(frame), None, dtype=object)
    geometry[usable] = shapely.points(lon[usable].to_numpy(), lat[usable].to_numpy())
    if (~usable).any():
        notes.append(f"{int((~usable).sum())} rows have no usable coordinates: kept, with no point")
    attributes = pd.DataFrame(frame.drop(columns=[x, y]))
    return gpd.GeoDataFrame(attributes, geometry=geometry, crs=crs), notes, problems


# ---------------------------------------------------------------------------
# Coordinate systems


def declared_crs(from_coords: str | None) -> str | None:
    """Return the CRS that ``--from-coords`` declares (None for gcj02/bd09, which are shifts)."""
    if from_coords is None:
        return None
    key = from_coords.strip().lower()
    return NAMED_SYSTEMS.get(key, from_coords)


def check_systems(*, crs: str | None, from_coords: str | None) -> list[Problem]:
    """Problems with ``--crs`` and ``--from-coords`` themselves, before any data is read."""
    problems = []
    for text, what in ((crs, "--crs"), (declared_crs(from_coords), "--from-coords")):
        if text is None:
            continue
        try:
            CRS.from_user_input(text)
        except ProjCRSError as exc:
            problems.append(
                Problem(
                    "error",
                    f"{what} {text!r} is not a CRS PROJ knows ({exc}).",
                    fix="use gcj02, bd09, wgs84, cgcs2000 or an EPSG code such as EPSG:4547.",
                )
            )
    return problems


def convert_coordinates(
    frame: gpd.GeoDataFrame, *, crs: str | None = None, from_coords: str | None = None
) -> tuple[gpd.GeoDataFrame, list[str], list[Problem]]:
    """Declare and convert the source's coordinate system; the result has a CRS PROJ knows.

    `crs` overrides the file's CRS. `from_coords` names the system the
    coordinates are really in: ``gcj02`` or ``bd09`` (converted to WGS 84 by
    the exact inverse in `gridmap.geo.coords`), or ``wgs84``, ``cgcs2000`` or any
    EPSG code (declared, overriding the file).
    """
    notes: list[str] = []
    out = frame
    for text, what in ((crs, "--crs"), (declared_crs(from_coords), "--from-coords")):
        if text is None:
            continue
        try:
            parsed = CRS.from_user_input(text)
        except ProjCRSError as exc:
            return (
                frame,
                notes,
                [
                    Problem(
                        "error",
                        f"{what} {text!r} is not a CRS PROJ knows ({exc}).",
                        fix="use gcj02, bd09, wgs84, cgcs2000 or an EPSG code such as EPSG:4547.",
                    )
                ],
            )
        if out.crs is not None and not out.crs.equals(parsed):
            notes.append(f"the file says {out.crs.name}; treated as {parsed.name} as told")
        out = out.set_crs(parsed, allow_override=True)
    system = from_coords.strip().lower() if from_coords else None
    if system in ("gcj02", "bd09"):
        try:
            out = convert_layer(out, system, "wgs84")
        except CRSError as exc:
            return frame, notes, list(exc.problems)
        notes.append(
            f"coordinates converted from {system.upper()} to WGS 84 (exact inverse, residual "
            "under 1e-12 degrees)"
        )
    if out.crs is None:
        problem = Problem(
            "error",
            "the source has no coordinate reference system.",
            fix="pass --crs (e.g. EPSG:4490) or --from-coords (gcj02, bd09, wgs84, cgcs2000).",
        )
        return frame, notes, [problem]
    return out, notes, []


def in_china(frame: gpd.GeoDataFrame) -> bool:
    """Return True when the centre of the layer's extent lies in China's bounding box."""
    geoms = frame.geometry
    placed = geoms[~geoms.isna() & ~geoms.is_empty]
    if frame.crs is None or placed.empty:
        return False
    minx, miny, maxx, maxy = placed.to_crs("EPSG:4326").total_bounds
    west, south, east, north = CHINA_BOUNDS
    return west <= (minx + maxx) / 2 <= east and south <= (miny + maxy) / 2 <= north


def offset_warning(frame: gpd.GeoDataFrame, reference: gpd.GeoDataFrame | None) -> str | None:
    """Warn, offering the conversion, when `frame` fits `reference` once GCJ-02 is undone."""
    if reference is None or len(reference) == 0 or not in_china(frame):
        return None
    check = datum_offset_check(frame, reference)
    if check.best == "wgs84":
        return None
    d, name = check.distances_m, check.best
    return (
        f"the data lies a median {d['wgs84']:.0f} m from the reference layer but "
        f"{d[name]:.1f} m once {name.upper()} is undone: it looks like {name.upper()} "
        f"coordinates. Import it again with --from-coords {name}."
    )


# ---------------------------------------------------------------------------
# Repairs


def _polygonal_part(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    if geom is None:
        return None
    polys = [
        p
        for p in shapely.get_parts(geom)
        if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty
    ]
    if not polys:
        return None
    return shapely.union_all(polys) if len(polys) > 1 else polys[0]


def _repair_polygons(geoms: np.ndarray, ids: pd.Series) -> tuple[np.ndarray, np.ndarray, list]:
    tallies: list[Tally] = []
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    collection = present & (shapely.get_type_id(geoms) == _COLLECTION_ID)
    for i in np.flatnonzero(collection):
        part = _polygonal_part(geoms[i])
        geoms[i] = part if part is not None else geoms[i]
    tallies += _tally("repaired", "geometry collections reduced to their polygons", collection, ids)
    polygon = present & np.isin(shapely.get_type_id(geoms), _POLYGON_IDS)
    invalid = polygon & ~shapely.is_valid(geoms)
    drop = np.zeros(len(geoms), dtype=bool)
    if invalid.any():
        where = np.flatnonzero(invalid)
        fixed = [_polygonal_part(g) for g in shapely.make_valid(geoms[where])]
        empty = np.array([g is None or shapely.area(g) == 0 for g in fixed])
        for i, g, e in zip(where, fixed, empty, strict=True):
            if not e:
                geoms[i] = g
        drop[where[empty]] = True
        fixed_mask = np.zeros(len(geoms), dtype=bool)
        fixed_mask[where[~empty]] = True
        tallies += _tally("repaired", "invalid polygons made valid (make_valid)", fixed_mask, ids)
        tallies += _tally("dropped", "invalid polygons with no area left after repair", drop, ids)
    return geoms, drop, tallies


def repair_geometries(
    frame: gpd.GeoDataFrame, spec: LayerSpec, *, ids: pd.Series
) -> tuple[gpd.GeoDataFrame, list[Tally]]:
    """Drop Z, reduce collections to polygons, make invalid polygons valid; count each.

    `ids` labels the features in the tallies' examples. Only polygons that
    have no area left after `shapely.make_valid` are dropped.
    """
    geoms = np.array(frame.geometry.values, dtype=object)
    has_z = np.asarray(shapely.has_z(geoms), dtype=bool)
    geoms[has_z] = shapely.force_2d(geoms[has_z])
    tallies = _tally("repaired", "Z (height) values dropped", has_z)
    drop = np.zeros(len(geoms), dtype=bool)
    if {"Polygon", "MultiPolygon"} & set(spec.geometry or ()):
        geoms, drop, more = _repair_polygons(geoms, ids)
        tallies += more
    elif tuple(spec.geometry or ()) == ("Point",):
        types = shapely.get_type_id(geoms)
        single = (types == _MULTIPOINT_ID) & (shapely.get_num_geometries(geoms) == 1)
        geoms[single] = shapely.get_geometry(geoms[single], 0)
        tallies += _tally("repaired", "one-point MultiPoints made Points", single, ids)
    out = frame.copy()
    out[frame.geometry.name] = gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs)
    return out[~drop], tallies


def drop_exact_duplicates(
    frame: pd.DataFrame, *, id_field: str
) -> tuple[pd.DataFrame, list[Tally], list[str]]:
    """Drop rows identical to an earlier one in every attribute and the geometry.

    Different features sharing an id are kept and named in a warning.
    """
    key = frame.astype(object).where(frame.notna(), None).astype(str)
    if isinstance(frame, gpd.GeoDataFrame):
        key[frame.geometry.name] = shapely.to_wkb(frame.geometry.values, hex=True)
    duplicated = key.duplicated().to_numpy()
    ids = frame[id_field] if id_field in frame.columns else None
    tallies = _tally("dropped", "exact duplicates of another row", duplicated, ids)
    out = frame[~duplicated]
    warnings = []
    if id_field in out.columns:
        text = out[id_field].astype(str).where(out[id_field].notna(), None)
        twice = text[text.notna() & text.duplicated(keep=False)].unique()
        if len(twice):
            warnings.append(
                f"{len(twice)} {id_field} values are used by several different features "
                f"(kept; the coverage check lists them), e.g. {', '.join(map(str, twice[:5]))}"
            )
    return out, tallies, warnings
