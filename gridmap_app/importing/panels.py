"""Widgets of the Import page: sources, preview, column mapping and import options.

Paths typed on the page are confined to the data folder
(`gridmap.io.paths.confined_path`): ``$GRIDMAP_DATA_DIR``, else the folder of
the open district; uploaded files are kept by `gridmap.io.uploads` and not
confined. The check, the confirmation and the import itself are in
`gridmap_app.importing.run`.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import streamlit as st

from gridmap.analysis.importing import (
    ImportOptions,
    SourceTable,
    mapping_targets,
    suggest_mapping,
)
from gridmap.errors import GridmapError
from gridmap.i18n import t
from gridmap.identity import Action, User
from gridmap.io.paths import confined_path
from gridmap.io.uploads import upload_folder
from gridmap.schema import GRID_LEVELS, LAYERS, PARENT_LEVEL
from gridmap.tasks.importing import FORMATS, IMPORT_MODES, SIDECARS, read_source, store_sources

KEEP = "—"
SYSTEMS = ("file", "wgs84", "cgcs2000", "gcj02", "bd09")
#: Extensions a typed source may have: the formats and a Shapefile's companions are not sources.
_SOURCE_SUFFIXES = tuple(FORMATS)


@st.cache_data(show_spinner=False, max_entries=16)
def read_cached(path: str, mtime_ns: int, layer: str) -> SourceTable:
    """A source as read from disk, cached on its path and modification time."""
    return read_source(path, target=layer)


def layers_for(user: User) -> list[str]:
    """The layers `user` may import: any (administrator) or the grid layers (planner)."""
    return list(LAYERS) if user.can(Action.IMPORT_ANY) else [n for n in LAYERS if n in GRID_LEVELS]


def target_path(typed: str, root: Path | None, lang: str) -> str | None:
    """The district file to import into, inside the data folder; None (said) when refused."""
    if not typed.strip():
        st.info(t("imp.target.none", lang))
        return None
    try:
        return str(confined_path(typed, root, must_exist=False, suffixes=(".gpkg",)))
    except GridmapError as exc:
        st.error(str(exc))
        return None


def _typed_sources(root: Path | None, lang: str) -> list[str]:
    typed = st.session_state.get("imp_paths", "")
    files = []
    for line in typed.splitlines():
        if not line.strip():
            continue
        try:
            path = confined_path(line, root, suffixes=_SOURCE_SUFFIXES, companions=True)
        except GridmapError as exc:  # outside the data folder, missing, not a source format
            st.error(str(exc))
            continue
        files.append(str(path))
    return files


def chosen_files(lang: str, root: Path | None) -> list[str]:
    """Uploaded files (kept together) and typed paths confined to the data folder `root`."""
    uploads = st.file_uploader(
        t("imp.files", lang),
        type=sorted({s.lstrip(".") for s in (*FORMATS, *SIDECARS)}),
        accept_multiple_files=True,
        key="imp_files",
        help=t("imp.files.help", lang),
    )
    st.text_area(t("imp.paths", lang), key="imp_paths", height=68)
    st.caption(t("imp.folder", lang, folder=root if root is not None else "—"))
    files: list[str] = []
    if uploads:
        try:
            stored = store_sources(
                [(u.name, u.getvalue()) for u in uploads], upload_folder() / "imports"
            )
        except GridmapError as exc:  # a name that is not a file name, or a full disk
            st.error(str(exc))
            stored = []
        files += [str(p) for p in stored]
    return files + _typed_sources(root, lang)


def preview(files: list[str], layer: str, lang: str) -> list[str]:
    """Show each source; return the columns of those that could be read."""
    columns: list[str] = []
    for path in files:
        try:
            table = read_cached(path, os.stat(path).st_mtime_ns, layer)
        except (GridmapError, OSError) as exc:
            st.error(str(exc))
            continue
        frame = table.frame
        shown = (
            frame.drop(columns=frame.geometry.name)
            if isinstance(frame, gpd.GeoDataFrame)
            else frame
        )
        st.markdown(f"**{t('imp.preview', lang, file=Path(path).name, n=len(frame))}**")
        st.dataframe(shown.head(20), hide_index=True, height=200)
        if table.unreadable:
            rows = "、".join(str(r + 1) for r in table.unreadable[:20])
            st.warning(
                t("imp.unreadable", lang, file=Path(path).name, n=len(table.unreadable), rows=rows)
            )
        if table.notes:
            st.caption(f"{t('imp.notes', lang)}: " + "；".join(table.notes))
        columns += [str(c) for c in shown.columns if str(c) not in columns]
        st.session_state["imp_is_table"] = not isinstance(frame, gpd.GeoDataFrame)
    return columns


def mapping_form(columns: list[str], layer: str, lang: str) -> dict[str, str]:
    table = bool(st.session_state.get("imp_is_table"))
    targets = [KEEP, *mapping_targets(layer, table=table)]
    suggested = suggest_mapping(columns, layer, table=table)
    st.markdown(f"#### {t('imp.mapping', lang)}")
    st.caption(t("imp.mapping.help", lang))
    mapping: dict[str, str] = {}
    cells = st.columns(3)
    for i, column in enumerate(columns):
        default = suggested.get(column, KEEP)
        with cells[i % 3]:
            chosen = st.selectbox(
                column, targets, index=targets.index(default), key=f"imp_map_{layer}_{column}"
            )
        if chosen != KEEP:
            mapping[column] = chosen
    return mapping


def parse_lines(text: str, lang: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        field, sep, value = line.partition("=")
        if not sep:
            st.error(t("imp.bad_line", lang, line=line))
            continue
        out[field.strip()] = value.strip()
    return out


def options_form(columns: list[str], layer: str, lang: str) -> tuple[ImportOptions, str]:
    """The mapping and the options; returns them with the mode (upsert, replace, append)."""
    mapping = mapping_form(columns, layer, lang)
    left, middle, right = st.columns(3)
    with left:
        system = st.selectbox(
            t("imp.coords", lang),
            SYSTEMS,
            key="imp_coords",
            format_func=lambda k: t(f"imp.coords.{k}", lang),
        )
        crs = st.text_input(t("imp.crs", lang), key="imp_crs").strip() or None
    with middle:
        by_options = ("none", "name", "code", "location") if layer in PARENT_LEVEL else ("none",)
        parent_by = st.selectbox(
            t("imp.parent_by", lang),
            by_options,
            key="imp_parent_by",
            format_func=lambda k: t(f"imp.parent_by.{k}", lang),
        )
        parent_column = st.selectbox(
            t("imp.parent_column", lang), [KEEP, *columns], key="imp_parent_column"
        )
        prefix = st.number_input(t("imp.parent_prefix", lang), 0, 40, 0, key="imp_prefix")
        close = st.slider(t("imp.accept_close", lang), 0.0, 1.0, 0.0, 0.05, key="imp_close")
    with right:
        defaults = st.text_area(t("imp.defaults", lang), key="imp_defaults", height=68)
        generate = st.checkbox(t("imp.generate_ids", lang), key="imp_generate")
        skip = st.checkbox(t("imp.skip_bad", lang), key="imp_skip_bad")
        mode = st.radio(
            t("imp.mode", lang),
            IMPORT_MODES,
            key="imp_mode",
            format_func=lambda k: t(f"imp.mode.{k}", lang),
        )
    options = ImportOptions(
        mapping=mapping,
        crs=crs,
        from_coords=None if system == "file" else system,
        parent_by=None if parent_by == "none" else parent_by,
        parent_column=None if parent_column == KEEP else mapping.get(parent_column, parent_column),
        parent_prefix=int(prefix) or None,
        accept_close=close or None,
        generate_ids=generate,
        defaults=parse_lines(defaults, lang),
        skip_bad_geometry=skip,
    )
    return options, mode
