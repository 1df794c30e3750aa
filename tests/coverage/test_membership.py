"""`split_buildings` with small grids that share an id (a duplicate_id case): worked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import make_tiny_layers, rect
from coverage_cases import add_rows, district
from shapely.geometry import Point, box

from gridmap.analysis.coverage import check_coverage
from gridmap.analysis.coverage.membership import split_buildings

# Building 10 x 10 = 100 m² over three rows of small grids:
#   row 0 "S1"  x -10..3   -> 30 m² of the building
#   row 1 "S1"  x   3..6   -> 30 m²   (same id: one grid with 60 m²)
#   row 2 "S2"  x   6..20  -> 40 m²
BUILDING = np.array([box(0, 0, 10, 10)])
ROWS = np.array([box(-10, 0, 3, 10), box(3, 0, 6, 10), box(6, 0, 20, 10)])


def _parts(frame) -> list[tuple[int, int, float]]:
    return [(int(b), int(g), round(float(a), 6)) for b, g, a in frame.to_numpy()]


def test_parts_in_rows_sharing_an_id_add_up() -> None:
    ids = np.array(["S1", "S1", "S2"], dtype=object)
    found = split_buildings(BUILDING, ROWS, min_area=35.0, small_ids=ids)
    # Each S1 row holds 30 m² (below 35), together 60 m²: the building is split 60 / 40.
    assert _parts(found) == [(0, 0, 60.0), (0, 2, 40.0)]


def test_each_row_alone_would_be_below_min_area() -> None:
    found = split_buildings(BUILDING, ROWS, min_area=35.0)  # rows as separate grids
    assert _parts(found) == []  # 30, 30, 40: only one part reaches 35 m²
    found = split_buildings(BUILDING, ROWS, min_area=1.0)
    assert _parts(found) == [(0, 0, 30.0), (0, 1, 30.0), (0, 2, 40.0)]


def test_overlapping_rows_of_one_id_count_their_union_once() -> None:
    rows = np.array([box(-10, 0, 6, 10), box(-10, 0, 6, 10), box(6, 0, 20, 10)])  # exact copies
    ids = np.array(["S1", "S1", "S2"], dtype=object)
    found = split_buildings(BUILDING, rows, min_area=1.0, small_ids=ids)
    assert _parts(found) == [(0, 0, 60.0), (0, 2, 40.0)]  # not 120 m² in S1


def test_all_rows_of_one_id_is_not_a_split() -> None:
    ids = np.array(["S1", "S1", "S1"], dtype=object)
    assert _parts(split_buildings(BUILDING, ROWS, min_area=1.0, small_ids=ids)) == []


def test_check_coverage_reports_the_split_across_a_duplicated_zone() -> None:
    """S3 comes as two rows (y 0..50 and 50..100); B9 (10 x 10 at x 195..205, y 45..55) has
    25 m² in each S3 row and 50 m² in S4: split at min_area 30 only if S3's rows add up."""
    layers = make_tiny_layers()
    small = layers["grid_small"]
    small.loc[2, "geometry"] = rect(100, 0, 200, 50)
    extra = small.iloc[[2]].copy()
    extra["geometry"] = [rect(100, 50, 200, 100)]
    layers["grid_small"] = add_rows(small, extra.to_dict("records"))
    layers["buildings"] = add_rows(
        layers["buildings"],
        [{"building_id": "B9", "use": "commercial", "geometry": rect(195, 45, 205, 55)}],
    )
    findings = check_coverage(district(layers), min_area=30.0).findings
    split = findings[findings["check"] == "building_split"]
    assert split["ids"].tolist() == [["B9"]]
    dup = findings[findings["check"] == "duplicate_id"]
    assert dup[["layer", "ids"]].to_numpy().tolist() == [["grid_small", ["S3"]]]
    assert "S3" in split["message"].iloc[0] and "S4" in split["message"].iloc[0]


@pytest.mark.parametrize("min_area", [0.0, 1.0])
def test_no_polygon_buildings_no_parts(min_area: float) -> None:
    found = split_buildings(np.array([Point(5, 5)]), ROWS, min_area=min_area)
    assert found.empty and list(found.columns) == ["building", "grid", "area"]
