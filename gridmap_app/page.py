"""The start every data page shares: context, heading, and the district file opened.

`start` draws the page heading, stops the page with the sidebar's note when no
file is chosen, and opens the file through the cached loaders: with
``check=True`` the coverage check runs too (pages that show findings), else
only the district is loaded. A `GridmapError` is shown as readable text and
the page stops; nothing else is caught.
"""

from __future__ import annotations

import streamlit as st

from gridmap.errors import GridmapError
from gridmap.i18n import t
from gridmap_app import loading
from gridmap_app.context import Context, context


def start(title_key: str, *, check: bool = False) -> tuple[Context, loading.Source]:
    """The run's context and the opened file; stops the page when there is none."""
    ctx = context()
    st.markdown(f"### {t(title_key, ctx.lang)} · {t('app.title', ctx.lang)}")
    if ctx.path is None:
        st.info(ctx.note)
        st.stop()
    if check:
        source = loading.open_source(ctx.path, ctx.lang)
        if source is None:
            st.stop()
        return ctx, source
    try:
        source = loading.Source.of(ctx.path)
        with st.spinner(t("loading", ctx.lang)):
            loading.district(source)
    except GridmapError as exc:
        loading.show_error(exc, ctx.lang)
        st.stop()
    return ctx, source


def flash(key: str) -> None:
    """Show, once, the success message a form left under `key` before its rerun."""
    if key in st.session_state:
        st.success(st.session_state.pop(key))
