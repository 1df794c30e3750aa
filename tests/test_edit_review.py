"""Impact preview of boundary edits: new findings and objects that change zone."""

from __future__ import annotations

from conftest import X0, Y0, make_tiny_layers, rect
from pyproj import CRS
from shapely.geometry import LineString

from gridmap import District
from gridmap.analysis.edit_review import review_edit
from gridmap.analysis.editing import delete_grid, draw_grid, merge_grids, reshape_boundary


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
    assert ["building", "B2", "S2", None] in review.moves.values.tolist()


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
