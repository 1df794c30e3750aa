"""巡查与隐患: inspection heat, missing inspections, tallies, compliance, hazards and recording."""

import streamlit as st

from gridmap.errors import GridmapError
from gridmap.i18n import t
from gridmap_app import inspection_panels as ui
from gridmap_app import loading
from gridmap_app.context import context

ctx = context()
lang = ctx.lang
st.markdown(f"### {t('page.inspections', lang)} · {t('app.title', lang)}")
if ctx.path is None:
    st.info(ctx.note)
    st.stop()
try:
    source = loading.Source.of(ctx.path)
    with st.spinner(t("loading", lang)):
        district = loading.district(source)
except GridmapError as exc:
    loading.show_error(exc, lang)
    st.stop()
key = source.key
if "insp_saved" in st.session_state:
    st.success(st.session_state.pop("insp_saved"))
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
