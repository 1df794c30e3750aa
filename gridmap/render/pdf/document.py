"""Print-ready maps: one sheet of the district or of one grid on A4 or A3, as PDF or PNG.

`map_sheet` lays out a page: title and subtitle, the map (grid levels styled as
in the app and the chosen overlays), legend, scale bar in metres, north arrow
(turned by the meridian convergence, so it points at true north), overview
inset and a footer with the CRS, source and attribution. It returns a
matplotlib figure; `pdf_bytes` and `png_bytes` turn figures into bytes and
`gridmap.io` writes them. The map is drawn from the data alone, so it
prints offline. The per-grid atlas is in `gridmap.render.pdf.atlas`.

>>> from gridmap.render.pdf.document import OVERLAYS
>>> OVERLAYS
('buildings', 'units', 'equipment', 'findings', 'inspections')
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from shapely.geometry.base import BaseGeometry

from gridmap import clock
from gridmap.analysis.coverage import CoverageReport
from gridmap.district import District
from gridmap.i18n import layer_label
from gridmap.i18n import t as text
from gridmap.render.pdf import mapframe as pm
from gridmap.render.pdf import overlays as ov
from gridmap.render.pdf.basemap import Basemap, draw_basemap
from gridmap.render.pdf.fonts import FontStore, embed_truetype, page_style, process_font_store
from gridmap.render.pdf.furniture import overview, scale_and_north
from gridmap.render.pdf.labels import map_labels, place_labels
from gridmap.render.pdf.layout import LegendEntry, Rect, Sheet
from gridmap.schema import GRID_LEVELS

OVERLAYS = ("buildings", "units", "equipment", "findings", "inspections")
DEFAULT_OVERLAYS = ("buildings", "equipment", "findings")
LEVELS = {"large": "grid_large", "medium": "grid_medium", "small": "grid_small"}
_HEX_SIZES = (25.0, 50.0, 100.0, 150.0, 200.0, 250.0, 500.0, 1000.0)


@dataclass(frozen=True)
class PrintData:
    """What a printed map shows: the district, its coverage report and where they come from.

    `report` is `gridmap.analysis.coverage.check.check_coverage(district)`; `hazards`
    (optional) is `gridmap.analysis.inspections.hazards.hazard_states(...)`, for the atlas.
    """

    district: District
    report: CoverageReport
    source: str = ""
    district_name: str = ""
    made: dt.date = field(default_factory=lambda: clock.today_in_shanghai())
    hazards: pd.DataFrame | None = None

    @functools.cached_property
    def outline(self) -> BaseGeometry:
        """The district's area: the union of its large grids (of any grid level if none)."""
        return focus_of(self.district, None, None).geometry


@dataclass(frozen=True)
class PageOptions:
    """Paper, orientation, overlays and language of a sheet."""

    paper: str = "A4"
    landscape: bool = False
    layers: tuple[str, ...] = DEFAULT_OVERLAYS
    lang: str = "zh"
    title: str | None = None
    #: Web tiles under the map (`gridmap.render.pdf.basemap.basemap_for`); None: offline.
    basemap: Basemap | None = None

    def __post_init__(self) -> None:
        unknown = [name for name in self.layers if name not in OVERLAYS]
        if unknown:
            raise ValueError(
                f"unknown layer(s) {', '.join(unknown)}; choose from {', '.join(OVERLAYS)}"
            )


@dataclass(frozen=True)
class Focus:
    """The grid a sheet shows (level None: the whole district)."""

    level: str | None
    grid_id: str | None
    name: str
    geometry: BaseGeometry
    row: dict[str, Any]

    @property
    def tinted(self) -> BaseGeometry | None:
        """The grid the overview inset tints: the focus, or None for the whole district."""
        return self.geometry if self.level is not None else None

    @property
    def grid_key(self) -> tuple[str, str]:
        """(level, grid id) of a grid focus; `ValueError` for the whole district."""
        if self.level is None or self.grid_id is None:
            raise ValueError("the focus is the whole district, not one grid")
        return self.level, self.grid_id


def fits_landscape(data: PrintData, level: str | None = None, grid_id: str | None = None) -> bool:
    """Whether the extent of the grid (or the district) is wide enough for landscape paper."""
    x0, y0, x1, y1 = focus_of(data.district, level, grid_id).geometry.bounds
    return (x1 - x0) > 1.2 * (y1 - y0)


def resolve_level(level: str | None) -> str | None:
    """'medium' or 'grid_medium' -> 'grid_medium'; None stays None."""
    if level is None or level in GRID_LEVELS:
        return level
    if level in LEVELS:
        return LEVELS[level]
    raise ValueError(f"unknown level {level!r}; choose large, medium or small")


def _clean(value: object) -> str:
    return (
        ""
        if value is None
        or (isinstance(value, float) and math.isnan(value))
        # pandas-stubs type pd.isna for known scalar types only; it takes any cell value.
        or pd.isna(cast(Any, value))
        else str(value)
    )


def focus_of(district: District, level: str | None, grid_id: str | None) -> Focus:
    """Return the geometry and attributes of grid `grid_id` of `level` (or the whole district)."""
    level = resolve_level(level)
    if level is None or grid_id is None:
        frames = [district[lv] for lv in GRID_LEVELS if lv in district and len(district[lv])]
        if not frames:
            raise ValueError("the district has no grid polygons to print")
        outline = shapely.union_all(np.asarray(frames[0].geometry.values))
        return Focus(None, None, "", outline, {})
    frame = district[level]
    rows = frame[frame["grid_id"].astype(str) == str(grid_id)]
    if rows.empty:
        known = ", ".join(frame["grid_id"].astype(str).head(8))
        raise KeyError(f"no {level} grid with id {grid_id!r}; ids are e.g. {known}")
    row = {str(k): _clean(v) for k, v in rows.iloc[0].drop(labels="geometry").items()}
    geometry = shapely.union_all(np.asarray(rows.geometry.values))
    return Focus(level, str(grid_id), row.get("name") or str(grid_id), geometry, row)


def _grid_layers(district: District) -> dict[str, gpd.GeoDataFrame]:
    return {lv: district[lv] for lv in GRID_LEVELS if lv in district}


def hex_size(box: pm.Box) -> float:
    """Return a round hexagon size giving about 28 cells across the map."""
    target = (box[2] - box[0]) / 28
    return min(_HEX_SIZES, key=lambda s: abs(math.log(s / target)))


def inspection_cells(district: District, box: pm.Box) -> tuple[gpd.GeoDataFrame | None, float]:
    """Inspection counts per hexagon in the box (`gridmap.analysis.inspections.aggregation`)."""
    from gridmap.analysis.inspections import hex_counts

    frame = pm.in_box(district.get("inspections"), box)
    size = hex_size(box)
    if frame is None:
        return None, size
    points = frame.geometry[frame.geometry.geom_type == "Point"]
    return (hex_counts(points, cell_size=size) if len(points) else None), size


def draw_map(
    ax: Axes, data: PrintData, focus: Focus, box: pm.Box, options: PageOptions
) -> list[LegendEntry]:
    """Grids, overlays, veil and labels of one map; returns the legend entries."""
    district, lang = data.district, options.lang
    pm.set_box(ax, box)
    entries = pm.draw_grids(ax, _grid_layers(district), box, lang)
    layers = set(options.layers)
    if "inspections" in layers:
        cells, size = inspection_cells(district, box)
        entries += ov.draw_hexes(ax, cells, lang, size)
    if "buildings" in layers:
        entries += ov.draw_buildings(ax, district.get("buildings"), box, lang)
    if "units" in layers:
        entries += ov.draw_units(ax, district.get("units"), box, lang)
    if "equipment" in layers:
        entries += ov.draw_equipment(ax, district.get("equipment_points"), box, lang)
    if "findings" in layers:
        entries += ov.draw_findings(ax, data.report.findings, box, lang)
    if focus.level is not None:
        entries += pm.draw_veil(ax, box, focus.geometry, lang)
    if options.basemap is None:
        entries += pm.draw_district(ax, data.outline, lang)
    else:
        draw_basemap(ax, box, district.crs, options.basemap)
    place_labels(ax, map_labels(district, focus, box, sheet_k=1.0))
    return entries


def crs_text(district: District) -> str:
    """Return the district's CRS as printed: its name and EPSG code."""
    epsg = district.crs.to_epsg()
    return f"{district.crs.name}" + (f" (EPSG:{epsg})" if epsg else "")


def titles(data: PrintData, focus: Focus, options: PageOptions) -> tuple[str, str]:
    """Return the title and subtitle of a map sheet of `focus`."""
    lang = options.lang
    place = focus.name if focus.level else (data.district_name or text("pdf.whole", lang))
    title = options.title or text("pdf.map_title", lang, name=place)
    parts = []
    if focus.level is not None:
        parts.append(f"{layer_label(focus.level, lang)} {focus.grid_id}")
    parts.append(
        text(
            "pdf.subtitle",
            lang,
            district=data.district_name or "—",
            date=data.made.isoformat(),
            source=data.source or "—",
        )
    )
    return title, " · ".join(parts)


def footer(
    sheet: Sheet, data: PrintData, lang: str, page: str = "", *, basemap: Basemap | None = None
) -> float:
    """Draw the footer (CRS, source, basemap credit, page); return its top y."""
    left = " · ".join(
        [
            text("pdf.crs", lang, crs=crs_text(data.district)),
            text("pdf.source", lang, source=data.source or "—"),
        ]
    )
    right = (
        text("pdf.basemap_attr", lang, attr=basemap.attribution)
        if basemap
        else text("pdf.attribution", lang)
    ) + (f" · {page}" if page else "")
    return sheet.footer(left, right)


def map_sheet(
    data: PrintData,
    *,
    level: str | None = None,
    grid_id: str | None = None,
    options: PageOptions | None = None,
) -> Figure:
    """One printed map of the district, or of grid `grid_id` of `level`, as a figure."""
    options = options or PageOptions()
    lang = options.lang
    with page_style():
        focus = focus_of(data.district, level, grid_id)
        sheet = Sheet(options.paper, landscape=options.landscape)
        top = sheet.header(*titles(data, focus, options))
        bottom = footer(sheet, data, lang, basemap=options.basemap) - 3.0
        m, k = sheet.margin, sheet.k
        if options.landscape:
            side = 72.0 * k
            map_rect = Rect(m, top, sheet.width - 2 * m - side - 5, bottom - top)
            panel = Rect(map_rect.right + 5, top, side, map_rect.h)
        else:
            panel_h = 48.0 * k
            map_rect = Rect(m, top, sheet.width - 2 * m, bottom - top - panel_h - 4)
            panel = Rect(m, map_rect.bottom + 4, map_rect.w, panel_h)
        ax = sheet.map_axes(map_rect)
        box = pm.fit_box(focus.geometry.bounds, map_rect.w, map_rect.h)
        entries = draw_map(ax, data, focus, box, options)
        _panel(
            sheet,
            panel,
            entries,
            data=data,
            focus=focus,
            box=box,
            map_rect=map_rect,
            options=options,
        )
    return sheet.fig


def _panel(
    sheet: Sheet,
    panel: Rect,
    entries: Sequence[LegendEntry],
    *,
    data: PrintData,
    focus: Focus,
    box: pm.Box,
    map_rect: Rect,
    options: PageOptions,
) -> None:
    lang, k = options.lang, sheet.k
    legend_title = text("map.legend.title", lang)
    show_inset = focus.level is not None
    if options.landscape:
        y = panel.y
        if show_inset:
            overview(
                sheet,
                Rect(panel.x, y, panel.w, panel.w * 0.8),
                data.district,
                box=box,
                focus=focus.tinted,
                lang=lang,
            )
            y += panel.w * 0.8 + 4
        scale_h = 22.0 * k
        sheet.legend(Rect(panel.x, y, panel.w, panel.bottom - y - scale_h), entries, legend_title)
        scale_and_north(
            sheet,
            Rect(panel.x, panel.bottom - scale_h, panel.w, scale_h),
            box,
            map_rect=map_rect,
            crs=data.district.crs,
            lang=lang,
        )
        return
    col = 46.0 * k
    columns = 2 if show_inset else 1
    legend_w = panel.w - columns * (col + 5)
    sheet.legend(Rect(panel.x, panel.y, legend_w, panel.h), entries, legend_title)
    x = panel.x + legend_w + 5
    if show_inset:
        overview(
            sheet,
            Rect(x, panel.y, col, panel.h),
            data.district,
            box=box,
            focus=focus.tinted,
            lang=lang,
        )
        x += col + 5
    scale_and_north(
        sheet,
        Rect(x, panel.y + 6.2 * k, col, panel.h - 6.2 * k),
        box,
        map_rect=map_rect,
        crs=data.district.crs,
        lang=lang,
    )


def pdf_bytes(
    figures: Iterable[Figure],
    *,
    chars: str | None = None,
    title: str = "GridMap",
    fonts: FontStore = process_font_store,
) -> bytes:
    """One PDF (a page per figure) with the CJK font embedded as TrueType.

    `fonts` keeps the converted font subset: the CLI passes
    `gridmap.io.font_cache` (on disk, kept between runs); the default keeps it
    for this process only.
    """
    figures = list(figures)
    buffer = io.BytesIO()
    with page_style():
        embed_truetype(figures, chars=chars, fonts=fonts)
        metadata = {"Title": title, "Creator": "GridMap", "Producer": "GridMap (matplotlib)"}
        with PdfPages(buffer, metadata=metadata) as pdf:
            for figure in figures:
                pdf.savefig(figure)
    return buffer.getvalue()


def png_bytes(figure: Figure, *, dpi: float = 150) -> bytes:
    """Return the page as a PNG raster at `dpi` (a preview or an image for slides)."""
    if not 10 <= dpi <= 1200:
        raise ValueError(f"dpi must be between 10 and 1200, not {dpi}")
    buffer = io.BytesIO()
    with page_style():
        figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()
