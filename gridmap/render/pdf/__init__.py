"""Printed maps: one sheet of the district or of a grid, and the per-grid atlas, as PDF or PNG.

Pages are matplotlib figures laid out in millimetres and returned as bytes
(`pdf_bytes`, `png_bytes`, `atlas_pdf`, `atlas_files`); `gridmap.io` writes
them. What needs the network or a disk is passed in by the caller: the tile
fetcher of an optional basemap (``basemap_for(..., fetch=gridmap.io.fetch_tile)``)
and the store of converted font subsets (``fonts=gridmap.io.font_cache``).

Modules
-------
document
    `map_sheet` (one page: title, map, legend, scale bar, north arrow,
    overview, footer), `PrintData`, `PageOptions`, `pdf_bytes`, `png_bytes`.
atlas, atlas_front
    The atlas: cover, contents and one sheet per grid (`atlas_sheets`).
mapframe, overlays, labels
    The map itself: grid levels, overlays, hexagon heat and labels.
furniture, layout, style
    Scale bar, north arrow and overview inset; the sheet's boxes and text;
    paper sizes, type scale and colours (derived from the web styles).
basemap
    Web tiles warped into the map's metric CRS (off by default).
fonts
    The packaged Noto Sans SC font, embedded as a TrueType subset.
"""

from gridmap.render.pdf.atlas import Atlas, atlas_files, atlas_pdf, atlas_sheets
from gridmap.render.pdf.basemap import Basemap, Fetch, basemap_for
from gridmap.render.pdf.document import (
    DEFAULT_OVERLAYS,
    LEVELS,
    OVERLAYS,
    PageOptions,
    PrintData,
    fits_landscape,
    map_sheet,
    pdf_bytes,
    png_bytes,
    resolve_level,
)
from gridmap.render.pdf.fonts import FontError, FontStore, process_font_store, register_cjk_font

__all__ = [
    "DEFAULT_OVERLAYS",
    "LEVELS",
    "OVERLAYS",
    "Atlas",
    "Basemap",
    "Fetch",
    "FontError",
    "FontStore",
    "PageOptions",
    "PrintData",
    "atlas_files",
    "atlas_pdf",
    "atlas_sheets",
    "basemap_for",
    "fits_landscape",
    "map_sheet",
    "pdf_bytes",
    "png_bytes",
    "process_font_store",
    "register_cjk_font",
    "resolve_level",
]
