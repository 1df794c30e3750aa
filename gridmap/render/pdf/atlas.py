"""The atlas (like QGIS Atlas): a cover, contents and one sheet per grid of a level.

Each sheet shows the grid's map with its child grids labelled, the table of
responsible persons (grid, leader, phone, members), its figures (buildings,
households, units...) and its open findings. Figures and findings come from
`gridmap.analysis.coverage.scope.grid_profile` over the coverage report; hazards not
yet rectified from `PrintData.hazards` when given. `atlas_sheets` returns the
figures; `atlas_pdf` one PDF of them all, `atlas_files` one PDF per grid (for a
zip). The font subset is built once for the whole atlas. The cover and the
contents pages are laid out by `gridmap.render.pdf.atlas_front`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, cast

import pandas as pd
from matplotlib.figure import Figure

from gridmap.analysis.coverage import CHECKS, scope
from gridmap.i18n import layer_label
from gridmap.i18n import t as text
from gridmap.layers import CHILD_LEVEL, LINEAGE_COLUMN
from gridmap.render.pdf import mapframe as pm
from gridmap.render.pdf.atlas_front import Entry, capacity, contents_sheets, cover_sheet
from gridmap.render.pdf.document import (
    Focus,
    PageOptions,
    PrintData,
    draw_map,
    focus_of,
    footer,
    pdf_bytes,
    resolve_level,
)
from gridmap.render.pdf.fonts import FontStore, document_chars, page_style, process_font_store
from gridmap.render.pdf.furniture import overview, scale_and_north
from gridmap.render.pdf.layout import Rect, Sheet
from gridmap.render.pdf.style import ERROR_COLOUR, INK, MUTED, PANEL

Progress = Callable[[str], None]


def _v(value: object) -> str:
    return (
        ""
        if value is None
        or (isinstance(value, float) and math.isnan(value))
        # pandas-stubs type pd.isna for known scalar types only; it takes any cell value.
        or pd.isna(cast(Any, value))
        else str(value)
    )


def _parent_name(data: PrintData, focus: Focus) -> str:
    parents: dict[str | None, str] = {"grid_medium": "grid_large", "grid_small": "grid_medium"}
    parent_level = parents.get(focus.level)
    if parent_level is None or not focus.row.get("parent_id"):
        return ""
    frame = data.district[parent_level]
    hit = frame.loc[frame["grid_id"].astype(str) == focus.row["parent_id"], "name"]
    return _v(hit.iloc[0]) if len(hit) else focus.row["parent_id"]


def _open_hazards(data: PrintData, focus: Focus) -> int | None:
    if data.hazards is None:
        return None
    level, grid_id = focus.grid_key
    states = data.hazards
    mine = states[states[LINEAGE_COLUMN[level]].astype(str) == grid_id]
    return int((mine["state"] != "rectified").sum())


def _counts_block(sheet: Sheet, r: Rect, counts: list[tuple[str, int | None]]) -> float:
    """Draw a row of figure boxes (label above, number below); return the y below it."""
    w = r.w / len(counts)
    h = 11.0 * sheet.k
    for i, (label, value) in enumerate(counts):
        x = r.x + i * w
        sheet.box(Rect(x + 0.6, r.y, w - 1.2, h), face=PANEL, edge="none")
        sheet.text(x + w / 2, r.y + 3.6 * sheet.k, label, role="small", color=MUTED, ha="center")
        sheet.text(
            x + w / 2,
            r.y + 9.0 * sheet.k,
            "—" if value is None else f"{value:,}",
            role="heading",
            ha="center",
            bold=True,
            color=ERROR_COLOUR if label == text("pdf.col.findings") and value else INK,
        )
    return r.y + h + 2.0


def _persons(
    data: PrintData, focus: Focus, profile: dict[str, Any], lang: str
) -> tuple[list[tuple[str, float, str]], list[list[str]]]:
    """Return the responsible persons (责任人员): the grid and its children with their contacts.

    A column the district does not have (a public version leaves the personal
    fields out) is left out of the table, rather than shown as "no leader".
    """
    children = profile["children"]
    child = profile.get("child_level")
    members = {}
    if child is not None and "members" in data.district[child].columns:
        frame = data.district[child]
        members = dict(zip(frame["grid_id"].astype(str), frame["members"].map(_v), strict=True))
    present = set(focus.row) | {str(c) for c in children.columns}
    fields = [
        (field, label, width)
        for field, label, width in (("leader", "panel.leader", 1.3), ("phone", "panel.phone", 2.0))
        if field in present
    ]
    columns = [(text("pdf.col.grid", lang), 2.6, "left")]
    columns += [(text(label, lang), width, "left") for _, label, width in fields]
    if members:
        columns.append((text("pdf.col.members", lang), 3.4, "left"))
    rows = [
        [text("pdf.self", lang, name=focus.name)]
        + [_v(focus.row.get(field)) for field, _, _ in fields]
        + ([""] if members else [])
    ]
    for _, row in children.iterrows():
        gid = _v(row.get("grid_id"))
        cells = [_v(row.get("name")) or gid]
        for field, _, _ in fields:
            value = _v(row.get(field))
            cells.append((value or text("panel.none", lang)) if field == "leader" else value)
        if members:
            cells.append(members.get(gid, ""))
        rows.append(cells)
    return columns, rows


def _findings_rows(data: PrintData, findings: pd.DataFrame, lang: str) -> list[list[str]]:
    rows = []
    message_zh = getattr(data.report, "message_zh", None)
    for index, row in findings.iterrows():
        info = CHECKS.get(row["check"])
        label = (info.en if lang == "en" else info.zh) if info else str(row["check"])
        ids = "、".join(str(i) for i in row["ids"])
        message = (
            row["message"]
            if lang == "en" or message_zh is None
            else message_zh.get(index, row["message"])
        )
        rows.append([label, text(f"severity.{row['severity']}", lang), ids, _v(message)])
    return rows


def grid_sheet(
    data: PrintData, focus: Focus, options: PageOptions, *, page: str = ""
) -> tuple[Figure, Entry]:
    """Return the atlas sheet of one grid and its contents entry."""
    lang, district = options.lang, data.district
    level, grid_id = focus.grid_key
    selection = scope.selection_for(district, level, grid_id)
    profile = scope.grid_profile(district, data.report, selection)
    findings = profile["findings"]
    sheet = Sheet(options.paper, landscape=options.landscape)
    parent = _parent_name(data, focus)
    subtitle = " · ".join(
        p
        for p in (
            f"{layer_label(level, lang)} {grid_id}",
            text("pdf.parent", lang, name=parent) if parent else "",
            text(
                "pdf.subtitle",
                lang,
                district=data.district_name or "—",
                date=data.made.isoformat(),
                source=data.source or "—",
            ),
        )
        if p
    )
    top = sheet.header(options.title or focus.name, subtitle)
    bottom = footer(sheet, data, lang, page, basemap=options.basemap) - 3.0
    m, k, W = sheet.margin, sheet.k, sheet.width
    if options.landscape:
        map_rect = Rect(m, top, (W - 2 * m) * 0.58, bottom - top)
        info = Rect(map_rect.right + 5, top, W - m - map_rect.right - 5, bottom - top)
        side = Rect(info.x, info.bottom - 60 * k, info.w, 60 * k)
        info = Rect(info.x, info.y, info.w, info.h - side.h - 3)
    else:
        map_rect = Rect(m, top, W - 2 * m, (bottom - top) * 0.55)
        rest = Rect(m, map_rect.bottom + 4, W - 2 * m, bottom - map_rect.bottom - 4)
        info = Rect(rest.x, rest.y, rest.w * 0.58, rest.h)
        side = Rect(info.right + 5, rest.y, rest.right - info.right - 5, rest.h)
    ax = sheet.map_axes(map_rect)
    box = pm.fit_box(focus.geometry.bounds, map_rect.w, map_rect.h)
    entries = draw_map(ax, data, focus, box, options)
    counts = profile["counts"]
    hazards = _open_hazards(data, focus)
    figures = [
        (
            text("pdf.col.small", lang)
            if CHILD_LEVEL.get(level) == "grid_small"
            else layer_label(CHILD_LEVEL.get(level, level), lang).split("（")[0],
            len(profile["children"]),
        ),
        (text("panel.buildings", lang), counts["buildings"]),
        (text("panel.households", lang), counts["households"]),
        (text("panel.units", lang), counts["units"]),
        (text("panel.equipment", lang), counts["equipment_points"]),
        (text("pdf.col.findings", lang), len(findings)),
    ]
    if hazards is not None:
        figures.append((text("pdf.hazards_open", lang), hazards))
    y = sheet.heading(info.x, info.y, text("pdf.counts", lang), info.w)
    y = _counts_block(sheet, Rect(info.x, y, info.w, 0), figures)
    y = sheet.heading(info.x, y + 1, text("pdf.persons", lang), info.w)
    columns, rows = _persons(data, focus, profile, lang)
    y = sheet.table(info.x, y, info.w, columns, rows)
    y = sheet.heading(info.x, y + 1, text("pdf.findings", lang), info.w)
    if findings.empty:
        sheet.text(info.x, y + 3.2 * k, text("pdf.no_findings", lang), role="small", color=MUTED)
    else:
        fit = max(int((info.bottom - y - 2 * sheet.row_height()) / sheet.row_height()) - 1, 1)
        columns = [
            (text("col.check", lang), 2.2, "left"),
            (text("col.severity", lang), 0.8, "left"),
            (text("col.ids", lang), 2.0, "left"),
            (text("col.message", lang), 4.0, "left"),
        ]
        sheet.table(
            info.x,
            y,
            info.w,
            columns,
            _findings_rows(data, findings, lang),
            max_rows=fit,
            more=text("pdf.more", lang, n="{n}"),
        )
    _side(sheet, side, entries, data=data, box=box, focus=focus, map_rect=map_rect, lang=lang)
    entry = Entry(
        0,
        grid_id,
        focus.name,
        parent,
        _v(focus.row.get("leader")),
        {k: int(v) for k, v in counts.items() if isinstance(v, int)},
        len(findings),
    )
    return sheet.fig, entry


def _side(
    sheet: Sheet,
    r: Rect,
    entries: list,
    *,
    data: PrintData,
    box: pm.Box,
    focus: Focus,
    map_rect: Rect,
    lang: str,
) -> None:
    """Legend, overview inset and scale bar with north arrow inside `r`.

    A tall `r` (portrait) stacks the legend over the other two; a flat one
    (landscape) puts the legend on the left half.
    """
    scale_h = 20.0 * sheet.k
    title = text("map.legend.title", lang)
    if r.h > r.w:
        y = sheet.legend(Rect(r.x, r.y, r.w, r.h * 0.5), entries, title) + 3
        overview(
            sheet,
            Rect(r.x, y, r.w, r.bottom - y - scale_h - 2),
            data.district,
            box=box,
            focus=focus.tinted,
            lang=lang,
        )
        scale_and_north(
            sheet,
            Rect(r.x, r.bottom - scale_h, r.w, scale_h),
            box,
            map_rect=map_rect,
            crs=data.district.crs,
            lang=lang,
        )
        return
    half = (r.w - 4) / 2
    sheet.legend(Rect(r.x, r.y, half, r.h), entries, title)
    overview(
        sheet,
        Rect(r.x + half + 4, r.y, half, r.h - scale_h - 2),
        data.district,
        box=box,
        focus=focus.tinted,
        lang=lang,
    )
    scale_and_north(
        sheet,
        Rect(r.x + half + 4, r.bottom - scale_h, half, scale_h),
        box,
        map_rect=map_rect,
        crs=data.district.crs,
        lang=lang,
    )


def _grid_ids(data: PrintData, level: str) -> list[str]:
    frame = data.district[level]
    ids = frame["grid_id"].dropna().astype(str)
    return list(dict.fromkeys(ids.sort_values(kind="stable")))


@dataclass(frozen=True)
class Atlas:
    """The atlas' pages (cover, contents, then one sheet per grid) and its contents."""

    figures: list[Figure]
    entries: list[Entry]
    front: int

    @property
    def sheets(self) -> list[Figure]:
        """The figures of the grid sheets (the front matter left out)."""
        return self.figures[self.front :]


def atlas_sheets(
    data: PrintData,
    *,
    level: str = "grid_medium",
    options: PageOptions | None = None,
    progress: Progress | None = None,
    only: list[str] | None = None,
) -> Atlas:
    """Every page of the atlas of `level` as figures (see module doc).

    `only` keeps the sheets of these grid ids (e.g. the communities of one town).
    """
    options = options or PageOptions()
    level = resolve_level(level) or "grid_medium"
    say = progress or (lambda _message: None)
    with page_style():
        ids = _grid_ids(data, level)
        if only is not None:
            keep = {str(i) for i in only}
            ids = [i for i in ids if i in keep]
        if not ids:
            raise ValueError(f"no {level} grids to make sheets of")
        rows = capacity(options)
        n_contents = max(1, math.ceil(len(ids) / rows))
        total = 1 + n_contents + len(ids)
        sheets, entries = [], []
        for i, grid_id in enumerate(ids):
            page = 2 + n_contents + i
            focus = focus_of(data.district, level, grid_id)
            say(f"sheet {i + 1}/{len(ids)}: {grid_id} {focus.name}")
            fig, entry = grid_sheet(
                data, focus, options, page=text("pdf.page_of", options.lang, n=page, total=total)
            )
            sheets.append(fig)
            entries.append(replace(entry, page=page))
        say("cover and contents")
        cover = cover_sheet(data, level, entries, options, total)
        contents = contents_sheets(data, level, entries, options, capacity=rows, total=total)
    return Atlas([cover, *contents, *sheets], entries, 1 + len(contents))


def atlas_pdf(
    atlas: Atlas, *, title: str = "GridMap atlas", fonts: FontStore = process_font_store
) -> bytes:
    """Return the whole atlas as one PDF (`fonts` keeps the font subset, see `pdf_bytes`)."""
    return pdf_bytes(atlas.figures, title=title, fonts=fonts)


def atlas_files(atlas: Atlas, *, fonts: FontStore = process_font_store) -> dict[str, bytes]:
    """One PDF per grid sheet, named page_code_name.pdf (one shared font subset)."""
    chars = document_chars(atlas.figures)
    out = {}
    for entry, figure in zip(atlas.entries, atlas.sheets, strict=True):
        safe = "".join(c for c in entry.name if c.isalnum()) or "grid"
        out[f"{entry.page:03d}_{entry.grid_id}_{safe}.pdf"] = pdf_bytes(
            [figure], chars=chars, title=entry.name, fonts=fonts
        )
    return out
