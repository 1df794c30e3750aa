"""The overlays of a printed map: buildings, units, equipment, findings, density.

Units are drawn by category; inspection density as hexagons.

Each ``draw_*`` draws what lies in the map's box and returns its legend
entries (none when nothing is drawn). No analysis: findings come from the
coverage report and the hexagon counts from
`gridmap.analysis.inspections.aggregation.hex_counts`.
"""

from __future__ import annotations

import geopandas as gpd
import matplotlib
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from gridmap.i18n import choice_label
from gridmap.i18n import t as text
from gridmap.render.pdf.layout import LegendEntry
from gridmap.render.pdf.mapframe import (
    AREA_CHECKS,
    POINT_LAYERS,
    Box,
    Z,
    add_polygons,
    in_box,
    points_of,
)
from gridmap.render.pdf.style import (
    EQUIPMENT_COLOUR,
    ERROR_COLOUR,
    HEX_CMAP,
    STYLES,
    WARNING_COLOUR,
    unit_colour,
)
from gridmap.schema import UNIT_CATEGORIES


def draw_buildings(
    ax: Axes, buildings: gpd.GeoDataFrame | None, box: Box, lang: str
) -> list[LegendEntry]:
    """Draw the buildings in `box`; return their legend entries."""
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
        xy = points_of(geoms[~polygonal])
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
    """Draw the units in `box`, one marker per category; return the legend entries."""
    frame = in_box(units, box)
    if frame is None:
        return []
    entries = []
    for category in UNIT_CATEGORIES:
        rows = frame[frame["category"] == category]
        if rows.empty:
            continue
        xy = points_of(rows.geometry.values)
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
    """Draw the equipment points in `box` (planned ones apart); return the legend entries."""
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
        xy = points_of(rows.geometry.values)
        colour = "white" if is_planned else EQUIPMENT_COLOUR
        edge = EQUIPMENT_COLOUR if is_planned else "white"
        width = 1.0 if is_planned else 0.7
        style = {"color": colour, "marker": "s", "edgecolor": edge, "s": 26, "linewidth": width}
        ax.scatter(
            xy[:, 0],
            xy[:, 1],
            s=26,
            c=colour,
            marker="s",
            edgecolors=edge,
            linewidths=width,
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
        entries += _ring_small_areas(ax, areas.geometry.values, box, lang)
    marks = frame[frame["layer"].isin(POINT_LAYERS)]
    for severity, colour, key, size in (
        ("error", ERROR_COLOUR, "pdf.layer.findings_point", 22),
        ("warning", WARNING_COLOUR, "pdf.layer.findings_warning", 14),
    ):
        rows = marks[marks["severity"] == severity]
        if rows.empty:
            continue
        xy = points_of(rows.geometry.values)
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


#: Area findings narrower than this on paper (mm) are also ringed, so they show at any scale.
SMALL_ON_PAPER_MM = 2.0


def metres_per_paper_mm(ax: Axes, box: Box) -> float:
    """Ground metres per millimetre of paper across the map axes."""
    figure = ax.figure
    if not isinstance(figure, Figure):  # a SubFigure has no size of its own
        raise TypeError("the map axes must be on a Figure, not a SubFigure")
    width_mm = ax.get_position().width * figure.get_figwidth() * 25.4
    return (box[2] - box[0]) / width_mm


def _ring_small_areas(ax: Axes, geoms: np.ndarray, box: Box, lang: str) -> list[LegendEntry]:
    """Return an open red ring on every gap or overlap too small to see at the map's scale."""
    geoms = np.asarray(geoms, dtype=object)
    bounds = shapely.bounds(geoms)
    extent = np.fmax(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
    small = extent / metres_per_paper_mm(ax, box) < SMALL_ON_PAPER_MM
    if not small.any():
        return []
    xy = points_of(geoms[small])
    style = {"color": "none", "marker": "o", "s": 60, "edgecolor": ERROR_COLOUR, "linewidth": 1.0}
    ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=style["s"],
        facecolors="none",
        edgecolors=ERROR_COLOUR,
        linewidths=style["linewidth"],
        zorder=Z["points"] + 0.6,
    )
    return [LegendEntry(text("pdf.layer.findings_small", lang), "marker", style)]


def draw_hexes(
    ax: Axes, hexes: gpd.GeoDataFrame | None, lang: str, cell_size: float
) -> list[LegendEntry]:
    """Inspection density: hexagon cells coloured by their count."""
    if hexes is None or hexes.empty:
        return []

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
