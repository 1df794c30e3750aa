"""一张图: the leaders' coverage map with drill-down, KPIs and the side panel.

The widgets are drawn by `gridmap_app.coverage`; a click on the map selects a grid.
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
ui.kpi_header(loading.kpis(*source.key, selection.as_tuple()), lang)
left, right = st.columns([3, 1.15], gap="medium")
with left:
    ui.coverage_map(source, ctx, selection, indicator)
with right:
    ui.side_panel(loading.profile(*source.key, selection.as_tuple()), lang, loading.report(source))
