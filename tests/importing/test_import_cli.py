"""`gridmap import` as a user runs it: the report on stdout, exit 1 on data errors, 2 on misuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from import_cases import write_excel_ledger, write_kmz, write_shapefile

from gridmap.cli import main
from gridmap.io import read_district, read_edit_log


def test_import_into_a_new_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_shapefile(tmp_path, cpg=False)
    into = tmp_path / "district.gpkg"
    assert main(["import", str(source), "--into", str(into), "--layer", "grid_small"]) == 0
    out = capsys.readouterr().out
    assert "features read 4, kept 4, dropped 0" in out
    assert "encoding detected as GBK" in out
    assert len(read_district(into, partial=True)["grid_small"]) == 4


def test_import_ledger_from_gcj02_into_existing(
    tmp_path: Path, tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_excel_ledger(tmp_path)
    argv = ["import", str(source), "--into", str(tiny_gpkg), "--layer", "units"]
    assert main([*argv, "--from-coords", "gcj02", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["written"] and report["features_kept"] == 2
    assert read_edit_log(tiny_gpkg)["operation"].tolist() == ["import"]


def test_dry_run_with_mapping_and_parents(
    tmp_path: Path, tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tiny_gpkg.read_bytes()
    argv = ["import", str(write_kmz(tmp_path)), "--into", str(tiny_gpkg), "--layer", "grid_small"]
    assert main([*argv, "--map", "folder=parent_name", "--parent-by", "name", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Dry run (nothing written)" in out and "folder -> parent_name" in out
    assert tiny_gpkg.read_bytes() == before


def test_data_errors_exit_1_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_shapefile(tmp_path)
    into = tmp_path / "d.gpkg"
    argv = ["import", str(source), "--into", str(into), "--layer", "grid_small"]
    assert main([*argv, "--map", "网格编码=code"]) == 1
    assert "'code' is not a field of grid_small" in capsys.readouterr().out
    assert not into.exists()


def test_misuse_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["import", str(tmp_path / "a.shp"), "--into", str(tmp_path / "d.gpkg")]
    assert main([*argv, "--layer", "grid_small", "--map", "nonsense"]) == 2
    assert main([*argv, "--layer", "grids"]) == 2
    assert "unknown layer 'grids'" in capsys.readouterr().err


def test_import_records_the_district_name(
    tmp_path: Path, tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--name records the district's name in a new file and in an existing one; later saves
    through the edit log keep it."""
    into = tmp_path / "district.gpkg"
    argv = ["import", str(write_shapefile(tmp_path, cpg=False)), "--into", str(into)]
    assert main([*argv, "--layer", "grid_small", "--name", "上街区"]) == 0
    assert read_district(into, partial=True).name == "上街区"
    ledger = ["import", str(write_excel_ledger(tmp_path)), "--into", str(tiny_gpkg)]
    assert main([*ledger, "--layer", "units", "--from-coords", "gcj02", "--name", "测试区"]) == 0
    assert read_district(tiny_gpkg).name == "测试区"
    capsys.readouterr()
    assert main([*ledger, "--layer", "units", "--from-coords", "gcj02", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["written"]  # a second import, without --name
    assert read_district(tiny_gpkg).name == "测试区"
    assert read_edit_log(tiny_gpkg)["operation"].tolist() == ["import", "import"]
