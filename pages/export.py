"""地图导出: a print-ready map or a per-grid atlas as PDF, previewed as PNG.

The first visit starts from the grid chosen on the coverage map (its most
specific level), so a leader who drilled down there prints that grid. The
options form and the files are drawn by `gridmap_app.export.panels`; a file
is made when its button is pressed and shown again on later runs, from the
user's masked view or as a public version without personal data.
"""

import streamlit as st

from gridmap.errors import GridmapError
from gridmap.i18n import t
from gridmap_app import loading, page
from gridmap_app.export import panels as ui

ctx, source = page.start("export.page", check=True)
lang = ctx.lang
district = loading.district(source)
st.caption(t("export.offline", lang))
ui.start_from_coverage_selection()
left, right = st.columns([1, 2], gap="large")
with left:
    form = ui.options_form(district, source, ctx)
with right:
    if form.go or st.session_state.get("export_ready") == form.mode:
        st.session_state["export_ready"] = form.mode
        try:
            ui.files_view(form, source, lang, ctx.user)
        except GridmapError as exc:
            loading.show_error(exc, lang)
