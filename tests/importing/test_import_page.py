"""AppTest of the Import page: preview, mapping pre-filled, check before import, then import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _app_support import ROOT, sign_in
from import_cases import (
    damage_shp_records,
    write_excel_ledger,
    write_kmz,
    write_moved_small_grids,
)
from streamlit.testing.v1 import AppTest

from gridmap.io import read_district, read_edit_log

PAGE = ROOT / "pages" / "import_data.py"


def run_page(*, user: str = "admin", **state) -> AppTest:
    at = sign_in(AppTest.from_file(str(PAGE), default_timeout=120), user)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_asks_for_files() -> None:
    at = run_page()
    assert "导入数据" in at.markdown[0].value
    assert any("请上传文件" in i.value for i in at.info)
    assert not at.main.button  # the sidebar holds the sign-out button


def test_english(tmp_path: Path) -> None:
    at = run_page(lang="en")
    assert "Import data" in at.markdown[0].value


def test_check_then_import_a_kmz(tmp_path: Path, tiny_gpkg: Path) -> None:
    kmz = write_kmz(tmp_path)
    at = run_page(imp_paths=str(kmz), imp_target=str(tiny_gpkg), imp_layer="grid_small")
    assert at.dataframe, "the preview shows the features"
    assert "4" in at.markdown[1].value
    # the mapping is pre-filled from the aliases
    assert at.selectbox(key="imp_map_grid_small_网格编码").value == "grid_id"
    assert at.selectbox(key="imp_map_grid_small_folder").value == "—"
    at.selectbox(key="imp_map_grid_small_folder").set_value("parent_name")
    at.selectbox(key="imp_parent_by").set_value("name")
    at.run()
    run = at.button(key="imp_run")
    assert run.disabled, "nothing can be written before a check"
    before = tiny_gpkg.read_bytes()
    at.button(key="imp_check").click().run()
    assert not at.exception
    assert tiny_gpkg.read_bytes() == before
    assert {m.label: m.value for m in at.metric}["读取要素"] == "4"
    assert any("检查通过" in s.value for s in at.success)
    assert not at.button(key="imp_run").disabled
    at.button(key="imp_run").click().run()
    assert any("已导入 4 条要素" in s.value for s in at.success)
    small = read_district(tiny_gpkg)["grid_small"].sort_values("grid_id")
    assert small["parent_id"].tolist() == ["M1", "M1", "M2", "M3"]
    assert read_edit_log(tiny_gpkg)["operation"].tolist() == ["import"]
    assert at.button(key="imp_run").disabled  # not twice


def test_errors_are_shown_and_block_the_import(tmp_path: Path, tiny_gpkg: Path) -> None:
    ledger = write_excel_ledger(tmp_path)
    at = run_page(imp_paths=str(ledger), imp_target=str(tiny_gpkg), imp_layer="units")
    assert at.selectbox(key="imp_map_units_经度").value == "lon"
    at.selectbox(key="imp_coords").set_value("gcj02")
    at.text_input(key="imp_crs").set_value("EPSG:99999")
    at.run()
    at.button(key="imp_check").click().run()
    assert at.error and "not a CRS PROJ knows" in at.error[0].value
    assert at.button(key="imp_run").disabled
    at.text_input(key="imp_crs").set_value("").run()
    assert any("设置已改变" in w.value for w in at.warning)
    at.button(key="imp_check").click().run()
    assert not at.error
    assert not at.button(key="imp_run").disabled


def test_unreadable_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    bad = tmp_path / "grids.geojson"
    bad.write_text("{oops", encoding="utf-8")
    copy = tmp_path / "d.gpkg"
    at = run_page(imp_paths=str(bad), imp_target=str(copy))
    assert at.error and "not valid JSON" in at.error[0].value


@pytest.fixture(autouse=True)
def _uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))  # as `streamlit run app.py` has it: gridmap_app
    monkeypatch.setenv("GRIDMAP_UPLOADS", str(tmp_path / "uploads"))
    monkeypatch.setenv("GRIDMAP_DATA_DIR", str(tmp_path))  # typed paths are confined to it
    shutil.rmtree(tmp_path / "uploads", ignore_errors=True)


def test_damaged_records_block_the_import_until_skipped(tmp_path: Path, tiny_gpkg: Path) -> None:
    """A .shp whose record 2 is overwritten: the preview says so, the check refuses, the
    'skip' checkbox lets the other three records in and S2 stays as it was."""
    shp = write_moved_small_grids(tmp_path)
    damage_shp_records(shp, "garbage", rows=(1,))
    old_s2 = read_district(tiny_gpkg)["grid_small"].set_index("grid_id").geometry["S2"]
    at = run_page(imp_paths=shp.name, imp_target=tiny_gpkg.name, imp_layer="grid_small")
    assert any("1 条记录的图形无法读取" in w.value for w in at.warning)
    before = tiny_gpkg.read_bytes()
    at.button(key="imp_check").click().run()
    assert at.error and "record 2 (grid_id S2)" in at.error[0].value
    assert at.button(key="imp_run").disabled
    at.checkbox(key="imp_skip_bad").check().run()
    at.button(key="imp_check").click().run()
    assert not at.error
    assert tiny_gpkg.read_bytes() == before
    at.button(key="imp_run").click().run()
    assert any("已导入 3 条要素" in s.value for s in at.success)
    small = read_district(tiny_gpkg)["grid_small"].set_index("grid_id")
    assert sorted(small.index) == ["S1", "S2", "S3", "S4"]
    assert small.geometry["S2"].equals_exact(old_s2, 1e-6)
