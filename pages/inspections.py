"""巡查与隐患: inspection heat, missing inspections, tallies, compliance, hazards and recording."""

import streamlit as st

from gridmap.i18n import t
from gridmap_app import loading, page
from gridmap_app.inspections import panels as ui

ctx, source = page.start("page.inspections")
lang = ctx.lang
district = loading.district(source)
key = source.key
page.flash("insp_saved")
view = (
    st.segmented_control(
        t("insp.view", lang),
        ui.VIEWS,
        key="insp_view",
        default="heat",
        format_func=lambda v: t(f"insp.view.{v}", lang),
    )
    or "heat"
)
if view == "hazards":
    ui.hazards_view(key, ctx)
elif view == "record":
    ui.record_view(key, ctx)
elif "inspections" not in district and view != "compliance":
    st.info(t("insp.no_layer", lang))
else:
    ui.FILTERED[view](key, ctx, ui.filters(key, lang))
