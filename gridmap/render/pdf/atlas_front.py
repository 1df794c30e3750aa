"""The atlas' front matter: the cover with its index map, and the contents pages."""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from matplotlib.figure import Figure

from gridmap.i18n import layer_label
from gridmap.i18n import t as text
from gridmap.render.pdf import mapframe as pm
from gridmap.render.pdf.document import PageOptions, PrintData, focus_of, footer
from gridmap.render.pdf.labels import label_point
from gridmap.render.pdf.layout import Rect, Sheet
from gridmap.render.pdf.style import INK, MUTED


@dataclass(frozen=True)
class Entry:
    """One sheet of the atlas as the contents page lists it."""

    page: int
    grid_id: str
    name: str
    parent: str
    leader: str
    counts: dict[str, int]
    findings: int


def capacity(options: PageOptions) -> int:
    """Rows of the contents table that fit on one page."""
    probe = Sheet(options.paper, landscape=options.landscape)
    top = probe.header("-", "-")
    bottom = probe.footer("-", "-") - 3.0
    return max(int((bottom - top) / probe.row_height("body")) - 3, 5)


def contents_sheets(
    data: PrintData,
    level: str,
    entries: list[Entry],
    options: PageOptions,
    *,
    capacity: int,
    total: int,
) -> list[Figure]:
    """Return the contents: one row per sheet with page, grid, code, parent, leader and figures.

    The leader column is left out when the level has no leader field (a public version).
    """
    lang = options.lang
    frame = data.district.get(level)
    leaders = frame is not None and "leader" in frame.columns
    columns = [
        (text("pdf.col.page", lang), 0.8, "right"),
        (text("pdf.col.grid", lang), 2.4, "left"),
        (text("col.id", lang), 2.6, "left"),
        (text("pdf.col.parent", lang), 2.2, "left"),
        *([(text("panel.leader", lang), 1.3, "left")] if leaders else []),
        (text("pdf.col.buildings", lang), 1.0, "right"),
        (text("pdf.col.households", lang), 1.2, "right"),
        (text("pdf.col.units", lang), 1.0, "right"),
        (text("pdf.col.findings", lang), 1.0, "right"),
    ]
    rows = [
        [
            str(e.page),
            e.name,
            e.grid_id,
            e.parent,
            *([e.leader] if leaders else []),
            f"{e.counts.get('buildings', 0):,}",
            f"{e.counts.get('households', 0):,}",
            f"{e.counts.get('units', 0):,}",
            f"{e.findings:,}",
        ]
        for e in entries
    ]
    pages = []
    chunks = [rows[i : i + capacity] for i in range(0, len(rows), capacity)] or [[]]
    for n, chunk in enumerate(chunks):
        sheet = Sheet(options.paper, landscape=options.landscape)
        title = text("pdf.contents", lang)
        sub = text("pdf.atlas_sub", lang, level=layer_label(level, lang), n=len(entries))
        top = sheet.header(title, f"{data.district_name or text('pdf.whole', lang)} · {sub}")
        footer(sheet, data, lang, text("pdf.page_of", lang, n=2 + n, total=total))
        sheet.table(
            sheet.margin, top + 2, sheet.width - 2 * sheet.margin, columns, chunk, role="body"
        )
        pages.append(sheet.fig)
    return pages


def cover_sheet(
    data: PrintData, level: str, entries: list[Entry], options: PageOptions, total: int
) -> Figure:
    """Title, the index map (each sheet's grid numbered with its page) and the imprint."""
    lang = options.lang
    sheet = Sheet(options.paper, landscape=options.landscape)
    m, k, W = sheet.margin, sheet.k, sheet.width
    name = data.district_name or text("pdf.whole", lang)
    sheet.text(
        W / 2,
        m + 22 * k,
        options.title or text("pdf.atlas_title", lang, name=name),
        size=26 * k,
        ha="center",
        bold=True,
    )
    sheet.text(
        W / 2,
        m + 32 * k,
        text("pdf.atlas_sub", lang, level=layer_label(level, lang), n=len(entries)),
        role="heading",
        color=MUTED,
        ha="center",
    )
    sheet.rule(W * 0.3, W * 0.7, m + 37 * k, color=INK, lw=0.8)
    bottom = footer(sheet, data, lang, text("pdf.page_of", lang, n=1, total=total)) - 4
    imprint = [
        text(
            "pdf.subtitle",
            lang,
            district=name,
            date=data.made.isoformat(),
            source=data.source or "—",
        ),
        text("pdf.prepared", lang, by="GridMap"),
    ]
    for i, line in enumerate(reversed(imprint)):
        sheet.text(W / 2, bottom - i * 5.0 * k, line, role="body", color=MUTED, ha="center")
    r = Rect(m + 8, m + 45 * k, W - 2 * m - 16, bottom - 14 * k - (m + 45 * k))
    sheet.text(r.x, r.y - 1.5, text("pdf.cover_index", lang), role="small", color=MUTED)
    ax = sheet.map_axes(r, lw=0.6)
    focus = focus_of(data.district, None, None)
    box = pm.fit_box(focus.geometry.bounds, r.w, r.h, pad=0.03)
    pm.set_box(ax, box)
    pm.draw_district(ax, data.outline, lang)
    layers = {
        lv: data.district[lv]
        for lv in ("grid_large", "grid_medium", "grid_small")
        if lv in data.district
    }
    pm.draw_grids(ax, layers, box, lang)
    frame = data.district[level]
    for entry in entries:
        rows = frame[frame["grid_id"].astype(str) == entry.grid_id]
        if rows.empty:
            continue
        x, y = label_point(shapely.union_all(rows.geometry.to_numpy()))
        ax.text(
            x,
            y,
            str(entry.page),
            ha="center",
            va="center",
            fontsize=7.5 * k,
            color=INK,
            zorder=9,
            bbox={
                "boxstyle": "circle,pad=0.25",
                "facecolor": "white",
                "edgecolor": INK,
                "linewidth": 0.5,
            },
        )
    return sheet.fig
