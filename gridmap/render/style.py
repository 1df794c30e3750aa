"""Cartographic style of printed maps, derived from the web map's `STYLES`.

The app's colours are the one source (`gridmap.render.webmap.STYLES`, the
medium-grid palette and the unit colours of `gridmap.render.webdata`); this
module re-exports them read-only and turns them into matplotlib keywords for
paper: Leaflet line weights in screen pixels become points, dashes are in
points. It also holds the paper sizes and the few texts that only printed
maps show (`TEXT`, read with `text`); everything else comes from
`gridmap.i18n`.

>>> line_style("grid_large")["linewidth"]
1.75
>>> paper_size("A4", landscape=True)
(297.0, 210.0)
>>> text("pdf.scale", "en")
'Scale'
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from gridmap.i18n import TEXT as APP_TEXT
from gridmap.i18n import t
from gridmap.render.webdata import CHORO_PALETTE, MEDIUM_PALETTE, NO_DATA_COLOUR, UNIT_COLOURS
from gridmap.render.webmap import STYLES as _WEB_STYLES

#: The web map's styles, read-only (edit them in `gridmap.render.webmap`).
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
    """matplotlib keywords (edgecolor, linewidth, alpha, linestyle) of a web style's outline."""
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
    """The web style's fill opacity (0 where it has no fill)."""
    web = _WEB_STYLES[key]
    return 0.0 if web.get("fill") is False else float(web.get("fillOpacity", 0.0))


def unit_colour(category: str) -> str:
    return UNIT_COLOURS.get(category, MUTED)


#: Texts only printed maps show: key -> (Chinese, English). Placeholders use str.format.
TEXT: dict[str, tuple[str, str]] = {
    "pdf.map_title": ("{name}消防安全网格图", "Fire-safety grid map: {name}"),
    "pdf.atlas_title": ("{name}消防安全网格图集", "Fire-safety grid atlas: {name}"),
    "pdf.atlas_sub": ("按{level}分幅 · 共 {n} 幅", "One sheet per {level} · {n} sheets"),
    "pdf.whole": ("全辖区", "whole district"),
    "pdf.subtitle": (
        "{district} · 制图日期 {date} · 数据 {source}",
        "{district} · made {date} · data {source}",
    ),
    "pdf.scale": ("比例尺", "Scale"),
    "pdf.north": ("北", "N"),
    "pdf.overview": ("位置示意", "Location"),
    "pdf.crs": ("坐标系：{crs}", "CRS: {crs}"),
    "pdf.source": ("数据来源：{source}", "Source: {source}"),
    "pdf.attribution": (
        "地图由 GridMap 依据辖区数据绘制，未使用在线底图",
        "Drawn by GridMap from the district data alone (no online basemap)",
    ),
    "pdf.basemap_attr": ("底图：{attr}", "Basemap: {attr}"),
    "pdf.page": ("第 {n} 页", "page {n}"),
    "pdf.page_of": ("第 {n} / {total} 页", "page {n} of {total}"),
    "pdf.contents": ("目录", "Contents"),
    "pdf.cover_index": ("分幅索引图（图中数字为页码）", "Index map (numbers are pages)"),
    "pdf.prepared": ("编制：{by}", "Prepared by {by}"),
    "pdf.persons": ("责任人员", "Responsible persons"),
    "pdf.counts": ("基本情况", "Figures"),
    "pdf.findings": ("待处理问题", "Open findings"),
    "pdf.no_findings": ("无待处理问题", "No open findings"),
    "pdf.more": ("……另有 {n} 条，详见核查台帐", "… {n} more, see the check ledger"),
    "pdf.hazards_open": ("未整改隐患", "Hazards not rectified"),
    "pdf.grid_leader": (
        "{level}负责人：{leader}　电话：{phone}",
        "{level} leader: {leader}  phone: {phone}",
    ),
    "pdf.parent": ("所属：{name}", "Part of: {name}"),
    "pdf.col.page": ("页码", "Page"),
    "pdf.col.members": ("网格成员", "Members"),
    "pdf.self": ("{name}（本级）", "{name} (this grid)"),
    "pdf.col.grid": ("网格", "Grid"),
    "pdf.col.parent": ("所属", "Part of"),
    "pdf.col.small": ("小网格", "Small grids"),
    "pdf.col.buildings": ("楼栋", "Bldgs"),
    "pdf.col.households": ("住户", "Households"),
    "pdf.col.units": ("单位", "Units"),
    "pdf.col.findings": ("问题", "Findings"),
    "pdf.layer.buildings": ("楼栋", "Buildings"),
    "pdf.layer.units": ("社会单位", "Social units"),
    "pdf.layer.equipment": ("消防器材存放点", "Equipment storage point"),
    "pdf.layer.equipment_planned": ("器材存放点（规划）", "Equipment point (planned)"),
    "pdf.layer.findings_area": ("覆盖空白/重叠", "Gap / overlap"),
    "pdf.layer.findings_point": ("漏管楼栋/单位/住户", "Missed building / unit / household"),
    "pdf.layer.findings_warning": ("提示（楼栋跨网格等）", "Warning (split building, …)"),
    "pdf.layer.inspections": (
        "巡查次数/{size}米格 {lo}–{hi}",
        "Inspections per {size} m cell {lo}–{hi}",
    ),
    "pdf.layer.outside": ("图幅外区域（淡化）", "Outside the sheet's grid (faded)"),
    "pdf.layer.focus": ("本图幅网格边界", "Boundary of the sheet's grid"),
    "pdf.layer.beyond": ("辖区外", "Outside the district"),
    # the app's export page (move to gridmap.i18n when that table takes page keys)
    "export.page": ("地图导出", "Map export"),
    "export.mode": ("导出内容", "Export"),
    "export.mode.map": ("单幅地图", "One map"),
    "export.mode.atlas": ("分幅图集", "Atlas"),
    "export.scope": ("图幅范围", "Extent"),
    "export.level": ("网格层级", "Grid level"),
    "export.grid": ("网格", "Grid"),
    "export.within": ("仅限大网格", "Only inside large grid"),
    "export.layer.buildings": ("楼栋", "Buildings"),
    "export.layer.units": ("社会单位（按类别）", "Social units by category"),
    "export.layer.equipment": ("消防器材存放点", "Equipment storage points"),
    "export.layer.findings": ("覆盖问题", "Coverage findings"),
    "export.layer.inspections": ("巡查密度（六边形）", "Inspection density (hexagons)"),
    "export.basemap": (
        "叠加底图：{name}（需联网）",
        "Basemap under the map: {name} (needs the network)",
    ),
    "export.paper": ("纸张", "Paper"),
    "export.orientation": ("纸张方向", "Orientation"),
    "export.orientation.auto": ("自动", "Automatic"),
    "export.orientation.portrait": ("纵向", "Portrait"),
    "export.orientation.landscape": ("横向", "Landscape"),
    "export.layers": ("叠加图层", "Overlays"),
    "export.title": ("标题（留空用默认）", "Title (blank for the default)"),
    "export.name": ("辖区名称", "District name"),
    "export.preview": ("生成预览与 PDF", "Make preview and PDF"),
    "export.make_atlas": ("生成图集", "Make the atlas"),
    "export.download_pdf": ("下载 PDF", "Download PDF"),
    "export.download_png": ("下载 PNG", "Download PNG"),
    "export.download_zip": ("下载分幅 PDF（zip）", "Download one PDF per grid (zip)"),
    "export.dpi": ("PNG 分辨率 (dpi)", "PNG resolution (dpi)"),
    "export.working": ("正在排版 {what}……", "Laying out {what}…"),
    "export.atlas_done": (
        "图集共 {pages} 页，{sheets} 幅。",
        "The atlas has {pages} pages, {sheets} sheets.",
    ),
    "export.offline": (
        "地图仅依据辖区数据绘制，无需互联网。",
        "Maps are drawn from the district data alone; no internet needed.",
    ),
}


def text(key: str, lang: str = "zh", **values: object) -> str:
    """A printed-map text: from `TEXT`, else from the app's table (`gridmap.i18n.t`)."""
    if key not in TEXT:
        if key in APP_TEXT:
            return t(key, lang, **values)
        raise KeyError(f"no text {key!r}; add it to gridmap.render.style.TEXT")
    zh, en = TEXT[key]
    chosen = en if lang == "en" else zh
    return chosen.format(**values) if values else chosen
