"""The three grid levels and their hierarchy (大网格 > 中网格 > 小网格).

What every feature needs to know about the grid family: the level below each
level (`CHILD_LEVEL`), the column naming a row's grid of each level in a
lineage table (`LINEAGE_COLUMN`: ``small_id``, ``medium_id``, ``large_id``),
the display name of each grid (`grid_names`), and which grid holds a point
(`first_hit`: the first in layer order, so a point on a shared boundary
always lands in the same grid).

>>> LINEAGE_COLUMN["grid_medium"], CHILD_LEVEL["grid_large"]
('medium_id', 'grid_medium')
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gridmap.schema import GRID_LEVELS, PARENT_LEVEL

#: A missing value for `np.where` (its stubs take an array, not a bare None).
_NONE = np.array(None, dtype=object)

#: The level below each level that has children.
CHILD_LEVEL: dict[str, str] = {parent: child for child, parent in PARENT_LEVEL.items()}

#: Level -> the column that names a row's grid of that level in lineage and membership tables.
LINEAGE_COLUMN: dict[str, str] = {
    "grid_large": "large_id",
    "grid_medium": "medium_id",
    "grid_small": "small_id",
}

#: The lineage columns, smallest level first (``small_id``, ``medium_id``, ``large_id``).
LINEAGE_COLUMNS: tuple[str, ...] = tuple(LINEAGE_COLUMN[level] for level in reversed(GRID_LEVELS))


def _geometries(values: object) -> np.ndarray:
    """`values` (a GeoSeries, list or array) as a 1-D object array of geometries."""
    return np.asarray(getattr(values, "values", values), dtype=object).reshape(-1)


def _present(geoms: np.ndarray) -> np.ndarray:
    """Mask of the geometries that exist and are not empty."""
    return ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)


def first_hit(points: object, polygons: object) -> np.ndarray:
    """Position of the first polygon (in layer order) intersecting each point; -1 where none.

    Missing and empty geometries hit nothing and are never hit.

    >>> first_hit([shapely.Point(1, 1), shapely.Point(5, 5), None],
    ...           [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 2)]).tolist()
    [0, -1, -1]
    """
    points, polygons = _geometries(points), _geometries(polygons)
    out = np.full(len(points), -1, dtype=np.int64)
    if len(points) == 0 or len(polygons) == 0:
        return out
    tree = shapely.STRtree(np.where(_present(polygons), polygons, _NONE))
    p_idx, g_idx = tree.query(np.where(_present(points), points, _NONE), predicate="intersects")
    if len(p_idx):
        order = np.lexsort((g_idx, p_idx))
        p_idx, g_idx = p_idx[order], g_idx[order]
        first = np.flatnonzero(np.r_[True, p_idx[1:] != p_idx[:-1]])
        out[p_idx[first]] = g_idx[first]
    return out


def grid_names(frame: pd.DataFrame | None, *, ids_for_unnamed: bool = True) -> pd.Series:
    """Display name of each grid of one level layer, by grid id (text).

    The name is the grid's ``name``, or its id where it has none (or the
    layer has no name column); with ``ids_for_unnamed=False`` it is None
    there instead. A duplicated id takes its first row's name. Rows without
    an id are left out.

    >>> grid_names(pd.DataFrame({"grid_id": ["S1", "S2", "S1"], "name": ["一", None, "三"]}))
    grid_id
    S1     一
    S2    S2
    Name: name, dtype: object
    """
    if frame is None or "grid_id" not in frame.columns:
        return pd.Series(dtype=object, name="name")
    ids = frame["grid_id"]
    known = ids.notna().to_numpy()
    keys = ids.astype(str).str.strip().to_numpy(dtype=object)[known]
    if "name" in frame.columns:
        raw = frame["name"].to_numpy(dtype=object)[known]
        names = np.where(pd.isna(raw), keys if ids_for_unnamed else _NONE, raw)
    else:
        names = keys if ids_for_unnamed else np.full(len(keys), None, dtype=object)
    out = pd.Series(names, index=pd.Index(keys, name="grid_id"), dtype=object, name="name")
    return out[~out.index.duplicated(keep="first")]
