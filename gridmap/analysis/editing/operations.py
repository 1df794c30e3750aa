"""Topology-preserving boundary edits for planners: draw, split, merge, reshape, reassign, delete.

Each operation is a pure function of the district and the planner's drawing
and returns an `Edit` (the rows removed and the rows added) without changing
anything; `gridmap.io.save_edit` saves it. The operations keep a grid level a
clean partition: the area one grid loses, its neighbour gains, so the sum of
the areas of a parent's children is the same before and after.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from gridmap.analysis.editing.geometry import (
    cut_shape,
    next_grid_ids,
    polygonal,
    snap_geometry,
)
from gridmap.district import District
from gridmap.errors import EditError
from gridmap.geo.crs import require_metric
from gridmap.layers import Edit
from gridmap.schema import GRID_LEVELS, LAYERS, PARENT_LEVEL

__all__ = [
    "EditError",
    "delete_grid",
    "draw_grid",
    "merge_grids",
    "next_grid_ids",
    "polygonal",
    "reassign_grid",
    "reshape_boundary",
    "snap_geometry",
    "split_grid",
    "transfer_area",
]


def _layer(district: District, level: str) -> gpd.GeoDataFrame:
    if level not in GRID_LEVELS:
        raise EditError(f"{level!r} is not a grid level; use one of {', '.join(GRID_LEVELS)}.")
    layer = district[level]
    require_metric(layer, level)
    return layer


def _rows(layer: gpd.GeoDataFrame, ids: Sequence[str]) -> gpd.GeoDataFrame:
    found = layer[layer["grid_id"].isin(ids)]
    missing = sorted(set(ids) - set(found["grid_id"]))
    if missing:
        raise EditError(f"no grid with id {', '.join(missing)} in this level.")
    return found.set_index("grid_id", drop=False).loc[list(ids)].reset_index(drop=True)


def _with_geometry(rows: gpd.GeoDataFrame, geoms: Sequence[BaseGeometry]) -> gpd.GeoDataFrame:
    out = rows.copy()
    out[out.geometry.name] = gpd.GeoSeries(list(geoms), crs=rows.crs).values
    return out


def draw_grid(
    district: District,
    level: str,
    polygon: BaseGeometry,
    *,
    parent_id: str | None = None,
    grid_id: str | None = None,
    attributes: Mapping[str, object] | None = None,
    snap_tolerance: float = 0.0,
    user: str = "",
    reason: str | None = None,
) -> Edit:
    """Add a grid: the drawing is clipped to its parent and cut out of the grids it overlaps.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> from gridmap.analysis.editing import draw_grid
    >>> area = box(433100, 3855700, 433200, 3855800)
    >>> edit = draw_grid(district, "grid_small", area, parent_id="410106001001")
    >>> edit.operation, edit.affected_ids()
    ('draw', ['410106001001001', '410106001001006'])
    """
    layer = _layer(district, level)
    parent_level = PARENT_LEVEL.get(level)
    shape = polygonal(snap_geometry(polygon, layer.geometry.values, snap_tolerance))
    if parent_level is not None:
        if parent_id is None:
            raise EditError(f"a new {level} grid needs a parent_id in {parent_level}.")
        parent = _rows(district[parent_level], [parent_id]).geometry.iloc[0]
        shape = polygonal(shapely.intersection(shape, shapely.make_valid(parent)))
    if shape.is_empty:
        raise EditError("the drawn area lies outside its parent grid; nothing to add.")
    hit = layer[layer.intersects(shape)]
    cut = [polygonal(shapely.difference(shapely.make_valid(g), shape)) for g in hit.geometry]
    overlapping = hit[[not a.equals(b) for a, b in zip(cut, hit.geometry, strict=True)]]
    changed = _with_geometry(
        overlapping, [c for c, a in zip(cut, hit.geometry, strict=True) if not c.equals(a)]
    )
    emptied = changed[changed.is_empty]
    if len(emptied):
        raise EditError(
            f"the drawing covers all of {', '.join(emptied['grid_id'])}; merge or "
            "delete them instead."
        )
    torn = [
        g
        for g, before, after in zip(
            changed["grid_id"], overlapping.geometry, changed.geometry, strict=True
        )
        if shapely.get_num_geometries(after) > shapely.get_num_geometries(before)
    ]
    if torn:
        raise EditError(
            f"the drawing would cut {', '.join(torn)} into separate pieces; draw an area that "
            "leaves each neighbour in one piece, or split that grid first."
        )
    new_id = grid_id or next_grid_ids(layer, parent_id, 1)[0]
    if new_id in set(layer["grid_id"]):
        raise EditError(f"grid id {new_id} already exists.")
    new: dict[str, object] = {c: None for c in layer.columns if c != layer.geometry.name}
    new.update({"grid_id": new_id, "parent_id": parent_id, **(attributes or {})})
    if parent_level is None:
        new.pop("parent_id", None)
    added_row = gpd.GeoDataFrame([new], geometry=[shape], crs=layer.crs)
    added = pd.concat([changed, added_row], ignore_index=True)
    return Edit(
        level,
        "draw",
        removed=overlapping,
        added=gpd.GeoDataFrame(added, crs=layer.crs),
        user=user,
        reason=reason,
    )


def split_grid(
    district: District,
    level: str,
    grid_id: str,
    splitter: BaseGeometry,
    *,
    new_ids: Sequence[str] | None = None,
    names: Sequence[str] | None = None,
    keep_id: bool = True,
    snap_tolerance: float = 0.5,
    user: str = "",
    reason: str | None = None,
) -> Edit:
    """Split a grid by a drawn line or polygon into two or more grids.

    The largest piece keeps the grid's id when `keep_id` (renumbering is never
    silent: the edit lists every id); the others get `new_ids` or the next
    ids of the coding scheme, and `names` or the old name with a suffix.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> from gridmap.analysis.editing import split_grid
    >>> line = LineString([(433100, 3855300), (433200, 3856200)])
    >>> edit = split_grid(district, "grid_small", "410106001001001", line)
    >>> edit.operation, list(edit.added["grid_id"])
    ('split', ['410106001001001', '410106001001006'])
    """
    layer = _layer(district, level)
    row = _rows(layer, [grid_id])
    shape = shapely.make_valid(row.geometry.iloc[0])
    pieces = sorted(cut_shape(shape, splitter, snap_tolerance), key=lambda p: -p.area)
    if len(pieces) < 2:
        raise EditError(
            f"the drawing does not divide grid {grid_id}: draw a line that crosses it "
            "from edge to edge, or a polygon that covers part of it."
        )
    parent = row["parent_id"].iloc[0] if "parent_id" in row else None
    fresh = len(pieces) - (1 if keep_id else 0)
    ids = list(new_ids) if new_ids is not None else next_grid_ids(layer, parent, fresh)
    if len(ids) != fresh:
        raise EditError(f"the split makes {len(pieces)} grids; give {fresh} new ids.")
    ids = ([grid_id] if keep_id else []) + ids
    base = str(row["name"].iloc[0] or grid_id)
    if names is not None and len(names) != len(pieces):
        raise EditError(f"the split makes {len(pieces)} grids; give {len(pieces)} names.")
    labels = (
        list(names) if names is not None else [f"{base}-{i}" for i in range(1, len(pieces) + 1)]
    )
    added = pd.concat([row] * len(pieces), ignore_index=True)
    added["grid_id"], added["name"] = ids, labels[: len(pieces)]
    added = _with_geometry(gpd.GeoDataFrame(added, crs=layer.crs), pieces)
    return Edit(level, "split", removed=row, added=added, user=user, reason=reason)


def merge_grids(
    district: District,
    level: str,
    grid_ids: Sequence[str],
    *,
    keep: str | None = None,
    attributes: Mapping[str, object] | None = None,
    user: str = "",
    reason: str | None = None,
) -> Edit:
    """Merge adjacent grids of one parent into one.

    `keep` names the grid whose id and attributes survive; `attributes`
    overrides single fields of it (say, the leader of another merged grid).

    Examples
    --------
    >>> from gridmap.analysis.editing import merge_grids
    >>> edit = merge_grids(district, "grid_small", ["410106001001001", "410106001001002"])
    >>> edit.operation, len(edit.removed), list(edit.added["grid_id"])
    ('merge', 2, ['410106001001001'])
    """
    layer = _layer(district, level)
    if len(set(grid_ids)) < 2:
        raise EditError("choose at least two grids to merge.")
    rows = _rows(layer, list(dict.fromkeys(grid_ids)))
    if "parent_id" in rows and rows["parent_id"].nunique(dropna=False) > 1:
        pairs = ", ".join(
            f"{g} in {p}" for g, p in zip(rows["grid_id"], rows["parent_id"], strict=True)
        )
        raise EditError(
            f"only grids of the same parent can be merged ({pairs}); reassign the parent first."
        )
    merged = polygonal(shapely.union_all(shapely.make_valid(rows.geometry.values)))
    if merged.geom_type != "Polygon":
        raise EditError(
            f"grids {', '.join(rows['grid_id'])} are not adjacent; merging them "
            "would make one grid of separate pieces."
        )
    keep = keep or rows["grid_id"].iloc[0]
    survivor = rows[rows["grid_id"] == keep]
    if survivor.empty:
        raise EditError(f"{keep} is not one of the grids being merged.")
    added = _with_geometry(survivor, [merged])
    for field, value in (attributes or {}).items():
        if field in ("grid_id", "parent_id", added.geometry.name) or field not in added.columns:
            raise EditError(f"merge cannot set {field!r}; choose among the grids' attributes.")
        added[field] = [value]
    return Edit(level, "merge", removed=rows, added=added, user=user, reason=reason)


def _reassigned(
    rows: gpd.GeoDataFrame,
    new_a: BaseGeometry,
    new_b: BaseGeometry,
    *,
    level: str,
    user: str,
    reason: str | None,
    operation: str,
) -> Edit:
    if new_a.is_empty or new_b.is_empty:
        raise EditError("the edit would leave one of the two grids empty; use merge instead.")
    added = _with_geometry(rows, [new_a, new_b])
    return Edit(level, operation, removed=rows, added=added, user=user, reason=reason)


def reshape_boundary(
    district: District,
    level: str,
    grid_a: str,
    grid_b: str,
    line: BaseGeometry,
    *,
    snap_tolerance: float = 1.0,
    user: str = "",
    reason: str | None = None,
) -> Edit:
    """Replace the boundary between two neighbours by a line drawn across their union.

    The union of the two grids is cut by the line; each piece goes to the
    grid that held most of it. Both change together: what one loses the
    other gains.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> from gridmap.analysis.editing import reshape_boundary
    >>> line = LineString([(432700, 3855300), (432750, 3856200)])
    >>> a, b = "410106001001001", "410106001001002"
    >>> edit = reshape_boundary(district, "grid_small", a, b, line)
    >>> edit.operation, edit.affected_ids()
    ('reshape', ['410106001001001', '410106001001002'])
    """
    layer = _layer(district, level)
    rows = _rows(layer, [grid_a, grid_b])
    a, b = (shapely.make_valid(g) for g in rows.geometry)
    if not a.intersects(b):
        raise EditError(f"grids {grid_a} and {grid_b} are not neighbours.")
    union = polygonal(shapely.union(a, b))
    pieces = cut_shape(union, line, snap_tolerance)
    if len(pieces) < 2:
        raise EditError("the line does not cross the two grids from edge to edge.")
    goes_to_a = [shapely.intersection(p, a).area >= shapely.intersection(p, b).area for p in pieces]
    to_a = [p for p, flag in zip(pieces, goes_to_a, strict=True) if flag]
    to_b = [p for p, flag in zip(pieces, goes_to_a, strict=True) if not flag]
    new_a = polygonal(shapely.union_all(to_a)) if to_a else shapely.Polygon()
    new_b = polygonal(shapely.union_all(to_b)) if to_b else shapely.Polygon()
    return _reassigned(
        rows, new_a, new_b, level=level, user=user, reason=reason, operation="reshape"
    )


def transfer_area(
    district: District,
    level: str,
    from_id: str,
    to_id: str,
    area: BaseGeometry,
    *,
    user: str = "",
    reason: str | None = None,
) -> Edit:
    """Move the part of `from_id` inside a drawn polygon to its neighbour `to_id`.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> from gridmap.analysis.editing import transfer_area
    >>> area = box(432740, 3855800, 432800, 3855900)
    >>> a, b = "410106001001001", "410106001001002"
    >>> edit = transfer_area(district, "grid_small", a, b, area)
    >>> edit.operation, edit.affected_ids()
    ('reshape', ['410106001001001', '410106001001002'])
    """
    layer = _layer(district, level)
    rows = _rows(layer, [from_id, to_id])
    source, target = (shapely.make_valid(g) for g in rows.geometry)
    moved = polygonal(shapely.intersection(source, area))
    if moved.is_empty:
        raise EditError(f"the drawn area does not overlap grid {from_id}.")
    if not moved.intersects(target):
        raise EditError(f"the area to move does not touch grid {to_id}; it would be cut off.")
    new_from = polygonal(shapely.difference(source, moved))
    new_to = polygonal(shapely.union(target, moved))
    return _reassigned(
        rows, new_from, new_to, level=level, user=user, reason=reason, operation="reshape"
    )


def reassign_grid(
    district: District,
    level: str,
    grid_id: str,
    changes: Mapping[str, object],
    *,
    user: str = "",
    reason: str | None = None,
) -> Edit:
    """Change a grid's attributes (parent, leader, phone, members, name); geometry unchanged.

    Examples
    --------
    >>> from gridmap.analysis.editing import reassign_grid
    >>> edit = reassign_grid(district, "grid_small", "410106001001001", {"leader": "王芳"})
    >>> edit.operation, list(edit.added["leader"])
    ('reassign', ['王芳'])
    """
    layer = _layer(district, level)
    row = _rows(layer, [grid_id])
    unknown = sorted(set(changes) - set(layer.columns) - set(LAYERS[level].field_names))
    geometry = layer.geometry.name
    if geometry in changes or "geometry" in changes:
        raise EditError(
            "reassign changes attributes only; change a boundary with split, merge, reshape "
            "or transfer so the neighbours change with it."
        )
    if "grid_id" in changes or unknown:
        raise EditError(
            "grid ids are changed by split or merge, not here."
            if "grid_id" in changes
            else f"the layer has no field {', '.join(unknown)}."
        )
    parent_level = PARENT_LEVEL.get(level)
    new_parent = changes.get("parent_id")
    if new_parent is not None and parent_level is not None:
        _rows(district[parent_level], [str(new_parent)])
    added = row.copy()
    for key, value in changes.items():
        added[key] = [value]
    return Edit(level, "reassign", removed=row, added=added, user=user, reason=reason)


def delete_grid(
    district: District,
    level: str,
    grid_id: str,
    *,
    into: str | None = None,
    user: str = "",
    reason: str | None = None,
) -> Edit:
    """Delete a grid, handing its territory to neighbour `into`, or leaving an explicit gap.

    Leaving a gap needs a reason; the coverage check will then report the gap.

    Examples
    --------
    >>> from gridmap.analysis.editing import delete_grid
    >>> edit = delete_grid(district, "grid_small", "410106001001002", into="410106001001001")
    >>> edit.operation, edit.affected_ids()
    ('delete', ['410106001001001', '410106001001002'])
    """
    if into is not None:
        edit = merge_grids(district, level, [into, grid_id], keep=into, user=user, reason=reason)
        return Edit(
            level, "delete", removed=edit.removed, added=edit.added, user=user, reason=reason
        )
    if not (reason or "").strip():
        raise EditError(
            f"deleting {grid_id} without handing its area to a neighbour leaves a "
            "gap; give a reason to accept that."
        )
    row = _rows(_layer(district, level), [grid_id])
    return Edit(level, "delete", removed=row, added=row.iloc[0:0], user=user, reason=reason)
