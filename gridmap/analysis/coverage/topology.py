"""Topology of grid layers as vectorised shapely 2 operations.

Every function takes and returns numpy arrays of geometries (``dtype=object``,
missing geometries as ``None``) and works on positions, not on frames, so the
coverage check can join the results back to ids and names. No function loops
over features in Python: pairs come from `shapely.STRtree` bulk queries, set
operations run on whole arrays, and per-group unions run as one
`shapely.union_all` over a padded 2-D array.

>>> import shapely
>>> a, b = shapely.box(0, 0, 2, 2), shapely.box(1, 0, 3, 2)
>>> pairs = overlapping_pairs(np.array([a, b]), min_area=1.0)
>>> pairs.left.tolist(), pairs.right.tolist(), pairs.area.tolist()
([0], [1], [2.0])
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import shapely
from shapely import STRtree

#: A missing value for `np.where` (its stubs take an array, not a bare None).
_NONE = np.array(None, dtype=object)

#: shapely type ids of polygonal geometries.
_POLYGON, _MULTIPOLYGON = 3, 6
#: Chinese wording of the GEOS reasons why a geometry is invalid.
_REASONS_ZH = {
    "Self-intersection": "自相交",
    "Ring Self-intersection": "环自相交",
    "Too few points": "点数过少",
    "Interior is disconnected": "内部不连通",
    "Hole lies outside shell": "内环在外环之外",
    "Nested holes": "内环嵌套",
    "Nested shells": "外环嵌套",
    "Duplicate Rings": "环重复",
    "Invalid Coordinate": "坐标无效",
    "Ring is not closed": "环未闭合",
}


class Repair(NamedTuple):
    """Result of `repair_polygons`."""

    geoms: np.ndarray
    invalid: np.ndarray
    reason: np.ndarray


class Pairs(NamedTuple):
    """Pairs of positions ``left < right`` with their intersection and its area."""

    left: np.ndarray
    right: np.ndarray
    geoms: np.ndarray
    area: np.ndarray


class Parts(NamedTuple):
    """One (possibly empty) geometry and its area per input position."""

    geoms: np.ndarray
    area: np.ndarray


def as_geometry_array(values: object) -> np.ndarray:
    """Return `values` (a GeoSeries, list or array) as a 1-D object array of geometries."""
    arr = np.asarray(getattr(values, "values", values), dtype=object)
    return arr.reshape(-1)


def present(geoms: np.ndarray) -> np.ndarray:
    """Mask of geometries that exist and are not empty."""
    return ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)


def polygonal_parts(geoms: np.ndarray) -> np.ndarray:
    """Keep only the polygonal parts of each geometry (as MultiPolygon; empty if none).

    >>> import shapely
    >>> line = shapely.LineString([(0, 0), (5, 5)])
    >>> mixed = shapely.GeometryCollection([shapely.box(0, 0, 1, 1), line])
    >>> polygonal_parts(np.array([mixed]))[0].wkt
    'MULTIPOLYGON (((1 0, 1 1, 0 1, 0 0, 1 0)))'
    """
    geoms = as_geometry_array(geoms)
    parts, index = shapely.get_parts(geoms, return_index=True)
    # A collection may hold multipolygons: explode once more so every part is simple.
    parts, inner = shapely.get_parts(parts, return_index=True)
    index = index[inner]
    keep = shapely.get_type_id(parts) == _POLYGON
    out = np.full(len(geoms), None, dtype=object)
    if keep.any():
        shapely.multipolygons(parts[keep], indices=index[keep], out=out)
    empty = shapely.is_missing(out)
    out[empty] = shapely.from_wkt("MULTIPOLYGON EMPTY")
    out[shapely.is_missing(geoms)] = None
    return out


def repair_polygons(geoms: np.ndarray) -> Repair:
    """Repair invalid polygons with `shapely.make_valid`, keeping only polygonal parts.

    Points and valid polygons are returned unchanged; ``invalid`` marks the
    repaired positions and ``reason`` says why each was invalid (GEOS wording).

    >>> import shapely
    >>> bow_tie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    >>> fixed = repair_polygons(np.array([bow_tie]))
    >>> bool(fixed.invalid[0]), fixed.reason[0], round(float(shapely.area(fixed.geoms[0])), 3)
    (True, 'Self-intersection[5 5]', 50.0)
    """
    geoms = as_geometry_array(geoms)
    polygonal = np.isin(shapely.get_type_id(geoms), (_POLYGON, _MULTIPOLYGON))
    invalid = polygonal & present(geoms) & ~shapely.is_valid(geoms)
    out = geoms.copy()
    reason = np.full(len(geoms), None, dtype=object)
    if invalid.any():
        out[invalid] = polygonal_parts(shapely.make_valid(geoms[invalid]))
        reason[invalid] = shapely.is_valid_reason(geoms[invalid])
    return Repair(out, invalid, reason)


def reason_zh(reason: str | None) -> str:
    """Chinese wording of a GEOS invalidity reason such as ``'Self-intersection[5 5]'``."""
    if not reason:
        return ""
    head = reason.split("[", 1)[0]
    return _REASONS_ZH.get(head, head)


def coverage_flags(geoms: np.ndarray) -> np.ndarray:
    """Return True where a polygon may overlap another of the layer; False where it cannot.

    GEOS coverage validation flags every polygon with an edge that is not
    matched exactly by a neighbour's edge or lies inside another polygon. An
    unflagged polygon's interior meets no other polygon's interior, so the
    expensive overlay work can skip it. (Flagged ones may still be fine: a
    T-junction without a shared vertex is flagged too.) Missing, empty and
    non-polygonal geometries are not flagged.
    """
    geoms = as_geometry_array(geoms)
    usable = present(geoms) & np.isin(shapely.get_type_id(geoms), (_POLYGON, _MULTIPOLYGON))
    flags = np.zeros(len(geoms), dtype=bool)
    if usable.sum() > 1:
        flags[usable] = ~shapely.is_empty(shapely.coverage_invalid_edges(geoms[usable]))
    return flags


def overlapping_pairs(
    geoms: np.ndarray,
    *,
    min_area: float,
    ids: np.ndarray | None = None,
    flags: np.ndarray | None = None,
) -> Pairs:
    """Pairs of polygons whose intersection has at least `min_area` (and more than 0).

    Candidates are pairs with intersecting bounding boxes from one STRtree bulk
    query, of which at least one is flagged by `coverage_flags` (computed here
    unless given); only those are intersected. Pairs of features with the same
    id (duplicated rows, reported as such) are skipped when `ids` is given.
    """
    geoms = as_geometry_array(geoms)
    flags = coverage_flags(geoms) if flags is None else flags
    usable = present(geoms)
    tree = STRtree(np.where(usable, geoms, _NONE))
    left, right = tree.query(np.where(usable & flags, geoms, _NONE))
    left, right = np.minimum(left, right), np.maximum(left, right)
    keep = left < right
    if ids is not None:
        keep &= ids[left] != ids[right]
    pairs = np.unique(np.c_[left[keep], right[keep]], axis=0).reshape(-1, 2)
    left, right = pairs[:, 0], pairs[:, 1]
    inter = polygonal_parts(shapely.intersection(geoms[left], geoms[right]))
    area = shapely.area(inter)
    keep = (area >= min_area) & (area > 0)
    return Pairs(left[keep], right[keep], inter[keep], area[keep])


def outside_parts(children: np.ndarray, parents: np.ndarray) -> Parts:
    """Per position, the part of ``children[i]`` outside ``parents[i]`` (empty where none).

    Positions where either geometry is missing give an empty part. Children
    covered by their parent (tested on prepared parents) are not differenced.
    """
    children, parents = as_geometry_array(children), as_geometry_array(parents)
    out = np.full(len(children), shapely.from_wkt("POLYGON EMPTY"), dtype=object)
    both = present(children) & present(parents)
    shapely.prepare(parents[both])
    covered = np.zeros(len(children), dtype=bool)
    covered[both] = shapely.covers(parents[both], children[both])
    todo = both & ~covered
    if todo.any():
        out[todo] = polygonal_parts(shapely.difference(children[todo], parents[todo]))
    return Parts(out, shapely.area(out))


def _padded(geoms: np.ndarray, rows: np.ndarray, n_rows: int) -> np.ndarray:
    """Geometries as a 2-D table, one row per label in ``0 .. n_rows-1`` (None padding)."""
    order = np.argsort(rows, kind="stable")
    rows = rows[order]
    counts = np.bincount(rows, minlength=n_rows)
    start = np.r_[0, np.cumsum(counts)[:-1]]
    table = np.full((n_rows, int(counts.max(initial=0))), None, dtype=object)
    table[rows, np.arange(len(rows)) - start[rows]] = geoms[order]
    return table


def group_union(
    geoms: np.ndarray, groups: np.ndarray, n_groups: int, *, coverage: np.ndarray | None = None
) -> np.ndarray:
    """Union of ``geoms`` per group label ``0 .. n_groups-1`` (empty polygon for no members).

    Runs as `shapely.union_all` along the rows of a padded 2-D array, so the
    loop over groups happens in C. Groups marked in `coverage` (members known
    not to overlap, e.g. none flagged by `coverage_flags`) use the much faster
    `shapely.coverage_union_all`, falling back to `union_all` if GEOS refuses.
    Very uneven groups are padded in buckets of similar size to bound memory.

    >>> import shapely
    >>> boxes = shapely.box([0, 1, 5], [0, 0, 5], [1, 2, 6], [1, 1, 6])
    >>> [g.area for g in group_union(boxes, np.array([0, 0, 2]), 3)]
    [2.0, 0.0, 1.0]
    """
    geoms = as_geometry_array(geoms)
    out = np.full(n_groups, shapely.from_wkt("POLYGON EMPTY"), dtype=object)
    if len(geoms) == 0:
        return out
    counts = np.bincount(groups, minlength=n_groups)
    fast = np.zeros(n_groups, dtype=bool) if coverage is None else np.asarray(coverage, bool)
    # Size classes (powers of two) x method: a handful of batches, never a loop over features.
    size_class = np.ceil(np.log2(np.maximum(counts, 1))).astype(int)
    for size in np.unique(size_class[counts > 0]):
        for use_coverage in (False, True):
            members = np.flatnonzero((size_class == size) & (counts > 0) & (fast == use_coverage))
            if not len(members):
                continue
            row = np.full(n_groups, -1)
            row[members] = np.arange(len(members))
            sel = row[groups] >= 0
            table = _padded(geoms[sel], row[groups[sel]], len(members))
            if use_coverage:
                try:
                    out[members] = shapely.coverage_union_all(table, axis=1)
                    continue
                except shapely.errors.GEOSException:
                    pass
            out[members] = shapely.union_all(table, axis=1)
    return out


def uncovered_parts(
    parents: np.ndarray, children: np.ndarray, child_flags: np.ndarray | None = None
) -> Parts:
    """Per parent, the part covered by none of `children` (whoever's children they are).

    The children touching each parent come from one STRtree query; their
    union per parent is subtracted from the parent. A parent with no
    children at all is uncovered entirely. With `child_flags`
    (`coverage_flags`), parents whose children are all unflagged take the fast
    coverage union.
    """
    parents, children = as_geometry_array(parents), as_geometry_array(children)
    usable = present(children)
    tree = STRtree(np.where(usable, children, _NONE))
    p_idx, c_idx = tree.query(np.where(present(parents), parents, _NONE), predicate="intersects")
    coverage = None
    if child_flags is not None:
        coverage = np.bincount(p_idx[child_flags[c_idx]], minlength=len(parents)) == 0
    cover = group_union(children[c_idx], p_idx, len(parents), coverage=coverage)
    out = np.full(len(parents), shapely.from_wkt("POLYGON EMPTY"), dtype=object)
    has = present(parents)
    out[has] = polygonal_parts(shapely.difference(parents[has], cover[has]))
    return Parts(out, shapely.area(out))


class Nesting(NamedTuple):
    """Result of `nesting`: parts of children outside their parent, parts of parents uncovered."""

    outside: Parts
    uncovered: Parts


def _declared_cover(
    parents: np.ndarray, children: np.ndarray, parent_of: np.ndarray, clean: np.ndarray
) -> np.ndarray:
    """Per parent, the coverage union of its declared children (None unless `clean`)."""
    member = (parent_of >= 0) & clean[np.maximum(parent_of, 0)]
    out = group_union(children[member], parent_of[member], len(parents), coverage=clean)
    out[~clean] = None
    return out


def nesting(
    parents: np.ndarray,
    children: np.ndarray,
    parent_of: np.ndarray,
    *,
    child_flags: np.ndarray,
    min_area: float,
) -> Nesting:
    """Parts of children outside their declared parent, and parts of parents no child covers.

    `parent_of` gives each child's parent position (-1: none). Parents whose
    declared children are all unflagged (`coverage_flags`) and whose coverage
    union differs from the parent by less than `min_area` are settled at once:
    no part of them is uncovered and no part of their children lies outside,
    by at least `min_area`, so their areas are reported as 0. Every other
    parent and its children are computed exactly (`uncovered_parts`,
    `outside_parts`). Areas below `min_area` are therefore not exact.
    """
    parents, children = as_geometry_array(parents), as_geometry_array(children)
    parent_of = np.asarray(parent_of, dtype=np.int64)
    has_child = np.zeros(len(parents), dtype=bool)
    has_child[parent_of[parent_of >= 0]] = True
    dirty = np.zeros(len(parents), dtype=bool)
    known = parent_of >= 0
    dirty[parent_of[known & (child_flags | ~present(children))]] = True
    clean = has_child & ~dirty & present(parents)
    cover = _declared_cover(parents, children, parent_of, clean)
    settled = np.zeros(len(parents), dtype=bool)
    if min_area > 0:
        todo = np.flatnonzero(~shapely.is_missing(cover))
        # Most clean parents are their children's union vertex for vertex: compare cheaply.
        same = shapely.equals_exact(
            shapely.normalize(parents[todo]), shapely.normalize(cover[todo]), tolerance=0.0
        )
        settled[todo[same]] = True
        todo = todo[~same]
        difference = shapely.area(shapely.symmetric_difference(parents[todo], cover[todo]))
        settled[todo[difference < min_area]] = True
    empty = shapely.from_wkt("POLYGON EMPTY")
    outside = Parts(np.full(len(children), empty, dtype=object), np.zeros(len(children)))
    exact = known & ~settled[np.maximum(parent_of, 0)]
    if exact.any():
        part = outside_parts(children[exact], parents[parent_of[exact]])
        outside.geoms[exact], outside.area[exact] = part.geoms, part.area
    uncovered = Parts(np.full(len(parents), empty, dtype=object), np.zeros(len(parents)))
    if (~settled).any():
        part = uncovered_parts(parents[~settled], children, child_flags)
        uncovered.geoms[~settled], uncovered.area[~settled] = part.geoms, part.area
    return Nesting(outside, uncovered)
