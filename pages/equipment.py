"""消防器材存放点: siting (maximal coverage / set cover), accepting sites, BOM and shortfalls."""

import streamlit as st

from gridmap.errors import GridmapError
from gridmap.i18n import t
from gridmap_app import equipment_panels as ui
from gridmap_app import loading
from gridmap_app.context import context

ctx = context()
lang = ctx.lang
st.markdown(f"### {t('page.equipment', lang)} · {t('app.title', lang)}")
if ctx.path is None:
    st.info(ctx.note)
    st.stop()
try:
    source = loading.Source.of(ctx.path)
    with st.spinner(t("loading", lang)):
        loading.district(source)
except GridmapError as exc:
    loading.show_error(exc, lang)
    st.stop()
if "eq_saved" in st.session_state:
    st.success(st.session_state.pop("eq_saved"))
siting, kit = st.tabs([t("eq.tab.siting", lang), t("eq.tab.kit", lang)])
try:
    with siting:
        ui.siting_view(source.key, ctx)
    with kit:
        ui.kit_view(source.key, ctx)
except GridmapError as exc:
    loading.show_error(exc, lang)
