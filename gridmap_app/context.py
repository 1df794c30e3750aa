"""The shared sidebar: language, the signed-in user, data source and basemap, and the `Context`.

In demo mode (``GRIDMAP_DEMO=1``) the data source is fixed to a working copy
of the sample made once in the GridMap home (``demo/``), so the demo
planner's saves never touch the bundled file; upload and path are hidden.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st

from gridmap.errors import GridmapError
from gridmap.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, t
from gridmap.identity import User
from gridmap.io.accounts import gridmap_home
from gridmap.io.uploads import store_upload
from gridmap.io.vendor import missing_vendor_assets
from gridmap.render.web import INSTALL_COMMAND, STATIC_URL
from gridmap.render.web.tiles import DEFAULT_PROVIDER, PROVIDERS
from gridmap_app import APP_ROOT, VENDOR_DIR, sample_path
from gridmap_app.auth import gate
from gridmap_app.widgets import choice

SOURCES = ("sample", "upload", "path")


@dataclass(frozen=True)
class Context:
    """What the sidebar chose. `path` is None when no file is chosen yet (`note` says why).

    `user` is the signed-in user of this run (`gridmap_app.page.start` sets it
    again on every run, so a stale context never carries an old role).
    """

    lang: str
    source: str
    path: str | None
    note: str | None
    basemap: str
    tile_key: str | None
    user: User | None = None


def _shown_path(path: str) -> str:
    try:
        return os.path.relpath(path, APP_ROOT) if path.startswith(str(APP_ROOT)) else path
    except ValueError:
        return path


def _upload(lang: str) -> tuple[str | None, str | None]:
    limit = st.get_option("server.maxUploadSize")
    upload = st.file_uploader(
        t("upload.label", lang), type=["gpkg"], key="upload", help=t("upload.help", lang, mb=limit)
    )
    st.caption(t("upload.help", lang, mb=limit))
    if upload is None:
        return None, t("upload.none", lang)
    kept: dict[str, str] = st.session_state.setdefault("_uploads", {})
    if upload.file_id not in kept:
        try:
            kept[upload.file_id] = str(store_upload(upload.getvalue(), upload.name))
        except GridmapError as exc:
            return None, str(exc)
    return kept[upload.file_id], None


def _by_path(lang: str) -> tuple[str | None, str | None]:
    st.text_input(t("path.label", lang), key="path_input", placeholder="/data/district.gpkg")
    if st.button(t("path.open", lang), key="path_open"):
        st.session_state["opened_path"] = st.session_state.get("path_input", "").strip()
    opened = st.session_state.get("opened_path")
    if not opened:
        return None, t("path.none", lang)
    return os.path.expanduser(opened), None


def _basemap(lang: str) -> tuple[str, str | None]:
    st.subheader(t("sidebar.basemap", lang))
    key = choice(
        st.selectbox,
        t("sidebar.basemap", lang),
        list(PROVIDERS),
        name="basemap",
        lang=lang,
        format_func=lambda k: t(PROVIDERS[k].label_key, lang),
        label_visibility="collapsed",
    )
    provider = PROVIDERS[key]
    tile_key = None
    if provider.needs_key:
        tile_key = st.text_input(t("tiles.key", lang), key="tianditu_key", type="password")
        if not tile_key:
            st.warning(t("tiles.key_missing", lang))
    if provider.online:
        st.caption(t("tiles.online", lang))
    if provider.datum == "gcj02":
        st.info(t("tiles.gcj02_shift", lang))
    return key, tile_key or None


def demo_copy() -> Path:
    """The demo's working copy of the sample, made once in the GridMap home (``demo/``)."""
    sample = sample_path()
    copy = gridmap_home() / "demo" / sample.name
    if not copy.is_file() and sample.is_file():
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(sample, copy)
    return copy


def language() -> str:
    """The language switch at the top of the sidebar; drawn once per run."""
    st.session_state.setdefault("lang", DEFAULT_LANG)
    with st.sidebar:
        lang: str = st.radio(
            t("sidebar.language"), LANGS, key="lang", horizontal=True, format_func=LANG_NAMES.get
        )
    return lang


def render_sidebar(user: User, lang: str) -> Context:
    """Draw the rest of the sidebar for the signed-in `user` and return what it chose."""
    st.session_state.setdefault("basemap", DEFAULT_PROVIDER)
    with st.sidebar:
        gate.user_box(user, lang)
        st.subheader(t("sidebar.data", lang))
        if gate.demo_mode():
            source = "demo"
            st.caption(t("auth.demo.source", lang))
        else:
            source = choice(
                st.radio,
                t("source.label", lang),
                SOURCES,
                name="source",
                lang=lang,
                format_func=lambda k: t(f"source.{k}", lang),
            )
        if source == "demo":
            copy = demo_copy()
            path, note = str(copy), None
            if not copy.is_file():
                path, note = None, t("sample.missing", lang, path=_shown_path(str(sample_path())))
        elif source == "upload":
            path, note = _upload(lang)
        elif source == "path":
            path, note = _by_path(lang)
        else:
            sample = sample_path()
            path, note = str(sample), None
            if not sample.is_file():
                path, note = None, t("sample.missing", lang, path=_shown_path(str(sample)))
        if path:
            st.caption(t("loaded", lang, name=_shown_path(path)))
        basemap, tile_key = _basemap(lang)
    return Context(lang, source, path, note, basemap, tile_key, user)


def signed_in_sidebar(*, entrypoint: bool = False) -> Context:
    """The language switch, the sign-in gate and the sidebar: what app.py draws first."""
    lang = language()
    user = gate.require(lang, entrypoint=entrypoint)
    return render_sidebar(user, lang)


def context() -> Context:
    """The `Context` of the current run, with the signed-in user checked again.

    app.py leaves it before the page runs; a page run on its own draws the
    sidebar (and the sign-in page) itself.
    """
    ctx = st.session_state.get("_context")
    if ctx is None:
        ctx = signed_in_sidebar()
        st.session_state["_context"] = ctx
        return ctx
    return replace(ctx, user=gate.require(ctx.lang))


def asset_base(lang: str) -> str | None:
    """URL path of the offline map assets; None (public CDNs) with a warning when missing."""
    if missing_vendor_assets(VENDOR_DIR) or not st.get_option("server.enableStaticServing"):
        st.warning(t("assets.missing", lang, command=INSTALL_COMMAND))
        return None
    prefix = (st.get_option("server.baseUrlPath") or "").strip("/")
    return (f"/{prefix}" if prefix else "") + STATIC_URL
