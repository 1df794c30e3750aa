"""Which grid holds what: the hierarchy of grids, and buildings, units and households in it.

A building belongs to the small grid that holds its representative point (a
point inside the polygon; the point itself for point buildings), a unit to the
small grid that holds its point, a household to its building's small grid.
A point on the boundary of two grids belongs to the first of them in layer
order (`gridmap.layers.first_hit`), so the answer never depends on
floating-point luck. The medium and large grid follow from the declared
parents (`Hierarchy`); where the declaration is broken they are unknown
(None) in the membership tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
import shapely
from shapely import STRtree

from gridmap.analysis.coverage.topology import as_geometry_array, present
from gridmap.layers import first_hit

#: A missing value for `np.where` (its stubs take an array, not a bare None).
_NONE = np.array(None, dtype=object)

_POLYGONAL = (3, 6)


def is_missing(value: object) -> bool:
    """Return True for a missing cell (None, NaN, NaT, NA), as `pd.isna` answers for one value.

    >>> is_missing(None), is_missing(float("nan")), is_missing("S1")
    (True, True, False)
    """
    # pandas-stubs type pd.isna for known scalar types only; it takes any object.
    return bool(pd.isna(cast(Any, value)))


def _text(value: object) -> object:
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _stripped(arr: np.ndarray) -> np.ndarray:
    """Strip whitespace from an object array of str/None (vectorised via Arrow when present)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pandas' own loop
        return pd.Series(arr, dtype=object).str.strip().to_numpy(dtype=object)
    text = pa.array(arr, type=pa.string(), from_pandas=True)
    trimmed = pc.utf8_trim_whitespace(text)
    if pc.all(pc.equal(trimmed, text)).as_py() is not False:
        return arr  # nothing to strip: keep the input's objects
    return trimmed.to_numpy(zero_copy_only=False)


def text_ids(values: object) -> np.ndarray:
    """Ids as an object array of stripped text, None where blank or missing.

    >>> text_ids(pd.Series([" S1 ", None, "", 7.0])).tolist()
    ['S1', None, None, '7']
    """
    series = (
        values
        if isinstance(values, pd.Series)
        else pd.Series(as_geometry_array(values), dtype=object)
    )
    arr = series.to_numpy(dtype=object, copy=True)
    if len(arr) and pd.api.types.infer_dtype(arr, skipna=True) == "string":
        arr[pd.isna(arr)] = None
        arr = _stripped(arr).copy()
    elif len(arr):
        arr = series.map(_text).to_numpy(dtype=object, copy=True)
    arr[pd.isna(arr) | (arr == "")] = None
    return arr


def representative_points(geoms: np.ndarray) -> np.ndarray:
    """Return a point inside each polygon (the point itself for points); None where missing."""
    geoms = as_geometry_array(geoms)
    out = np.full(len(geoms), None, dtype=object)
    has = present(geoms)
    out[has] = shapely.point_on_surface(geoms[has])
    return out


def _objects(values: object) -> pd.Series:
    """Return a column of ids that keeps None as None (not a str dtype with NaN)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _pick(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``values[positions]`` with None where a position is -1."""
    out = np.full(len(positions), None, dtype=object)
    hit = positions >= 0
    out[hit] = values[positions[hit]]
    return out


def _lookup(keys: np.ndarray | pd.Series, table_keys: np.ndarray) -> np.ndarray:
    """Position of each key's first occurrence in `table_keys`; -1 where absent or None."""
    if len(table_keys) == 0:
        return np.full(len(keys), -1, dtype=np.int64)
    index = pd.Index(table_keys)
    first = ~index.duplicated()
    table = pd.Index(table_keys[first])
    pos = table.get_indexer(pd.Index(keys, dtype=object))
    mapped = np.flatnonzero(first)
    out = np.where(pos >= 0, mapped[np.maximum(pos, 0)], -1)
    out[pd.isna(keys)] = -1
    return out


@dataclass(frozen=True)
class Hierarchy:
    """Declared lineage of every grid row, with the geometries to locate places.

    ``medium_large[i]`` is the large grid of medium row i when its parent_id
    names one, else None; ``small_medium`` / ``small_large`` likewise for small
    rows (a broken link anywhere above makes the rest None).
    """

    large_ids: np.ndarray
    medium_ids: np.ndarray
    small_ids: np.ndarray
    medium_large: np.ndarray
    small_medium: np.ndarray
    small_large: np.ndarray
    large_geoms: np.ndarray
    medium_geoms: np.ndarray

    @classmethod
    def build(
        cls,
        ids: dict[str, np.ndarray],
        parents: dict[str, np.ndarray],
        geoms: dict[str, np.ndarray],
    ) -> Hierarchy:
        """Link the grid levels from their ids, ``parent_id`` columns and geometries."""
        large, medium, small = ids["grid_large"], ids["grid_medium"], ids["grid_small"]
        medium_large = _pick(large, _lookup(parents["grid_medium"], large))
        small_pos = _lookup(parents["grid_small"], medium)
        return cls(
            large,
            medium,
            small,
            medium_large,
            _pick(medium, small_pos),
            _pick(medium_large, small_pos),
            geoms["grid_large"],
            geoms["grid_medium"],
        )

    def small_lineage(self, small_pos: np.ndarray) -> pd.DataFrame:
        """``small_id``, ``medium_id``, ``large_id`` for small-grid positions (-1: none)."""
        return pd.DataFrame(
            {
                "small_id": _objects(_pick(self.small_ids, small_pos)),
                "medium_id": _objects(_pick(self.small_medium, small_pos)),
                "large_id": _objects(_pick(self.small_large, small_pos)),
            }
        )

    def locate(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Medium and large grid holding each point, by place (not by declaration).

        The large grid is the medium grid's declared parent when it has a
        valid one, else the large grid holding the point.
        """
        medium_pos = first_hit(points, self.medium_geoms)
        large = _pick(self.medium_large, medium_pos)
        unknown = pd.isna(large)
        if unknown.any():
            large[unknown] = _pick(self.large_ids, first_hit(points[unknown], self.large_geoms))
        return _pick(self.medium_ids, medium_pos), large


def building_membership(
    building_ids: np.ndarray | pd.Series,
    building_geoms: np.ndarray,
    small_geoms: np.ndarray,
    hierarchy: Hierarchy,
) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per building: building_id, small_id, medium_id, large_id (None where missed).

    Also returns the small grid position of each building (-1 where missed).
    """
    small_pos = first_hit(representative_points(building_geoms), small_geoms)
    out = hierarchy.small_lineage(small_pos)
    out.insert(0, "building_id", _objects(building_ids))
    return out, small_pos


def unit_membership(
    unit_ids: np.ndarray | pd.Series,
    unit_geoms: np.ndarray,
    small_geoms: np.ndarray,
    hierarchy: Hierarchy,
) -> pd.DataFrame:
    """One row per unit: unit_id, small_id, medium_id, large_id (None where missed)."""
    out = hierarchy.small_lineage(first_hit(unit_geoms, small_geoms))
    out.insert(0, "unit_id", _objects(unit_ids))
    return out


def household_membership(
    household_ids: np.ndarray | pd.Series,
    named_buildings: np.ndarray | pd.Series,
    buildings: pd.DataFrame,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """One row per household with its building's grids, why each is missed, its building row.

    `buildings` is `building_membership`'s table. The reason is ``'blank'``
    (no building_id), ``'unknown'`` (names no building), ``'building_missed'``
    (names a building in no small grid) or None (not missed). The building row
    is the position of the first building with that id (-1: none).
    """
    pos = _lookup(named_buildings, buildings["building_id"].to_numpy(dtype=object))
    out = pd.DataFrame(
        {"household_id": _objects(household_ids), "building_id": _objects(named_buildings)}
    )
    for column in ("small_id", "medium_id", "large_id"):
        out[column] = _objects(_pick(buildings[column].to_numpy(dtype=object), pos))
    reason = np.full(len(out), None, dtype=object)
    reason[(pos >= 0) & pd.isna(out["small_id"].to_numpy())] = "building_missed"
    reason[pos < 0] = "unknown"
    reason[pd.isna(np.asarray(named_buildings, dtype=object))] = "blank"
    return out, reason, pos


def _merge_shared_ids(
    parts: pd.DataFrame, small_ids: np.ndarray, building_geoms: np.ndarray, small_geoms: np.ndarray
) -> pd.DataFrame:
    """One row per (building, grid id): the area inside the union of the rows sharing the id."""
    keys = pd.Series(small_ids[parts["grid"].to_numpy()], dtype=object).fillna("").to_numpy()
    parts = parts.assign(key=keys)
    grouped = parts.groupby(["building", "key"], sort=False)
    merged = grouped.agg(grid=("grid", "min"), area=("area", "sum"), rows=("grid", "size"))
    shared = merged.index[merged["rows"].to_numpy() > 1]  # rare: a duplicate_id case
    if len(shared):
        rows, grids = grouped.indices, parts["grid"].to_numpy()
        for key in shared:
            union = shapely.union_all(small_geoms[grids[rows[key]]])
            merged.loc[key, "area"] = shapely.area(
                shapely.intersection(building_geoms[key[0]], union)
            )
    return merged.drop(columns="rows").reset_index().drop(columns="key")


def split_buildings(
    building_geoms: np.ndarray,
    small_geoms: np.ndarray,
    *,
    min_area: float,
    small_ids: np.ndarray | None = None,
    member: np.ndarray | None = None,
    small_flags: np.ndarray | None = None,
) -> pd.DataFrame:
    """Polygon buildings with at least `min_area` inside each of two or more small grids.

    Returns one row per (building, grid) part: ``building``, ``grid`` (positions)
    and ``area``, for the split buildings only, ordered by building then grid.
    Rows of a grid layer sharing an id (`small_ids`) count as one grid: the
    building's part in it is its part in the union of those rows (the sum of
    its parts when they do not overlap), reported at the first of them, and
    `min_area` applies to that part.
    Candidates are buildings whose bounding box meets two or more grids'; a
    building lying strictly inside its `member` grid (the grid holding its
    representative point) is not split when that grid is not flagged by
    `gridmap.analysis.coverage.topology.coverage_flags` (no other grid overlaps it).
    """
    building_geoms = as_geometry_array(building_geoms)
    small_geoms = as_geometry_array(small_geoms)
    empty = pd.DataFrame(
        {
            "building": np.array([], dtype=np.int64),
            "grid": np.array([], dtype=np.int64),
            "area": np.array([], float),
        }
    )
    polygon = present(building_geoms) & np.isin(shapely.get_type_id(building_geoms), _POLYGONAL)
    if not polygon.any() or len(small_geoms) == 0:
        return empty
    tree = STRtree(np.where(present(small_geoms), small_geoms, _NONE))
    b_idx, g_idx = tree.query(np.where(polygon, building_geoms, _NONE))
    several = np.bincount(b_idx, minlength=len(building_geoms)) >= 2
    if member is not None and small_flags is not None:
        todo = np.flatnonzero(several & (member >= 0))
        todo = todo[~small_flags[member[todo]]]
        grids = small_geoms[member[todo]]
        shapely.prepare(grids)
        several[todo[shapely.contains_properly(grids, building_geoms[todo])]] = False
    keep = several[b_idx]
    b_idx, g_idx = b_idx[keep], g_idx[keep]
    area = shapely.area(shapely.intersection(building_geoms[b_idx], small_geoms[g_idx]))
    parts = pd.DataFrame({"building": b_idx, "grid": g_idx, "area": area})
    parts = parts[parts["area"] > 0]
    if small_ids is not None:
        parts = _merge_shared_ids(parts, small_ids, building_geoms, small_geoms)
    parts = parts[parts["area"] >= min_area]
    split = parts.groupby("building")["grid"].transform("size") >= 2
    if not len(parts):
        return empty
    return parts[split].sort_values(["building", "grid"]).reset_index(drop=True)
