"""GridMap: the Streamlit app (`streamlit run app.py`).

Only navigation and the shared sidebar live here; each page is a file in
pages/ and the work is done by the `gridmap` package.
"""

import streamlit as st

from gridmap.i18n import t
from gridmap_app.context import render_sidebar

st.set_page_config(page_title="GridMap 消防安全网格", page_icon="🧯", layout="wide")

st.html("<style>[data-testid='stMainBlockContainer'] {padding-top: 2.2rem;}</style>")
context = render_sidebar()
st.session_state["_context"] = context
pages = [
    st.Page(
        "pages/coverage_map.py",
        title=t("page.coverage_map", context.lang),
        icon="🗺️",
        url_path="coverage",
        default=True,
    ),
]
st.navigation(pages).run()
