"""Siting on the tiny district, the equipment bill of materials and shortfalls, and the CLI.

Tiny district (conftest): households H1, H2 in B1 and H3 in B2, the existing
pilot point E1 at (50, 25) in M1, unit U1 (small venue, weight 3) at (130, 20)
in B3, unit U2 (family workshop, weight 3) at (260, 30) in B4. With a 60 m
radius E1 reaches B1 and B2 (all three households) but neither unit; the
representative points of B3 and B4 each reach one unit.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from conftest import CRS, make_tiny_layers, pt, rect, write_gpkg
from shapely.geometry import LineString

from gridmap.analysis.equipment import (
    SitingOptions,
    bill_of_materials,
    candidate_sites,
    demand_points,
    inventory_shortfalls,
    pilot_communities,
    shortfall_table,
    site_equipment,
)
from gridmap.cli import main
from gridmap.io import read_district, read_edit_log
from gridmap.io.extra_layers import read_extra_layers
from gridmap.standards.equipment import EQUIPMENT_STANDARD, standard_per_point
from gridmap.tasks import equipment_workbook_bytes, write_equipment_ledger


@pytest.fixture
def tiny(tiny_gpkg: Path):
    return read_district(tiny_gpkg)


def test_demand_points(tiny) -> None:
    households, unlocated = demand_points(tiny, "households")
    assert dict(zip(households["ref_id"], households["weight"], strict=True)) == {
        "B1": 2.0,
        "B2": 1.0,
    }
    assert unlocated == 0
    both, _ = demand_points(tiny, "both")
    assert both["weight"].sum() == 3 + 3 + 3
    weights = {"key": 10, "general": 2, "small_venue": 5, "street_shop": 1, "family_workshop": 0}
    units, _ = demand_points(tiny, "units", unit_weights=weights)
    assert units["ref_id"].tolist() == ["U1"] and units["weight"].tolist() == [5.0]


def test_household_without_building_sits_at_its_own_point(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    layers["households"].loc[2, "building_id"] = None
    district = read_district(write_gpkg(tmp_path / "h.gpkg", layers))
    frame, _ = demand_points(district, "households")
    assert sorted(frame["kind"]) == ["building", "household"]


def test_candidates(tiny) -> None:
    assert candidate_sites(tiny, "auto")["candidate_id"].tolist() == ["B1", "B2", "B3", "B4"]
    lattice = candidate_sites(tiny, "lattice", spacing=50)
    assert len(lattice) == 8 * 2  # 400 x 100 m at 50 m spacing
    unsuitable = gpd.GeoDataFrame(geometry=[rect(0, 0, 200, 100)], crs=CRS)
    kept = candidate_sites(tiny, "lattice", spacing=50, unsuitable=unsuitable)
    assert len(kept) == 8


def test_mclp_on_the_tiny_district(tiny) -> None:
    result = site_equipment(tiny, SitingOptions(model="mclp", count=1, radius=60, demand="both"))
    assert result.status == "optimal"
    assert result.totals["covered_before"] == 3 and result.totals["covered_after"] == 6
    assert result.sites["site_id"].tolist() in (["B3"], ["B4"])  # a tie
    assert result.sites["newly_covered"].tolist() == [3.0]
    row = result.sites.iloc[0]
    assert (row.small_id, row.medium_id) in (("S3", "M2"), ("S4", "M3"))
    assert len(result.uncovered()) == 1


def test_lscp_covers_everything(tiny) -> None:
    result = site_equipment(tiny, SitingOptions(model="lscp", radius=60, demand="both"))
    assert sorted(result.sites["site_id"]) == ["B3", "B4"]
    assert result.totals["share"] == 1.0 and len(result.uncovered()) == 0


def test_without_existing_points(tiny) -> None:
    options = SitingOptions(model="mclp", count=1, radius=60, keep_existing=False)
    result = site_equipment(tiny, options)
    assert result.totals["covered_before"] == 0
    assert result.totals["covered_after"] == 3  # B1's point reaches B1 and B2 (50 m)


def test_min_per_grid(tiny) -> None:
    # every medium grid must hold a point: M1 has E1, so M2 and M3 need one each
    result = site_equipment(tiny, SitingOptions(model="mclp", count=2, radius=60, min_per_grid=1))
    assert sorted(result.sites["medium_id"]) == ["M2", "M3"]


def test_max_per_grid(tiny) -> None:
    options = SitingOptions(
        model="mclp", count=3, radius=25, keep_existing=False, max_per_grid=1, demand="households"
    )
    result = site_equipment(tiny, options)
    assert result.sites["medium_id"].value_counts().max() <= 1


def test_capacity(tiny) -> None:
    result = site_equipment(tiny, SitingOptions(model="mclp", count=0, radius=60, capacity=2))
    assert result.totals["covered_before"] == pytest.approx(2)


def test_walking_distance_and_minutes(tiny) -> None:
    roads = gpd.GeoDataFrame(geometry=[LineString([pt(0, 40), pt(400, 40)])], crs=CRS)
    district = tiny.with_layers(roads=roads)
    result = site_equipment(district, SitingOptions(model="lscp", minutes=1.2, demand="both"))
    assert result.params["distance"] == "network" and result.params["radius_m"] == 100
    assert result.totals["share"] == 1.0
    areas = result.service_areas()
    assert set(areas["kind"]) == {"new", "existing"}


def test_plan_rows(tiny) -> None:
    result = site_equipment(tiny, SitingOptions(model="lscp", radius=60, demand="both"))
    rows = result.plan_rows(["EP-P0007", "E1"])
    assert rows["point_id"].tolist() == ["EP-P0008", "EP-P0009"]
    assert set(rows["status"]) == {"planned"} and rows.crs == tiny.crs


def test_bom_by_hand(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    planned = gpd.GeoDataFrame(
        {"point_id": ["P1", "P2", "P3"], "name": ["a", "b", "c"], "status": ["planned"] * 3},
        geometry=[pt(150, 50), pt(160, 60), pt(300, 50)],
        crs=CRS,
    )
    layers["equipment_points"] = pd.concat([layers["equipment_points"], planned], ignore_index=True)
    district = read_district(write_gpkg(tmp_path / "bom.gpkg", layers))
    assert pilot_communities(district) == ["M1"]
    bom = bill_of_materials(district)
    table = bom.per_community.set_index("社区编码")
    assert table.loc["M2", "规划器材点（个）"] == 2 and table.loc["M2", "灭火器（具）"] == 8
    assert table.loc["M3", "防毒面具（个）"] == 2 and table.loc["M3", "水带及接口（盘）"] == 2
    assert table.loc["M1", "器材箱（个）"] == 3 and table.loc["M1", "灭火器（具）"] == 0
    assert table.loc["合计", "灭火器（具）"] == 12 and table.loc["合计", "消防扳手（把）"] == 3
    total = bom.total.set_index("器材名称")["合计数量"]
    assert total.to_dict() == {
        "灭火器": 12,
        "防毒面具": 6,
        "水枪": 3,
        "水带及接口": 6,
        "消防扳手": 3,
        "细水雾灭火装置": 1,
        "器材箱": 3,
        "沿街门面店消防安全标识牌": 1,
        "“四个能力”标识牌": 1,
    }


def test_inventory_shortfalls_by_hand(tmp_path: Path, tiny) -> None:
    first = inventory_shortfalls(tiny)
    assert first["short_signage"].tolist() == [1] and first["short_total"].tolist() == [1]
    layers = make_tiny_layers()
    second = gpd.GeoDataFrame(
        {
            "point_id": ["E2"],
            "name": ["x"],
            "extinguishers": [2],
            "signage": [1],
            "status": ["existing"],
        },
        geometry=[pt(50, 75)],
        crs=CRS,
    )
    layers["equipment_points"] = pd.concat([layers["equipment_points"], second], ignore_index=True)
    district = read_district(write_gpkg(tmp_path / "inv.gpkg", layers))
    found = inventory_shortfalls(district).set_index("point_id")
    assert found.loc["E1", "short_total"] == 0  # the community now holds two signs
    assert found.loc["E2", "short_total"] == 2 + 2 + 1 + 2 + 1
    assert bool(found.loc["E1", "pilot_holder"]) and not bool(found.loc["E2", "pilot_holder"])
    table = shortfall_table(found.reset_index())
    assert "缺灭火器（具）" in table.columns and table["是否达标"].tolist() == ["达标", "不达标"]


def test_standard_table() -> None:
    assert standard_per_point() == {
        "extinguishers": 4,
        "gas_masks": 2,
        "water_guns": 1,
        "hoses": 2,
        "wrenches": 1,
        "boxes": 0,
        "mist_units": 0,
        "signage": 0,
    }
    assert sum(i.per_pilot_community for i in EQUIPMENT_STANDARD if i.field == "signage") == 2


def test_equipment_workbook(tmp_path: Path, tiny) -> None:
    bom, short = bill_of_materials(tiny), inventory_shortfalls(tiny)
    path = tmp_path / "ledger.xlsx"
    write_equipment_ledger(path, bom, short, title="测试区")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["物资清单（按社区）", "物资汇总", "器材点缺额", "配置标准"]
    assert book["物资汇总"]["A3"].value == "器材名称"
    assert equipment_workbook_bytes(bom, short)[:2] == b"PK"


def test_read_extra_layers(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    layers["candidate_sites"] = gpd.GeoDataFrame(
        {"site_id": ["K1", "K2"]}, geometry=[pt(130, 25), pt(260, 35)], crs=CRS
    )
    district = read_district(write_gpkg(tmp_path / "c.gpkg", layers))
    work = read_extra_layers(district, required=["candidate_sites"], optional=["roads"])
    options = SitingOptions(model="lscp", radius=60, demand="both", candidates="candidate_sites")
    result = site_equipment(work, options)
    assert sorted(result.sites["site_id"]) == ["K1", "K2"]
    with pytest.raises(Exception, match="no layer 'nothing'"):
        read_extra_layers(district, required=["nothing"])


def test_cli_site_json_and_save(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site.json"
    argv = [
        "site",
        str(tiny_gpkg),
        "--model",
        "mclp",
        "--count",
        "1",
        "--radius",
        "60",
        "--demand",
        "both",
        "--candidates",
        "auto",
        "--keep-existing",
        "--json",
        str(out),
        "--save",
    ]
    assert main(argv) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert set(document) >= {"chosen", "totals", "status", "gap", "time_s", "saved"}
    assert set(document["chosen"][0]) == {
        "id",
        "x",
        "y",
        "grid_small",
        "grid_medium",
        "grid_large",
        "newly_covered",
    }
    assert 113 < document["chosen"][0]["x"] < 114 and 34 < document["chosen"][0]["y"] < 35
    assert set(document["totals"]) >= {"demand", "covered_before", "covered_after", "share"}
    assert document["status"] == "optimal" and document["gap"] == 0
    saved = read_district(tiny_gpkg)["equipment_points"]
    assert saved["status"].tolist() == ["existing", "planned"]
    log = read_edit_log(tiny_gpkg)
    # The author is the OS user running the command (issue 16), never a typed name.
    assert log["operation"].tolist() == ["append"] and log["user"].tolist() == [getpass.getuser()]
    assert "Saved 1 planned points" in capsys.readouterr().out


def test_cli_site_needs_count(tiny_gpkg: Path) -> None:
    assert main(["site", str(tiny_gpkg), "--model", "mclp"]) == 2


def test_cli_bom(tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    xlsx = tmp_path / "bom.xlsx"
    assert main(["bom", str(tiny_gpkg), "--xlsx", str(xlsx)]) == 0
    assert xlsx.exists()
    assert main(["bom", str(tiny_gpkg), "--json"]) == 0
    document = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert document["points_short"] == 1 and document["shortfalls"][0]["short_signage"] == 1
