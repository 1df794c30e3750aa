"""消防器材存放点: siting (maximal coverage / set cover), accepting sites, BOM and shortfalls."""

import streamlit as st

from gridmap.errors import GridmapError
from gridmap.i18n import t
from gridmap_app import equipment as ui
from gridmap_app import loading, page

ctx, source = page.start("page.equipment")
lang = ctx.lang
page.flash("eq_saved")
siting, kit = st.tabs([t("eq.tab.siting", lang), t("eq.tab.kit", lang)])
try:
    with siting:
        ui.siting_view(source.key, ctx)
    with kit:
        ui.kit_view(source.key, ctx)
except GridmapError as exc:
    loading.show_error(exc, lang)
