"""地图导出: a print-ready map or a per-grid atlas as PDF, previewed as PNG."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from gridmap.errors import GridmapError
from gridmap.i18n import t
from gridmap.i18n import t as text
from gridmap.render.pdf import DEFAULT_OVERLAYS, LEVELS, OVERLAYS, fits_landscape
from gridmap.render.pdf_basemap import basemap_for
from gridmap.render.tiles import PROVIDERS
from gridmap_app import loading
from gridmap_app.context import context


def _layer_label(name: str, lang: str) -> str:
    return text(f"export.layer.{name}", lang)


def _data(path: str, mtime_ns: int, size: int, name: str):
    from gridmap.render.pdf import PrintData

    source = loading.Source(path, mtime_ns, size)
    return PrintData(
        loading.district(source),
        loading.report(source),
        source=Path(path).name,
        district_name=name,
        made=dt.date.today(),
    )


@st.cache_data(show_spinner=False, max_entries=16)
def map_files(
    path: str,
    mtime_ns: int,
    size: int,
    name: str,
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
    """(PDF, PNG) of one map, cached on plain values."""
    from gridmap.render.pdf import PageOptions, map_sheet, pdf_bytes, png_bytes

    options = PageOptions(
        paper=paper,
        landscape=landscape,
        layers=layers,
        lang=lang,
        title=title or None,
        basemap=basemap_for(tiles[0], key=tiles[1]) if tiles else None,
    )
    figure = map_sheet(
        _data(path, mtime_ns, size, name), level=level, grid_id=grid_id, options=options
    )
    return pdf_bytes([figure], title=title or name), png_bytes(figure, dpi=dpi)


@st.cache_data(show_spinner=False, max_entries=4)
def atlas_files(
    path: str,
    mtime_ns: int,
    size: int,
    name: str,
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
    from gridmap.io.pdf_out import zip_bytes
    from gridmap.render import atlas
    from gridmap.render.pdf import PageOptions, png_bytes

    options = PageOptions(
        paper=paper,
        landscape=landscape,
        layers=layers,
        lang=lang,
        title=title or None,
        basemap=basemap_for(tiles[0], key=tiles[1]) if tiles else None,
    )
    book = atlas.atlas_sheets(
        _data(path, mtime_ns, size, name),
        level=level,
        options=options,
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


def _grid_choice(district, level: str, lang: str, key: str) -> str | None:
    frame = district[level]
    names = frame["name"].where(frame["name"].notna(), frame["grid_id"]).astype(str)
    options = dict(zip(frame["grid_id"].astype(str), names, strict=True))
    return st.selectbox(
        text("export.grid", lang),
        list(options),
        key=key,
        format_func=lambda v: f"{options[v]} ({v})",
    )


ctx = context()
lang = ctx.lang
st.markdown(f"### {text('export.page', lang)} · {t('app.title', lang)}")
if ctx.path is None:
    st.info(ctx.note)
    st.stop()
source = loading.open_source(ctx.path, lang)
if source is None:
    st.stop()
district = loading.district(source)
st.caption(text("export.offline", lang))

left, right = st.columns([1, 2], gap="large")
with left:
    mode = st.radio(
        text("export.mode", lang),
        ("map", "atlas"),
        key="export_mode",
        horizontal=True,
        format_func=lambda m: text(f"export.mode.{m}", lang),
    )
    level_names = {
        "district": t("sel.district", lang),
        "large": t("sel.large", lang),
        "medium": t("sel.medium", lang),
        "small": t("sel.small", lang),
    }
    grid_id = None
    only = None
    if mode == "map":
        scope_key = st.selectbox(
            text("export.scope", lang),
            list(level_names),
            key="export_scope",
            format_func=level_names.get,
        )
        level = None if scope_key == "district" else LEVELS[scope_key]
        if level is not None:
            grid_id = _grid_choice(district, level, lang, "export_grid")
    else:
        level = LEVELS[
            st.selectbox(
                text("export.level", lang),
                ["medium", "small", "large"],
                key="export_atlas_level",
                format_func=level_names.get,
            )
        ]
        if level != "grid_large" and st.checkbox(text("export.within", lang), key="export_within"):
            large = _grid_choice(district, "grid_large", lang, "export_large")
            from gridmap.analysis import scope

            only = tuple(scope.scope_ids(district, scope.Selection(large=large))[level])
    paper = st.radio(text("export.paper", lang), ("A4", "A3"), key="export_paper", horizontal=True)
    orientation = st.radio(
        text("export.orientation", lang),
        ("auto", "portrait", "landscape"),
        key="export_orientation",
        horizontal=True,
        format_func=lambda o: text(f"export.orientation.{o}", lang),
    )
    if orientation == "auto":
        wide_level, wide_grid = (level, grid_id) if mode == "map" else (None, None)
        landscape = fits_landscape(_data(*source.key, Path(ctx.path).stem), wide_level, wide_grid)
    else:
        landscape = orientation == "landscape"
    layers = st.multiselect(
        text("export.layers", lang),
        list(OVERLAYS),
        default=list(DEFAULT_OVERLAYS),
        key="export_layers",
        format_func=lambda n: _layer_label(n, lang),
    )
    name = st.text_input(text("export.name", lang), value=Path(ctx.path).stem, key="export_name")
    title = st.text_input(text("export.title", lang), key="export_title")
    dpi = (
        st.select_slider(
            text("export.dpi", lang), (72, 100, 150, 200, 300), value=100, key="export_dpi"
        )
        if mode == "map"
        else 60
    )
    tiles = None
    if ctx.basemap != "none" and st.checkbox(
        text("export.basemap", lang, name=t(PROVIDERS[ctx.basemap].label_key, lang)),
        key="export_basemap",
    ):
        tiles = (ctx.basemap, ctx.tile_key)
    go = st.button(
        text("export.preview" if mode == "map" else "export.make_atlas", lang),
        type="primary",
        key="export_go",
    )

with right:
    if go or st.session_state.get("export_ready") == mode:
        st.session_state["export_ready"] = mode
        try:
            if mode == "map":
                with st.spinner(text("export.working", lang, what=paper)):
                    pdf, png = map_files(
                        *source.key,
                        name,
                        level,
                        grid_id,
                        paper,
                        landscape,
                        tuple(layers),
                        lang,
                        title,
                        dpi,
                        tiles,
                    )
                stem = grid_id or "district"
                st.download_button(
                    text("export.download_pdf", lang),
                    pdf,
                    file_name=f"gridmap_{stem}.pdf",
                    mime="application/pdf",
                    key="export_pdf",
                )
                st.download_button(
                    text("export.download_png", lang),
                    png,
                    file_name=f"gridmap_{stem}.png",
                    mime="image/png",
                    key="export_png",
                )
                st.image(png, width="stretch")
            else:
                bar = st.progress(0.0)

                def progress(message: str) -> None:
                    if message.startswith("sheet "):
                        done, total = message.split()[1].rstrip(":").split("/")
                        bar.progress(int(done) / int(total), text=message)

                pdf, archive, png, n_pages, n_sheets = atlas_files(
                    *source.key,
                    name,
                    level,
                    only,
                    paper,
                    landscape,
                    tuple(layers),
                    lang,
                    title,
                    tiles,
                    _progress=progress,
                )
                bar.empty()
                st.success(text("export.atlas_done", lang, pages=n_pages, sheets=n_sheets))
                st.download_button(
                    text("export.download_pdf", lang),
                    pdf,
                    file_name="gridmap_atlas.pdf",
                    mime="application/pdf",
                    key="export_atlas_pdf",
                )
                st.download_button(
                    text("export.download_zip", lang),
                    archive,
                    file_name="gridmap_atlas.zip",
                    mime="application/zip",
                    key="export_atlas_zip",
                )
                st.image(png, width="stretch")
        except GridmapError as exc:
            loading.show_error(exc, lang)
