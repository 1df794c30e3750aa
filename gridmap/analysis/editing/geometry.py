"""Geometry helpers of boundary editing: clean polygons, snapping, cutting, the id scheme.

Used by `gridmap.analysis.editing.operations`; pure functions of shapely geometries and
id columns, in the layer's metric CRS.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import split as split_by

from gridmap.errors import EditError

#: Pieces smaller than this (m²) are treated as slivers and dropped from results.
SLIVER_M2 = 1e-6


def polygonal(geom: BaseGeometry | None) -> BaseGeometry:
    """Return the polygonal part of `geom`, made valid (lines and points of a result dropped).

    Examples
    --------
    >>> from shapely.geometry import LineString, Polygon
    >>> from gridmap.analysis.editing import polygonal
    >>> bow_tie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    >>> polygonal(bow_tie).geom_type, polygonal(bow_tie).area
    ('MultiPolygon', 2.0)
    >>> polygonal(LineString([(0, 0), (1, 1)])).is_empty
    True
    """
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    geom = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    parts = [q for p in parts for q in shapely.get_parts(p) if q.area > SLIVER_M2]
    if not parts:
        return shapely.Polygon()
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def snap_geometry(
    geom: BaseGeometry, reference: Sequence[BaseGeometry] | np.ndarray, tolerance: float
) -> BaseGeometry:
    """Move vertices within `tolerance` metres onto the reference boundaries.

    Vertices first snap to reference vertices, then any vertex still within
    the tolerance of a reference edge moves onto that edge, so hand-drawn
    lines meet existing boundaries exactly.

    Examples
    --------
    >>> from shapely.geometry import Polygon, box
    >>> from gridmap.analysis.editing import snap_geometry
    >>> near = Polygon([(0, 0), (9.7, 0), (9.7, 10), (0, 10)])
    >>> snap_geometry(near, [box(10, 0, 20, 10)], 0.5).bounds
    (0.0, 0.0, 10.0, 10.0)
    """
    if tolerance <= 0 or geom.is_empty or len(reference) == 0:
        return geom
    # The boundaries of the reference polygons: a (Multi)LineString (the stubs say BaseGeometry).
    lines = cast(
        shapely.MultiLineString,
        shapely.union_all(shapely.boundary(np.asarray(reference, dtype=object))),
    )
    if lines.is_empty:
        return geom
    geom = shapely.snap(geom, lines, tolerance)
    coords = shapely.get_coordinates(geom)
    points = np.asarray(shapely.points(coords), dtype=object)
    distance = shapely.distance(points, lines)
    close = (distance > 0) & (distance <= tolerance)
    if close.any():
        projected = shapely.line_interpolate_point(
            lines, shapely.line_locate_point(lines, points[close])
        )
        coords[close] = shapely.get_coordinates(projected)
        geom = shapely.set_coordinates(geom, coords)
    return geom


def next_grid_ids(layer: pd.DataFrame, parent_id: str | None, count: int) -> list[str]:
    """Return new ids that follow the dataset's coding scheme.

    When the siblings' ids are the parent's id followed by a fixed number of
    digits (410106001001 -> 410106001001007), the next free sequence numbers
    are used; otherwise the longest common prefix with a numeric suffix is
    continued, and as a last resort ``<parent>-N``.

    Examples
    --------
    >>> layer = pd.DataFrame({"grid_id": ["410106001001001", "410106001001002"],
    ...                       "parent_id": ["410106001001"] * 2})
    >>> next_grid_ids(layer, "410106001001", 2)
    ['410106001001003', '410106001001004']
    """
    ids = layer["grid_id"].astype(str)
    siblings = ids[layer["parent_id"] == parent_id] if "parent_id" in layer else ids
    pattern = re.compile(rf"^{re.escape(parent_id or '')}(\d+)$")
    matches = [pattern.match(s) for s in siblings]
    digits = [m.group(1) for m in matches if m]
    taken = set(ids)
    if digits:
        width = max(len(d) for d in digits)
        start = max(int(d) for d in digits) + 1
        prefix = parent_id or ""
    else:
        numbered = [m for m in (re.match(r"^(.*?)(\d+)$", s) for s in siblings) if m is not None]
        if numbered:
            prefix = numbered[0].group(1)
            width = len(numbered[0].group(2))
            start = max(int(m.group(2)) for m in numbered if m.group(1) == prefix) + 1
        else:
            prefix, width, start = f"{parent_id}-" if parent_id else "G", 1, 1
    out: list[str] = []
    n = start
    while len(out) < count:
        if width > 1 and n >= 10**width:
            raise EditError(
                f"the coding scheme {prefix}{'N' * width} has no {count} free numbers left "
                f"after {prefix}{start - 1:0{width}d}; give the new ids explicitly."
            )
        candidate = f"{prefix}{n:0{width}d}"
        if candidate not in taken:
            out.append(candidate)
        n += 1
    return out


def _extend(line: shapely.LineString, distance: float) -> shapely.LineString:
    """Lengthen both ends of a line by `distance` along its end segments."""
    coords = np.asarray(line.coords, dtype=float)
    if len(coords) < 2 or distance <= 0:
        return line
    for end, inner in ((0, 1), (-1, -2)):
        direction = coords[end] - coords[inner]
        norm = np.hypot(*direction[:2])
        if norm > 0:
            coords[end, :2] = coords[end, :2] + direction[:2] / norm * distance
    return shapely.LineString(coords)


def cut_shape(shape: BaseGeometry, splitter: BaseGeometry, tolerance: float) -> list[BaseGeometry]:
    """Pieces of `shape` cut by a line (snapped, ends extended) or by a polygon.

    A polygon cut gives the part inside and the part outside the drawing; when
    `shape` is one polygon, each of those that falls apart into separate
    pieces gives one piece per part, so no grid is made of separate pieces.
    """
    if splitter.geom_type in ("Polygon", "MultiPolygon"):
        pieces = [
            polygonal(shapely.intersection(shape, splitter)),
            polygonal(shapely.difference(shape, splitter)),
        ]
        if shape.geom_type == "Polygon":
            pieces = [q for p in pieces for q in shapely.get_parts(p)]
        return [p for p in pieces if not p.is_empty]
    if splitter.geom_type != "LineString":
        raise EditError(f"split needs a line or a polygon, not a {splitter.geom_type}.")
    # Snapping keeps the geometry type: the snapped splitter is still a LineString.
    snapped = cast(shapely.LineString, snap_geometry(splitter, [shape], tolerance))
    line = _extend(snapped, max(tolerance, 1e-3))
    pieces = []
    for part in shapely.get_parts(shape):
        pieces += [polygonal(p) for p in shapely.get_parts(split_by(part, line))]
    return [p for p in pieces if not p.is_empty]
