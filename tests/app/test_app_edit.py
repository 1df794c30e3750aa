"""AppTest of the Edit grids page: a split, a blocked delete, a conflict, undo, in both languages.

The drawing is fed the way streamlit-folium delivers it: the component's value
(``{"last_active_drawing": <GeoJSON feature>}``) under the map's key.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import pytest
from _app_support import ROOT, ensure_sample, sign_in
from _app_support import run_page as run_page_at
from conftest import X0, Y0, make_tiny_layers, write_gpkg
from pyproj import Transformer
from streamlit.testing.v1 import AppTest

from gridmap.analysis.editing import reassign_grid
from gridmap.io import read_district, read_edit_log, save_edit

PAGE = ROOT / "pages" / "edit_grids.py"
TIMEOUT = 300
TO_WEB = Transformer.from_crs("EPSG:4547", "EPSG:4326", always_xy=True)


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = write_gpkg(tmp_path / "tiny.gpkg", make_tiny_layers())
    monkeypatch.setenv("GRIDMAP_SAMPLE", str(path))
    return path


run_page = partial(run_page_at, PAGE, timeout=TIMEOUT)


def feature(kind: str, *xy: tuple[float, float]) -> dict:
    """A drawing in lon/lat from tiny-district coordinates (metres from X0, Y0)."""
    coords = [list(TO_WEB.transform(X0 + x, Y0 + y)) for x, y in xy]
    geometry = {"type": kind, "coordinates": coords if kind == "LineString" else [coords]}
    return {"type": "Feature", "properties": {}, "geometry": geometry}


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> str:
    return " ".join(e.value for e in elements)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_runs_on_the_sample(lang: str) -> None:
    ensure_sample(ROOT / "artifacts")
    at = run_page(lang=lang)
    assert not at.error, [e.value for e in at.error]
    assert ("边界编辑" if lang == "zh" else "Edit grids") in at.markdown[0].value
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert "L.Control.Draw" in args["script"]  # split offers the drawing tools
    assert all(link.startswith("/app/static/vendor/") for link in args["js_links"])
    assert any("leaflet.draw.js" in link for link in args["js_links"])


def test_a_split_drawn_on_the_map_is_previewed_and_saved(tiny: Path) -> None:
    line = feature("LineString", (195, 70), (405, 70))  # across S4 (x 200..400), above B4
    at = run_page(
        edit_level="grid_small",
        edit_op="split",
        edit_grid="S4",
        edit_map={"last_active_drawing": line},
    )
    assert "LineString" in texts(at.caption)
    at.text_input(key="edit_names").set_value("东林北片，东林南片")
    click(at, "edit_preview")
    assert not at.error, [e.value for e in at.error]
    assert any("未新增任何问题" in s.value for s in at.success)
    assert "S4, S5" in texts(at.caption)
    sign_in(at, "规划员")  # the author is the signed-in user
    at.text_area(key="edit_reason").set_value("人口增长")
    click(at, "edit_save")
    assert "已保存" in texts(at.success)
    saved = read_district(tiny)["grid_small"].set_index("grid_id")
    assert sorted(saved.index) == ["S1", "S2", "S3", "S4", "S5"]
    assert sorted(saved.loc[["S4", "S5"], "name"]) == ["东林北片", "东林南片"]
    assert saved.loc[["S4", "S5"]].area.sum() == pytest.approx(20_000, rel=1e-6)
    log = read_edit_log(tiny)
    assert log[["user", "operation", "reason", "ids"]].values.tolist() == [
        ["规划员", "split", "人口增长", '["S4", "S5"]']
    ]


def test_a_gap_needs_acceptance_and_a_reason(tiny: Path) -> None:
    at = run_page(edit_level="grid_small", edit_op="delete", edit_grid="S2")
    at.text_input(key="edit_del_why").set_value("划出")
    click(at, "edit_preview")
    assert "新增问题" in texts(at.error)
    assert at.checkbox(key="edit_accept")
    sign_in(at, "规划员")  # the author is the signed-in user
    click(at, "edit_save")
    assert "须勾选确认并填写理由" in texts(at.error)
    assert read_edit_log(tiny).empty
    at.checkbox(key="edit_accept").check()
    at.text_area(key="edit_reason").set_value("划归开发区")
    click(at, "edit_save")
    assert "S2" not in set(read_district(tiny)["grid_small"]["grid_id"])
    assert read_edit_log(tiny).iloc[-1]["reason"] == "划归开发区"


def test_a_save_after_someone_else_saved_is_refused(tiny: Path) -> None:
    at = run_page(edit_level="grid_small", edit_op="merge", edit_grids=["S1", "S2"])
    click(at, "edit_preview")
    other = read_district(tiny)
    save_edit(other, reassign_grid(other, "grid_small", "S1", {"leader": "别人"}, user="乙"))
    sign_in(at, "甲")  # the author is the signed-in user
    click(at, "edit_save")
    assert "保存被拒绝" in texts(at.error) and "S1" in texts(at.error)
    small = read_district(tiny)["grid_small"].set_index("grid_id")
    assert small.loc["S1", "leader"] == "别人" and "S2" in small.index  # their work kept


def test_a_save_while_qgis_holds_the_file_is_refused_and_the_edit_kept(tiny: Path) -> None:
    import subprocess
    import sys

    holder = subprocess.Popen(  # another program with the file open in WAL mode, as QGIS does
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('PRAGMA journal_mode=WAL'); print('ready', flush=True); time.sleep(120)",
            str(tiny),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        at = run_page(edit_level="grid_small", edit_op="merge", edit_grids=["S1", "S2"])
        click(at, "edit_preview")
        sign_in(at, "甲")  # the author is the signed-in user
        click(at, "edit_save")
        assert "文件正被其他程序打开" in texts(at.error) and f"pid {holder.pid}" in texts(at.error)
        assert {"S1", "S2"} <= set(read_district(tiny)["grid_small"]["grid_id"])
    finally:
        holder.kill()
        holder.wait()
    click(at, "edit_save")  # the edit was kept: saving again once the program is gone works
    assert "已保存" in texts(at.success)
    assert "S2" not in set(read_district(tiny)["grid_small"]["grid_id"])


def test_a_preview_goes_stale_when_the_drawing_changes(tiny: Path) -> None:
    first = feature("LineString", (195, 50), (405, 50))
    at = run_page(
        edit_level="grid_small",
        edit_op="split",
        edit_grid="S4",
        edit_map={"last_active_drawing": first},
    )
    click(at, "edit_preview")
    assert at.button(key="edit_save")
    second = feature("LineString", (300, -5), (300, 105))
    at.session_state["edit_map"] = {"last_active_drawing": second}
    at.run()
    assert "请重新预览" in texts(at.info)
    assert not [b for b in at.button if b.key == "edit_save"]


def test_a_wrong_shape_and_no_drawing_are_explained(tiny: Path) -> None:
    at = run_page(edit_level="grid_small", edit_op="reshape", edit_grid="S1", lang="en")
    click(at, "edit_preview")
    assert "Nothing drawn yet" in texts(at.error)
    area = feature("Polygon", (10, 10), (60, 10), (60, 60), (10, 10))
    at.session_state["edit_map"] = {"last_active_drawing": area}
    at.run()
    click(at, "edit_preview")
    assert "needs a line" in texts(at.error)


def test_history_undo_and_past_version(tiny: Path) -> None:
    at = run_page(edit_level="grid_small", edit_op="merge", edit_grids=["S1", "S2"])
    click(at, "edit_preview")
    sign_in(at, "规划员")  # the author is the signed-in user
    click(at, "edit_save")
    assert sorted(read_district(tiny)["grid_small"]["grid_id"]) == ["S1", "S3", "S4"]
    sign_in(at, "组长")  # the author is the signed-in user
    click(at, "edit_undo")
    assert "已撤销 1 步" in texts(at.success)
    assert sorted(read_district(tiny)["grid_small"]["grid_id"]) == ["S1", "S2", "S3", "S4"]
    log = read_edit_log(tiny)
    assert log[["operation", "user"]].values.tolist() == [["merge", "规划员"], ["undo", "组长"]]
    at.number_input(key="edit_version").set_value(1)
    click(at, "edit_export")
    assert at.get("download_button")


def test_attribute_table_changes_a_leader(tiny: Path) -> None:
    edited = {"edited_rows": {2: {"leader": "新组长"}}, "added_rows": [], "deleted_rows": []}
    at = run_page(edit_level="grid_small", edit_op="attributes", edit_table_grid_small=edited)
    click(at, "edit_preview")
    assert "S3" in texts(at.caption)
    sign_in(at, "规划员")  # the author is the signed-in user
    click(at, "edit_save")
    small = read_district(tiny)["grid_small"].set_index("grid_id")
    assert small.loc["S3", "leader"] == "新组长" and small.loc["S1", "leader"] == "赵磊"
    assert read_edit_log(tiny).iloc[-1]["operation"] == "reassign"
