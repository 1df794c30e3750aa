"""GridMap: the Streamlit app (`streamlit run app.py`).

Only navigation and the shared sidebar live here; each page is a file in
pages/ and the work is done by the `gridmap` package.
"""

import streamlit as st

from gridmap.i18n import t
from gridmap_app.context import render_sidebar

#: (file in pages/, title key, icon, URL path), in the order of the menu.
PAGES = (
    ("coverage_map", "page.coverage_map", ":material/map:", "coverage"),
    ("edit_grids", "page.edit", ":material/edit_location_alt:", "edit"),
    ("inspections", "page.inspections", ":material/fact_check:", "inspections"),
    ("equipment", "page.equipment", ":material/fire_extinguisher:", "equipment"),
    ("plan_records", "page.plan_records", ":material/menu_book:", "records"),
    ("assessment", "page.assessment", ":material/military_tech:", "assessment"),
    ("export", "export.page", ":material/print:", "export"),
    ("import_data", "page.import", ":material/upload_file:", "import"),
)

st.set_page_config(page_title="GridMap 消防安全网格", page_icon="🧯", layout="wide")

st.html("<style>[data-testid='stMainBlockContainer'] {padding-top: 2.2rem;}</style>")
context = render_sidebar()
st.session_state["_context"] = context
pages = [
    st.Page(
        f"pages/{name}.py",
        title=t(title, context.lang),
        icon=icon,
        url_path=url,
        default=(name == "coverage_map"),
    )
    for name, title, icon, url in PAGES
]
st.navigation(pages).run()
