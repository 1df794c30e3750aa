"""The export page's cached builders: one map as (PDF, PNG) and an atlas as (PDF, zip, PNG).

Cached on plain values (the file's path, mtime and size, and the options), so
the same page is laid out once however often the page reruns.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from gridmap import clock
from gridmap.io import fetch_tile
from gridmap.render.pdf import PageOptions, PrintData, basemap_for
from gridmap_app import loading


def print_data(path: str, mtime_ns: int, size: int, view: str, name: str) -> PrintData:
    """The district, its coverage report and today's date (Shanghai) for a printed page."""
    source = loading.Source(path, mtime_ns, size, view)
    return PrintData(
        loading.district(source),
        loading.report(source),
        source=Path(path).name,
        district_name=name,
        made=clock.today_in_shanghai(),
    )


def _options(
    paper: str,
    landscape: bool,
    layers: tuple[str, ...],
    *,
    lang: str,
    title: str,
    tiles: tuple[str, str | None] | None,
) -> PageOptions:
    return PageOptions(
        paper=paper,
        landscape=landscape,
        layers=layers,
        lang=lang,
        title=title or None,
        basemap=basemap_for(tiles[0], key=tiles[1], fetch=fetch_tile) if tiles else None,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def map_files(  # noqa: PLR0913 -- the cache key: plain values, as cached loaders take them
    path: str,
    mtime_ns: int,
    size: int,
    view: str,
    name: str,
    *,
    level: str | None,
    grid_id: str | None,
    paper: str,
    landscape: bool,
    layers: tuple[str, ...],
    lang: str,
    title: str,
    dpi: int,
    tiles: tuple[str, str | None] | None = None,
) -> tuple[bytes, bytes]:
    """(PDF, PNG) of one map."""
    from gridmap.render.pdf.document import map_sheet, pdf_bytes, png_bytes

    figure = map_sheet(
        print_data(path, mtime_ns, size, view, name),
        level=level,
        grid_id=grid_id,
        options=_options(paper, landscape, layers, lang=lang, title=title, tiles=tiles),
    )
    return pdf_bytes([figure], title=title or name), png_bytes(figure, dpi=dpi)


@st.cache_data(show_spinner=False, max_entries=4)
def atlas_files(  # noqa: PLR0913 -- the cache key: plain values, as cached loaders take them
    path: str,
    mtime_ns: int,
    size: int,
    view: str,
    name: str,
    *,
    level: str,
    only: tuple[str, ...] | None,
    paper: str,
    landscape: bool,
    layers: tuple[str, ...],
    lang: str,
    title: str,
    tiles: tuple[str, str | None] | None = None,
    _progress=None,
) -> tuple[bytes, bytes, bytes, int, int]:
    """(PDF, zip, PNG of the first sheet, pages, sheets) of an atlas."""
    from gridmap.io import zip_bytes
    from gridmap.render.pdf import atlas
    from gridmap.render.pdf.document import png_bytes

    book = atlas.atlas_sheets(
        print_data(path, mtime_ns, size, view, name),
        level=level,
        options=_options(paper, landscape, layers, lang=lang, title=title, tiles=tiles),
        progress=_progress,
        only=list(only) if only else None,
    )
    preview = png_bytes(book.sheets[0], dpi=60)
    return (
        atlas.atlas_pdf(book, title=title or name),
        zip_bytes(atlas.atlas_files(book)),
        preview,
        len(book.figures),
        len(book.entries),
    )
