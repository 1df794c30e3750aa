"""Widgets of the Export page: the options form (left) and the files with their preview (right).

The first visit starts from the grid chosen on the coverage map (its most
specific level), so a leader who drilled down there prints that grid. The
files are made from the signed-in user's masked view, or as a public version
without personal fields (公开版); every download is audited as an export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from gridmap.analysis.coverage import scope
from gridmap.district import District
from gridmap.i18n import t as text
from gridmap.identity import User
from gridmap.render.pdf.document import DEFAULT_OVERLAYS, LEVELS, OVERLAYS, fits_landscape
from gridmap.render.web.tiles import PROVIDERS
from gridmap_app import loading
from gridmap_app.auth import guard
from gridmap_app.auth.views import PUBLIC
from gridmap_app.context import Context
from gridmap_app.coverage import current_selection
from gridmap_app.export.files import atlas_files, map_files, print_data
from gridmap_app.widgets import choice

SCOPES = ("district", "large", "medium", "small")


@dataclass(frozen=True)
class ExportForm:
    """What the options form chose; `go` is True on the run its button was pressed."""

    mode: str
    level: str | None
    grid_id: str | None
    only: tuple[str, ...] | None
    paper: str
    landscape: bool
    layers: tuple[str, ...]
    name: str
    title: str
    dpi: int
    tiles: tuple[str, str | None] | None
    go: bool
    public: bool = False


def _grid_choice(district: District, level: str, lang: str, key: str) -> str | None:
    frame = district[level]
    names = frame["name"].where(frame["name"].notna(), frame["grid_id"]).astype(str)
    options = dict(zip(frame["grid_id"].astype(str), names, strict=True))
    chosen: str | None = st.selectbox(
        text("export.grid", lang),
        list(options),
        key=key,
        format_func=lambda v: f"{options[v]} ({v})",
    )
    return chosen


def start_from_coverage_selection() -> None:
    """On the first visit, preselect the grid chosen on the coverage map."""
    if "export_scope" in st.session_state:
        return
    selection = current_selection()
    for scope_key, grid_id in zip(("large", "medium", "small"), selection.as_tuple(), strict=True):
        if grid_id:
            st.session_state["export_scope"] = scope_key
            st.session_state["export_grid"] = grid_id


def _what(
    district: District, mode: str, lang: str
) -> tuple[str | None, str | None, tuple[str, ...] | None]:
    """(level, grid id, only these grids) of a map or an atlas."""
    scope_names = {key: text(f"sel.{key}", lang) for key in SCOPES}
    grid_id = None
    only = None
    if mode == "map":
        scope_key = choice(
            st.selectbox,
            text("export.scope", lang),
            SCOPES,
            name="export_scope",
            lang=lang,
            format_func=scope_names.__getitem__,
        )
        level = None if scope_key == "district" else LEVELS[scope_key]
        if level is not None:
            grid_id = _grid_choice(district, level, lang, "export_grid")
    else:
        level = LEVELS[
            choice(
                st.selectbox,
                text("export.level", lang),
                ("medium", "small", "large"),
                name="export_atlas_level",
                lang=lang,
                format_func=scope_names.__getitem__,
            )
        ]
        if level != "grid_large" and st.checkbox(text("export.within", lang), key="export_within"):
            large = _grid_choice(district, "grid_large", lang, "export_large")
            only = tuple(scope.scope_ids(district, scope.Selection(large=large))[level])
    return level, grid_id, only


def options_form(district: District, source: loading.Source, ctx: Context) -> ExportForm:
    """The left column: mode, scope, paper, orientation, layers, names, resolution, basemap."""
    lang = ctx.lang
    mode = choice(
        st.radio,
        text("export.mode", lang),
        ("map", "atlas"),
        name="export_mode",
        lang=lang,
        horizontal=True,
        format_func=lambda m: text(f"export.mode.{m}", lang),
    )
    level, grid_id, only = _what(district, mode, lang)
    paper = st.radio(text("export.paper", lang), ("A4", "A3"), key="export_paper", horizontal=True)
    orientation = choice(
        st.radio,
        text("export.orientation", lang),
        ("auto", "portrait", "landscape"),
        name="export_orientation",
        lang=lang,
        horizontal=True,
        format_func=lambda o: text(f"export.orientation.{o}", lang),
    )
    layers = st.multiselect(
        text("export.layers", lang),
        list(OVERLAYS),
        default=list(DEFAULT_OVERLAYS),
        key="export_layers",
        format_func=lambda n: text(f"export.layer.{n}", lang),
    )
    name = st.text_input(
        text("export.name", lang), value=district.display_name(), key="export_name"
    )
    if orientation == "auto":
        wide_level, wide_grid = (level, grid_id) if mode == "map" else (None, None)
        landscape = fits_landscape(print_data(*source.key, name), wide_level, wide_grid)
    else:
        landscape = orientation == "landscape"
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
        text("export.basemap", lang, name=text(PROVIDERS[ctx.basemap].label_key, lang)),
        key="export_basemap",
    ):
        tiles = (ctx.basemap, ctx.tile_key)
    public = st.checkbox(text("auth.public", lang), key="export_public")
    go = st.button(
        text("export.preview" if mode == "map" else "export.make_atlas", lang),
        type="primary",
        key="export_go",
    )
    return ExportForm(
        mode,
        level,
        grid_id,
        only,
        paper,
        landscape,
        tuple(layers),
        name,
        title,
        dpi,
        tiles,
        go,
        public,
    )


def _download(
    label_key: str,
    data: bytes,
    file_name: str,
    *,
    mime: str,
    key: str,
    lang: str,
    user: User,
    public: bool,
) -> None:
    guard.download(
        user, text(label_key, lang), data, file_name=file_name, mime=mime, key=key, public=public
    )


def _map_view(form: ExportForm, source: loading.Source, lang: str, user: User) -> None:
    with st.spinner(text("export.working", lang, what=form.paper)):
        pdf, png = map_files(
            *source.key,
            form.name,
            level=form.level,
            grid_id=form.grid_id,
            paper=form.paper,
            landscape=form.landscape,
            layers=form.layers,
            lang=lang,
            title=form.title,
            dpi=form.dpi,
            tiles=form.tiles,
        )
    stem = form.grid_id or "district"
    files = (
        ("export.download_pdf", pdf, f"gridmap_{stem}.pdf", "application/pdf", "export_pdf"),
        ("export.download_png", png, f"gridmap_{stem}.png", "image/png", "export_png"),
    )
    for label_key, data, name, mime, key in files:
        _download(
            label_key, data, name, mime=mime, key=key, lang=lang, user=user, public=form.public
        )
    st.image(png, width="stretch")


def _sheet_progress(bar: DeltaGenerator) -> Callable[[str], None]:
    def progress(message: str) -> None:
        if message.startswith("sheet "):
            done, total = message.split()[1].rstrip(":").split("/")
            bar.progress(int(done) / int(total), text=message)

    return progress


def _atlas_view(form: ExportForm, source: loading.Source, lang: str, user: User) -> None:
    assert form.level is not None  # an atlas always has a level
    bar = st.progress(0.0)
    pdf, archive, png, n_pages, n_sheets = atlas_files(
        *source.key,
        form.name,
        level=form.level,
        only=form.only,
        paper=form.paper,
        landscape=form.landscape,
        layers=form.layers,
        lang=lang,
        title=form.title,
        tiles=form.tiles,
        _progress=_sheet_progress(bar),
    )
    bar.empty()
    st.success(text("export.atlas_done", lang, pages=n_pages, sheets=n_sheets))
    files = (
        ("export.download_pdf", pdf, "gridmap_atlas.pdf", "application/pdf", "export_atlas_pdf"),
        (
            "export.download_zip",
            archive,
            "gridmap_atlas.zip",
            "application/zip",
            "export_atlas_zip",
        ),
    )
    for label_key, data, name, mime, key in files:
        _download(
            label_key, data, name, mime=mime, key=key, lang=lang, user=user, public=form.public
        )
    st.image(png, width="stretch")


def files_view(form: ExportForm, source: loading.Source, lang: str, user: User) -> None:
    """The right column: the map's PDF and PNG, or the atlas's PDF and zip, and a preview.

    Made from the user's view of the district, or from the public version.
    """
    if form.public:
        source = source.viewed_as(PUBLIC)
    if form.mode == "map":
        _map_view(form, source, lang, user)
    else:
        _atlas_view(form, source, lang, user)
