"""边界编辑: planners split, merge, reshape and draw grids, preview the impact, save, undo.

Edits are built on the file as loaded and saved as the signed-in user; the map is masked.
"""

import streamlit as st

from gridmap.analysis.editing import review_edit
from gridmap.errors import GridmapError
from gridmap.i18n import t
from gridmap.render.web.tiles import PROVIDERS
from gridmap_app import loading, page
from gridmap_app.edit import panels as ui
from gridmap_app.edit import review as review_ui

ctx, source = page.start("page.edit", check=True)
lang, user = ctx.lang, ctx.user
st.caption(t("edit.intro", lang))
district = loading.full_district(source)
page.flash(review_ui.FLASH)
left, right = st.columns([3, 1.3], gap="medium")
with right:
    form = ui.operation_form(district, lang, ui.allowed_operations(user, lang))
with left:
    drawing = ui.drawing_map(source, ctx, form)
changes = ui.attribute_table(district, form, lang, user) if form["op"] == "attributes" else []
signature = ui.signature(form, drawing, changes)
if form["op"] and st.button(t("edit.preview", lang), key="edit_preview"):
    st.session_state.pop(review_ui.PENDING, None)
    gcj02 = PROVIDERS[ctx.basemap].datum == "gcj02"
    try:
        edits = ui.build_edits(district, form, drawing, changes, lang=lang, gcj02=gcj02)
        if not edits:
            st.info(t("edit.attributes.none", lang))
        else:
            with st.spinner(t("loading", lang)):
                review = review_edit(district, edits, before=loading.report(source))
            st.session_state[review_ui.PENDING] = review_ui.Pending(
                district, edits, review, signature
            )
    except GridmapError as exc:
        loading.show_error(exc, lang, intro=t("edit.error", lang))
pending = st.session_state.get(review_ui.PENDING)
if pending is not None and pending.signature != signature:
    st.session_state.pop(review_ui.PENDING, None)
    st.info(t("edit.stale", lang))
elif pending is not None:
    review_ui.show_review(pending, ctx)
    review_ui.save_form(pending, user, lang)
review_ui.history(district, user, lang, masked=loading.district(source).masked)
