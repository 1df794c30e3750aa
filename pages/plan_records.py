"""台帐登记: record trainings, drills and joint meetings; the latest records; the fire teams."""

import streamlit as st

from gridmap.errors import GridmapError
from gridmap.i18n import t
from gridmap_app import loading
from gridmap_app import plan_record_panels as ui
from gridmap_app.context import context

ctx = context()
lang = ctx.lang
st.markdown(f"### {t('page.plan_records', lang)} · {t('app.title', lang)}")
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
if ui.SAVED in st.session_state:
    st.success(st.session_state.pop(ui.SAVED))
view = (
    st.segmented_control(
        t("plan.view", lang),
        ui.VIEWS,
        key="plan_view",
        default="trainings",
        format_func=lambda v: t(f"plan.view.{v}", lang),
    )
    or "trainings"
)
forms = {"trainings": ui.training_form, "drills": ui.drill_form, "meetings": ui.meeting_form}
if view in forms:
    forms[view](source.key, district, lang)
ui.recent(district, view, lang)
