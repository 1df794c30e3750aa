"""GridMap: the Streamlit app (`streamlit run app.py`).

Only the sign-in gate, navigation and the shared sidebar live here; each page
is a file in pages/ and the work is done by the `gridmap` package. The menu
follows the signed-in user's role: the import page for administrators and
planners, the users and audit page for administrators (each page refuses
other roles itself too, when its address is typed).
"""

import streamlit as st

from gridmap.i18n import t
from gridmap.identity import Action
from gridmap_app.context import signed_in_sidebar

#: (file in pages/, title key, icon, URL path, `Action` values of which the user needs one).
PAGES = (
    ("coverage_map", "page.coverage_map", ":material/map:", "coverage", ()),
    ("edit_grids", "page.edit", ":material/edit_location_alt:", "edit", ()),
    ("inspections", "page.inspections", ":material/fact_check:", "inspections", ()),
    ("equipment", "page.equipment", ":material/fire_extinguisher:", "equipment", ()),
    ("plan_records", "page.plan_records", ":material/menu_book:", "records", ()),
    ("assessment", "page.assessment", ":material/military_tech:", "assessment", ()),
    ("export", "export.page", ":material/print:", "export", ()),
    (
        "import_data",
        "page.import",
        ":material/upload_file:",
        "import",
        ("import_any", "import_grids"),
    ),
    ("admin", "page.admin", ":material/admin_panel_settings:", "admin", ("manage_users",)),
)

st.set_page_config(page_title="GridMap 消防安全网格", page_icon="🧯", layout="wide")

st.html("<style>[data-testid='stMainBlockContainer'] {padding-top: 2.2rem;}</style>")
context = signed_in_sidebar(entrypoint=True)
st.session_state["_context"] = context
user = context.user
assert user is not None  # the gate stops the run until someone is signed in
pages = [
    st.Page(
        f"pages/{name}.py",
        title=t(title, context.lang),
        icon=icon,
        url_path=url,
        default=(name == "coverage_map"),
    )
    for name, title, icon, url, actions in PAGES
    if not actions or any(user.can(Action(a)) for a in actions)
]
st.navigation(pages).run()
