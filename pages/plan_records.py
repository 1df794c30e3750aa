"""台帐登记: record trainings, drills and joint meetings; the latest records; the fire teams."""

import streamlit as st

from gridmap.i18n import t
from gridmap_app import loading, page
from gridmap_app import plan_records as ui

ctx, source = page.start("page.plan_records")
lang, user = ctx.lang, ctx.user
district = loading.district(source)  # masked for the user: what the page shows
page.flash(ui.SAVED)
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
if view in forms and ui.may_record(user, lang):
    forms[view](source.key, loading.full_district(source), user, lang)
ui.recent(district, view, lang)
