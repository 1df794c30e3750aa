"""Impact preview of boundary edits: new findings and objects that change zone."""

from __future__ import annotations

import pytest
from conftest import X0, Y0, make_tiny_layers, rect
from pyproj import CRS
from shapely.geometry import LineString

from gridmap import District
from gridmap.analysis.editing import (
    delete_grid,
    draw_grid,
    merge_grids,
    reassign_grid,
    reshape_boundary,
    review_edit,
)
from gridmap.layers import Edit


def tiny() -> District:
    return District(layers=make_tiny_layers(), crs=CRS.from_epsg(4547))


def test_reshape_moves_a_building_and_its_household() -> None:
    district = tiny()
    line = LineString([(X0 - 5, Y0 + 85), (X0 + 105, Y0 + 85)])
    review = review_edit(district, reshape_boundary(district, "grid_small", "S1", "S2", line))
    moves = review.moves.sort_values(["kind", "id"])
    assert moves[["kind", "id", "from_small", "to_small"]].values.tolist() == [
        ["building", "B2", "S2", "S1"],
        ["household", "H3", "S2", "S1"],
    ]
    load = review.load.set_index("grid_id")
    assert load.loc["S1", ["households_before", "households_after"]].tolist() == [2, 3]
    assert load.loc["S2", ["households_before", "households_after"]].tolist() == [1, 0]
    assert review.new_findings.empty and not review.blocking


def test_a_gap_left_by_a_delete_blocks_the_save() -> None:
    district = tiny()
    review = review_edit(district, delete_grid(district, "grid_small", "S2", reason="划出"))
    gaps = review.new_findings[review.new_findings["check"] == "gap"]
    assert gaps["ids"].tolist() == [["M1"]]
    assert gaps["area_m2"].iloc[0] == 5_000
    assert review.blocking
    moves = review.moves[["kind", "id", "from_small", "to_small"]].values.tolist()
    assert ["building", "B2", "S2", None] in moves


def test_merge_adds_nothing_and_moves_into_the_survivor() -> None:
    district = tiny()
    review = review_edit(district, merge_grids(district, "grid_small", ["S1", "S2"], keep="S1"))
    assert review.new_findings.empty
    assert set(review.moves["id"]) == {"B2", "H3"}
    assert set(review.moves["to_small"]) == {"S1"}


def test_drawing_across_a_building_is_a_warning_not_a_block() -> None:
    district = tiny()
    edit = draw_grid(
        district,
        "grid_small",
        rect(280, 0, 400, 100),
        parent_id="M3",
        attributes={"leader": "钱进"},
    )
    review = review_edit(district, edit)
    assert review.new_findings["check"].tolist() == ["building_split"]
    assert review.new_findings["ids"].tolist() == [["B4"]]
    assert not review.blocking


def test_a_gap_that_grows_is_a_new_finding() -> None:
    district = tiny()
    # S2 already leaves a 20 m x 50 m gap in M1; drawing it 30 m narrower grows the gap.
    small = district["grid_small"].copy()
    small.loc[small["grid_id"] == "S2", "geometry"] = rect(0, 50, 80, 100)
    district = district.with_layers(grid_small=small)
    bigger = small.copy()
    bigger.loc[bigger["grid_id"] == "S2", "geometry"] = rect(0, 50, 50, 100)
    edit = Edit(
        "grid_small", "reshape", small[small["grid_id"] == "S2"], bigger[bigger["grid_id"] == "S2"]
    )
    review = review_edit(district, edit)
    gaps = review.new_findings[review.new_findings["check"] == "gap"]
    assert gaps["ids"].tolist() == [["M1"]]
    assert gaps["area_m2"].iloc[0] == pytest.approx(2_500)
    assert gaps["area_before_m2"].iloc[0] == pytest.approx(1_000)
    assert review.blocking


def test_an_unchanged_old_gap_is_not_new() -> None:
    district = tiny()
    small = district["grid_small"].copy()
    small.loc[small["grid_id"] == "S2", "geometry"] = rect(0, 50, 80, 100)
    district = district.with_layers(grid_small=small)
    review = review_edit(district, reassign_grid(district, "grid_small", "S4", {"leader": "新"}))
    assert review.new_findings.empty and not review.blocking


def test_transfers_count_moves_per_pair_of_zones() -> None:
    district = tiny()
    review = review_edit(district, merge_grids(district, "grid_small", ["S1", "S2"], keep="S1"))
    assert review.transfers.values.tolist() == [
        ["building", "S2", "S1", 1],
        ["household", "S2", "S1", 1],
    ]


def test_a_new_parent_moves_objects_between_communities() -> None:
    district = tiny()
    # S3 (in M2) is handed to M1 on paper only: it now lies outside its parent.
    review = review_edit(district, reassign_grid(district, "grid_small", "S3", {"parent_id": "M1"}))
    moved = review.moves.set_index("id")
    assert moved.loc["B3", ["from_small", "to_small", "from_medium", "to_medium"]].tolist() == [
        "S3",
        "S3",
        "M2",
        "M1",
    ]
    assert moved.loc["U1", "to_medium"] == "M1"
    assert "outside_parent" in set(review.new_findings["check"])
