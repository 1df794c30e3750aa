"""用户与审计: the administrator's page (users, roles, grids; the audit log and its exports).

Only administrators see it in the menu; anyone else who types its address is
refused (and the refusal is audited). The widgets are `gridmap_app.admin`.
"""

import streamlit as st

from gridmap.i18n import t
from gridmap.identity import Action
from gridmap_app import admin as ui
from gridmap_app import page

ctx, user = page.signed_in(actions=(Action.MANAGE_USERS,), page="admin")
lang = ctx.lang
st.markdown(f"### {t('page.admin', lang)} · {t('app.title', lang)}")
page.flash(ui.FLASH)
users, audit = st.tabs([t("admin.users", lang), t("admin.audit", lang)])
with users:
    ui.users_view(user, lang)
with audit:
    ui.audit_view(user, lang)
