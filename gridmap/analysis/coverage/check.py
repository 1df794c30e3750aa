"""The coverage audit: 横向到边、纵向到底; 镇不漏村、村不漏楼、楼不漏户; 逐级分包.

`check_coverage` runs every check of `CHECKS` over a `District` and returns a
`CoverageReport`: the findings as a GeoDataFrame in the district's working
CRS, a summary of counts, and which grid holds each building, unit and
household. Invalid polygons are repaired (make_valid, polygonal parts kept)
for all further checks and reported once as ``invalid_geometry``.

Each finding says which large and medium grid it belongs to where that is
known: from the declared hierarchy (parent_id) and, where that is broken or
the finding lies outside every small grid, from where the finding lies.

>>> import pyproj, shapely, geopandas as gpd
>>> from gridmap.district import District
>>> def layer(**columns):
...     geometry = columns.pop("geometry")
...     return gpd.GeoDataFrame(columns, geometry=geometry, crs=4547)
>>> district = District(layers={
...     "grid_large": layer(grid_id=["L1"], leader=["张伟"], geometry=[shapely.box(0, 0, 10, 10)]),
...     "grid_medium": layer(grid_id=["M1"], parent_id=["L1"], leader=["王芳"],
...                          geometry=[shapely.box(0, 0, 10, 10)]),
...     "grid_small": layer(grid_id=["S1"], parent_id=["M1"], leader=[None],
...                         geometry=[shapely.box(0, 0, 10, 6)])}, crs=pyproj.CRS(4547))
>>> report = check_coverage(district)
>>> for f in report.findings.itertuples():
...     print(f.check, f.layer, f.ids, f.area_m2, f.large_id, f.medium_id)
no_leader grid_small ['S1'] nan L1 M1
gap grid_medium ['M1'] 40.0 L1 M1
>>> report.summary["errors"], report.summary["ok"]
(2, False)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gridmap.analysis.coverage import findings as fnd
from gridmap.analysis.coverage import membership as mem
from gridmap.analysis.coverage import topology
from gridmap.analysis.coverage.findings import (
    CHECKS,
    DEFAULT_MIN_AREA,
    FINDING_COLUMNS,
    CheckInfo,
    LayerData,
    obj,
)
from gridmap.analysis.coverage.occupancy import membership_tables, occupancy_findings
from gridmap.analysis.coverage.result import CoverageReport
from gridmap.district import District
from gridmap.errors import CRSError, OptionError
from gridmap.geo.crs import require_metric
from gridmap.schema import GRID_LEVELS, LAYERS

__all__ = ["CHECKS", "CheckInfo", "CoverageReport", "check_coverage"]

_REPAIRED = (*GRID_LEVELS, "buildings")


def _check_crs(district: District) -> None:
    require_metric(gpd.GeoSeries([], crs=district.crs), "the district")
    for name, layer in district.layers.items():
        crs = getattr(layer, "crs", None)
        if isinstance(layer, gpd.GeoDataFrame) and crs is not None and crs != district.crs:
            raise CRSError(
                f"layer {name!r} is in {crs.name} but the district works in "
                f"{district.crs.name}; reproject the layer (layer.to_crs(district.crs)) first."
            )


def _prepare(district: District) -> dict[str, LayerData]:
    """Text ids and (repaired) geometry arrays of every schema layer present."""
    out: dict[str, LayerData] = {}
    for name, spec in LAYERS.items():
        frame = district.get(name)
        if frame is None:
            if name not in GRID_LEVELS:
                continue
            frame = gpd.GeoDataFrame({spec.id_field: [], "geometry": []}, crs=district.crs)
        ids = (
            mem.text_ids(frame[spec.id_field])
            if spec.id_field in frame.columns
            else np.full(len(frame), None, dtype=object)
        )
        original = geoms = repair = None
        if isinstance(frame, gpd.GeoDataFrame):
            original = topology.as_geometry_array(frame.geometry.values)
            geoms = original
            if name in _REPAIRED:
                repair = topology.repair_polygons(original)
                geoms = repair.geoms
        none = np.full(len(frame), None, dtype=object)
        flags = (
            topology.coverage_flags(geoms) if name in GRID_LEVELS and geoms is not None else None
        )
        out[name] = LayerData(name, frame, ids, geoms, original, repair, none, none.copy(), flags)
    return out


def _with_lineage(
    data: LayerData, hierarchy: mem.Hierarchy, membership: Mapping[str, pd.DataFrame]
) -> LayerData:
    large, medium = fnd.row_lineage(data.name, data.ids, hierarchy, membership)
    return replace(data, large=large, medium=medium)


def _locate_missing(frame: pd.DataFrame, hierarchy: mem.Hierarchy) -> pd.DataFrame:
    """Fill unknown large/medium ids from where the finding lies."""
    large_missing = frame["large_id"].isna() & (frame["layer"] != "grid_large")
    medium_missing = frame["medium_id"].isna() & ~frame["layer"].isin(("grid_large", "grid_medium"))
    geoms = frame["geometry"].to_numpy(dtype=object)
    todo = (large_missing | medium_missing).to_numpy() & topology.present(geoms)
    if not todo.any():
        return frame
    where = geoms[todo]
    invalid = ~shapely.is_valid(where)
    where[invalid] = shapely.make_valid(where[invalid])
    medium, large = hierarchy.locate(mem.representative_points(where))
    frame = frame.copy()
    rows = frame.index[todo]
    fill_medium = medium_missing.to_numpy()[todo]
    frame.loc[rows[fill_medium], "medium_id"] = medium[fill_medium]
    fill_large = large_missing.to_numpy()[todo]
    frame.loc[rows[fill_large], "large_id"] = large[fill_large]
    return frame


def _summary(findings: pd.DataFrame, large_ids: np.ndarray) -> dict[str, Any]:
    counts = findings["check"].value_counts()
    out: dict[str, Any] = {name: int(counts.get(name, 0)) for name in CHECKS}
    errors = int((findings["severity"] == "error").sum())
    out["errors"] = errors
    out["warnings"] = int((findings["severity"] == "warning").sum())
    out["ok"] = errors == 0
    per_large = {str(i): 0 for i in pd.unique(pd.Series(large_ids, dtype=object).dropna())}
    for large_id, n in findings["large_id"].dropna().value_counts().items():
        per_large[str(large_id)] = int(n)
    out["per_large"] = per_large
    return out


def _grid_table(layers: Mapping[str, LayerData]) -> pd.DataFrame:
    parts = [
        pd.DataFrame(
            {
                "level": level,
                "grid_id": obj(d.ids),
                "parent_id": obj(d.column("parent_id")),
                "name": obj(d.column("name")),
                "leader": obj(d.column("leader")),
            }
        )
        for level, d in ((lv, layers[lv]) for lv in GRID_LEVELS)
    ]
    return pd.concat(parts, ignore_index=True)


def require_min_area(value: object, *, option: str = "min_area") -> float:
    """`value` as a sliver tolerance in m²: a finite number >= 0, else `OptionError`.

    `option` is the name the caller knows it by (``--min-area`` on the command line).

    Examples
    --------
    >>> require_min_area(100)
    100.0
    """
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if number is None or not math.isfinite(number) or number < 0:
        raise OptionError(
            f"{option} must be a finite number of square metres, 0 or more, not {value!r}. "
            f"Fix: give a tolerance such as {DEFAULT_MIN_AREA:g} (the default) or 100; "
            "0 reports every sliver."
        )
    return float(number)


def check_coverage(district: District, *, min_area: float = DEFAULT_MIN_AREA) -> CoverageReport:
    """Run every coverage and topology check of `CHECKS` over `district`.

    Parameters
    ----------
    district
        The layers, in a metric working CRS (as `gridmap.io.read_district` gives).
    min_area
        Square metres below which gap, overlap and outside_parent findings
        (and a building's part in a grid, for building_split) are slivers and
        not reported.

    Raises
    ------
    OptionError
        If `min_area` is negative, not finite (inf, nan) or not a number.
    CRSError
        If the district's CRS is not metric or a layer is in another CRS.

    Examples
    --------
    >>> from gridmap.analysis.coverage import check_coverage
    >>> report = check_coverage(district)
    >>> report.summary["errors"], report.summary["warnings"]
    (11, 2)
    >>> report.findings[["check", "layer", "ids"]].head(3)
           check        layer                                 ids
    0  no_leader   grid_small                   [410106004001002]
    1        gap  grid_medium                      [410106005001]
    2    overlap   grid_small  [410106005003002, 410106005003005]
    """
    min_area = require_min_area(min_area)
    _check_crs(district)
    layers = _prepare(district)
    geoms = {lv: layers[lv].shapes for lv in GRID_LEVELS}
    parents = {lv: layers[lv].column("parent_id") for lv in GRID_LEVELS}
    hierarchy = mem.Hierarchy.build({lv: layers[lv].ids for lv in GRID_LEVELS}, parents, geoms)
    small_geoms = layers["grid_small"].shapes
    tables = membership_tables(layers, small_geoms, hierarchy)
    layers = {name: _with_lineage(d, hierarchy, tables) for name, d in layers.items()}
    batches = [fnd.invalid_geometry(layers[name]) for name in _REPAIRED if name in layers]
    batches += [fnd.duplicate_id(d) for d in layers.values()]
    batches += fnd.grid_findings(layers, min_area=min_area)
    batches += occupancy_findings(layers, tables, min_area=min_area)
    frame = pd.concat([b for b in batches if len(b)] or batches[:1], ignore_index=True)
    frame = _locate_missing(frame, hierarchy)
    frame = _ordered(frame)
    message_zh = frame.pop("message_zh")
    findings = gpd.GeoDataFrame(frame[list(FINDING_COLUMNS)], geometry="geometry", crs=district.crs)
    return CoverageReport(
        findings=findings,
        summary=_summary(findings, layers["grid_large"].ids),
        membership=tables["buildings"],
        unit_membership=tables["units"],
        household_membership=tables["households"],
        grids=_grid_table(layers),
        message_zh=message_zh,
        min_area=float(min_area),
        crs=district.crs,
    )


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Order findings by check, then layer (schema order), then ids."""
    check_rank = frame["check"].map({c: i for i, c in enumerate(CHECKS)})
    layer_rank = frame["layer"].map({c: i for i, c in enumerate(LAYERS)})
    first_id = frame["ids"].map(lambda v: "\x00".join(x or "" for x in v))
    key = pd.DataFrame({"c": check_rank, "l": layer_rank, "i": first_id})
    order = key.sort_values(["c", "l", "i"], kind="stable").index
    return frame.loc[order].reset_index(drop=True)
