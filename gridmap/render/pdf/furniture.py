"""Map furniture of a printed page: scale bar, north arrow and overview inset.

Drawn on a `gridmap.render.pdf.layout.Sheet` in millimetres. The north arrow is
turned by the meridian convergence at the map's centre, so it points at true
north; the scale bar is a round length in metres with the representative
fraction.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import shapely
from matplotlib.patches import Circle, Polygon, Rectangle
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from gridmap.district import District
from gridmap.geo import WEB_CRS
from gridmap.i18n import t as text
from gridmap.render.pdf import mapframe as pm
from gridmap.render.pdf.layout import Rect, Sheet
from gridmap.render.pdf.style import ERROR_COLOUR, INK, MUTED, RULE


def scale_bar(
    sheet: Sheet,
    x: float,
    y: float,
    *,
    max_width: float,
    metres_per_mm: float,
    lang: str,
    title: str,
) -> float:
    """Draw an alternating bar of a round length in metres and the representative fraction.

    Returns the y below it.
    """
    length = nice_length(max_width * metres_per_mm)
    width = length / metres_per_mm
    parts = 5 if str(int(length)).startswith(("25", "5")) else 4
    h = 1.6 * sheet.k
    sheet.text(
        x,
        y + 2.8 * sheet.k,
        f"{title}  1:{nice_fraction(metres_per_mm * 1000):,}",
        role="small",
        color=MUTED,
    )
    top = y + 4.2 * sheet.k
    for k in range(parts):
        sheet.ax.add_patch(
            Rectangle(
                (x + k * width / parts, top),
                width / parts,
                h,
                facecolor=INK if k % 2 == 0 else "white",
                edgecolor=INK,
                lw=0.5,
            )
        )
    unit = "米" if lang != "en" else "m"
    labels = [(0, "0"), (parts, f"{length:g} {unit}")]
    if parts % 2 == 0:
        labels.insert(1, (parts // 2, f"{length / 2:g}"))
    for k, label in labels:
        sheet.text(x + k * width / parts, top + h + 2.8 * sheet.k, label, role="small", ha="center")
    return top + h + 4.0 * sheet.k


def north_arrow(
    sheet: Sheet, cx: float, cy: float, *, size: float, angle: float, label: str
) -> None:
    """Draw a two-tone arrow centred at (cx, cy), `angle` degrees clockwise from the page's up."""
    a = math.radians(angle)

    def rot(dx: float, dy: float) -> tuple[float, float]:
        # paper y grows downwards: "up" is -y
        return (
            cx + dx * math.cos(a) - dy * math.sin(a),
            cy - (dx * math.sin(a) + dy * math.cos(a)),
        )

    tip = rot(0, size / 2)
    left, right = rot(-size * 0.28, -size / 2 * 1.1), rot(size * 0.28, -size / 2 * 1.1)
    centre = rot(0, -size * 0.25)
    sheet.ax.add_patch(
        Polygon([tip, left, centre], closed=True, facecolor="white", edgecolor=INK, lw=0.6)
    )
    sheet.ax.add_patch(
        Polygon([tip, right, centre], closed=True, facecolor=INK, edgecolor=INK, lw=0.6)
    )
    lx, ly = rot(0, size / 2 + 2.6 * sheet.k)
    sheet.text(lx, ly, label, role="heading", ha="center", va="center_baseline", bold=True)
    sheet.ax.add_patch(Circle((cx, cy), 0.5, color=INK))


@functools.lru_cache(maxsize=8)
def _transformers(wkt: str) -> tuple[Transformer, Transformer]:
    return (
        Transformer.from_crs(wkt, WEB_CRS, always_xy=True),
        Transformer.from_crs(WEB_CRS, wkt, always_xy=True),
    )


def true_north(crs: Any, x: float, y: float) -> float:
    """Degrees clockwise from grid north (the map's up) to true north at (x, y).

    >>> round(true_north("EPSG:4547", 433_000.0, 3_852_000.0), 2)  # west of 114E
    0.42
    """
    forward, back = _transformers(CRS.from_user_input(crs).to_wkt())
    lon, lat = forward.transform(x, y)
    x2, y2 = back.transform(lon, lat + 0.01)
    return math.degrees(math.atan2(x2 - x, y2 - y))


def overview(
    sheet: Sheet, r: Rect, district: District, *, box: pm.Box, focus: BaseGeometry | None, lang: str
) -> None:
    """Draw the district's grids with the sheet's extent as a red rectangle and `focus` tinted.

    `focus` is the grid the sheet shows, None for the whole district.
    """
    y = sheet.heading(r.x, r.y, text("pdf.overview", lang), r.w)
    inner = Rect(r.x, y, r.w, r.bottom - y)
    ax = sheet.map_axes(inner, frame=RULE, lw=0.5)
    large = district.get("grid_large")
    if large is None or len(large) == 0:
        return
    whole = pm.fit_box(large.total_bounds, inner.w, inner.h, pad=0.04)
    pm.set_box(ax, whole)
    if "grid_medium" in district:
        pm.add_polygons(
            ax,
            district["grid_medium"].geometry.to_numpy(),
            zorder=1,
            facecolors="#eef0f4",
            edgecolors="#b8bfcc",
            linewidths=0.25,
        )
    pm.add_polygons(
        ax, large.geometry.to_numpy(), zorder=2, facecolors="none", edgecolors=INK, linewidths=0.6
    )
    if focus is not None:
        pm.add_polygons(ax, [focus], zorder=3, facecolors="#ffb366", edgecolors="none", alpha=0.9)
    pm.add_polygons(
        ax,
        [shapely.box(*box)],
        zorder=4,
        facecolors="none",
        edgecolors=ERROR_COLOUR,
        linewidths=1.0,
    )


def scale_and_north(
    sheet: Sheet, r: Rect, ax_box: pm.Box, *, map_rect: Rect, crs: Any, lang: str
) -> None:
    """Scale bar (left) and north arrow (right) inside `r`."""
    metres_per_mm = (ax_box[2] - ax_box[0]) / map_rect.w
    arrow = min(14.0 * sheet.k, r.h * 0.6)
    scale_bar(
        sheet,
        r.x,
        r.y,
        max_width=r.w - arrow - 6,
        metres_per_mm=metres_per_mm,
        lang=lang,
        title=text("pdf.scale", lang),
    )
    cx, cy = (ax_box[0] + ax_box[2]) / 2, (ax_box[1] + ax_box[3]) / 2
    angle = true_north(crs, cx, cy)
    north_arrow(
        sheet,
        r.right - arrow / 2 - 1,
        r.y + arrow / 2 + 4.5 * sheet.k,
        size=arrow,
        angle=angle,
        label=text("pdf.north", lang),
    )


def nice_length(limit: float) -> float:
    """Return the largest 1, 2, 2.5 or 5 times a power of ten not above `limit` (metres).

    >>> nice_length(870), nice_length(260), nice_length(1900)
    (500.0, 250.0, 1000.0)
    """
    if not limit > 0:
        raise ValueError(f"the scale bar needs a positive length, not {limit}")
    power = 10.0 ** math.floor(math.log10(limit))
    best = power
    for step in (1.0, 2.0, 2.5, 5.0):
        if step * power <= limit:
            best = step * power
    return best


def nice_fraction(denominator: float) -> int:
    """Return a representative fraction rounded to two significant figures (1:12 345 -> 12 000)."""
    if denominator <= 0:
        return 0
    power = 10 ** max(0, math.floor(math.log10(denominator)) - 1)
    return int(round(denominator / power) * power)
