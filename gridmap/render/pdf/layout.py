"""The printed page: a sheet in millimetres with title, footer, legend and tables.

The scale bar, north arrow and overview inset are in `gridmap.render.pdf.furniture`.
No data and no analysis here, only placement.

A `Sheet` is one matplotlib figure the size of the paper with an invisible
"paper" axes spanning it in millimetres (origin top left, y down), so every
page element is placed in paper units; only the map and the overview inset
are real map axes (`Sheet.map_axes`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib.patheffects as pe
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from gridmap.render.pdf.style import INK, MM, MUTED, PANEL, RULE, SIZES, paper_size, type_scale

PT_MM = 25.4 / 72  # millimetres per point


def text_width_mm(value: str, size: float) -> float:
    """Approximate printed width: CJK characters are one em wide, others about 0.56 em."""
    em = size * PT_MM
    return sum(em if ord(ch) > 0x2E7F else 0.56 * em for ch in value)


def fit_text(value: str, size: float, width: float) -> str:
    """`value` cut with an ellipsis to fit `width` millimetres."""
    if text_width_mm(value, size) <= width:
        return value
    while value and text_width_mm(value + "…", size) > width:
        value = value[:-1]
    return value + "…"


@dataclass(frozen=True)
class Rect:
    """A rectangle on the paper in millimetres (x, y of the top-left corner)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        """The y of the rectangle's bottom edge (mm from the top)."""
        return self.y + self.h

    @property
    def right(self) -> float:
        """The x of the rectangle's right edge (mm)."""
        return self.x + self.w


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: ``kind`` is patch, line, marker, hatch or ramp; ``style`` its look."""

    label: str
    kind: str
    style: dict[str, Any] = field(default_factory=dict)


class Sheet:
    """One page of `paper` (A4, A3), portrait or landscape, laid out in millimetres."""

    def __init__(self, paper: str = "A4", *, landscape: bool = False):
        self.paper = paper
        self.width, self.height = paper_size(paper, landscape=landscape)
        self.landscape = landscape
        self.k = type_scale(paper)
        self.margin = 12.0 * (1.0 if paper == "A4" else 1.25)
        self.fig = Figure(figsize=(self.width * MM, self.height * MM))
        FigureCanvasAgg(self.fig)
        ax = self.fig.add_axes((0, 0, 1, 1), zorder=0)
        ax.set_xlim(0, self.width)
        ax.set_ylim(self.height, 0)
        ax.set_axis_off()
        self.ax = ax

    def size(self, role: str) -> float:
        """Return the type size of `role` in points at the sheet's scale."""
        return SIZES[role] * self.k

    # -- page elements -----------------------------------------------------------
    def text(
        self,
        x: float,
        y: float,
        value: str,
        *,
        role: str = "body",
        size: float | None = None,
        color: str = INK,
        ha: str = "left",
        va: str = "baseline",
        bold: bool = False,
        **kwargs: Any,
    ) -> Text:
        """Write `value` at (x, y) in mm in the type of `role`; return the artist."""
        size = size or self.size(role)
        artist = self.ax.text(x, y, value, fontsize=size, color=color, ha=ha, va=va, **kwargs)
        # Only Regular ships with the font: titles are emboldened by an outlined twin below
        # them; small text stays plain, which reads better.
        if bold and size >= 12:
            add_halo(artist, width=size * 0.045, color=color)
        return artist

    def rule(self, x1: float, x2: float, y: float, *, color: str = RULE, lw: float = 0.5) -> None:
        """Draw a horizontal rule from `x1` to `x2` at `y` (mm)."""
        self.ax.plot([x1, x2], [y, y], color=color, lw=lw, solid_capstyle="butt")

    def box(
        self, r: Rect, *, face: str = "none", edge: str = RULE, lw: float = 0.5, zorder: float = 0.5
    ) -> None:
        """Draw the rectangle `r` with the given face and edge."""
        self.ax.add_patch(
            Rectangle((r.x, r.y), r.w, r.h, facecolor=face, edgecolor=edge, lw=lw, zorder=zorder)
        )

    def header(self, title: str, subtitle: str) -> float:
        """Title and subtitle at the top; returns the y (mm) below the header rule."""
        m = self.margin
        title_y = m + 6.5 * self.k
        self.text(m, title_y, title, role="title", bold=True)
        self.text(m, title_y + 5.5 * self.k, subtitle, role="subtitle", color=MUTED)
        y = title_y + 8.0 * self.k
        self.rule(m, self.width - m, y, color=INK, lw=0.8)
        return y + 2.5

    def footer(self, left: str, right: str) -> float:
        """Small print at the bottom; returns the y (mm) of the footer rule."""
        m = self.margin
        y = self.height - m + 1.0
        self.rule(m, self.width - m, y - 3.6 * self.k)
        self.text(m, y, left, role="footer", color=MUTED)
        self.text(self.width - m, y, right, role="footer", color=MUTED, ha="right")
        return y - 3.6 * self.k

    def map_axes(self, r: Rect, *, frame: str = INK, lw: float = 0.8, zorder: float = 1) -> Axes:
        """Real axes for a map inside `r` (equal aspect, no ticks, a neat line)."""
        ax = self.fig.add_axes(
            (r.x / self.width, 1 - r.bottom / self.height, r.w / self.width, r.h / self.height),
            zorder=zorder,
        )
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor(frame)
            spine.set_linewidth(lw)
        ax.set_facecolor("white")
        return ax

    def heading(self, x: float, y: float, value: str, width: float) -> float:
        """Draw a block heading with a thin rule; return the y below it."""
        self.text(x, y + 3.2 * self.k, value, role="heading", bold=True)
        self.rule(x, x + width, y + 4.4 * self.k, color=INK, lw=0.5)
        return y + 6.2 * self.k

    # -- legend ------------------------------------------------------------------
    def legend(self, r: Rect, entries: Sequence[LegendEntry], title: str) -> float:
        """Draw legend rows inside `r`, never beyond it; return the y below it.

        As many columns as fit (at least 36 mm wide), with tighter rows and smaller type
        when needed.
        """
        y = self.heading(r.x, r.y, title, r.w)
        avail, n = max(r.bottom - y, 1.0), max(len(entries), 1)
        max_columns = max(1, int(r.w // 36.0))
        steps = (
            (4.3 * self.k, self.size("body")),
            (3.6 * self.k, self.size("small")),
            (3.0 * self.k, self.size("small") * 0.9),
        )
        row, size = next(
            (step for step in steps if math.ceil(n / max(int(avail // step[0]), 1)) <= max_columns),
            steps[-1],
        )
        per_column = max(int(avail // row), 1)
        columns = min(max_columns, math.ceil(n / per_column))
        per_column = min(per_column, math.ceil(n / columns))
        col_w = r.w / columns
        shown = list(entries)[: per_column * columns]
        for i, entry in enumerate(shown):
            cx = r.x + (i // per_column) * col_w
            cy = y + (i % per_column) * row
            self._swatch(entry, cx, cy, row)
            label = entry.label if len(shown) == len(entries) or i < len(shown) - 1 else "…"
            self.text(
                cx + 8.0,
                cy + row * 0.5,
                fit_text(label, size, col_w - 9.0),
                size=size,
                va="center_baseline",
            )
        return y + per_column * row

    def _swatch(self, entry: LegendEntry, x: float, y: float, row: float) -> None:
        s = entry.style
        w, h = 6.0, row * 0.62
        top = y + (row - h) / 2
        if entry.kind in ("patch", "hatch"):
            self.ax.add_patch(
                Rectangle(
                    (x, top),
                    w,
                    h,
                    facecolor=s.get("facecolor", "none"),
                    edgecolor=s.get("edgecolor", INK),
                    lw=s.get("linewidth", 0.5),
                    hatch=s.get("hatch"),
                    linestyle=s.get("linestyle", "solid"),
                    alpha=s.get("alpha"),
                )
            )
        elif entry.kind == "line":
            self.ax.plot(
                [x, x + w],
                [y + row / 2] * 2,
                color=s.get("edgecolor", INK),
                lw=s.get("linewidth", 1.0),
                linestyle=s.get("linestyle", "solid"),
                solid_capstyle="butt",
            )
        elif entry.kind == "marker":
            self.ax.scatter(
                [x + w / 2],
                [y + row / 2],
                s=s.get("s", 16),
                c=s.get("color", INK),
                marker=s.get("marker", "o"),
                edgecolors=s.get("edgecolor", "white"),
                linewidths=s.get("linewidth", 0.5),
                zorder=3,
            )
        elif entry.kind == "ramp":
            colours = s["colours"]
            step = w / len(colours)
            for k, colour in enumerate(colours):
                self.ax.add_patch(
                    Rectangle(
                        (x + k * step, top),
                        step,
                        h,
                        facecolor=colour,
                        edgecolor="none",
                        alpha=s.get("alpha", 1.0),
                    )
                )
            if "edgecolor" in s:
                self.ax.add_patch(
                    Rectangle(
                        (x, top),
                        w,
                        h,
                        facecolor="none",
                        edgecolor=s["edgecolor"],
                        lw=s.get("linewidth", 0.5),
                        linestyle=s.get("linestyle", "solid"),
                    )
                )

    # -- tables ------------------------------------------------------------------
    def table(
        self,
        x: float,
        y: float,
        width: float,
        columns: Sequence[tuple[str, float, str]],
        rows: Sequence[Sequence[str]],
        *,
        role: str = "small",
        max_rows: int | None = None,
        more: str | None = None,
    ) -> float:
        """Header and rows; `columns` are (header, share of width, alignment). Returns y below.

        Rows past `max_rows` are left out and `more` (with ``{n}``) says how many.
        """
        size = self.size(role)
        line = size * PT_MM * 1.75
        shares = np.array([c[1] for c in columns], dtype=float)
        widths = width * shares / shares.sum()
        lefts = x + np.concatenate([[0.0], np.cumsum(widths)[:-1]])

        def put(cells: Sequence[str], top: float, *, color: str = INK, bold: bool = False) -> None:
            for (_, _, align), left, w, value in zip(columns, lefts, widths, cells, strict=True):
                value = fit_text(str(value), size, w - 1.2)
                px = (
                    left + 0.6
                    if align == "left"
                    else left + w - 0.6
                    if align == "right"
                    else left + w / 2
                )
                self.text(px, top + line * 0.68, value, size=size, color=color, ha=align, bold=bold)

        put([c[0] for c in columns], y, color=INK, bold=True)
        y += line
        self.rule(x, x + width, y, color=INK, lw=0.5)
        shown = list(rows) if max_rows is None else list(rows)[:max_rows]
        for i, cells in enumerate(shown):
            if i % 2 == 1:
                self.ax.add_patch(
                    Rectangle((x, y), width, line, facecolor=PANEL, edgecolor="none", zorder=0.2)
                )
            put(cells, y)
            y += line
        self.rule(x, x + width, y, color=RULE, lw=0.4)
        if max_rows is not None and len(rows) > max_rows and more:
            self.text(
                x, y + line * 0.75, more.format(n=len(rows) - max_rows), size=size, color=MUTED
            )
            y += line
        return y + 1.5

    def row_height(self, role: str = "small") -> float:
        """Return the height in mm of a table row in the type of `role`."""
        return self.size(role) * PT_MM * 1.75


def add_halo(artist: Text, *, width: float, color: str = "white") -> Text:
    """Draw a stroked twin of `artist` just below it (a halo, or emboldening in its own colour).

    The twin is drawn as outlines (a path effect); `artist` itself stays real
    text, so the PDF's text remains selectable and searchable.
    """
    ax = artist.axes
    if not isinstance(ax, Axes):
        raise TypeError("add_halo needs a text drawn on an Axes")
    twin = ax.text(
        *artist.get_position(),
        artist.get_text(),
        fontsize=artist.get_fontsize(),
        color=color,
        ha=artist.get_horizontalalignment(),
        va=artist.get_verticalalignment(),
        zorder=artist.get_zorder() - 0.01,
        clip_on=artist.get_clip_on(),
        path_effects=[pe.Stroke(linewidth=width, foreground=color)],
    )
    return twin
