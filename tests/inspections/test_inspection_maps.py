"""Heat aggregation, missing inspections and tallies, with answers worked out by hand."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import CRS, X0, Y0
from hypothesis import given, settings
from hypothesis import strategies as st
from inspection_cases import district_with, inspection

from gridmap.analysis.inspections import (
    heat_points,
    hex_cells,
    hex_counts,
    hex_polygons,
    missing_inspections,
    tallies,
    weekly_heat,
)
from gridmap.errors import CRSError


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-5000, 5000), st.floats(-5000, 5000)), min_size=1, max_size=40),
    st.sampled_from([10.0, 250.0, 1000.0]),
)
def test_every_point_lies_in_its_hexagon(points, cell_size) -> None:
    xy = np.array(points)
    q, r = hex_cells(xy[:, 0], xy[:, 1], cell_size=cell_size)
    hexes = hex_polygons(q, r, cell_size=cell_size)
    # Allow a hair of tolerance for points exactly on an edge.
    assert shapely.dwithin(hexes, shapely.points(xy), 1e-6 * cell_size).all()


def test_hexagon_geometry_by_hand() -> None:
    hexagon = hex_polygons(np.array([0]), np.array([0]), cell_size=100.0)[0]
    # Width across flats 100 m: area = sqrt(3)/2 * 100^2.
    assert hexagon.area == pytest.approx(np.sqrt(3) / 2 * 100**2)
    q, r = hex_cells(np.array([100.0, 50.0]), np.array([0.0, 86.6]), cell_size=100.0)
    assert (q.tolist(), r.tolist()) == ([1, 0], [0, 1])  # the east and north-east neighbours


def test_hex_counts_and_heat_points_sum_to_the_records() -> None:
    rng = np.random.default_rng(1)
    xy = rng.uniform(0, 3000, size=(5000, 2)) + [X0, Y0]
    points = gpd.GeoSeries(shapely.points(xy), crs=CRS)
    cells = hex_counts(points, cell_size=250.0)
    assert cells["count"].sum() == 5000 and cells.crs == points.crs
    heat, size = heat_points(points, cell_size=250.0)
    assert size == 250.0 and heat["weight"].sum() == 5000
    assert heat["lat"].between(34, 36).all() and heat["lon"].between(112, 114).all()
    coarse, size = heat_points(points, cell_size=50.0, max_cells=100)
    assert len(coarse) <= 100 and size > 50.0 and coarse["weight"].sum() == 5000


def test_measuring_in_degrees_is_refused() -> None:
    points = gpd.GeoSeries(shapely.points([[113.0, 34.8]]), crs=4326)
    with pytest.raises(CRSError, match="metric"):
        heat_points(points)


def test_weekly_heat_has_every_week_of_the_range() -> None:
    district = district_with(
        [
            inspection("2025-06-02 08:00", "patrol", "S1"),
            inspection("2025-06-03 08:00", "patrol", "S1"),
            inspection("2025-06-20 08:00", "patrol", "S4"),
            inspection("2025-07-20 08:00", "patrol", "S4"),  # outside
        ]
    )
    layer = district["inspections"]
    heat = weekly_heat(layer.geometry, layer["inspected_at"], start="2025-06-01", end="2025-06-30")
    assert heat.weeks == [
        "2025-05-26",
        "2025-06-02",
        "2025-06-09",
        "2025-06-16",
        "2025-06-23",
        "2025-06-30",
    ]
    assert [sum(row[2] for row in frame) for frame in heat.frames] == [0, 2, 0, 1, 0, 0]
    assert heat.cells == 2


def test_missing_inspections_by_zone_and_unit() -> None:
    district = district_with(
        [
            inspection("2025-06-02 08:00", "community", "S1"),
            inspection("2025-06-03 08:00", "unit", "S3", target="U1"),
            inspection("2025-06-04 08:00", "community", "S3", target="U1"),
            inspection("2025-05-20 08:00", "police", "S4", target="U2"),  # before the range
        ]
    )
    missing = missing_inspections(district, start="2025-06-01", end="2025-06-30")
    zones = missing.zones.set_index("grid_id")
    assert zones["inspections"].to_dict() == {"S1": 1, "S2": 0, "S3": 2, "S4": 0}
    assert zones["households"].to_dict() == {"S1": 2, "S2": 1, "S3": 0, "S4": 0}
    assert zones.loc["S1", "per_household"] == 0.5
    assert zones.loc["S3", "per_unit"] == 2.0 and zones.loc["S3", "units_inspected"] == 1
    assert np.isnan(zones.loc["S1", "per_unit"])
    assert missing.zones_missed["grid_id"].tolist() == ["S2", "S4"]
    assert missing.units["unit_id"].tolist() == ["U2"]
    assert missing.units.iloc[0]["small_id"] == "S4"
    assert missing.units.iloc[0]["last_inspected"] == pd.Timestamp(
        "2025-05-20 08:00", tz="Asia/Shanghai"
    )
    only_units = missing_inspections(district, start="2025-06-01", end="2025-06-30", roles=["unit"])
    assert only_units.zones.set_index("grid_id")["inspections"].to_dict()["S3"] == 1


def test_tallies_per_role_and_per_inspector() -> None:
    district = district_with(
        [
            inspection("2025-06-02 08:00", "community", "S1", inspector="王芳"),
            inspection("2025-06-03 08:00", "community", "S1", inspector="王芳", result="hazard"),
            inspection("2025-06-03 09:00", "patrol", "S2", inspector="李强"),
            inspection("2025-07-03 09:00", "patrol", "S2", inspector="李强"),  # outside
        ]
    )
    by_role = tallies(district, start="2025-06-01", end="2025-06-30").set_index("grid_id")
    assert by_role.loc["S1", ["community", "patrol", "total", "hazards"]].tolist() == [2, 0, 2, 1]
    assert by_role.loc["S4", "total"] == 0
    medium = tallies(district, start="2025-06-01", end="2025-06-30", level="grid_medium")
    assert medium.set_index("grid_id").loc["M1", "total"] == 3
    people = tallies(district, start="2025-06-01", end="2025-06-30", by="inspector")
    assert people.to_dict("records") == [
        {"grid_id": "S1", "inspector": "王芳", "inspections": 2, "hazards": 1},
        {"grid_id": "S2", "inspector": "李强", "inspections": 1, "hazards": 0},
    ]


def test_community_outlines_are_simplified_in_degrees() -> None:
    from gridmap.render.web.inspections import OUTLINE_TOLERANCE, community_outlines

    wavy = shapely.Polygon(
        [(X0, Y0), (X0 + 100, Y0 + 3), (X0 + 200, Y0), (X0 + 200, Y0 + 100), (X0, Y0 + 100)]
    )
    frame = gpd.GeoDataFrame(
        {"grid_id": ["M1"], "name": ["朝阳社区"], "leader": ["张伟"]}, geometry=[wavy], crs=CRS
    )
    web = community_outlines(frame)
    assert list(web.columns) == ["grid_id", "name", "geometry"]  # nothing else is sent
    assert web.crs.to_epsg() == 4326
    # the 3 m bump is below the tolerance: the bottom edge becomes straight
    assert OUTLINE_TOLERANCE > 3
    assert shapely.get_num_coordinates(web.geometry.iloc[0]) == 5
