"""Widgets of the administrator's page: the users and the audit log.

Users: the list (role in Chinese or English, grids, disabled, locked), adding
one (password twice, checked by the store's policy), changing role, grids and
display name, disabling, enabling, unlocking and resetting a password; every
change is audited (``user_add``, ``user_change`` ...). The audit log: filters
by date range, user and action, the table of `gridmap.io.audit.audit_table`,
the hash chain's `verify()` result, and exports as Excel (headers in both
languages) and CSV, each download itself audited as an export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from gridmap import clock
from gridmap.errors import GridmapError
from gridmap.i18n import t
from gridmap.identity import AUDIT_ACTIONS, Role, User
from gridmap.io import workbook_bytes
from gridmap.io.accounts import Account, UserStore
from gridmap.io.audit import HEADERS, AuditLog, audit_table
from gridmap.schema import Sheet
from gridmap_app.auth import guard
from gridmap_app.auth.trail import record

FLASH = "admin_flash"


def _role(role: Role, lang: str) -> str:
    return role.en if lang == "en" else role.zh


def _grids(text: str) -> tuple[str, ...]:
    return tuple(g.strip() for g in text.replace("，", ",").split(",") if g.strip())


def users_table(accounts: list[Account], lang: str) -> pd.DataFrame:
    """One row per account, headers in `lang`."""
    now = clock.now_in_shanghai()
    rows = [
        {
            t("admin.col.name", lang): a.user.name,
            t("admin.col.display", lang): a.user.display,
            t("admin.col.role", lang): _role(a.user.role, lang),
            t("admin.col.grids", lang): ", ".join(a.user.grids),
            t("admin.col.disabled", lang): a.disabled,
            t("admin.col.locked", lang): a.locked_until is not None and now < a.locked_until,
            t("admin.col.signed_in", lang): a.signed_in_at or "",
        }
        for a in accounts
    ]
    return pd.DataFrame(rows)


def _done(admin: User, action: str, name: str, what: str, lang: str) -> None:
    record(action, admin, detail=f"{name}: {what}")
    st.session_state[FLASH] = t("admin.done", lang, what=what, name=name)
    st.rerun()


def _attempt(admin: User, action: str, name: str, lang: str, change: Callable[[], object]) -> bool:
    """Run `change`; a refusal of the store is shown and audited as failed."""
    try:
        change()
    except GridmapError as exc:
        record(action, admin, outcome="failed", detail=f"{name}: {exc}")
        st.error(str(exc))
        return False
    return True


def _act(
    admin: User, action: str, name: str, *, what: str, lang: str, change: Callable[[], object]
) -> None:
    """Run `change` on account `name`; audit it (done or refused) and say so."""
    if _attempt(admin, action, name, lang, change):
        _done(admin, action, name, what, lang)


def _role_choice(label_lang: str, key: str, index: int = 0) -> Role:
    roles = list(Role)
    chosen: Role = st.selectbox(
        t("admin.col.role", label_lang),
        roles,
        index=index,
        key=key,
        format_func=lambda r: f"{r.zh} {r.en}",
    )
    return chosen


def add_form(store: UserStore, admin: User, lang: str) -> None:
    with st.form("admin_add", clear_on_submit=True):
        cols = st.columns(2)
        name = cols[0].text_input(t("admin.col.name", lang), key="admin_new_name")
        display = cols[1].text_input(t("admin.col.display", lang), key="admin_new_display")
        role = _role_choice(lang, "admin_new_role", index=list(Role).index(Role.VIEWER))
        grids = st.text_input(
            t("admin.col.grids", lang), key="admin_new_grids", help=t("admin.grids_help", lang)
        )
        password = st.text_input(t("admin.password", lang), type="password", key="admin_new_pw")
        again = st.text_input(t("admin.password2", lang), type="password", key="admin_new_pw2")
        submitted = st.form_submit_button(t("admin.add.submit", lang))
    if not submitted:
        return
    if password != again:
        st.error(t("admin.mismatch", lang))
        return
    try:
        user = User(name.strip(), role, grids=_grids(grids), display=display.strip())
    except ValueError as exc:
        st.error(str(exc))
        return
    what = f"{user.role.value} {','.join(user.grids)}"
    _act(
        admin, "user_add", user.name, what=what, lang=lang, change=lambda: store.add(user, password)
    )


def manage_form(store: UserStore, admin: User, accounts: list[Account], lang: str) -> None:
    """Change, disable, enable, unlock or reset one account."""
    names = [a.user.name for a in accounts]
    name = st.selectbox(t("admin.account", lang), names, key="admin_account")
    account = next(a for a in accounts if a.user.name == name)
    with st.form("admin_change"):
        st.markdown(f"**{t('admin.change', lang)}**")
        role = _role_choice(lang, "admin_role", index=list(Role).index(account.user.role))
        grids = st.text_input(
            t("admin.col.grids", lang), ", ".join(account.user.grids), key=f"admin_grids_{name}"
        )
        display = st.text_input(
            t("admin.col.display", lang), account.user.display, key=f"admin_display_{name}"
        )
        if st.form_submit_button(t("admin.change.submit", lang)):
            change = {"role": role, "grids": _grids(grids), "display": display.strip()}
            what = f"{role.value} {','.join(change['grids'])}"
            _act(
                admin,
                "user_change",
                name,
                what=what,
                lang=lang,
                change=lambda: store.change(name, **change),
            )
    cols = st.columns(3)
    flip = (
        ("user_enable", "admin.enable") if account.disabled else ("user_disable", "admin.disable")
    )
    if cols[0].button(t(flip[1], lang), key="admin_flip"):
        disable = not account.disabled
        _act(
            admin,
            flip[0],
            name,
            what=t(flip[1], lang),
            lang=lang,
            change=lambda: store.set_disabled(name, disable),
        )
    if cols[1].button(t("admin.unlock", lang), key="admin_unlock"):
        _act(
            admin,
            "user_change",
            name,
            what=t("admin.unlock", lang),
            lang=lang,
            change=lambda: store.unlock(name),
        )
    with cols[2].form("admin_reset", clear_on_submit=True):
        password = st.text_input(t("admin.reset", lang), type="password", key="admin_reset_pw")
        reset = st.form_submit_button(t("admin.reset.submit", lang))
    if reset:
        _act(
            admin,
            "user_reset",
            name,
            what=t("admin.reset", lang),
            lang=lang,
            change=lambda: store.reset_password(name, password),
        )


def users_view(admin: User, lang: str) -> None:
    store = UserStore()
    accounts = store.accounts()
    st.dataframe(users_table(accounts, lang), hide_index=True, width="stretch")
    with st.expander(t("admin.add", lang)):
        add_form(store, admin, lang)
    if accounts:
        manage_form(store, admin, accounts, lang)


def export_table(events: pd.DataFrame) -> pd.DataFrame:
    """The log as exported: Chinese action names, headers in both languages (时间 / time)."""
    shown = audit_table(events, "zh")
    shown.columns = [f"{HEADERS[c][0]} / {HEADERS[c][1]}" for c in events.columns]
    return shown


def _filters(log: AuditLog, lang: str) -> pd.DataFrame:
    today = clock.today_in_shanghai()
    cols = st.columns(4)
    since = cols[0].date_input(
        t("admin.since", lang), today - dt.timedelta(days=30), key="audit_since"
    )
    until = cols[1].date_input(t("admin.until", lang), today, key="audit_until")
    users = [""] + sorted(set(log.read()["user"]))
    user = cols[2].selectbox(
        t("admin.user", lang),
        users,
        key="audit_user",
        format_func=lambda u: u or t("admin.any", lang),
    )
    actions = ["", *AUDIT_ACTIONS]
    index = 1 if lang == "en" else 0
    action = cols[3].selectbox(
        t("admin.action", lang),
        actions,
        key="audit_action",
        format_func=lambda a: AUDIT_ACTIONS[a][index] if a else t("admin.any", lang),
    )
    zone = "Asia/Shanghai"
    return log.read(
        since=pd.Timestamp(since, tz=zone),
        until=pd.Timestamp(until, tz=zone) + pd.Timedelta(days=1),
        user=user or None,
        action=action or None,
    )


def audit_view(admin: User, lang: str) -> None:
    log = AuditLog()
    broken = log.verify()
    events = _filters(log, lang)
    if broken:
        st.error(t("admin.verify.broken", lang, seq=broken[0]))
    else:
        st.success(t("admin.verify.ok", lang, n=len(log.read())))
    st.caption(t("admin.events", lang, n=len(events)))
    st.dataframe(audit_table(events, lang), hide_index=True, width="stretch")
    table = export_table(events)
    cols = st.columns(2)
    sheet = Sheet("审计日志", "审计日志 Audit log", table)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    csv = table.to_csv(index=False).encode("utf-8-sig")
    guard.download(
        admin,
        t("admin.export.xlsx", lang),
        workbook_bytes([sheet]),
        file_name="audit_log.xlsx",
        public=False,
        key="audit_xlsx",
        container=cols[0],
        mime=xlsx,
    )
    guard.download(
        admin,
        t("admin.export.csv", lang),
        csv,
        file_name="audit_log.csv",
        public=False,
        key="audit_csv",
        container=cols[1],
        mime="text/csv",
    )
