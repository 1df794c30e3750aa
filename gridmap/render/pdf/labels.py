"""Map labels: placed greedily by importance, inside their polygons, never on each other.

Each label tries its polygon's pole of inaccessibility (the centre of the
largest inscribed circle), then positions just above, below, left and right,
at three sizes; it is kept where it fits inside its polygon (or, if it may
spill, where its centre does) and meets no label already placed. A white halo
is drawn as an outlined twin below the text, so labels stay selectable text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from shapely import Polygon
from shapely.geometry.base import BaseGeometry

from gridmap.district import District
from gridmap.layers import CHILD_LEVEL
from gridmap.render.pdf.layout import add_halo
from gridmap.render.pdf.mapframe import Box, Z, in_box
from gridmap.render.pdf.style import INK, MUTED, SIZES

if TYPE_CHECKING:  # document imports this module
    from gridmap.render.pdf.document import Focus


@dataclass(frozen=True)
class Label:
    """A label to place: its text, the polygon it names, size (pt), colour, priority order."""

    value: str
    polygon: BaseGeometry | None
    size: float
    color: str = INK
    bold: bool = False
    may_spill: bool = False


def label_point(polygon: BaseGeometry) -> tuple[float, float]:
    """Return the centre of the largest circle inside the polygon's largest part."""
    parts = shapely.get_parts(np.asarray([polygon], dtype=object))
    largest = parts[int(np.argmax(shapely.area(parts)))]
    circle = shapely.maximum_inscribed_circle(
        largest, tolerance=max((largest.bounds[2] - largest.bounds[0]) / 200, 0.5)
    )
    x, y = shapely.get_coordinates(circle)[0]
    return float(x), float(y)


def place_labels(ax: Axes, labels: Sequence[Label]) -> list[str]:
    """Place labels in order; return the texts left out.

    Each must sit inside its polygon (or, if `may_spill`, have its anchor inside) and overlap
    no placed label.
    """
    canvas = ax.figure.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        raise TypeError(
            "labels are measured on an Agg canvas: attach FigureCanvasAgg to the figure"
        )
    renderer = canvas.get_renderer()
    to_data = ax.transData.inverted()
    placed: list[Polygon] = []
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
    """Return a child's label without its parent's name in front (金华社区第1片区 -> 第1片区)."""
    value, parent = _text_or_blank(name), _text_or_blank(parent_name)
    if parent and value.startswith(parent) and len(value) > len(parent):
        return value[len(parent) :]
    return value


def map_labels(district: District, focus: Focus, box: Box, *, sheet_k: float) -> list[Label]:
    """Labels by importance: the grids below the focus, then its neighbours (muted)."""
    out: list[Label] = []
    window = shapely.box(*box)
    child: str | None  # the level labelled below the focus
    if focus.level is None:
        large = district.get("grid_large")
        if large is not None and len(large) <= 12:
            for _, row in large.iterrows():
                out.append(
                    Label(
                        _text_or_blank(row.get("name")),
                        row.geometry,
                        SIZES["label_large"] * sheet_k,
                        "#17224d",
                        True,
                        True,
                    )
                )
        child = "grid_medium"
        children = district.get(child)
    else:
        child = CHILD_LEVEL.get(focus.level)
        frame = district.get(child) if child else None
        children = None if frame is None else frame[frame["parent_id"].astype(str) == focus.grid_id]
    if children is not None:
        role = "label_medium" if child == "grid_medium" else "label_small"
        for _, row in children.iterrows():
            name = short_name(row.get("name"), focus.name) or _text_or_blank(row.get("grid_id"))
            out.append(Label(name, row.geometry, SIZES[role] * sheet_k, INK))
    if focus.level is not None:
        same = in_box(district.get(focus.level), box)
        if same is not None:
            for _, row in same.iterrows():
                if _text_or_blank(row.get("grid_id")) != focus.grid_id:
                    polygon = shapely.intersection(row.geometry, window)
                    out.append(
                        Label(
                            _text_or_blank(row.get("name")),
                            polygon,
                            SIZES["label_medium"] * sheet_k,
                            MUTED,
                        )
                    )
    return out
