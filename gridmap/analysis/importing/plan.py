"""What an import will change in the district's layer, before anything is written.

`plan_import` compares the prepared layer with the one in the district by id
and returns the `Edit` to save with its counts: features added, updated and
removed. The modes (`IMPORT_MODES`):

``upsert`` (the default)
    add the imported features and update those whose id exists; every other
    feature of the layer is kept.
``replace``
    the layer becomes the imported features; the others are removed (and
    counted, so the user is told before writing).
``append``
    add only; an imported id that already exists is an error.

An imported feature without a geometry never blanks an existing one: the
feature it updates keeps its geometry. `zone_changes` counts the buildings,
households and units whose small or medium grid an import of a grid level
changes, with the editing review (`gridmap.analysis.editing.review`).
Nothing here touches disk or changes its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from gridmap.analysis.editing import review_edit
from gridmap.district import District
from gridmap.errors import Problem
from gridmap.layers import Edit
from gridmap.schema import GRID_LEVELS, LAYERS

#: How an import meets the features already in the layer; the first is the default.
IMPORT_MODES = ("upsert", "replace", "append")
#: Kinds of object `zone_changes` counts, as `EditReview.moves` names them.
ZONE_KINDS = ("building", "household", "unit")


@dataclass(frozen=True)
class ImportPlan:
    """The edit an import makes, and what it does to the layer's features.

    `added` counts imported features with a new id, `updated` those whose id
    the layer has, `removed` the layer's features that go (``replace`` only);
    `geometry_kept` the updated features whose existing geometry is kept
    because the source gives none. `problems` are errors: nothing may be
    written while there is one.
    """

    edit: Edit
    added: int
    updated: int
    removed: int
    geometry_kept: int = 0
    problems: list[Problem] = field(default_factory=list)


def _ids(frame: pd.DataFrame, key: str) -> pd.Series:
    if key not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return (
        frame[key]
        .astype(object)
        .where(frame[key].notna(), None)
        .map(lambda v: None if v is None else str(v).strip())
    )


def _missing(frame: pd.DataFrame) -> np.ndarray:
    if not isinstance(frame, gpd.GeoDataFrame):
        return np.zeros(len(frame), dtype=bool)
    geoms = frame.geometry
    return (geoms.isna() | geoms.is_empty).to_numpy()


def _keep_geometries(
    added: pd.DataFrame, current: pd.DataFrame, key: str
) -> tuple[pd.DataFrame, int]:
    """Give imported rows with no geometry the geometry of the feature they update."""
    if not (isinstance(added, gpd.GeoDataFrame) and isinstance(current, gpd.GeoDataFrame)):
        return added, 0
    present = ~_missing(current)
    known = dict(zip(_ids(current, key)[present], current.geometry[present], strict=True))
    ids = _ids(added, key)
    fill = _missing(added) & ids.isin(known).to_numpy()
    if not fill.any():
        return added, 0
    out = added.copy()
    column = out.geometry.name
    kept = gpd.GeoSeries([known[i] for i in ids[fill]], index=out.index[fill], crs=current.crs)
    if out.crs is not None and current.crs is not None and not out.crs.equals(current.crs):
        kept = kept.to_crs(out.crs)
    out.loc[fill, column] = kept.values
    return out, int(fill.sum())


def plan_import(
    current: pd.DataFrame,
    imported: pd.DataFrame,
    layer: str,
    *,
    mode: str = "upsert",
    user: str = "",
    reason: str | None = None,
) -> ImportPlan:
    """Return the edit that imports `imported` into `current` (the layer as the district has it).

    `current` must hold every column of `imported` (the rows removed are
    logged as they were). Raises `ValueError` for a mode not in `IMPORT_MODES`.

    Examples
    --------
    >>> from shapely.geometry import Point
    >>> now = gpd.GeoDataFrame({"unit_id": ["U1", "U2"]}, geometry=[Point(0, 0)] * 2, crs=4547)
    >>> new = gpd.GeoDataFrame({"unit_id": ["U2", "U3"]}, geometry=[None, Point(1, 1)], crs=4547)
    >>> plan = plan_import(now, new, "units")
    >>> (plan.added, plan.updated, plan.removed, plan.geometry_kept)
    (1, 1, 0, 1)
    >>> replace_all = plan_import(now, new, "units", mode="replace")
    >>> (replace_all.added, replace_all.updated, replace_all.removed)
    (1, 1, 1)
    """
    if mode not in IMPORT_MODES:
        raise ValueError(f"mode is one of {', '.join(IMPORT_MODES)}, not {mode!r}")
    key = LAYERS[layer].id_field
    old_ids, new_ids = _ids(current, key), _ids(imported, key)
    existing = set(old_ids.dropna())
    matched = new_ids.isin(existing).to_numpy() & new_ids.notna().to_numpy()
    incoming = set(new_ids.dropna())
    problems = []
    if mode == "append" and matched.any():
        clash = sorted(set(new_ids[matched]))
        shown = ", ".join(clash[:10]) + (f" and {len(clash) - 10} more" if len(clash) > 10 else "")
        problems.append(
            Problem(
                "error",
                f"append adds ids that already exist in the layer: {shown}.",
                layer=layer,
                field=key,
                count=len(clash),
                fix="import with --mode upsert to update those features, or give them new ids.",
            )
        )
    replaced = old_ids.isin(incoming).to_numpy()
    gone = int((~replaced).sum()) if mode == "replace" else 0
    removed_rows = {
        "replace": current,
        "upsert": current[replaced],
        "append": current.iloc[0:0],
    }[mode]
    added, kept = _keep_geometries(imported, current, key)
    edit = Edit(
        layer=layer,
        operation="import",
        removed=removed_rows,
        added=added,
        user=user,
        reason=reason,
    )
    return ImportPlan(
        edit=edit,
        added=int((~matched).sum()),
        updated=int(matched.sum()),
        removed=gone,
        geometry_kept=kept,
        problems=problems,
    )


def zone_changes(district: District, edit: Edit) -> dict[str, int] | None:
    """Return buildings, households and units whose small or medium grid the edit changes.

    None when the edit is not to a grid level or the district has no small
    grids to place things in (there is no zone to change). `district` must
    have the edit's layer (empty if the file has none yet).

    Examples
    --------
    >>> from gridmap.analysis.editing import merge_grids
    >>> from gridmap.analysis.importing import zone_changes
    >>> edit = merge_grids(district, "grid_small", ["410106001001001", "410106001001002"])
    >>> zone_changes(district, edit)
    {'building': 25, 'household': 23, 'unit': 0}
    """
    if edit.layer not in GRID_LEVELS:
        return None
    small = district.get("grid_small")
    if edit.layer != "grid_small" and (small is None or not len(small)):
        return None
    moves = review_edit(district, edit).moves
    counts = moves["kind"].value_counts()
    return {kind: int(counts.get(kind, 0)) for kind in ZONE_KINDS}
