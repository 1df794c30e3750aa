"""What an import does to the features already in the layer: upsert by default, replace and
append only when asked, and the counts (added, updated, removed, who changes zone) said before
anything is written.

The tiny district (conftest): S1..S4; B1 (households H1, H2) in S1, B2 (H3) in S2, B3 (unit
U1) in S3, B4 (U2) in S4. The source gives S1 grown over S2 (x 0-100, y 0-100) and a new
zone S5 east of the district.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from conftest import CRS, make_tiny_layers, rect

from gridmap.analysis.importing import plan_import, zone_changes
from gridmap.cli import main
from gridmap.io import read_district, read_edit_log
from gridmap.tasks.importing import import_layer


def write_source(folder: Path) -> Path:
    grids = gpd.GeoDataFrame(
        {
            "网格编码": ["S1", "S5"],
            "上级网格": ["M1", "M3"],
            "网格名称": ["朝阳合并片区", "东林第2片区"],
            "负责人": ["赵磊", "郑华"],
        },
        geometry=[rect(0, 0, 100, 100), rect(400, 0, 450, 100)],
        crs=CRS,
    )
    path = folder / "two_zones.geojson"
    grids.to_crs(4326).to_file(path, driver="GeoJSON")
    return path


def small_ids(path: Path) -> list[str]:
    return sorted(read_district(path)["grid_small"]["grid_id"])


def test_upsert_is_the_default_and_keeps_the_other_features(
    tmp_path: Path, tiny_gpkg: Path
) -> None:
    report = import_layer([write_source(tmp_path)], tiny_gpkg, "grid_small")
    assert report.ok and report.written, report.lines()
    assert report.mode == "upsert"
    assert (report.added, report.updated, report.removed) == (1, 1, 0)
    assert small_ids(tiny_gpkg) == ["S1", "S2", "S3", "S4", "S5"]
    small = read_district(tiny_gpkg)["grid_small"].set_index("grid_id")
    assert small.loc["S1", "name"] == "朝阳合并片区"
    assert small.loc["S2", "name"] == "朝阳第2片区"  # kept as it was
    assert abs(small.loc["S1"].geometry.area - 100 * 100) < 1e-3
    assert "1 features added, 1 updated, 0 existing features were removed" in report.lines()[4]
    log = read_edit_log(tiny_gpkg)
    assert json.loads(log.iloc[-1]["ids"]) == ["S1", "S5"]  # only what changed is logged


def test_replace_says_what_it_removes_and_who_changes_zone(tmp_path: Path, tiny_gpkg: Path) -> None:
    before = tiny_gpkg.read_bytes()
    source = write_source(tmp_path)
    report = import_layer([source], tiny_gpkg, "grid_small", mode="replace", dry_run=True)
    assert report.ok and not report.written
    assert (report.added, report.updated, report.removed) == (1, 1, 3)
    # B2 (and its household H3) move from S2 into the grown S1; B3 and B4 (with U1, U2)
    # lie in no small grid once S3 and S4 are gone; B1, H1 and H2 stay in S1.
    assert report.zone_changes == {"building": 3, "household": 1, "unit": 2}
    lines = report.lines()
    assert "  1 features added, 1 updated, 3 existing features will be removed" in lines
    assert "  3 buildings, 1 households and 2 units change small or medium grid" in lines
    as_dict = report.as_dict()
    assert (as_dict["added"], as_dict["updated"], as_dict["removed"]) == (1, 1, 3)
    assert as_dict["zone_changes"] == {"building": 3, "household": 1, "unit": 2}
    assert tiny_gpkg.read_bytes() == before
    done = import_layer([source], tiny_gpkg, "grid_small", mode="replace")
    assert done.written and small_ids(tiny_gpkg) == ["S1", "S5"]


def test_upsert_counts_zone_changes_too(tmp_path: Path, tiny_gpkg: Path) -> None:
    """S2 stays, before the grown S1 in layer order: nothing changes zone."""
    report = import_layer([write_source(tmp_path)], tiny_gpkg, "grid_small", dry_run=True)
    assert report.zone_changes == {"building": 0, "household": 0, "unit": 0}


def test_append_refuses_an_existing_id_on_a_dry_run(tmp_path: Path, tiny_gpkg: Path) -> None:
    report = import_layer(
        [write_source(tmp_path)], tiny_gpkg, "grid_small", mode="append", dry_run=True
    )
    assert not report.ok
    (problem,) = report.problems
    assert "already exist in the layer: S1" in str(problem) and problem.field == "grid_id"
    assert "--mode upsert" in str(problem)


def test_an_unknown_mode_is_an_error(tmp_path: Path, tiny_gpkg: Path) -> None:
    with pytest.raises(Exception, match="mode is one of upsert, replace, append"):
        import_layer([write_source(tmp_path)], tiny_gpkg, "grid_small", mode="merge")


def test_more_removals_than_confirmed_write_nothing(tmp_path: Path, tiny_gpkg: Path) -> None:
    before = tiny_gpkg.read_bytes()
    report = import_layer(
        [write_source(tmp_path)], tiny_gpkg, "grid_small", mode="replace", max_removed=2
    )
    assert not report.ok and not report.written
    assert "would now remove 3 features, more than the 2 confirmed" in str(report.problems[0])
    assert tiny_gpkg.read_bytes() == before


def test_a_source_without_geometry_never_blanks_an_existing_one(
    tmp_path: Path, tiny_gpkg: Path
) -> None:
    """A household register without coordinates updates H1's members; H1 keeps its point."""
    path = tmp_path / "户籍.csv"
    pd.DataFrame({"户号": ["H1", "H9"], "所属楼栋": ["B1", "B2"], "人口数": ["6", "1"]}).to_csv(
        path, index=False
    )
    report = import_layer([path], tiny_gpkg, "households")
    assert report.written, report.lines()
    assert (report.added, report.updated, report.removed, report.geometry_kept) == (1, 1, 0, 1)
    assert any("their existing geometry is kept" in line for line in report.lines())
    households = read_district(tiny_gpkg)["households"].set_index("household_id")
    assert households.loc["H1", "members"] == 6
    want = make_tiny_layers()["households"].set_index("household_id").geometry["H1"]
    assert households.loc["H1"].geometry.equals_exact(want, 1e-6)
    assert households.loc["H9"].geometry is None  # a new one has no place to keep
    assert sorted(households.index) == ["H1", "H2", "H3", "H9"]


def test_plan_import_by_hand() -> None:
    small = make_tiny_layers()["grid_small"]
    new = small.iloc[[0]].assign(name="新名称")
    plan = plan_import(small, new, "grid_small")
    assert (plan.added, plan.updated, plan.removed) == (0, 1, 0)
    assert plan.edit.removed["grid_id"].tolist() == ["S1"]
    assert plan.edit.added["name"].tolist() == ["新名称"]
    replaced = plan_import(small, new, "grid_small", mode="replace")
    assert replaced.removed == 3 and len(replaced.edit.removed) == 4
    appended = plan_import(small, new, "grid_small", mode="append")
    assert appended.problems and appended.edit.removed.empty
    assert small["name"].iloc[0] == "朝阳第1片区"  # inputs unchanged


def test_zone_changes_only_for_grid_levels(tiny_layers) -> None:
    from gridmap.district import District

    district = District(tiny_layers, crs=tiny_layers["grid_small"].crs)
    units = tiny_layers["units"]
    plan = plan_import(units, units.iloc[[0]], "units")
    assert zone_changes(district, plan.edit) is None


def test_cli_default_keeps_features_and_prints_the_counts(
    tmp_path: Path, tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["import", str(write_source(tmp_path)), "--into", str(tiny_gpkg)]
    assert main([*argv, "--layer", "grid_small", "--mode", "replace", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "1 features added, 1 updated, 3 existing features will be removed" in out
    assert "3 buildings, 1 households and 2 units change small or medium grid" in out
    assert main([*argv, "--layer", "grid_small", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["mode"] == "upsert" and report["removed"] == 0 and report["written"]
    assert small_ids(tiny_gpkg) == ["S1", "S2", "S3", "S4", "S5"]


def test_cli_append_alias_and_bad_mode(
    tmp_path: Path, tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["import", str(write_source(tmp_path)), "--into", str(tiny_gpkg)]
    assert main([*argv, "--layer", "grid_small", "--append"]) == 1
    assert "already exist in the layer: S1" in capsys.readouterr().out
    assert main([*argv, "--layer", "grid_small", "--mode", "merge"]) == 2
    assert main([*argv, "--layer", "grid_small", "--mode", "replace", "--append"]) == 2


def test_cli_missing_source_exits_2_naming_the_file(
    tmp_path: Path, tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tiny_gpkg.read_bytes()
    missing = tmp_path / "不存在.shp"
    argv = ["import", str(missing), "--into", str(tiny_gpkg), "--layer", "grid_small"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"file {missing}: file not found" in err
    assert "Traceback" not in err
    assert tiny_gpkg.read_bytes() == before
