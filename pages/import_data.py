"""导入数据: files as users have them, previewed, mapped and checked before anything is written.

Typed paths (sources and the target) are confined to the data folder:
``$GRIDMAP_DATA_DIR``, else the folder of the open district.
"""

import streamlit as st

from gridmap.i18n import layer_label, t
from gridmap.io.paths import data_folder
from gridmap.schema import LAYERS
from gridmap_app.context import context
from gridmap_app.importing.panels import chosen_files, options_form, preview, target_path
from gridmap_app.importing.run import check_and_import

ctx = context()
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
    list(LAYERS),
    key="imp_layer",
    format_func=lambda k: f"{layer_label(k, lang)} ({k})",
)
files = chosen_files(lang, root)
if not files:
    st.info(t("imp.none", lang))
    st.stop()
columns = preview(files, layer, lang)
if not columns:
    st.stop()
options, mode = options_form(columns, layer, lang)
target = target_path(typed_target, root, lang)
if target is None:
    st.stop()
check_and_import(files, target, layer, options=options, mode=mode, lang=lang)
