"""Drawing a district's layers onto a printed map's axes, in the metric working CRS.

Polygons become one matplotlib path per feature (holes kept), drawn as vector
collections; only what lies in the map's box is drawn. Styles come from
`gridmap.render.style` (the app's colours). Labels are placed greedily in order
of importance, each inside its polygon where it fits, never on another label.
No analysis: the findings, memberships and inspection cells come from
`gridmap.analysis`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.path import Path

from gridmap.render.pdf_layout import LegendEntry, add_halo
from gridmap.render.style import (
    BEYOND,
    EQUIPMENT_COLOUR,
    ERROR_COLOUR,
    HEX_CMAP,
    INK,
    MEDIUM_PALETTE,
    MUTED,
    STYLES,
    VEIL,
    WARNING_COLOUR,
    fill_alpha,
    line_style,
    text,
    unit_colour,
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
    bounds: Sequence[float], width_mm: float, height_mm: float, *, pad: float = 0.05
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
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect("equal", adjustable="box")


def in_box(frame: gpd.GeoDataFrame | None, box: Box) -> gpd.GeoDataFrame | None:
    """The rows of `frame` whose geometry meets `box` (None if no frame or none meet it)."""
    if frame is None or len(frame) == 0:
        return None
    hits = frame.sindex.query(shapely.box(*box), predicate="intersects")
    return frame.iloc[np.sort(hits)] if len(hits) else None


def polygon_paths(geoms: Sequence[object] | np.ndarray) -> list[Path]:
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
    paths = [p for p in paths if len(p.vertices)]
    if not paths:
        return Path(np.zeros((0, 2)))
    return Path(
        np.concatenate([p.vertices for p in paths]), np.concatenate([p.codes for p in paths])
    )


def add_polygons(
    ax: Axes,
    geoms: Sequence[object] | np.ndarray,
    *,
    zorder: float,
    facecolors: object = "none",
    **style: object,
) -> PathCollection:
    """Polygons as vector paths: one compound path per distinct fill colour (fast to write
    and small in the PDF; holes kept by orientation)."""
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


def _points(geoms: np.ndarray) -> np.ndarray:
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
        face = MEDIUM_PALETTE[2] if level == "grid_medium" else "none"
        entries.append(
            LegendEntry(
                text(f"sel.{level.removeprefix('grid_')}", lang),
                "patch",
                {"facecolor": face, **style, "alpha": None},
            )
        )
    return entries


def draw_buildings(
    ax: Axes, buildings: gpd.GeoDataFrame | None, box: Box, lang: str
) -> list[LegendEntry]:
    frame = in_box(buildings, box)
    if frame is None:
        return []
    web = STYLES["buildings"]
    geoms = frame.geometry.values
    polygonal = np.isin(shapely.get_type_id(np.asarray(geoms)), (3, 6))
    style = {"facecolor": web["fillColor"], "edgecolor": web["color"], "linewidth": 0.2}
    add_polygons(
        ax,
        geoms[polygonal],
        zorder=Z["buildings"],
        facecolors=style["facecolor"],
        edgecolors=style["edgecolor"],
        linewidths=0.2,
        alpha=web["fillOpacity"],
    )
    if (~polygonal).any():
        xy = _points(geoms[~polygonal])
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=3,
            marker="s",
            c=web["fillColor"],
            linewidths=0,
            zorder=Z["buildings"],
        )
    return [LegendEntry(text("pdf.layer.buildings", lang), "patch", style)]


def draw_units(ax: Axes, units: gpd.GeoDataFrame | None, box: Box, lang: str) -> list[LegendEntry]:
    from gridmap.i18n import choice_label
    from gridmap.schema import UNIT_CATEGORIES

    frame = in_box(units, box)
    if frame is None:
        return []
    entries = []
    for category in UNIT_CATEGORIES:
        rows = frame[frame["category"] == category]
        if rows.empty:
            continue
        xy = _points(rows.geometry.values)
        colour = unit_colour(category)
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=9,
            c=colour,
            edgecolors="white",
            linewidths=0.3,
            zorder=Z["points"],
        )
        entries.append(
            LegendEntry(
                f"{text('pdf.layer.units', lang)} · {choice_label(category, lang)}",
                "marker",
                {"color": colour, "s": 12, "linewidth": 0.3},
            )
        )
    return entries


def draw_equipment(
    ax: Axes, points: gpd.GeoDataFrame | None, box: Box, lang: str
) -> list[LegendEntry]:
    frame = in_box(points, box)
    if frame is None:
        return []
    entries = []
    planned = (
        (frame["status"] == "planned").to_numpy()
        if "status" in frame
        else np.zeros(len(frame), dtype=bool)
    )
    for is_planned, key in ((False, "pdf.layer.equipment"), (True, "pdf.layer.equipment_planned")):
        rows = frame[planned == is_planned]
        if rows.empty:
            continue
        xy = _points(rows.geometry.values)
        style = {
            "color": "white" if is_planned else EQUIPMENT_COLOUR,
            "marker": "s",
            "edgecolor": EQUIPMENT_COLOUR if is_planned else "white",
            "s": 26,
            "linewidth": 1.0 if is_planned else 0.7,
        }
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=style["s"],
            c=style["color"],
            marker="s",
            edgecolors=style["edgecolor"],
            linewidths=style["linewidth"],
            zorder=Z["points"] + 0.2,
        )
        entries.append(LegendEntry(text(key, lang), "marker", style))
    return entries


def draw_findings(
    ax: Axes, findings: gpd.GeoDataFrame | None, box: Box, lang: str
) -> list[LegendEntry]:
    """Gaps and overlaps hatched red; missed buildings, units and households as markers."""
    if findings is None or findings.empty:
        return []
    placed = findings[findings.geometry.notna() & ~findings.geometry.is_empty]
    frame = in_box(placed, box)
    if frame is None:
        return []
    entries = []
    areas = frame[frame["check"].isin(AREA_CHECKS)]
    if not areas.empty:
        style = {
            "facecolor": (0.84, 0.15, 0.16, 0.10),
            "edgecolor": ERROR_COLOUR,
            "hatch": "////",
            "linewidth": 0.6,
        }
        add_polygons(
            ax,
            areas.geometry.values,
            zorder=Z["findings"],
            facecolors=style["facecolor"],
            edgecolors=ERROR_COLOUR,
            linewidths=0.6,
            hatch="////",
        )
        entries.append(LegendEntry(text("pdf.layer.findings_area", lang), "hatch", style))
    marks = frame[frame["layer"].isin(POINT_LAYERS)]
    for severity, colour, key, size in (
        ("error", ERROR_COLOUR, "pdf.layer.findings_point", 22),
        ("warning", WARNING_COLOUR, "pdf.layer.findings_warning", 14),
    ):
        rows = marks[marks["severity"] == severity]
        if rows.empty:
            continue
        xy = _points(rows.geometry.values)
        style = {
            "color": colour,
            "marker": "X" if severity == "error" else "D",
            "s": size,
            "edgecolor": "white",
            "linewidth": 0.4,
        }
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=size,
            c=colour,
            marker=style["marker"],
            edgecolors="white",
            linewidths=0.4,
            zorder=Z["points"] + 0.5,
        )
        entries.append(LegendEntry(text(key, lang), "marker", style))
    return entries


def draw_hexes(
    ax: Axes, hexes: gpd.GeoDataFrame | None, lang: str, cell_size: float
) -> list[LegendEntry]:
    """Inspection density: hexagon cells coloured by their count."""
    if hexes is None or hexes.empty:
        return []
    import matplotlib

    cmap = matplotlib.colormaps[HEX_CMAP]
    counts = hexes["count"].to_numpy(dtype=float)
    breaks = count_classes(counts)
    classes = np.searchsorted(breaks, counts, side="left")
    colours = [matplotlib.colors.to_hex(cmap(v)) for v in np.linspace(0.12, 1.0, len(breaks))]
    add_polygons(
        ax,
        hexes.geometry.values,
        zorder=Z["hex"],
        facecolors=[colours[c] for c in classes],
        edgecolors="none",
        alpha=0.5,
    )
    label = text(
        "pdf.layer.inspections",
        lang,
        size=f"{cell_size:g}",
        lo=int(counts.min()),
        hi=int(counts.max()),
    )
    return [LegendEntry(label, "ramp", {"colours": colours, "alpha": 0.5})]


def count_classes(counts: np.ndarray, n: int = 5) -> np.ndarray:
    """Upper bounds of up to `n` classes of counts at quantiles (unique, rising).

    >>> count_classes(np.array([1, 1, 2, 3, 5, 8, 13, 21, 34, 55])).tolist()
    [1.0, 3.0, 8.0, 21.0, 55.0]
    """
    if len(counts) == 0:
        return np.array([1.0])
    bounds = np.quantile(counts, np.arange(1, n + 1) / n, method="inverted_cdf")
    return np.unique(bounds.astype(float))


def draw_veil(ax: Axes, box: Box, keep: object, lang: str) -> list[LegendEntry]:
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


def draw_district(ax: Axes, outline: object, lang: str) -> list[LegendEntry]:
    """Paper white inside the district, a pale tone beyond it (the map looks finished offline)."""
    ax.set_facecolor(BEYOND)
    add_polygons(ax, [outline], zorder=0.5, facecolors="white", edgecolors="none")
    return [
        LegendEntry(
            text("pdf.layer.beyond", lang), "patch", {"facecolor": BEYOND, "edgecolor": "none"}
        )
    ]


@dataclass(frozen=True)
class Label:
    """A label to place: its text, the polygon it names, size (pt), colour, priority order."""

    value: str
    polygon: object
    size: float
    color: str = INK
    bold: bool = False
    may_spill: bool = False


def label_point(polygon: object) -> tuple[float, float]:
    """The centre of the largest circle inside the polygon's largest part."""
    parts = shapely.get_parts(np.asarray([polygon], dtype=object))
    largest = parts[int(np.argmax(shapely.area(parts)))]
    circle = shapely.maximum_inscribed_circle(
        largest, tolerance=max((largest.bounds[2] - largest.bounds[0]) / 200, 0.5)
    )
    x, y = shapely.get_coordinates(circle)[0]
    return float(x), float(y)


def place_labels(ax: Axes, labels: Sequence[Label]) -> list[str]:
    """Place labels in order; each must sit inside its polygon (or, if `may_spill`, have its
    anchor inside) and overlap no placed label. Returns the texts left out."""
    renderer = ax.figure.canvas.get_renderer()
    to_data = ax.transData.inverted()
    placed: list[object] = []
    dropped: list[str] = []
    for label in labels:
        if label.polygon is None or shapely.is_empty(label.polygon):
            continue
        x, y = label_point(label.polygon)
        ok = False
        for size in (label.size, label.size * 0.85, label.size * 0.72):
            artist = ax.text(
                x,
                y,
                label.value,
                fontsize=size,
                color=label.color,
                ha="center",
                va="center",
                zorder=Z["labels"],
                clip_on=True,
            )
            extent = artist.get_window_extent(renderer).expanded(1.08, 1.15)
            (bx0, by0), (bx1, by1) = to_data.transform(
                [[extent.x0, extent.y0], [extent.x1, extent.y1]]
            )
            w, h = bx1 - bx0, by1 - by0
            for dx, dy in ((0, 0), (0, -1.1), (0, 1.1), (-0.6, 0), (0.6, 0)):
                footprint = shapely.box(bx0 + dx * w, by0 + dy * h, bx1 + dx * w, by1 + dy * h)
                if any(footprint.intersects(other) for other in placed):
                    continue
                if label.polygon.contains(footprint) or (
                    label.may_spill and label.polygon.contains(footprint.centroid)
                ):
                    artist.set_position((x + dx * w, y + dy * h))
                    add_halo(artist, width=1.6)
                    if label.bold:
                        add_halo(artist, width=size * 0.04, color=label.color).set_zorder(
                            Z["labels"] + 0.001
                        )
                    placed.append(footprint)
                    ok = True
                    break
            if ok:
                break
            artist.remove()
        if not ok:
            dropped.append(label.value)
    return dropped


def _text_or_blank(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def short_name(name: object, parent_name: object) -> str:
    """A child's label without its parent's name in front (金华社区第1片区 -> 第1片区)."""
    value, parent = _text_or_blank(name), _text_or_blank(parent_name)
    if parent and value.startswith(parent) and len(value) > len(parent):
        return value[len(parent) :]
    return value


__all__ = ["AREA_CHECKS", "Label", "MUTED", "draw_grids", "fit_box", "place_labels"]
