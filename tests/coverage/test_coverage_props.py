"""Property tests of the coverage check: invariants that hold for every tiling hypothesis draws."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from coverage_cases import district, make_defective_layers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridmap.analysis.coverage import check_coverage

CRS = "EPSG:4547"
X0, Y0 = 433_000.0, 3_852_000.0
SETTINGS = settings(
    max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def _cuts(draw, total: float, parts: int) -> np.ndarray:
    """Sorted cut positions 0 < ... < total splitting an interval into `parts` pieces."""
    weights = np.array(draw(st.lists(st.floats(1.0, 10.0), min_size=parts, max_size=parts)))
    return np.r_[0.0, np.cumsum(weights) / weights.sum() * total]


@st.composite
def rectangular_tilings(draw) -> dict[str, gpd.GeoDataFrame]:
    """Large grids as columns, medium grids as rows in them, small grids as columns in those."""
    width, height = draw(st.floats(100, 2000)), draw(st.floats(100, 2000))
    x0, y0 = X0 + draw(st.floats(0, 1000)), Y0 + draw(st.floats(0, 1000))
    large, medium, small = [], [], []
    xs = _cuts(draw, width, draw(st.integers(1, 3))) + x0
    for i in range(len(xs) - 1):
        large.append((f"L{i}", None, shapely.box(xs[i], y0, xs[i + 1], y0 + height)))
        ys = _cuts(draw, height, draw(st.integers(1, 3))) + y0
        for j in range(len(ys) - 1):
            m = f"L{i}M{j}"
            medium.append((m, f"L{i}", shapely.box(xs[i], ys[j], xs[i + 1], ys[j + 1])))
            sx = _cuts(draw, xs[i + 1] - xs[i], draw(st.integers(1, 4))) + xs[i]
            for k in range(len(sx) - 1):
                small.append((f"{m}S{k}", m, shapely.box(sx[k], ys[j], sx[k + 1], ys[j + 1])))
    return _layers(large, medium, small)


@st.composite
def lattice_tilings(draw) -> dict[str, gpd.GeoDataFrame]:
    """Cells of a jittered lattice sharing vertices; medium and large grids are their unions."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    nx, ny = draw(st.integers(2, 6)), draw(st.integers(2, 6))
    gx, gy = np.meshgrid(np.arange(nx + 1) * 100.0, np.arange(ny + 1) * 100.0)
    xy = np.stack([gx, gy], -1) + rng.uniform(-30, 30, (ny + 1, nx + 1, 2))
    xy += [X0, Y0]
    ring = np.stack([xy[:-1, :-1], xy[:-1, 1:], xy[1:, 1:], xy[1:, :-1], xy[:-1, :-1]], 2)
    cells = shapely.polygons(ring.reshape(nx * ny, 5, 2))
    cols = np.tile(np.arange(nx), ny)
    medium_of = np.minimum(cols // 2, (nx - 1) // 2)  # medium grids: pairs of columns
    large_of = medium_of // 2
    medium = [
        (f"M{m}", f"L{m // 2}", shapely.union_all(cells[medium_of == m]))
        for m in np.unique(medium_of)
    ]
    large = [(f"L{g}", None, shapely.union_all(cells[large_of == g])) for g in np.unique(large_of)]
    small = [(f"S{i}", f"M{medium_of[i]}", cells[i]) for i in range(len(cells))]
    return _layers(large, medium, small)


def _layers(large, medium, small) -> dict[str, gpd.GeoDataFrame]:
    def grids(rows, level):
        ids, parents, geoms = zip(*rows, strict=True)
        frame = {
            "grid_id": list(ids),
            "name": [f"{level}{i}" for i in ids],
            "leader": ["负责人"] * len(ids),
        }
        if level != "L":
            frame["parent_id"] = list(parents)
        return gpd.GeoDataFrame(frame, geometry=list(geoms), crs=CRS)

    small_frame = grids(small, "S")
    centre = shapely.point_on_surface(small_frame.geometry.values)
    xy = shapely.get_coordinates(centre)
    buildings = gpd.GeoDataFrame(
        {"building_id": [f"B{i}" for i in range(len(xy))], "use": "residential"},
        geometry=shapely.box(xy[:, 0] - 0.5, xy[:, 1] - 0.5, xy[:, 0] + 0.5, xy[:, 1] + 0.5),
        crs=CRS,
    )
    households = pd.DataFrame(
        {"household_id": [f"H{i}" for i in range(len(xy))], "building_id": buildings["building_id"]}
    )
    units = gpd.GeoDataFrame(
        {"unit_id": [f"U{i}" for i in range(len(xy))], "category": "general"},
        geometry=centre,
        crs=CRS,
    )
    return {
        "grid_large": grids(large, "L"),
        "grid_medium": grids(medium, "M"),
        "grid_small": small_frame,
        "buildings": buildings,
        "households": households,
        "units": units,
    }


tilings = st.one_of(rectangular_tilings(), lattice_tilings())


@SETTINGS
@given(layers=tilings)
def test_a_perfect_tiling_has_no_findings(layers):
    report = check_coverage(district(layers))
    assert report.findings.empty, report.findings[["check", "ids", "area_m2"]].to_string()
    assert report.membership["small_id"].notna().all()
    assert report.unit_membership["medium_id"].notna().all()


@SETTINGS
@given(layers=tilings, data=st.data())
def test_a_hole_in_one_child_is_exactly_one_gap_of_its_area(layers, data):
    small = layers["grid_small"].copy()
    i = data.draw(st.integers(0, len(small) - 1))
    cell = small.geometry.iloc[i]
    # A square well inside the cell: around its interior point, away from its edges.
    centre = shapely.point_on_surface(cell)
    room = shapely.distance(centre, cell.exterior)
    side = data.draw(st.floats(0.3, 0.9)) * min(room, 20.0) * np.sqrt(2)
    offset = data.draw(st.floats(-0.05, 0.05)) * room
    x, y = centre.x + offset, centre.y - offset
    hole = shapely.box(x - side / 2, y - side / 2, x + side / 2, y + side / 2)
    if hole.intersects(layers["buildings"].geometry.iloc[i]) or hole.area < 2.0:
        layers["buildings"] = layers["buildings"].drop(index=i).reset_index(drop=True)
        layers["households"] = layers["households"].drop(index=i).reset_index(drop=True)
        layers["units"] = layers["units"].drop(index=i).reset_index(drop=True)
    small.loc[small.index[i], "geometry"] = cell.difference(hole)
    layers["grid_small"] = small
    report = check_coverage(district(layers), min_area=min(1.0, hole.area / 2))
    f = report.findings
    assert len(f) == 1, f[["check", "ids", "area_m2"]].to_string()
    assert f["check"].iloc[0] == "gap" and f["layer"].iloc[0] == "grid_medium"
    assert f["ids"].iloc[0] == [small["parent_id"].iloc[i]]
    assert f["area_m2"].iloc[0] == pytest.approx(hole.area, rel=1e-3)


def _translated(layers, dx: float, dy: float) -> dict[str, pd.DataFrame]:
    out = {}
    for name, frame in layers.items():
        if isinstance(frame, gpd.GeoDataFrame):
            frame = frame.copy()
            frame.geometry = frame.geometry.translate(dx, dy)
        out[name] = frame
    return out


def _comparable(report) -> list[tuple]:
    f = report.findings
    return [(r.check, r.layer, tuple(r.ids), r.large_id, r.medium_id) for r in f.itertuples()]


@SETTINGS
@given(dx=st.floats(-50_000, 50_000), dy=st.floats(-50_000, 50_000))
def test_translating_all_layers_changes_nothing(dx, dy):
    layers = make_defective_layers()
    before = check_coverage(district(layers))
    after = check_coverage(district(_translated(layers, dx, dy)))
    assert _comparable(after) == _comparable(before)
    np.testing.assert_allclose(
        after.findings["area_m2"], before.findings["area_m2"], rtol=1e-6, atol=1e-6
    )
    moved = before.findings.geometry.translate(dx, dy)
    has = moved.notna() & ~moved.is_empty
    assert (after.findings.geometry[has].centroid.distance(moved[has].centroid) < 1e-3).all()
    pd.testing.assert_frame_equal(after.membership, before.membership)
    pd.testing.assert_frame_equal(after.household_membership, before.household_membership)
