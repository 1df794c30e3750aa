"""导入数据: files as users have them, previewed, mapped and checked before anything is written.

Typed paths (sources and the target) are confined to the data folder:
``$GRIDMAP_DATA_DIR``, else the folder of the open district. Administrators import
any layer, planners the grid layers; the import is attributed to the signed-in user.
"""

import streamlit as st

from gridmap.i18n import layer_label, t
from gridmap.identity import Action
from gridmap.io.paths import data_folder
from gridmap_app.importing import panels as ui
from gridmap_app.importing.run import check_and_import
from gridmap_app.page import signed_in

ctx, user = signed_in(actions=(Action.IMPORT_ANY, Action.IMPORT_GRIDS), page="import")
lang = ctx.lang
st.markdown(f"### {t('page.import', lang)} · {t('app.title', lang)}")
st.caption(t("imp.intro", lang))
root = data_folder(ctx.path)
if ctx.source == "path" and ctx.path:
    st.session_state.setdefault("imp_target", ctx.path)
typed_target = st.text_input(
    t("imp.target", lang), key="imp_target", help=t("imp.target.help", lang)
)
layer = st.selectbox(
    t("imp.layer", lang),
    ui.layers_for(user),
    key="imp_layer",
    format_func=lambda k: f"{layer_label(k, lang)} ({k})",
)
files = ui.chosen_files(lang, root)
if not files:
    st.info(t("imp.none", lang))
    st.stop()
columns = ui.preview(files, layer, lang)
if not columns:
    st.stop()
options, mode = ui.options_form(columns, layer, lang)
target = ui.target_path(typed_target, root, lang)
if target is None:
    st.stop()
check_and_import(files, target, layer, options=options, mode=mode, lang=lang, user=user)
