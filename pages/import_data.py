"""导入数据: files as users have them, previewed, mapped and checked before anything is written."""

import json
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from gridmap.analysis.importing import (
    ImportOptions,
    ImportReport,
    mapping_targets,
    suggest_mapping,
)
from gridmap.errors import GridmapError
from gridmap.i18n import layer_label, t
from gridmap.io.imports import FORMATS, SIDECARS, import_layer, read_source, store_sources
from gridmap.io.uploads import upload_folder
from gridmap.schema import LAYERS, PARENT_LEVEL
from gridmap_app.context import context

KEEP = "—"
SYSTEMS = ("file", "wgs84", "cgcs2000", "gcj02", "bd09")


@st.cache_data(show_spinner=False, max_entries=16)
def read_cached(path: str, mtime_ns: int, layer: str):
    """A source as read from disk, cached on its path and modification time."""
    return read_source(path, target=layer)


def chosen_files(lang: str) -> list[str]:
    uploads = st.file_uploader(
        t("imp.files", lang),
        type=sorted({s.lstrip(".") for s in (*FORMATS, *SIDECARS)}),
        accept_multiple_files=True,
        key="imp_files",
        help=t("imp.files.help", lang),
    )
    st.text_area(t("imp.paths", lang), key="imp_paths", height=68)
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
    typed = st.session_state.get("imp_paths", "")
    files += [os.path.expanduser(line.strip()) for line in typed.splitlines() if line.strip()]
    return files


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
        mode = st.radio(
            t("imp.mode", lang),
            ("replace", "append"),
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
    )
    return options, mode


def show_report(report: ImportReport, lang: str) -> None:
    st.markdown(f"#### {t('imp.result', lang)}")
    cells = st.columns(4)
    cells[0].metric(t("imp.read", lang), f"{report.features_read:,}")
    cells[1].metric(t("imp.kept", lang), f"{report.features_kept:,}")
    cells[2].metric(t("imp.repaired", lang), f"{sum(report.repaired.values()):,}")
    cells[3].metric(t("imp.dropped", lang), f"{report.features_dropped:,}")
    errors = [p for p in report.problems if p.severity == "error"]
    if errors:
        st.error(
            t("imp.errors", lang, n=len(errors)) + "\n\n" + "\n".join(f"- {p}" for p in errors)
        )
    elif not report.written:
        st.success(t("imp.ok", lang))
    counts = [(t("imp.repaired", lang), r, n) for r, n in report.repaired.items()]
    counts += [(t("imp.dropped", lang), r, n) for r, n in report.dropped.items()]
    if counts:
        st.dataframe(
            pd.DataFrame(counts, columns=["", t("imp.reasons", lang), t("imp.features", lang)]),
            hide_index=True,
        )
    if report.unmatched_parents:
        st.markdown(f"**{t('imp.unmatched', lang)}**")
        rows = [(u.value, u.features, "、".join(u.candidates)) for u in report.unmatched_parents]
        names = [t("imp.value", lang), t("imp.features", lang), t("imp.candidates", lang)]
        st.dataframe(pd.DataFrame(rows, columns=names), hide_index=True)
    for line in report.warnings:
        st.warning(line)
    if report.notes:
        with st.expander(f"{t('imp.notes', lang)} ({len(report.notes)})"):
            for line in report.notes:
                st.caption(line)


ctx = context()
lang = ctx.lang
st.markdown(f"### {t('page.import', lang)} · {t('app.title', lang)}")
st.caption(t("imp.intro", lang))
if ctx.source == "path" and ctx.path:
    st.session_state.setdefault("imp_target", ctx.path)
target = st.text_input(t("imp.target", lang), key="imp_target", help=t("imp.target.help", lang))
layer = st.selectbox(
    t("imp.layer", lang),
    list(LAYERS),
    key="imp_layer",
    format_func=lambda k: f"{layer_label(k, lang)} ({k})",
)
files = chosen_files(lang)
if not files:
    st.info(t("imp.none", lang))
    st.stop()
columns = preview(files, layer, lang)
if not columns:
    st.stop()
options, mode = options_form(columns, layer, lang)
if not target.strip():
    st.info(t("imp.target.none", lang))
    st.stop()
signature = json.dumps(
    [files, target, layer, mode, options.__dict__],
    default=dict,
    ensure_ascii=False,
    sort_keys=True,
)
run_kwargs = {"options": options, "mode": mode, "user": "app"}
if st.button(t("imp.check", lang), key="imp_check", type="secondary"):
    try:
        checked = import_layer(files, target.strip(), layer, dry_run=True, **run_kwargs)
        st.session_state["imp_checked"] = (signature, checked)
    except GridmapError as exc:
        st.session_state.pop("imp_checked", None)
        st.error(str(exc))
stored = st.session_state.get("imp_checked")
fresh = stored is not None and stored[0] == signature
if stored is not None and not fresh:
    st.warning(t("imp.stale", lang))
ready = fresh and stored[1].ok and not stored[1].written
if st.button(
    t("imp.run", lang),
    key="imp_run",
    type="primary",
    disabled=not ready,
    help=t("imp.run.help", lang),
):
    try:
        done = import_layer(files, target.strip(), layer, **run_kwargs)
    except GridmapError as exc:
        st.error(str(exc))
    else:
        st.session_state["imp_checked"] = (signature, done)
        if done.written:
            message = t("imp.done", lang, n=done.features_kept, layer=layer, file=target)
            st.session_state["imp_done"] = message
            st.rerun()  # draw the buttons again: this import cannot be run twice
if "imp_done" in st.session_state:
    st.success(st.session_state.pop("imp_done"))
stored = st.session_state.get("imp_checked")
if stored is not None and stored[0] == signature:
    show_report(stored[1], lang)
