"""`gridmap site` and `gridmap bom` through the CLI: walking speed, unsuitable areas, grid
limits named by grid id, and the bill of materials per community in JSON.

The tiny district (conftest, and the layout in tests/equipment/test_siting.py): E1 (existing) in M1
reaches the three households of B1 and B2 within 60 m; a point at B3 reaches unit U1
(weight 3), one at B4 reaches unit U2 (weight 3); nothing else reaches either unit.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from conftest import CRS, make_tiny_layers, pt, rect, write_gpkg

from gridmap.analysis.equipment import SitingOptions, site_equipment
from gridmap.cli import main
from gridmap.errors import DataError
from gridmap.io import read_district


def run_site(gpkg: Path, out: Path, *options: str) -> dict:
    assert main(["site", str(gpkg), "--json", str(out), *options]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_speed_sets_the_walking_distance_of_minutes(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1.2 min at 3 km/h is 60 m; at the default 5 km/h it is 100 m."""
    out = tmp_path / "site.json"
    slow = run_site(
        tiny_gpkg,
        out,
        "--model",
        "lscp",
        "--minutes",
        "1.2",
        "--speed",
        "3",
        "--demand",
        "both",
        "--straight",
    )
    assert slow["radius_m"] == pytest.approx(60.0)
    assert (slow["minutes"], slow["speed_kmh"]) == (1.2, 3.0)
    assert sorted(c["id"] for c in slow["chosen"]) == ["B3", "B4"]  # 60 m: one per unit
    assert "60 m = 1.2 min at 3 km/h" in capsys.readouterr().out
    default = run_site(tiny_gpkg, out, "--model", "lscp", "--minutes", "1.2", "--straight")
    assert default["radius_m"] == pytest.approx(100.0) and default["speed_kmh"] == 5.0
    metres = run_site(tiny_gpkg, out, "--model", "lscp", "--radius", "60", "--straight")
    assert metres["speed_kmh"] is None and metres["minutes"] is None


def test_speed_without_minutes_is_refused(
    tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["site", str(tiny_gpkg), "--model", "lscp", "--speed", "3"]) == 2
    assert "give --minutes too" in capsys.readouterr().err


def test_unsuitable_layer_keeps_sites_out(tmp_path: Path) -> None:
    """With B3 inside an unsuitable area, nothing reaches U1: 6 of 9 covered, not 9."""
    layers = make_tiny_layers()
    layers["unsuitable_areas"] = gpd.GeoDataFrame(
        {"reason": ["加油站"]}, geometry=[rect(110, 0, 160, 40)], crs=CRS
    )
    gpkg = write_gpkg(tmp_path / "u.gpkg", layers)
    out = tmp_path / "site.json"
    common = ["--model", "mclp", "--count", "2", "--radius", "60", "--demand", "both"]
    free = run_site(gpkg, out, *common)
    assert sorted(c["id"] for c in free["chosen"]) == ["B3", "B4"]
    assert free["totals"]["covered_after"] == 9
    kept_out = run_site(gpkg, out, *common, "--unsuitable", "unsuitable_areas")
    assert "B3" not in [c["id"] for c in kept_out["chosen"]]
    assert kept_out["totals"]["covered_after"] == 6
    assert main(["site", str(gpkg), *common, "--unsuitable", "no_such_layer"]) == 2


def test_max_per_grid_error_names_the_grids(
    tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["site", str(tiny_gpkg), "--model", "mclp", "--count", "1", "--max-per-grid", "0"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "layer 'grid_medium': 1 grids already hold more kept" in err
    assert "M1 (1 kept point)" in err and "position" not in err
    assert "--max-per-grid) to at least 1" in err and "--ignore-existing" in err


def test_min_per_grid_error_names_the_grids(tiny_gpkg: Path) -> None:
    candidates = gpd.GeoDataFrame(
        {"site_id": ["K1"]}, geometry=[pt(150, 50)], crs=CRS
    )  # only in M2: M3 has no candidate, M1 has E1
    with pytest.raises(DataError) as caught:
        options = SitingOptions(model="mclp", count=2, candidates=candidates, min_per_grid=1)
        site_equipment(read_district(tiny_gpkg), options)
    text = str(caught.value)
    assert "1 grids need more new points than they have candidate sites" in text
    assert "M3 (needs 1 more, has 0 candidates)" in text and "--min-per-grid" in text


def test_bom_json_has_the_kit_per_community(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two planned points in M2, one in M3; M1 is the pilot community (E1 is flagged)."""
    layers = make_tiny_layers()
    planned = gpd.GeoDataFrame(
        {"point_id": ["P1", "P2", "P3"], "name": ["a", "b", "c"], "status": ["planned"] * 3},
        geometry=[pt(150, 50), pt(160, 60), pt(300, 50)],
        crs=CRS,
    )
    layers["equipment_points"] = pd.concat([layers["equipment_points"], planned], ignore_index=True)
    gpkg = write_gpkg(tmp_path / "bom.gpkg", layers)
    assert main(["bom", str(gpkg), "--json"]) == 0
    document = json.loads(capsys.readouterr().out.splitlines()[-1])
    rows = {r["社区编码"]: r for r in document["per_community"]}
    assert list(rows) == ["M1", "M2", "M3"]  # no 合计 row: the totals are in "total"
    assert rows["M1"]["试点社区"] == "是" and rows["M1"]["规划器材点（个）"] == 0
    assert rows["M1"]["器材箱（个）"] == 3 and rows["M1"]["灭火器（具）"] == 0
    assert rows["M2"]["社区（村）名称"] == "金华社区" and rows["M2"]["所属街道（镇）"] == "L1"
    assert rows["M2"]["规划器材点（个）"] == 2 and rows["M2"]["灭火器（具）"] == 8
    assert rows["M3"]["防毒面具（个）"] == 2 and rows["M3"]["器材箱（个）"] == 0
    assert isinstance(rows["M2"]["灭火器（具）"], int)  # numbers, not strings
    total = {r["器材名称"]: r["合计数量"] for r in document["total"]}
    assert total["灭火器"] == 12 and total["器材箱"] == 3
