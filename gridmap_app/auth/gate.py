"""The sign-in gate: every run of every page passes `require` before it shows anything.

The session keeps only ``{name, source, last_seen}`` under `AUTH` (never a
password); the account is read again from the user store on every run, so
a disabled or removed account is signed out at its next step and a change
of role or grids takes effect at once. A session idle for `IDLE_TIMEOUT`
is signed out. How users sign in is set by ``GRIDMAP_AUTH``:

- ``local`` (default): a form checked against the user store (Argon2id,
  lockout after repeated failures);
- ``proxy``: the intranet's reverse proxy has signed the user in and names
  the account in the header ``GRIDMAP_AUTH_HEADER`` (default
  ``X-Remote-User``); the proxy must strip that header from clients' requests;
- ``oidc``: Streamlit's ``st.login()`` with the ``[auth]`` section of
  ``.streamlit/secrets.toml``; the e-mail (or ``preferred_username``) names
  the account.

``GRIDMAP_DEMO=1`` replaces the form by two buttons (a viewer and a planner,
no password) that open only a working copy of the bundled sample.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace

import pandas as pd
import streamlit as st

from gridmap import clock
from gridmap.errors import SignInError
from gridmap.i18n import t
from gridmap.identity import IDLE_TIMEOUT, Role, User, session_expired
from gridmap.io.accounts import UserStore
from gridmap_app.auth.trail import VIEWED, record

#: Session key of the signed-in session: {"name", "source", "last_seen"}.
AUTH = "_auth"
#: A message for the sign-in page (timed out, signed out, account disabled).
NOTICE = "_auth_notice"
_ERROR = "_auth_error"
_LOGOUT = "_auth_oidc_logout"
#: Session keys that hold what one user opened; they go when the user signs out.
_PRIVATE = (VIEWED, "_uploads", "opened_path", "edit_pending", "imp_checked", "eq_result")

MODES = ("local", "proxy", "oidc")
DEFAULT_HEADER = "X-Remote-User"
FIRST_ADMIN = "gridmap users add NAME --role administrator"

#: The demo mode's two users (not in the store).
DEMO_USERS: dict[str, User] = {
    "demo-viewer": User("demo-viewer", Role.VIEWER, display="演示查看", source="demo"),
    "demo-planner": User("demo-planner", Role.PLANNER, display="演示规划", source="demo"),
}


def auth_mode() -> str:
    """``GRIDMAP_AUTH``: local (default), proxy or oidc."""
    return (os.environ.get("GRIDMAP_AUTH") or "local").strip().lower()


def demo_mode() -> bool:
    """True when ``GRIDMAP_DEMO`` is set (1, true, yes)."""
    return (os.environ.get("GRIDMAP_DEMO") or "").strip().lower() in ("1", "true", "yes")


def proxy_header() -> str:
    """The header naming the signed-in account in proxy mode."""
    return (os.environ.get("GRIDMAP_AUTH_HEADER") or DEFAULT_HEADER).strip()


def request_headers() -> Mapping[str, str]:
    """The headers of the request that opened this session (as the proxy sent them)."""
    return st.context.headers


def _now() -> pd.Timestamp:
    return clock.now_in_shanghai()


def _remember(user: User) -> User:
    st.session_state[AUTH] = {
        "name": user.name,
        "source": user.source,
        "last_seen": _now().isoformat(),
    }
    return user


def _forget(notice: str | None = None) -> None:
    for key in (AUTH, *_PRIVATE):
        st.session_state.pop(key, None)
    if notice:
        st.session_state[NOTICE] = notice


def _account(name: str, source: str) -> User | None:
    """The enabled user `name` as it is now (demo users from `DEMO_USERS`)."""
    if source == "demo":
        return DEMO_USERS.get(name) if demo_mode() else None
    user = UserStore().get(name)
    return replace(user, source=source) if user is not None else None


def _current() -> User | None:
    """The signed-in user of this session, checked again; None when signed out now."""
    session = st.session_state.get(AUTH)
    if not isinstance(session, dict):
        return None
    name, source = str(session.get("name", "")), str(session.get("source", "local"))
    user = _account(name, source)
    last_seen = pd.Timestamp(session.get("last_seen") or _now())
    if session_expired(last_seen, _now(), IDLE_TIMEOUT):
        record("session_expired", user, name=name, detail=f"idle since {last_seen:%H:%M}")
        _forget("auth.expired")
        return None
    if user is None:
        record("sign_out", None, name=name, outcome="denied", detail="account disabled or removed")
        _forget("auth.gone")
        return None
    if source == "proxy" and _header_name() != name:
        _forget()  # another account behind the proxy now
        return None
    return _remember(user)


def sign_out() -> None:
    """End the session (the sidebar button's callback)."""
    user = _current_quietly()
    session = st.session_state.get(AUTH) or {}
    record("sign_out", user, name=str(session.get("name", "")))
    if session.get("source") == "oidc":
        st.session_state[_LOGOUT] = True
    _forget("auth.signed_out")


def _current_quietly() -> User | None:
    session = st.session_state.get(AUTH)
    if not isinstance(session, dict):
        return None
    return _account(str(session.get("name", "")), str(session.get("source", "local")))


def _no_menu() -> None:
    """Before anyone signs in, declare a hidden navigation (app.py only).

    Without it Streamlit lists every file of pages/ by its name in the sidebar
    of the sign-in page (its navigation from the folder), in English.
    """
    st.navigation([st.Page(_signing_in, title="GridMap", url_path="signin")], position="hidden")


def _signing_in() -> None:
    """The hidden page of the sign-in run (never run: the run stops first)."""


def require(lang: str, *, entrypoint: bool = False) -> User:
    """Return the signed-in user; otherwise draw the sign-in page and stop the run.

    `entrypoint` is True in app.py, whose sign-in page then shows no menu.
    """
    if st.session_state.pop(_LOGOUT, False):
        st.logout()
    user = _current()
    if user is not None:
        return user
    mode = auth_mode()
    if mode not in MODES:
        st.error(t("auth.bad_mode", lang, mode=mode))
        st.stop()
    if not demo_mode() and mode == "proxy":
        return _by_proxy(lang)
    st.markdown(f"### {t('auth.title', lang)} · {t('app.title', lang)}")
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.info(t(notice, lang))
    if demo_mode():
        _demo_buttons(lang)
    elif mode == "oidc":
        _by_oidc(lang)
    else:
        _local_form(lang)
    if entrypoint:
        _no_menu()
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover


# -- local accounts ---------------------------------------------------------------------------
def _submit_local() -> None:
    name = str(st.session_state.get("signin_name", "")).strip()
    password = str(st.session_state.get("signin_password", ""))
    st.session_state["signin_password"] = ""  # the password is not kept in the session
    try:
        user = UserStore().sign_in(name, password)
    except SignInError as exc:
        action = "account_locked" if exc.locked else "sign_in_failed"
        record(
            action, None, name=name, outcome="denied" if exc.locked else "failed", detail=str(exc)
        )
        st.session_state[_ERROR] = ("auth.locked" if exc.locked else "auth.wrong", str(exc))
        return
    record("sign_in", user, detail="local")
    _remember(user)


def _local_form(lang: str) -> None:
    if UserStore().is_empty():
        st.warning(t("auth.empty", lang))
        st.code(FIRST_ADMIN, language="bash")
        return
    error = st.session_state.pop(_ERROR, None)
    if error:
        key, detail = error
        st.error(t(key, lang) + ("" if key == "auth.wrong" else f"  \n{detail}"))
    with st.form("signin_form"):
        st.text_input(t("auth.name", lang), key="signin_name")
        st.text_input(t("auth.password", lang), type="password", key="signin_password")
        st.form_submit_button(t("auth.submit", lang), type="primary", on_click=_submit_local)


# -- demo mode --------------------------------------------------------------------------------
def _sign_in_demo(name: str) -> None:
    user = DEMO_USERS[name]
    record("sign_in", user, detail="demo")
    _remember(user)


def _demo_buttons(lang: str) -> None:
    st.info(t("auth.demo.intro", lang))
    left, right = st.columns(2)
    left.button(
        t("auth.demo.viewer", lang),
        key="demo_viewer",
        type="primary",
        on_click=_sign_in_demo,
        args=("demo-viewer",),
    )
    right.button(
        t("auth.demo.planner", lang),
        key="demo_planner",
        on_click=_sign_in_demo,
        args=("demo-planner",),
    )


# -- reverse proxy ----------------------------------------------------------------------------
def _header_name() -> str:
    return str(request_headers().get(proxy_header()) or "").strip()


def _by_proxy(lang: str) -> User:
    name = _header_name()
    if not name:
        st.error(t("auth.proxy.missing", lang, header=proxy_header()))
        st.stop()
    user = _account(name, "proxy")
    if user is None:
        record("sign_in_failed", None, name=name, outcome="failed", detail="proxy: no account")
        st.error(t("auth.unknown_account", lang, name=name))
        st.stop()
        raise AssertionError("st.stop() returned")  # pragma: no cover
    record("sign_in", user, detail=f"proxy header {proxy_header()}")
    return _remember(user)


# -- OpenID Connect through st.login ----------------------------------------------------------
def oidc_configured() -> bool:
    """Whether .streamlit/secrets.toml has an [auth] section for st.login()."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return False


def _by_oidc(lang: str) -> None:
    if not oidc_configured():
        st.error(t("auth.oidc.unconfigured", lang))
        return
    if not st.user.get("is_logged_in"):
        if st.button(t("auth.oidc.login", lang), key="oidc_login", type="primary"):
            st.login()
        return
    name = str(st.user.get("email") or st.user.get("preferred_username") or "").strip()
    if not name:
        st.error(t("auth.oidc.no_name", lang))
        return
    user = _account(name, "oidc")
    if user is None:
        record("sign_in_failed", None, name=name, outcome="failed", detail="oidc: no account")
        st.error(t("auth.unknown_account", lang, name=name))
        st.button(t("auth.sign_out", lang), key="oidc_logout", on_click=st.logout)
        return
    record("sign_in", user, detail="oidc")
    _remember(user)
    st.rerun()


# -- the sidebar ------------------------------------------------------------------------------
def user_box(user: User, lang: str) -> None:
    """Who is signed in, with the role, and the sign-out button (in the sidebar)."""
    role = user.role.en if lang == "en" else user.role.zh
    st.caption(t("auth.signed_in_as", lang, label=user.label, role=role))
    st.button(t("auth.sign_out", lang), key="sign_out", on_click=sign_out)
