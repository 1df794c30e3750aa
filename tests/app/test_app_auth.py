"""AppTest of the sign-in gate (issue 16): the form, lockout, idle expiry, sign-out, disabled
accounts, role changes, the proxy and OIDC modes and the demo mode.

Sign-ins go through the real form (``signin_name``, ``signin_password``, the 登录 button);
the accounts are those of `_app_support.ACCOUNTS` in the session's GRIDMAP_HOME, and tests
that change an account make their own.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from pathlib import Path

import pytest
from _app_support import PASSWORD, ROOT, SAMPLE, ensure_accounts, sign_in, signed_in
from streamlit.testing.v1 import AppTest

from gridmap.identity import Role, User
from gridmap.io import read_edit_log
from gridmap.io.accounts import UserStore
from gridmap.io.audit import AuditLog

APP = ROOT / "app.py"
COVERAGE = ROOT / "pages" / "coverage_map.py"
EDIT = ROOT / "pages" / "edit_grids.py"
TIMEOUT = 300


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def app(page: Path = APP, **state: object) -> AppTest:
    at = AppTest.from_file(str(page), default_timeout=TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    return run(at)


def type_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input(key="signin_name").input(name)
    at.text_input(key="signin_password").input(password)
    at.button(key="FormSubmitter:signin_form-登录").click()
    return run(at)


def events(action: str, user: str | None = None):
    return AuditLog().read(action=action, user=user)


def new_account(role: Role = Role.PLANNER, **kwargs: object) -> str:
    """A fresh account (tests that lock, disable or change it do not touch the shared ones)."""
    ensure_accounts()
    name = f"t{uuid.uuid4().hex[:8]}"
    UserStore().add(User(name, role, **kwargs), PASSWORD)  # type: ignore[arg-type]
    return name


def is_sign_in_page(at: AppTest) -> bool:
    return any(e.key == "signin_name" for e in at.text_input) and not at.metric


def test_nothing_is_shown_before_sign_in() -> None:
    ensure_accounts()
    at = app()
    assert is_sign_in_page(at)
    assert "登录" in at.markdown[0].value
    assert not at.get("component_instance") and not at.dataframe
    assert not any(r.key and r.key.startswith("source") for r in at.sidebar.radio), "no data yet"
    page = app(COVERAGE)  # a page run on its own is gated too
    assert is_sign_in_page(page)


def test_sign_in_through_the_form(sample: Path) -> None:
    ensure_accounts()
    at = type_in(app(), "planner", PASSWORD)
    assert not is_sign_in_page(at) and len(at.metric) == 6
    session = at.session_state["_auth"]
    assert set(session) == {"name", "source", "last_seen"} and session["name"] == "planner"
    assert at.session_state["signin_password"] == "", "the password is not kept"
    assert PASSWORD not in repr(
        {k: at.session_state[k] for k in at.session_state if not str(k).startswith("$$")}
    )
    box = " ".join(c.value for c in at.sidebar.caption)
    assert "规划人员 (planner)" in box and "规划人员" in box
    assert at.sidebar.button(key="sign_out").label == "退出登录"
    last = events("sign_in", "planner").iloc[-1]
    assert (last["role"], last["outcome"]) == ("planner", "ok")


def test_a_wrong_password_is_refused_and_audited() -> None:
    name = new_account()
    at = type_in(app(), name, "not the password")
    assert is_sign_in_page(at)
    assert "用户名或密码错误" in at.error[0].value
    failed = events("sign_in_failed", name)
    assert len(failed) == 1 and failed.iloc[0]["outcome"] == "failed"
    unknown = type_in(app(), "nobody-at-all", "whatever123")
    assert unknown.error[0].value == at.error[0].value, "an unknown name reads the same"
    assert len(events("sign_in_failed", "nobody-at-all")) == 1


def test_five_failures_lock_the_account() -> None:
    name = new_account()
    at = app()
    for _ in range(5):
        at = type_in(at, name, "wrong password")
    assert "账户已暂时锁定" in at.error[0].value
    at = type_in(at, name, PASSWORD)
    assert is_sign_in_page(at), "the right password is refused while locked"
    assert "账户已暂时锁定" in at.error[0].value and "unlock" in at.error[0].value
    assert len(events("sign_in_failed", name)) == 4
    locked = events("account_locked", name)
    assert len(locked) == 2 and set(locked["outcome"]) == {"denied"}
    UserStore().unlock(name)
    assert not is_sign_in_page(type_in(app(), name, PASSWORD))


def test_an_idle_session_expires(sample: Path) -> None:
    ensure_accounts()
    at = app(_auth=signed_in("viewer", idle_minutes=31))
    assert is_sign_in_page(at)
    assert "会话已超时，请重新登录" in [i.value for i in at.info]
    assert "_auth" not in at.session_state
    assert events("session_expired", "viewer").iloc[-1]["role"] == "viewer"
    fresh = app(_auth=signed_in("viewer", idle_minutes=29))
    assert not is_sign_in_page(fresh)


def test_sign_out(sample: Path) -> None:
    ensure_accounts()
    at = app(_auth=signed_in("staff"))
    at.sidebar.button(key="sign_out").click()
    at = run(at)
    assert is_sign_in_page(at)
    assert "已退出登录。" in [i.value for i in at.info]
    assert events("sign_out", "staff").iloc[-1]["outcome"] == "ok"


def test_a_disabled_account_is_signed_out_on_its_next_step(sample: Path) -> None:
    ensure_accounts()
    name = new_account()
    at = app(_auth=signed_in(name))
    assert not is_sign_in_page(at)
    UserStore().set_disabled(name, True)
    at = run(at)
    assert is_sign_in_page(at)
    assert any("已被停用或删除" in i.value for i in at.info)
    at = type_in(at, name, PASSWORD)
    assert is_sign_in_page(at) and "disabled" in events("sign_in_failed", name).iloc[-1]["detail"]


def test_a_role_change_takes_effect_at_once(sample: Path) -> None:
    name = new_account(Role.PLANNER)
    at = app(EDIT, _auth=signed_in(name))
    assert at.button(key="edit_preview")
    UserStore().change(name, role=Role.VIEWER)
    at = run(at)
    assert not [b for b in at.button if b.key == "edit_preview"]
    assert any("只能查看" in i.value for i in at.info)


def test_an_empty_store_says_how_to_make_the_first_administrator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRIDMAP_HOME", str(tmp_path))
    at = app()
    assert "gridmap users add NAME --role administrator" in [c.value for c in at.code]
    assert not at.text_input, "no form, and no default password"


def test_proxy_mode_trusts_the_header(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gridmap_app.auth import gate

    ensure_accounts()
    monkeypatch.setenv("GRIDMAP_AUTH", "proxy")
    headers = {"X-Remote-User": "leader"}
    monkeypatch.setattr(gate, "request_headers", lambda: headers)
    at = app()
    assert not [e for e in at.text_input if e.key == "signin_name"], "no form behind a proxy"
    assert len(at.metric) == 6 and at.session_state["_auth"]["source"] == "proxy"
    assert events("sign_in", "leader").iloc[-1]["detail"].startswith("proxy")
    headers["X-Remote-User"] = "intruder"
    at = run(at)
    assert "intruder" in at.error[0].value and not at.metric
    assert events("sign_in_failed", "intruder").iloc[-1]["outcome"] == "failed"
    headers.clear()
    missing = app()
    assert "X-Remote-User" in missing.error[0].value and not missing.metric
    monkeypatch.setenv("GRIDMAP_AUTH_HEADER", "X-Forwarded-User")
    headers["X-Forwarded-User"] = "viewer"
    assert len(app().metric) == 6


def test_oidc_without_secrets_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIDMAP_AUTH", "oidc")
    at = app()
    assert "[auth]" in at.error[0].value and not at.exception


def test_oidc_maps_the_e_mail_to_an_account(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_accounts()
    monkeypatch.setenv("GRIDMAP_AUTH", "oidc")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback"}
    at.user = {"is_logged_in": False}
    run(at)
    assert at.button(key="oidc_login").label == "使用单位账号登录"
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback"}
    at.user = {"is_logged_in": True, "email": "planner"}
    run(at)
    assert len(at.metric) == 6 and at.session_state["_auth"]["source"] == "oidc"
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback"}
    at.user = {"is_logged_in": True, "email": "stranger@example.com"}
    run(at)
    assert "stranger@example.com" in at.error[0].value and not at.metric


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Demo mode with a home of its own, so the working copy is made fresh."""
    monkeypatch.setenv("GRIDMAP_DEMO", "1")
    monkeypatch.setenv("GRIDMAP_HOME", str(tmp_path / "home"))
    if not SAMPLE.is_file():
        pytest.skip("the bundled sample is needed for the demo mode")
    monkeypatch.delenv("GRIDMAP_SAMPLE", raising=False)
    return tmp_path / "home" / "demo" / SAMPLE.name


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_demo_mode_viewer_is_read_only(demo: Path) -> None:
    at = app()
    labels = [b.label for b in at.button]
    assert labels == ["演示：查看", "演示：规划人员"] and not at.text_input
    at.button(key="demo_viewer").click()
    at = run(at)
    assert len(at.metric) == 6
    assert at.session_state["_auth"] == {**at.session_state["_auth"], "source": "demo"}
    assert not any(r.key and r.key.startswith("source") for r in at.sidebar.radio)
    assert "演示数据" in " ".join(c.value for c in at.sidebar.caption)
    assert demo.is_file()
    edit = app(EDIT, _auth=at.session_state["_auth"])
    assert not [b for b in edit.button if b.key == "edit_preview"]


def test_demo_planner_saves_into_the_working_copy_only(demo: Path) -> None:
    before = _digest(SAMPLE)
    at = app()
    at.button(key="demo_planner").click()
    run(at)
    edited = {"edited_rows": {0: {"leader": "演示负责人"}}, "added_rows": [], "deleted_rows": []}
    at = app(
        EDIT,
        _auth=at.session_state["_auth"],
        edit_level="grid_small",
        edit_op="attributes",
        edit_table_grid_small=edited,
    )
    at.button(key="edit_preview").click()
    at = run(at)
    at.button(key="edit_save").click()
    at = run(at)
    assert any("已保存" in s.value for s in at.success), [e.value for e in at.error]
    log = read_edit_log(demo)
    assert list(log["user"]) == ["演示规划 (demo-planner)"]
    assert _digest(SAMPLE) == before, "the bundled sample is never written"
    assert read_edit_log(SAMPLE).empty


def test_the_demo_copy_is_made_once(demo: Path) -> None:
    at = app()
    at.button(key="demo_viewer").click()
    run(at)
    stamp = demo.stat().st_mtime_ns
    shutil.copy(demo, demo.with_suffix(".bak"))
    run(at)
    assert demo.stat().st_mtime_ns == stamp


def test_signed_out_sessions_see_nothing_of_the_previous_user(sample: Path) -> None:
    ensure_accounts()
    at = sign_in(AppTest.from_file(str(APP), default_timeout=TIMEOUT), "admin")
    run(at)
    at.sidebar.button(key="sign_out").click()
    at = run(at)
    assert "_auth_viewed" not in at.session_state and not at.metric
