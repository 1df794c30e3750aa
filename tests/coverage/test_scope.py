"""Known answers of the leader's figures (`gridmap.analysis.coverage.scope`), tiny districts."""

from __future__ import annotations

import pytest
from _app_support import make_broken_layers
from conftest import make_tiny_layers, write_gpkg
from pyproj import Transformer

from gridmap.analysis.coverage import check_coverage, scope
from gridmap.io import read_district


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    path = write_gpkg(tmp_path_factory.mktemp("scope") / "broken.gpkg", make_broken_layers())
    district = read_district(path)
    return district, check_coverage(district)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    path = write_gpkg(tmp_path_factory.mktemp("scope") / "tiny.gpkg", make_tiny_layers())
    district = read_district(path)
    return district, check_coverage(district)


def lonlat(district, x: float, y: float) -> tuple[float, float]:
    from conftest import X0, Y0

    to_web = Transformer.from_crs(district.crs, 4326, always_xy=True)
    return to_web.transform(X0 + x, Y0 + y)


@pytest.mark.parametrize(
    ("selection", "grids", "buildings", "households", "units", "no_leader"),
    [
        (scope.Selection(), (2, 3, 4), (4, 5), (3, 4), (2, 3), 1),
        (scope.Selection("L1"), (1, 2, 3), (3, 4), (3, 3), (1, 2), 0),
        (scope.Selection("L1", "M1"), (1, 1, 2), (2, 3), (3, 3), (0, 1), 0),
        (scope.Selection("L1", "M1", "S1"), (1, 1, 1), (1, 1), (2, 2), (0, 0), 0),
        (scope.Selection("L2", "M3", "S4"), (1, 1, 1), (1, 1), (0, 0), (1, 1), 1),
    ],
)
def test_kpis(broken, selection, grids, buildings, households, units, no_leader) -> None:
    district, report = broken
    kpis = scope.coverage_kpis(district, report, selection)
    assert tuple(kpis["grids"].values()) == grids
    assert kpis["buildings"] == buildings
    assert kpis["households"] == households
    assert kpis["units"] == units
    assert kpis["no_leader"] == no_leader


def test_district_kpis_agree_with_the_summary(broken) -> None:
    district, report = broken
    kpis = scope.coverage_kpis(district, report, scope.Selection())
    assert kpis["errors"] == report.summary["errors"]
    assert kpis["warnings"] == report.summary["warnings"]


def test_a_clean_district_is_fully_covered(clean) -> None:
    district, report = clean
    kpis = scope.coverage_kpis(district, report, scope.Selection())
    assert kpis["buildings"] == (4, 4) and kpis["households"] == (3, 3)
    assert kpis["errors"] == 0 and kpis["no_leader"] == 0


def test_profile_of_a_medium_grid(broken) -> None:
    district, report = broken
    profile = scope.grid_profile(district, report, scope.Selection("L1", "M1"))
    assert profile["grid"]["leader"] == "王芳" and profile["grid"]["name"] == "朝阳社区"
    assert profile["children"]["grid_id"].tolist() == ["S1", "S2"]
    assert profile["children"]["leader"].tolist() == ["赵磊", "孙丽"]
    assert profile["child_level"] == "grid_small"
    counts = profile["counts"]
    assert counts["buildings"] == 3 and counts["equipment_points"] == 1
    assert counts["units"] == 1 and counts["units_by_category"]["street_shop"] == 1
    checks = set(profile["findings"]["check"])
    assert {"gap", "building_missed", "unit_missed"} <= checks


def test_profile_of_the_district_lists_large_grids(broken) -> None:
    district, report = broken
    profile = scope.grid_profile(district, report, scope.Selection())
    assert profile["level"] is None and profile["child_level"] == "grid_large"
    assert profile["children"]["leader"].tolist() == ["张伟", "李娜"]
    assert profile["counts"]["units"] == 3


def test_profile_of_a_small_grid_has_no_children(broken) -> None:
    district, report = broken
    profile = scope.grid_profile(district, report, scope.Selection("L1", "M2", "S3"))
    assert profile["children"].empty and profile["child_level"] is None
    assert {"overlap", "outside_parent"} <= set(profile["findings"]["check"])


def test_clicks_drill_down_and_move_sideways(broken) -> None:
    district, _ = broken
    lon, lat = lonlat(district, 20, 20)  # in S1 < M1 < L1
    step = scope.select_at(district, lon, lat, scope.Selection())
    assert step == scope.Selection("L1")
    step = scope.select_at(district, lon, lat, step)
    assert step == scope.Selection("L1", "M1")
    step = scope.select_at(district, lon, lat, step)
    assert step == scope.Selection("L1", "M1", "S1")
    lon2, lat2 = lonlat(district, 20, 70)  # S2, a sibling
    assert scope.select_at(district, lon2, lat2, step) == scope.Selection("L1", "M1", "S2")
    lon3, lat3 = lonlat(district, 300, 50)  # in L2: selects L2 itself
    assert scope.select_at(district, lon3, lat3, scope.Selection("L1")) == scope.Selection("L2")
    far = lonlat(district, 5000, 5000)
    assert scope.select_at(district, *far, step) == step


def test_indicators_per_small_grid(broken) -> None:
    district, report = broken
    assert scope.small_grid_indicator(district, report, "households").to_dict() == {
        "S1": 2,
        "S2": 1,
        "S3": 0,
        "S4": 0,
    }
    assert scope.small_grid_indicator(district, report, "units").to_dict() == {
        "S1": 0,
        "S2": 0,
        "S3": 1,
        "S4": 1,
    }
    findings = scope.small_grid_indicator(district, report, "findings").to_dict()
    assert findings == {"S1": 0, "S2": 0, "S3": 2, "S4": 2}
    with pytest.raises(ValueError, match="unknown indicator"):
        scope.small_grid_indicator(district, report, "people")


def test_equipment_points_are_placed_by_location(broken) -> None:
    district, _ = broken
    table = scope.equipment_membership(district)
    assert table.to_dict("records") == [
        {"point_id": "E1", "small_id": "S1", "medium_id": "M1", "large_id": "L1"}
    ]
