"""一张图: the leaders' coverage map with drill-down, KPIs and the side panel.

The widgets are drawn by `gridmap_app.coverage`; a click on the map selects a grid.
What is shown is masked for the signed-in user (`gridmap_app.loading.district`).
"""

import streamlit as st

from gridmap.render.web.tiles import PROVIDERS
from gridmap_app import coverage as ui
from gridmap_app import loading, page

ctx, source = page.start("page.coverage_map", check=True)
lang = ctx.lang
district = loading.district(source)
ui.apply_map_click(district, gcj02=PROVIDERS[ctx.basemap].datum == "gcj02")
selection, indicator = ui.selectors(district, lang)
ui.kpi_header(loading.kpis(*source.file_key, selection.as_tuple()), lang)
left, right = st.columns([3, 1.15], gap="medium")
with left:
    ui.coverage_map(source, ctx, selection, indicator)
with right:
    profile = loading.profile(*source.key, selection.as_tuple())
    ui.side_panel(profile, lang, loading.report(source))
    ui.audit_personal_view(ctx, source, profile)
