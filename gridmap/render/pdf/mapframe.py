"""Drawing a district's layers onto a printed map's axes, in the metric working CRS.

Polygons become one matplotlib path per feature (holes kept), written as one
compound path per fill colour; only what lies in the map's box is drawn.
Styles come from `gridmap.render.pdf.style` (the app's colours). This module holds
the geometry helpers, the grid levels, the veil outside a sheet's grid and the
district's outline; the overlays are in `gridmap.render.pdf.overlays`, labels
in `gridmap.render.pdf.labels`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypedDict, Unpack

import geopandas as gpd
import matplotlib
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.path import Path
from matplotlib.typing import ColorType, LineStyleType
from shapely.geometry.base import BaseGeometry

from gridmap.i18n import t as text
from gridmap.render.pdf.layout import LegendEntry
from gridmap.render.pdf.style import (
    BEYOND,
    MEDIUM_PALETTE,
    STYLES,
    VEIL,
    fill_alpha,
    line_style,
)

Box = tuple[float, float, float, float]
#: Findings drawn as hatched areas; the others on buildings, units and households as markers.
AREA_CHECKS = ("gap", "overlap", "outside_parent", "invalid_geometry")
POINT_LAYERS = ("buildings", "units", "households")
Z = {
    "medium_fill": 1.0,
    "hex": 1.5,
    "buildings": 2.0,
    "small": 3.0,
    "medium": 3.5,
    "large": 4.0,
    "findings": 5.0,
    "points": 6.0,
    "veil": 6.5,
    "focus": 7.0,
    "labels": 8.0,
}


def fit_box(
    bounds: Iterable[float], width_mm: float, height_mm: float, *, pad: float = 0.05
) -> Box:
    """`bounds` padded and widened to the map frame's proportions (xmin, ymin, xmax, ymax)."""
    x0, y0, x1, y1 = (float(v) for v in bounds)
    w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w, h = w * (1 + 2 * pad), h * (1 + 2 * pad)
    ratio = width_mm / height_mm
    if w / h > ratio:
        h = w / ratio
    else:
        w = h * ratio
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def set_box(ax: Axes, box: Box) -> None:
    """Show exactly `box` (xmin, ymin, xmax, ymax) on `ax`, at equal scale."""
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect("equal", adjustable="box")


def in_box(frame: gpd.GeoDataFrame | None, box: Box) -> gpd.GeoDataFrame | None:
    """Return the rows of `frame` whose geometry meets `box` (None if no frame or none meet it)."""
    if frame is None or len(frame) == 0:
        return None
    hits = frame.sindex.query(shapely.box(*box), predicate="intersects")
    return frame.iloc[np.sort(hits)] if len(hits) else None


def polygon_paths(geoms: Sequence[BaseGeometry | None] | np.ndarray) -> list[Path]:
    """One compound path per (multi)polygon, holes included; non-polygons give empty paths."""
    geoms = np.asarray(geoms, dtype=object)
    parts, owner = shapely.get_parts(geoms, return_index=True)
    keep = shapely.get_type_id(parts) == 3
    parts, owner = parts[keep], owner[keep]
    if len(parts) == 0:
        return [Path(np.zeros((0, 2))) for _ in range(len(geoms))]
    rings, ring_owner = shapely.get_rings(parts, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(coords), Path.LINETO, dtype=np.uint8)
    starts = np.r_[0, np.flatnonzero(np.diff(ring_of)) + 1]
    codes[starts] = Path.MOVETO
    codes[np.r_[starts[1:], len(coords)] - 1] = Path.CLOSEPOLY
    feature = owner[ring_owner[ring_of]]
    bounds = np.searchsorted(feature, np.arange(len(geoms) + 1))
    return [Path(coords[a:b], codes[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _joined(paths: Sequence[Path]) -> Path:
    paths = [p for p in paths if len(p)]
    if not paths:
        return Path(np.zeros((0, 2)))
    return Path(
        np.concatenate([p.vertices for p in paths]), np.concatenate([p.codes for p in paths])
    )


class PolygonStyle(TypedDict, total=False):
    """The `PathCollection` options `add_polygons` passes on (besides zorder and facecolors)."""

    edgecolors: ColorType
    linewidths: float
    linestyles: LineStyleType
    alpha: float | None
    hatch: str


def add_polygons(
    ax: Axes,
    geoms: Sequence[BaseGeometry | None] | np.ndarray,
    *,
    zorder: float,
    facecolors: ColorType | Sequence[ColorType] = "none",
    **style: Unpack[PolygonStyle],
) -> PathCollection:
    """Draw polygons as vector paths: one compound path per distinct fill colour.

    Fast to write and small in the PDF; holes are kept by orientation.
    """
    geoms = shapely.orient_polygons(np.asarray(geoms, dtype=object))
    paths = polygon_paths(geoms)
    if (
        isinstance(facecolors, list | tuple | np.ndarray)
        and not isinstance(facecolors, str)
        and len(facecolors) == len(paths)
        and len(paths) > 1
    ):
        keys = [tuple(np.round(np.atleast_1d(matplotlib.colors.to_rgba(c)), 4)) for c in facecolors]
        groups: dict[tuple, list[Path]] = {}
        for key, path in zip(keys, paths, strict=True):
            groups.setdefault(key, []).append(path)
        paths = [_joined(group) for group in groups.values()]
        facecolors = list(groups)
    else:
        paths = [_joined(paths)]
    collection = PathCollection(paths, zorder=zorder, facecolors=facecolors, **style)
    ax.add_collection(collection, autolim=False)
    return collection


def points_of(geoms: np.ndarray) -> np.ndarray:
    geoms = np.asarray(geoms, dtype=object)
    present = ~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)
    points = shapely.point_on_surface(geoms[present])
    return shapely.get_coordinates(points)


def neighbour_colours(geoms: np.ndarray, n: int) -> list[int]:
    """Greedy colouring: touching polygons get different palette indexes."""
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    touching: dict[int, set[int]] = {}
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        if a != b:
            touching.setdefault(a, set()).add(b)
    colour: dict[int, int] = {}
    for i in range(len(geoms)):
        used = {colour[j] for j in touching.get(i, ()) if j in colour}
        colour[i] = next((c for c in range(n) if c not in used), i % n)
    return [colour[i] for i in range(len(geoms))]


def draw_grids(
    ax: Axes, layers: dict[str, gpd.GeoDataFrame], box: Box, lang: str
) -> list[LegendEntry]:
    """Medium grids tinted (neighbours differ), small dashed hairlines, large thick outlines."""
    entries: list[LegendEntry] = []
    medium = in_box(layers.get("grid_medium"), box)
    if medium is not None:
        geoms = medium.geometry.values
        palette = [
            MEDIUM_PALETTE[c] for c in neighbour_colours(np.asarray(geoms), len(MEDIUM_PALETTE))
        ]
        add_polygons(
            ax,
            geoms,
            zorder=Z["medium_fill"],
            facecolors=palette,
            edgecolors="none",
            alpha=fill_alpha("grid_medium"),
        )
    for level in ("grid_small", "grid_medium", "grid_large"):
        frame = in_box(layers.get(level), box)
        style = line_style(level)
        if frame is not None:
            add_polygons(
                ax,
                frame.geometry.values,
                zorder=Z[level.removeprefix("grid_")],
                facecolors="none",
                edgecolors=style["edgecolor"],
                linewidths=style["linewidth"],
                linestyles=style.get("linestyle", "solid"),
            )
        label = text(f"sel.{level.removeprefix('grid_')}", lang)
        if level == "grid_medium":
            # the swatch shows the tints the map cycles through, at the map's opacity
            ramp = {**style, "colours": list(MEDIUM_PALETTE), "alpha": fill_alpha(level)}
            entries.append(LegendEntry(label, "ramp", ramp))
        else:
            entries.append(
                LegendEntry(label, "patch", {**style, "facecolor": "none", "alpha": None})
            )
    return entries


def draw_veil(ax: Axes, box: Box, keep: BaseGeometry, lang: str) -> list[LegendEntry]:
    """Fade everything outside `keep` (the sheet's grid) and outline `keep`."""
    outside = shapely.difference(shapely.box(*box).buffer(abs(box[2] - box[0])), keep)
    add_polygons(ax, [outside], zorder=Z["veil"], facecolors=VEIL, edgecolors="none", alpha=0.62)
    selection = STYLES["selection"]["color"]
    add_polygons(
        ax,
        [keep],
        zorder=Z["focus"],
        facecolors="none",
        edgecolors=selection,
        linewidths=2.2,
        alpha=0.9,
    )
    return [
        LegendEntry(
            text("pdf.layer.focus", lang), "line", {"edgecolor": selection, "linewidth": 2.2}
        ),
        LegendEntry(
            text("pdf.layer.outside", lang), "patch", {"facecolor": "#f4f5f7", "edgecolor": "none"}
        ),
    ]


def draw_district(ax: Axes, outline: BaseGeometry, lang: str) -> list[LegendEntry]:
    """Paper white inside the district, a pale tone beyond it (the map looks finished offline)."""
    ax.set_facecolor(BEYOND)
    add_polygons(ax, [outline], zorder=0.5, facecolors="white", edgecolors="none")
    return [
        LegendEntry(
            text("pdf.layer.beyond", lang), "patch", {"facecolor": BEYOND, "edgecolor": "none"}
        )
    ]


__all__ = ["AREA_CHECKS", "draw_grids", "fit_box", "in_box", "set_box"]
