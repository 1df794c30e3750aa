"""考核评分: the ranked scorecard of towns and communities, its workbook and the score map."""

import streamlit as st

from gridmap.errors import GridmapError
from gridmap.i18n import t
from gridmap_app import loading, page
from gridmap_app.assessment import loading as data
from gridmap_app.assessment import panels as ui

ctx, source = page.start("page.assessment", check=True)
lang = ctx.lang
key = source.key
opts = ui.options(key, lang)
try:
    with st.spinner(t("loading", lang)):
        found = data.assessment(
            *key,
            period=opts["period"],
            as_of=opts["as_of"],
            vetoes=opts["vetoes"],
            fires=opts["fires"],
        )
except GridmapError as exc:
    loading.show_error(exc, lang)
    st.stop()
ui.kpis(found, lang)
left, right = st.columns([1.1, 1], gap="medium")
with left:
    ui.tables(key, ctx, found, opts)
with right:
    ui.score_map_view(key, ctx, found)
