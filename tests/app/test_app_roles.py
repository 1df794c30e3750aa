"""AppTest of each role on each page (issue 16): what is shown (full or masked names and phones
in the tables and the map HTML) and what is refused (forms absent, or a save refused with the
AccessDenied text and the file unchanged).

The grid leader ``leader`` is bound to one community of the sample (金华社区, `LEADER_GRID`);
``tiny-leader`` to M1 of the tiny district. Accounts: `_app_support.ACCOUNTS`.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import partial
from pathlib import Path

import pytest
from _app_support import LEADER_GRID, ROOT, SITING, ensure_accounts
from _app_support import run_page as run_page_at
from conftest import make_tiny_layers, write_gpkg
from pyproj import Transformer
from streamlit.testing.v1 import AppTest

from gridmap.analysis.editing import reassign_grid
from gridmap.errors import AccessDenied
from gridmap.i18n import layer_label
from gridmap.io import read_district, read_edit_log
from gridmap.io.accounts import UserStore
from gridmap.io.audit import AuditLog

PAGES = ROOT / "pages"
TIMEOUT = 600
run_page = partial(run_page_at, timeout=TIMEOUT)
OTHER = "410106001002"  # 桂园社区, a community beside the leader's, in the same town
TOWN = "410106001"


@pytest.fixture(scope="module")
def grids(sample: Path):
    district = read_district(sample)
    return {level: district[level].set_index("grid_id") for level in ("grid_large", "grid_medium")}


def texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "error", "success", "warning")
        for e in getattr(at, kind)
    ]
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(parts)


def map_script(at: AppTest) -> str:
    """The maps' HTML/JS, with JSON's \\uXXXX escapes read back into characters."""
    scripts = [json.loads(c.proto.json_args)["script"] for c in at.get("component_instance")]
    return "\n".join(
        re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), s) for s in scripts
    )


def masked(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def coverage(user: str, medium: str) -> AppTest:
    return run_page(PAGES / "coverage_map.py", user=user, sel_large=TOWN, sel_medium=medium)


# -- the coverage page ---------------------------------------------------------------------------
def test_a_leader_sees_own_community_in_full_and_the_next_one_masked(grids) -> None:
    mine, other = grids["grid_medium"].loc[LEADER_GRID], grids["grid_medium"].loc[OTHER]
    at = coverage("leader", LEADER_GRID)
    shown = texts(at)
    assert mine["phone"] in shown and mine["leader"] in shown
    script = map_script(at)
    assert mine["leader"] in script and other["leader"] not in script
    at = coverage("leader", OTHER)
    shown = texts(at)
    assert other["phone"] not in shown and masked(other["phone"]) in shown
    assert other["leader"] not in shown and other["leader"][0] + "*" in shown
    town = grids["grid_large"].loc[TOWN]
    assert town["phone"] not in texts(coverage("leader", "")), "the town above is masked too"


def test_a_viewer_sees_every_phone_masked(grids) -> None:
    mine = grids["grid_medium"].loc[LEADER_GRID]
    at = coverage("viewer", LEADER_GRID)
    shown = texts(at)
    assert mine["phone"] not in shown and masked(mine["phone"]) in shown
    assert mine["leader"] not in map_script(at)
    assert len(at.metric) == 6, "counts and findings are shown"


def test_planner_and_staff_see_everything(grids) -> None:
    other = grids["grid_medium"].loc[OTHER]
    for user in ("planner", "staff", "admin"):
        assert other["phone"] in texts(coverage(user, OTHER))


def test_viewing_a_grids_personal_data_is_audited_once(grids) -> None:
    before = len(AuditLog().read(action="view_personal", user="leader"))
    at = coverage("leader", LEADER_GRID)
    events = AuditLog().read(action="view_personal", user="leader")
    assert len(events) == before + 1
    assert LEADER_GRID in events.iloc[-1]["grids"].split(",")
    at.run()
    at.run()
    assert len(AuditLog().read(action="view_personal", user="leader")) == before + 1
    assert not coverage("viewer", LEADER_GRID).exception
    assert AuditLog().read(action="view_personal", user="viewer").empty


# -- the edit page -------------------------------------------------------------------------------
@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_gpkg(tmp_path / "tiny.gpkg", make_tiny_layers())
    monkeypatch.setenv("GRIDMAP_SAMPLE", str(path))
    return path


def buttons(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key}


@pytest.mark.parametrize("user", ["viewer", "leader"])
def test_the_edit_page_is_read_only_or_contacts_only(tiny: Path, user: str) -> None:
    at = run_page(PAGES / "edit_grids.py", user="viewer" if user == "viewer" else "tiny-leader")
    if user == "viewer":
        assert "edit_preview" not in buttons(at) and any("只能查看" in i.value for i in at.info)
        assert not [d for d in at.dataframe if d.key == "edit_table_grid_small"]
    else:
        assert [r.options for r in at.radio if r.key == "edit_op@zh"] == [
            ["修改属性（负责人、上级等）"]
        ]
        assert any("只能修改本人负责网格" in i.value for i in at.info)
        table = next(d.value for d in at.dataframe if d.key == "edit_table_grid_small")
        assert table.to_dict("list") == {"grid_id": ["S1", "S2"], "leader": ["赵磊", "孙丽"]}
    assert "edit_undo" not in buttons(at)


def test_a_leader_changes_a_contact_of_own_grid(tiny: Path) -> None:
    edited = {"edited_rows": {0: {"leader": "新组长"}}, "added_rows": [], "deleted_rows": []}
    at = run_page(
        PAGES / "edit_grids.py",
        user="tiny-leader",
        edit_level="grid_small",
        edit_op="attributes",
        edit_table_grid_small=edited,
    )
    at.button(key="edit_preview").click().run()
    at.button(key="edit_save").click().run()
    assert not at.exception
    small = read_district(tiny)["grid_small"].set_index("grid_id")
    assert small.loc["S1", "leader"] == "新组长"
    assert read_edit_log(tiny).iloc[-1]["user"] == "朝阳负责人 (tiny-leader)"
    save = AuditLog().read(action="save", user="tiny-leader").iloc[-1]
    assert (save["outcome"], save["grids"]) == ("ok", "S1")


def test_a_save_outside_own_grids_is_refused_and_audited(tiny: Path) -> None:
    from gridmap_app.auth import guard

    ensure_accounts()
    leader = UserStore().get("tiny-leader")
    assert leader is not None
    district = read_district(tiny)
    before = digest(tiny)
    contact = reassign_grid(district, "grid_small", "S4", {"leader": "别人"})
    with pytest.raises(AccessDenied, match="S4: outside the user's grids"):
        guard.save(contact, district, leader)
    name = reassign_grid(district, "grid_small", "S1", {"name": "改名"})
    with pytest.raises(AccessDenied, match="may not change grid boundaries"):
        guard.save(name, district, leader)
    assert digest(tiny) == before
    refused = AuditLog().read(action="save", user="tiny-leader")
    assert list(refused["outcome"].tail(2)) == ["denied", "denied"]


# -- inspections ---------------------------------------------------------------------------------
def _lonlat(district, grid_id: str) -> tuple[float, float]:
    small = district["grid_small"]
    point = small[small["parent_id"] == grid_id].geometry.iloc[0].representative_point()
    return Transformer.from_crs(district.crs, 4326, always_xy=True).transform(point.x, point.y)


def _record(user: str, lonlat: tuple[float, float]) -> AppTest:
    lon, lat = lonlat
    at = run_page(
        PAGES / "inspections.py",
        user=user,
        insp_view="record",
        inspection_record_map={"last_clicked": {"lat": lat, "lng": lon}},
    )
    at.button(key="FormSubmitter:record_form-保存").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_leader_records_inside_own_community_only(writable: Path) -> None:
    district = read_district(writable)
    before = digest(writable)
    refused = _record("leader", _lonlat(district, OTHER))
    assert any("outside the user's grids" in e.value for e in refused.error)
    assert digest(writable) == before, "nothing was written"
    saved = _record("leader", _lonlat(district, LEADER_GRID))
    assert not saved.error, [e.value for e in saved.error]
    assert read_edit_log(writable).iloc[-1]["user"] == "社区负责人 (leader)"


def test_a_viewer_records_nothing(sample: Path) -> None:
    at = run_page(PAGES / "inspections.py", user="viewer", insp_view="record")
    assert not at.get("form") and any("只能查看" in i.value for i in at.info)
    hazards = run_page(PAGES / "inspections.py", user="viewer", insp_view="hazards")
    assert not hazards.get("form"), "no status form for a viewer"


# -- equipment, plan records ---------------------------------------------------------------------
def test_only_staff_and_administrators_save_siting_proposals(sample: Path) -> None:
    staff = run_page(PAGES / "equipment.py", user="staff", eq_result=SITING)
    assert "FormSubmitter:eq_accept-保存为规划点" in buttons(staff) or any(
        k.startswith("FormSubmitter:eq_accept") for k in buttons(staff)
    )
    planner = run_page(PAGES / "equipment.py", user="planner", eq_result=SITING)
    assert not any(k.startswith("FormSubmitter:eq_accept") for k in buttons(planner))
    assert any("只能查看" in c.value for c in planner.caption)


def test_plan_records_by_role(sample: Path) -> None:
    viewer = run_page(PAGES / "plan_records.py", user="viewer")
    assert not viewer.get("form") and viewer.dataframe
    leader = run_page(PAGES / "plan_records.py", user="leader")
    options = leader.selectbox(key="tr_grid").options
    assert options and all(LEADER_GRID in o for o in options), "own subtree only"


# -- import and the administrator's page ---------------------------------------------------------
@pytest.mark.parametrize("user", ["viewer", "leader", "staff"])
def test_import_is_refused_to_other_roles(sample: Path, user: str) -> None:
    at = run_page(PAGES / "import_data.py", user=user)
    assert "不能使用此页面" in at.error[0].value and not at.file_uploader
    assert AuditLog().read(action="denied", user=user).iloc[-1]["detail"] == "page import"


def test_a_planner_imports_grid_layers_only(sample: Path) -> None:
    planner = run_page(PAGES / "import_data.py", user="planner")
    assert planner.selectbox(key="imp_layer").options == [
        f"{layer_label(name)} ({name})" for name in ("grid_large", "grid_medium", "grid_small")
    ]
    admin = run_page(PAGES / "import_data.py", user="admin")
    assert len(admin.selectbox(key="imp_layer").options) > 3


@pytest.mark.parametrize("user", ["planner", "viewer"])
def test_the_admin_page_is_refused_to_others(sample: Path, user: str) -> None:
    at = run_page(PAGES / "admin.py", user=user)
    assert "不能使用此页面" in at.error[0].value and not at.dataframe


@pytest.mark.parametrize(
    ("user", "hidden"),
    [("viewer", {"import_data", "admin"}), ("planner", {"admin"}), ("admin", set())],
)
def test_the_navigation_follows_the_role(sample: Path, user: str, hidden: set[str]) -> None:
    at = run_page(ROOT / "app.py", user=user)
    for name in ("import_data", "admin", "export"):
        if name in hidden:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"pages/{name}.py")
        else:
            at.switch_page(f"pages/{name}.py").run()
            assert not at.exception and not at.error, (name, [e.value for e in at.error])


def test_the_administrator_manages_users_and_reads_the_log(sample: Path) -> None:
    at = run_page(PAGES / "admin.py", user="admin")
    users = at.dataframe[0].value
    assert {"admin", "viewer", "leader"} <= set(users["用户名"])
    assert users.set_index("用户名").loc["leader", "角色"] == "网格负责人"
    name = "新同事"
    at.text_input(key="admin_new_name").input(name)
    at.selectbox(key="admin_new_role").set_value(next(r for r in __roles() if r.value == "staff"))
    at.text_input(key="admin_new_pw").input("新同事的密码足够长了吧")
    at.text_input(key="admin_new_pw2").input("新同事的密码足够长了吧")
    at.button(key="FormSubmitter:admin_add-新增").click().run()
    assert not at.exception and any(name in s.value for s in at.success)
    assert UserStore().get(name) is not None
    at.selectbox(key="admin_account").set_value(name).run()
    at.button(key="admin_flip").click().run()
    assert UserStore().get(name) is None, "disabled"
    log = AuditLog().read(user="admin")
    assert {"user_add", "user_disable"} <= set(log["action"])
    assert any("哈希链校验通过" in s.value for s in at.success)
    table = at.dataframe[1].value
    assert {"时间", "用户", "操作"} <= set(table.columns)


def __roles():
    from gridmap.identity import Role

    return list(Role)


def test_the_audit_export_has_headers_in_both_languages() -> None:
    from gridmap_app.admin import export_table

    table = export_table(AuditLog().read())
    assert list(table.columns)[:3] == ["序号 / no.", "时间 / time", "用户 / user"]
