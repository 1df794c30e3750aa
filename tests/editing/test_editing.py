"""Boundary edits with hand-built geometries and exact answers, and partition invariants."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from conftest import X0, Y0, make_tiny_layers, rect
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import CRS
from shapely.geometry import LineString

from gridmap import District, read_district
from gridmap.analysis.editing.operations import (
    EditError,
    delete_grid,
    draw_grid,
    merge_grids,
    next_grid_ids,
    reassign_grid,
    reshape_boundary,
    snap_geometry,
    split_grid,
    transfer_area,
)
from gridmap.io import save_edit, undo
from gridmap.layers import apply_edit


def line(*xy: tuple[float, float]) -> LineString:
    return LineString([(X0 + x, Y0 + y) for x, y in xy])


def tiny() -> District:
    return District(layers=make_tiny_layers(), crs=CRS.from_epsg(4547))


def applied(district: District, edit) -> District:
    return district.with_layers(**{edit.layer: apply_edit(district[edit.layer], edit)})


def areas(district: District, level: str = "grid_small") -> dict[str, float]:
    layer = district[level]
    return dict(zip(layer["grid_id"], layer.area.round(6), strict=True))


def assert_partition(district: District) -> None:
    """Children of every parent tile it exactly: no gap, no overlap, area conserved."""
    for child_level, parent_level in (("grid_small", "grid_medium"), ("grid_medium", "grid_large")):
        children, parents = district[child_level], district[parent_level]
        for parent_id, parent in zip(parents["grid_id"], parents.geometry, strict=True):
            kids = children[children["parent_id"] == parent_id].geometry
            assert kids.area.sum() == pytest.approx(parent.area, rel=1e-6)
            union = shapely.union_all(kids.values)
            assert union.area == pytest.approx(parent.area, rel=1e-6)  # no overlap
            assert shapely.symmetric_difference(union, parent).area < 1e-6 * parent.area


def test_split_by_a_line_conserves_area_and_numbers_the_new_grid() -> None:
    district = tiny()
    edit = split_grid(district, "grid_small", "S4", line((300, -10), (300, 110)), user="规划员")
    assert edit.removed["grid_id"].tolist() == ["S4"]
    assert edit.added["grid_id"].tolist() == ["S4", "S5"]
    assert edit.added["name"].tolist() == ["东林第1片区-1", "东林第1片区-2"]
    assert edit.added.area.round(6).tolist() == [10_000, 10_000]
    after = applied(district, edit)
    assert_partition(after)
    assert edit.affected_ids() == ["S4", "S5"]


def test_split_by_a_snapped_line_that_stops_short_of_the_edge() -> None:
    district = tiny()
    edit = split_grid(
        district,
        "grid_small",
        "S3",
        line((100.4, 30), (199.6, 30)),
        snap_tolerance=1.0,
        keep_id=False,
        new_ids=["S3a", "S3b"],
    )
    assert sorted(edit.added.area.round(6)) == [3_000, 7_000]
    assert edit.added["grid_id"].tolist() == ["S3a", "S3b"]


def test_split_by_a_polygon() -> None:
    edit = split_grid(tiny(), "grid_small", "S4", rect(250, 20, 300, 60), names=["外", "内"])
    assert edit.added.area.round(6).tolist() == [18_000, 2_000]
    assert edit.added["name"].tolist() == ["外", "内"]


def test_split_that_misses_is_refused() -> None:
    with pytest.raises(EditError, match="does not divide grid S4"):
        split_grid(tiny(), "grid_small", "S4", line((210, 10), (220, 20)))
    with pytest.raises(EditError, match="no grid with id S9"):
        split_grid(tiny(), "grid_small", "S9", line((0, 0), (1, 1)))


def test_merge_keeps_the_chosen_attributes() -> None:
    district = tiny()
    edit = merge_grids(district, "grid_small", ["S1", "S2"], keep="S2")
    (merged,) = edit.added.itertuples()
    assert merged.grid_id == "S2" and merged.leader == "孙丽"
    assert merged.geometry.area == pytest.approx(10_000)
    assert merged.geometry.geom_type == "Polygon"
    assert_partition(applied(district, edit))


def test_merge_refuses_other_parents_and_separate_pieces() -> None:
    district = tiny()
    with pytest.raises(EditError, match="same parent"):
        merge_grids(district, "grid_small", ["S1", "S3"])
    strips = applied(
        district, split_grid(district, "grid_small", "S4", line((260, -1), (260, 101)))
    )
    strips = applied(strips, split_grid(strips, "grid_small", "S4", line((330, -1), (330, 101))))
    in_m3 = strips["grid_small"][strips["grid_small"]["parent_id"] == "M3"]
    ids = in_m3.assign(minx=in_m3.bounds.minx).sort_values("minx")["grid_id"]
    assert len(ids) == 3
    west, east = ids.iloc[0], ids.iloc[2]
    with pytest.raises(EditError, match="not adjacent"):
        merge_grids(strips, "grid_small", [west, east])


def test_reshape_moves_the_shared_boundary() -> None:
    district = tiny()
    edit = reshape_boundary(district, "grid_small", "S1", "S2", line((-5, 70), (105, 70)))
    assert edit.added.area.round(6).tolist() == [7_000, 3_000]
    after = applied(district, edit)
    assert_partition(after)


def test_reshape_with_a_slanted_snapped_line() -> None:
    edit = reshape_boundary(
        tiny(), "grid_small", "S1", "S2", line((0.4, 60), (99.7, 40)), snap_tolerance=1.0
    )
    assert edit.added.area.round(6).tolist() == [5_000, 5_000]
    assert edit.added.geometry.iloc[0].geom_type == "Polygon"


def test_transfer_area_between_neighbours() -> None:
    district = tiny()
    edit = transfer_area(district, "grid_small", "S1", "S2", rect(-10, 40, 110, 60))
    assert edit.added.area.round(6).tolist() == [4_000, 6_000]
    assert_partition(applied(district, edit))
    with pytest.raises(EditError, match="does not touch"):
        transfer_area(district, "grid_small", "S1", "S4", rect(0, 0, 10, 10))


def test_draw_cuts_the_new_grid_out_of_its_siblings() -> None:
    district = tiny()
    edit = draw_grid(
        district,
        "grid_small",
        rect(250, 20, 350, 80),
        parent_id="M3",
        attributes={"name": "新片区", "leader": "钱进"},
    )
    assert edit.removed["grid_id"].tolist() == ["S4"]
    assert edit.added["grid_id"].tolist() == ["S4", "S5"]
    assert edit.added.area.round(6).tolist() == [14_000, 6_000]
    assert_partition(applied(district, edit))


def test_draw_is_clipped_to_the_parent() -> None:
    edit = draw_grid(tiny(), "grid_small", rect(150, 20, 250, 80), parent_id="M3")
    new = edit.added[edit.added["grid_id"] == "S5"]
    assert new.area.iloc[0] == pytest.approx(3_000)
    assert edit.removed["grid_id"].tolist() == ["S4"]


def test_draw_that_swallows_a_sibling_is_refused() -> None:
    with pytest.raises(EditError, match="covers all of S4"):
        draw_grid(tiny(), "grid_small", rect(190, -10, 410, 110), parent_id="M3")


def test_reassign_and_delete() -> None:
    district = tiny()
    edit = reassign_grid(district, "grid_small", "S3", {"leader": "新人", "phone": "139"})
    assert edit.added[["leader", "phone"]].values.tolist() == [["新人", "139"]]
    with pytest.raises(EditError, match="no grid with id M9"):
        reassign_grid(district, "grid_small", "S3", {"parent_id": "M9"})
    handed = delete_grid(district, "grid_small", "S2", into="S1")
    assert handed.added["grid_id"].tolist() == ["S1"]
    assert handed.added.area.iloc[0] == pytest.approx(10_000)
    with pytest.raises(EditError, match="give a reason"):
        delete_grid(district, "grid_small", "S2")
    gap = delete_grid(district, "grid_small", "S2", reason="划归开发区")
    assert gap.added.empty and gap.removed["grid_id"].tolist() == ["S2"]


def test_snap_moves_near_vertices_onto_edges() -> None:
    shape = line((100.3, 20), (150, 20))
    snapped = snap_geometry(shape, [rect(0, 0, 100, 50)], 0.5)
    assert snapped.coords[0] == (X0 + 100, Y0 + 20)
    assert snapped.coords[1] == (X0 + 150, Y0 + 20)


@pytest.mark.parametrize(
    ("ids", "parents", "parent", "expected"),
    [
        (["S1", "S2"], ["M1", "M1"], "M1", ["S3", "S4"]),
        (["Z-07", "Z-09"], ["P", "P"], "P", ["Z-10", "Z-11"]),
        ([], [], "410106001001", ["410106001001-1", "410106001001-2"]),
    ],
)
def test_next_grid_ids(ids, parents, parent, expected) -> None:
    import pandas as pd

    layer = pd.DataFrame({"grid_id": ids, "parent_id": parents}, dtype=object)
    assert next_grid_ids(layer, parent, 2) == expected


def test_split_save_reload_and_undo(tiny_gpkg: Path) -> None:
    district = read_district(tiny_gpkg)
    edit = split_grid(
        district, "grid_small", "S4", line((300, -10), (300, 110)), user="规划员", reason="人口增长"
    )
    saved = save_edit(district, edit)
    assert sorted(read_district(tiny_gpkg)["grid_small"]["grid_id"]) == [
        "S1",
        "S2",
        "S3",
        "S4",
        "S5",
    ]
    undo(saved, user="规划员")
    restored = read_district(tiny_gpkg)["grid_small"]
    assert (
        restored.set_index("grid_id")
        .geometry["S4"]
        .equals_exact(district["grid_small"].set_index("grid_id").geometry["S4"], 0)
    )


# --- invariants -------------------------------------------------------------

fractions = st.floats(min_value=0.1, max_value=0.9)


@st.composite
def operations(draw):
    kind = draw(
        st.sampled_from(
            ["split_v", "split_h", "split_slant", "split_poly", "draw", "merge", "reshape"]
        )
    )
    return kind, draw(fractions), draw(fractions), draw(st.integers(min_value=0, max_value=50))


def _inner_box(bounds, f: float, g: float) -> shapely.Polygon:
    minx, miny, maxx, maxy = bounds
    w, h = maxx - minx, maxy - miny
    x0, y0 = minx + f * w * 0.5, miny + g * h * 0.5
    return shapely.box(x0, y0, x0 + 0.4 * w, y0 + 0.4 * h)


def _step(district: District, op) -> District:
    kind, f, g, pick = op
    small = district["grid_small"]
    row = small.iloc[pick % len(small)]
    minx, miny, maxx, maxy = row.geometry.bounds
    try:
        if kind in ("split_v", "split_h", "split_slant", "split_poly"):
            if kind == "split_v":
                x = minx + f * (maxx - minx)
                cut = LineString([(x, miny - 1), (x, maxy + 1)])
            elif kind == "split_h":
                y = miny + f * (maxy - miny)
                cut = LineString([(minx - 1, y), (maxx + 1, y)])
            elif kind == "split_slant":
                cut = LineString(
                    [
                        (minx - 1, miny + f * (maxy - miny)),
                        (maxx + 1, miny + g * (maxy - miny)),
                    ]
                )
            else:
                cut = _inner_box(row.geometry.bounds, f, g)
            edit = split_grid(district, "grid_small", row["grid_id"], cut)
        elif kind == "draw":
            box = _inner_box(row.geometry.bounds, f, g)
            edit = draw_grid(district, "grid_small", box, parent_id=row["parent_id"])
        else:
            siblings = small[
                (small["parent_id"] == row["parent_id"])
                & small.touches(row.geometry)
                & (small["grid_id"] != row["grid_id"])
            ]
            shared = siblings[siblings.intersection(row.geometry).length > 0]
            if shared.empty:
                return district
            other = shared["grid_id"].iloc[0]
            if kind == "merge":
                edit = merge_grids(district, "grid_small", [row["grid_id"], other])
            else:
                union = shapely.union(row.geometry, shared.geometry.iloc[0])
                ux0, uy0, ux1, uy1 = union.bounds
                x = ux0 + f * (ux1 - ux0)
                cut = LineString([(x, uy0 - 1), (x, uy1 + 1)])
                edit = reshape_boundary(district, "grid_small", row["grid_id"], other, cut)
    except EditError:
        return district
    return applied(district, edit)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operations(), min_size=1, max_size=8))
def test_random_edit_sequences_keep_a_clean_partition(ops) -> None:
    district = tiny()
    for op in ops:
        district = _step(district, op)
        assert_partition(district)
        assert district["grid_small"]["grid_id"].is_unique
        assert isinstance(district["grid_small"], gpd.GeoDataFrame)


def test_split_names_and_ids_must_match_the_pieces() -> None:
    district = tiny()
    cut = line((200, 50), (400, 50))
    edit = split_grid(district, "grid_small", "S4", cut, names=["东林北片", "东林南片"])
    assert sorted(edit.added["name"]) == ["东林北片", "东林南片"]
    with pytest.raises(EditError, match="give 2 names"):
        split_grid(district, "grid_small", "S4", cut, names=["只有一个"])
    with pytest.raises(EditError, match="give 1 new ids"):
        split_grid(district, "grid_small", "S4", cut, new_ids=["S8", "S9"])


def test_reassign_never_changes_a_boundary() -> None:
    with pytest.raises(EditError, match="attributes only"):
        reassign_grid(tiny(), "grid_small", "S3", {"geometry": rect(100, 0, 150, 100)})


def test_draw_that_would_tear_a_neighbour_apart_is_refused() -> None:
    # a strip across S4 from its top edge to its bottom edge leaves S4 in two pieces
    with pytest.raises(EditError, match="cut S4 into separate pieces"):
        draw_grid(tiny(), "grid_small", rect(290, -10, 310, 110), parent_id="M3")


def test_merge_can_take_single_attributes_from_another_grid() -> None:
    district = tiny()
    edit = merge_grids(
        district, "grid_small", ["S1", "S2"], keep="S1", attributes={"leader": "孙丽"}
    )
    assert edit.added[["grid_id", "name", "leader"]].values.tolist() == [
        ["S1", "朝阳第1片区", "孙丽"]
    ]
    with pytest.raises(EditError, match="cannot set 'parent_id'"):
        merge_grids(district, "grid_small", ["S1", "S2"], attributes={"parent_id": "M2"})


def test_a_full_coding_scheme_is_an_error_not_a_longer_id() -> None:
    import pandas as pd

    layer = pd.DataFrame(
        {"grid_id": ["410106001001998", "410106001001999"], "parent_id": ["410106001001"] * 2}
    )
    with pytest.raises(EditError, match="no 1 free numbers left"):
        next_grid_ids(layer, "410106001001", 1)


def test_snap_prefers_a_vertex_and_leaves_far_points_alone() -> None:
    reference = [rect(0, 0, 100, 50)]
    near_corner = snap_geometry(line((100.4, 50.3), (150, 80)), reference, 0.5)
    assert near_corner.coords[0] == (X0 + 100, Y0 + 50)
    far = snap_geometry(line((100.6, 20), (150, 20)), reference, 0.5)
    assert far.coords[0] == (X0 + 100.6, Y0 + 20)


def test_a_polygon_across_a_grid_splits_it_into_connected_pieces() -> None:
    district = tiny()
    # a band across S4 from top to bottom: inside band + a piece on each side
    edit = split_grid(district, "grid_small", "S4", rect(290, -10, 310, 110))
    assert sorted(edit.added.area.round(6)) == [2_000, 9_000, 9_000]
    assert all(g.geom_type == "Polygon" for g in edit.added.geometry)
    assert_partition(applied(district, edit))
