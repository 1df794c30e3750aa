"""Cartographic style of printed maps, derived from the web map's `STYLES`.

The app's colours are the one source (`gridmap.render.web.styles.STYLES`, the
medium-grid palette and the unit colours of `gridmap.render.web.data`); this
module re-exports them read-only and turns them into matplotlib keywords for
paper: Leaflet line weights in screen pixels become points, dashes are in
points. It also holds the paper sizes; the texts of printed maps are in
`gridmap.i18n` (``text_printing``).

>>> line_style("grid_large")["linewidth"]
1.75
>>> paper_size("A4", landscape=True)
(297.0, 210.0)
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from gridmap.render.web.data import CHORO_PALETTE, MEDIUM_PALETTE, NO_DATA_COLOUR, UNIT_COLOURS
from gridmap.render.web.styles import STYLES as _WEB_STYLES

#: The web map's styles, read-only (edit them in `gridmap.render.web.styles`).
STYLES = MappingProxyType(_WEB_STYLES)
__all__ = ["CHORO_PALETTE", "MEDIUM_PALETTE", "NO_DATA_COLOUR", "STYLES", "UNIT_COLOURS"]

#: Points of line width on paper per pixel of Leaflet weight.
PT_PER_PX = 0.5
MIN_LINE_PT = 0.25
#: Paper sizes in millimetres, portrait (width, height).
PAPERS: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
MM = 1 / 25.4  # inches per millimetre

INK = "#1f2430"
MUTED = "#6b7280"
RULE = "#9aa3b2"
PANEL = "#f7f8fa"
VEIL = "#ffffff"
BEYOND = "#eceef2"
HEX_CMAP = "YlOrRd"
EQUIPMENT_COLOUR = _WEB_STYLES["equipment"]["fillColor"]
ERROR_COLOUR = _WEB_STYLES["finding.error"]["color"]
WARNING_COLOUR = _WEB_STYLES["finding.warning"]["color"]
#: Type sizes in points at A4; A3 pages scale them by `type_scale`.
SIZES = {
    "title": 16.0,
    "subtitle": 8.5,
    "heading": 9.5,
    "body": 7.5,
    "small": 6.5,
    "label_large": 9.0,
    "label_medium": 7.5,
    "label_small": 6.5,
    "footer": 6.0,
}


def paper_size(paper: str, *, landscape: bool = False) -> tuple[float, float]:
    """Width and height of the page in millimetres."""
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; choose one of {', '.join(PAPERS)}")
    width, height = PAPERS[paper]
    return (height, width) if landscape else (width, height)


def type_scale(paper: str) -> float:
    """Type grows with the paper (A3 is read from further away): 1.0 at A4."""
    return 1.0 if paper == "A4" else 1.25


def _pt(px: float) -> float:
    return max(MIN_LINE_PT, round(px * PT_PER_PX, 3))


def line_style(key: str) -> dict[str, Any]:
    """Matplotlib keywords (edgecolor, linewidth, alpha, linestyle) of a web style's outline."""
    web = _WEB_STYLES[key]
    out: dict[str, Any] = {
        "edgecolor": web.get("color", INK),
        "linewidth": _pt(float(web.get("weight", 1.0))),
        "alpha": float(web.get("opacity", 1.0)),
    }
    dash = web.get("dashArray")
    if dash:
        out["linestyle"] = (0, tuple(float(v) for v in str(dash).split()))
    return out


def fill_alpha(key: str) -> float:
    """Return the web style's fill opacity (0 where it has no fill)."""
    web = _WEB_STYLES[key]
    return 0.0 if web.get("fill") is False else float(web.get("fillOpacity", 0.0))


def unit_colour(category: str) -> str:
    return UNIT_COLOURS.get(category, MUTED)
