"""The start every data page shares: sign-in, context, heading, and the district file opened.

`start` passes the sign-in gate (`gridmap_app.auth.require`, also when the
page runs on its own), refuses the page to a role without any of `actions`,
draws the page heading, stops the page with the sidebar's note when no
file is chosen, and opens the file through the cached loaders: with
``check=True`` the coverage check runs too (pages that show findings), else
only the district is loaded. The `Source` carries the user's view, so
`loading.district(source)` is what the user may see. A `GridmapError` is
shown as readable text and the page stops; nothing else is caught.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from gridmap.errors import GridmapError
from gridmap.i18n import t
from gridmap.identity import Action, User
from gridmap_app import loading
from gridmap_app.auth.guard import allow_page
from gridmap_app.auth.views import view_of
from gridmap_app.context import Context, context


def signed_in(*, actions: Iterable[Action] = (), page: str = "") -> tuple[Context, User]:
    """The run's context and its signed-in user; the page stops for a role without `actions`."""
    ctx = context()
    assert ctx.user is not None  # the gate stops the run otherwise
    needed = tuple(actions)
    if needed:
        allow_page(ctx.user, needed, ctx.lang, page=page)
    return ctx, ctx.user


def start(
    title_key: str, *, check: bool = False, actions: Iterable[Action] = ()
) -> tuple[Context, loading.Source]:
    """The run's context and the opened file; stops the page when there is none."""
    ctx, user = signed_in(actions=actions, page=title_key)
    st.markdown(f"### {t(title_key, ctx.lang)} · {t('app.title', ctx.lang)}")
    if ctx.path is None:
        st.info(ctx.note)
        st.stop()
    view = view_of(user)
    if check:
        source = loading.open_source(ctx.path, view, ctx.lang)
        if source is None:
            st.stop()
        return ctx, source
    try:
        source = loading.Source.of(ctx.path, view)
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
