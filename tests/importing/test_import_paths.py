"""Paths typed in the app stay inside the data folder: `confined_path` directly and on the
Import page (sources and the target), with `..`, absolute paths outside it and symbolic links
out of it refused, and the confirmation an import that removes features needs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from _app_support import ROOT, sign_in
from conftest import make_tiny_layers, rect, write_gpkg
from import_cases import write_kmz, write_shapefile
from streamlit.testing.v1 import AppTest

from gridmap.errors import GridmapError, PathRefused
from gridmap.io import read_district
from gridmap.io.paths import confined_path, data_folder

PAGE = ROOT / "pages" / "import_data.py"


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """A data folder holding grids.geojson, and a secret file outside it."""
    data, outside = tmp_path / "data", tmp_path / "outside"
    data.mkdir()
    outside.mkdir()
    (data / "grids.geojson").write_text("{}", encoding="utf-8")
    (outside / "secret.geojson").write_text("{}", encoding="utf-8")
    return data, outside


def test_relative_and_absolute_paths_inside(folders: tuple[Path, Path]) -> None:
    data, _ = folders
    real = Path(os.path.realpath(data / "grids.geojson"))
    assert confined_path("grids.geojson", data) == real
    assert confined_path(f"  {data / 'grids.geojson'}  ", data) == real


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("../outside/secret.geojson", "goes up a folder with '..'"),
        ("sub/../grids.geojson", "goes up a folder with '..'"),
        ("/etc/passwd", "is outside the data folder"),
        ("", "is empty"),
    ],
)
def test_refused(folders: tuple[Path, Path], typed: str, why: str) -> None:
    data, _ = folders
    with pytest.raises(PathRefused, match=why) as caught:
        confined_path(typed, data)
    assert str(data.resolve()) in str(caught.value) and "GRIDMAP_DATA_DIR" in str(caught.value)
    assert isinstance(caught.value, GridmapError)


def test_absolute_path_in_another_folder(folders: tuple[Path, Path]) -> None:
    data, outside = folders
    with pytest.raises(PathRefused, match="is outside the data folder"):
        confined_path(str(outside / "secret.geojson"), data)


def test_a_link_out_is_refused(folders: tuple[Path, Path]) -> None:
    data, outside = folders
    (data / "looks_local.geojson").symlink_to(outside / "secret.geojson")
    with pytest.raises(PathRefused, match="leads out of the data folder through a link"):
        confined_path("looks_local.geojson", data)
    (data / "shared").symlink_to(outside, target_is_directory=True)
    with pytest.raises(PathRefused, match="through a link"):
        confined_path("shared/secret.geojson", data)
    with pytest.raises(PathRefused, match="through a link"):  # a target that would be new
        confined_path("shared/new.gpkg", data, must_exist=False)


def test_a_link_that_stays_inside_is_accepted(folders: tuple[Path, Path]) -> None:
    data, _ = folders
    (data / "sub").mkdir()
    (data / "sub" / "alias.geojson").symlink_to(data / "grids.geojson")
    got = confined_path("sub/alias.geojson", data)
    assert got == Path(os.path.realpath(data / "grids.geojson"))


def test_a_data_folder_reached_through_a_link(folders: tuple[Path, Path], tmp_path) -> None:
    data, _ = folders
    (tmp_path / "link_to_data").symlink_to(data, target_is_directory=True)
    assert confined_path("grids.geojson", tmp_path / "link_to_data").name == "grids.geojson"


def test_a_target_that_does_not_exist_yet(folders: tuple[Path, Path]) -> None:
    data, _ = folders
    got = confined_path("new/district.gpkg", data, must_exist=False, suffixes=(".gpkg",))
    assert got == Path(os.path.realpath(data)) / "new" / "district.gpkg"
    with pytest.raises(PathRefused, match="no such file"):
        confined_path("district.gpkg", data)  # a source must exist
    with pytest.raises(PathRefused, match=r"is not a \.gpkg file"):
        confined_path("grids.geojson", data, must_exist=False, suffixes=(".gpkg",))
    (data / "folder.gpkg").mkdir()
    with pytest.raises(PathRefused, match="is not a regular file"):
        confined_path("folder.gpkg", data, must_exist=False, suffixes=(".gpkg",))


def test_a_shapefile_companion_linked_out(tmp_path: Path) -> None:
    data, outside = tmp_path / "data", tmp_path / "outside"
    data.mkdir()
    outside.mkdir()
    shp = write_shapefile(data)
    assert confined_path(shp.name, data, companions=True) == Path(os.path.realpath(shp))
    dbf = shp.with_suffix(".dbf")
    shutil.move(dbf, outside / dbf.name)
    dbf.symlink_to(outside / dbf.name)
    with pytest.raises(PathRefused, match="companion file 'small_grids.dbf' linked out"):
        confined_path(shp.name, data, companions=True)


def test_data_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GRIDMAP_DATA_DIR", raising=False)
    assert data_folder(str(tmp_path / "d" / "district.gpkg")) == tmp_path / "d"
    assert data_folder(None) is None
    with pytest.raises(PathRefused, match="no data folder is set"):
        confined_path("grids.geojson", data_folder(None))
    monkeypatch.setenv("GRIDMAP_DATA_DIR", str(tmp_path / "configured"))
    assert data_folder(str(tmp_path / "d" / "district.gpkg")) == tmp_path / "configured"


# ---------------------------------------------------------------------------
# The Import page


def run_page(*, user: str = "admin", **state) -> AppTest:
    at = sign_in(AppTest.from_file(str(PAGE), default_timeout=120), user)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def page_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The page's data folder (GRIDMAP_DATA_DIR), with the tiny district in it."""
    monkeypatch.syspath_prepend(str(ROOT))
    monkeypatch.setenv("GRIDMAP_UPLOADS", str(tmp_path / "uploads"))
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("GRIDMAP_DATA_DIR", str(data))
    write_gpkg(data / "tiny.gpkg", make_tiny_layers())
    return data


def test_page_refuses_a_source_outside_the_data_folder(page_env: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    kmz = write_kmz(outside)
    at = run_page(imp_paths=f"{kmz}\n../elsewhere/{kmz.name}", imp_target="tiny.gpkg")
    errors = [e.value for e in at.error]
    assert any("is outside the data folder" in e for e in errors), errors
    assert any("goes up a folder with '..'" in e for e in errors), errors
    assert not at.dataframe, "nothing outside the data folder is read"
    assert any("请上传文件" in i.value for i in at.info)
    assert any(str(page_env.resolve()) in c.value for c in at.caption)


def test_page_refuses_a_target_outside_the_data_folder(page_env: Path, tmp_path: Path) -> None:
    write_kmz(page_env)
    victim = tmp_path / "victim.gpkg"
    victim.write_bytes(b"precious")
    at = run_page(imp_paths="小网格.kmz", imp_target=str(victim), imp_layer="grid_small")
    assert at.dataframe  # the source inside the folder is previewed
    assert any("is outside the data folder" in e.value for e in at.error)
    assert not at.main.button, "no check and no import for a target outside the folder"
    link = page_env / "district.gpkg"
    link.symlink_to(victim)
    at = run_page(imp_paths="小网格.kmz", imp_target="district.gpkg", imp_layer="grid_small")
    assert any("through a link" in e.value for e in at.error)
    assert victim.read_bytes() == b"precious"


def test_page_asks_before_an_import_that_removes_features(page_env: Path) -> None:
    """The district has a fifth small grid, S9, that the KMZ (S1..S4) lacks: replace removes it."""
    target = page_env / "tiny.gpkg"
    small = make_tiny_layers()["grid_small"]
    extra = small.iloc[[3]].assign(grid_id="S9", geometry=[rect(400, 0, 450, 100)])
    write_gpkg(target, {"grid_small": pd.concat([small, extra], ignore_index=True)})
    kmz = write_kmz(page_env)
    at = run_page(imp_paths=kmz.name, imp_target="tiny.gpkg", imp_layer="grid_small")
    at.radio(key="imp_mode").set_value("replace").run()
    before = target.read_bytes()
    at.button(key="imp_check").click().run()
    assert not at.exception
    assert any("将删除现有要素 1 条" in w.value for w in at.warning), [w.value for w in at.warning]
    assert any("楼栋" in i.value and "住户" in i.value for i in at.info)
    assert at.button(key="imp_run").disabled, "removals need the confirmation first"
    at.checkbox(key="imp_confirm").check().run()
    assert not at.button(key="imp_run").disabled
    assert target.read_bytes() == before
    at.button(key="imp_run").click().run()
    assert any("已导入 4 条要素" in s.value for s in at.success)
    assert sorted(read_district(target)["grid_small"]["grid_id"]) == ["S1", "S2", "S3", "S4"]


def test_page_default_upsert_needs_no_confirmation(page_env: Path) -> None:
    kmz = write_kmz(page_env)
    at = run_page(imp_paths=kmz.name, imp_target="tiny.gpkg", imp_layer="grid_small")
    assert at.radio(key="imp_mode").value == "upsert"
    at.button(key="imp_check").click().run()
    assert any("新增 0 条要素，更新 4 条，将删除现有要素 0 条" in i.value for i in at.info)
    assert not at.checkbox or all(c.key != "imp_confirm" for c in at.checkbox)
    assert not at.button(key="imp_run").disabled
