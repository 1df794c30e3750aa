"""Coverage checks on hand-built districts whose answers are worked out by hand."""

from __future__ import annotations

import copy

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
from conftest import make_tiny_layers, pt, rect
from coverage_cases import EXPECTED, add_rows, bow_tie, district, make_defective_layers
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import MultiPolygon, Polygon

from gridmap.analysis.coverage import CHECKS, CoverageReport, check_coverage, require_min_area
from gridmap.district import District
from gridmap.errors import CRSError, GridmapError, OptionError

X0, Y0 = 433_000.0, 3_852_000.0


def rows(report: CoverageReport, check: str | None = None) -> list[tuple]:
    """Findings as (check, layer, ids, area rounded, large_id, medium_id)."""
    f = report.findings if check is None else report.of(check)
    return [
        (
            r.check,
            r.layer,
            r.ids,
            None if pd.isna(r.area_m2) else round(r.area_m2, 3),
            None if pd.isna(r.large_id) else r.large_id,
            None if pd.isna(r.medium_id) else r.medium_id,
        )
        for r in f.itertuples()
    ]


def test_clean_tiny_district_has_no_findings(tiny_layers):
    report = check_coverage(district(tiny_layers))
    assert report.findings.empty
    assert report.ok
    assert report.summary == {
        **dict.fromkeys(CHECKS, 0),
        "errors": 0,
        "warnings": 0,
        "ok": True,
        "per_large": {"L1": 0, "L2": 0},
    }
    assert report.membership.to_dict("list") == {
        "building_id": ["B1", "B2", "B3", "B4"],
        "small_id": ["S1", "S2", "S3", "S4"],
        "medium_id": ["M1", "M1", "M2", "M3"],
        "large_id": ["L1", "L1", "L1", "L2"],
    }
    assert report.unit_membership["small_id"].tolist() == ["S3", "S4"]
    assert report.household_membership.columns.tolist() == [
        "household_id",
        "building_id",
        "small_id",
        "medium_id",
        "large_id",
    ]
    assert report.household_membership["medium_id"].tolist() == ["M1", "M1", "M1"]


def test_every_planted_defect_is_found_and_nothing_else():
    report = check_coverage(district(make_defective_layers()))
    assert rows(report) == EXPECTED
    assert report.findings.crs == pyproj.CRS.from_epsg(4547)
    assert list(report.findings.columns) == [
        "check",
        "severity",
        "layer",
        "ids",
        "area_m2",
        "large_id",
        "medium_id",
        "message",
        "geometry",
    ]
    assert report.summary["errors"] == 13 and report.summary["warnings"] == 2
    assert report.summary["gap"] == 2 and report.summary["household_missed"] == 3
    assert report.summary["per_large"] == {"L1": 10, "L2": 2}
    assert not report.ok


@pytest.mark.parametrize("check", list(CHECKS))
def test_each_check_has_a_known_answer(check):
    report = check_coverage(district(make_defective_layers()))
    expected = [e for e in EXPECTED if e[0] == check]
    assert expected, "every check has a planted defect"
    assert rows(report, check) == expected
    assert set(report.of(check)["severity"]) == {CHECKS[check].severity}


def test_findings_have_places_and_messages():
    report = check_coverage(district(make_defective_layers()))
    keys = [
        (*ids, check)
        for ids, check in zip(report.findings["ids"], report.findings["check"], strict=True)
    ]
    f = report.findings.set_index(pd.Index(keys, tupleize_cols=False))
    gap = f.loc[[("M1", "gap")]].geometry.iloc[0]
    assert gap.equals(rect(0, 40, 100, 50).normalize()) or abs(gap.area - 1000) < 1e-6
    assert gap.bounds == pytest.approx((X0, Y0 + 40, X0 + 100, Y0 + 50))
    overlap = f.loc[[("S2", "S3", "overlap")]].geometry.iloc[0]
    assert overlap.bounds == pytest.approx((X0 + 100, Y0 + 50, X0 + 120, Y0 + 100))
    assert f.loc[[("H4", "household_missed")]].geometry.iloc[0] is None
    assert f.loc[[("H6", "household_missed")]].geometry.iloc[0].geom_type == "Point"
    assert f.loc[[("S4", "invalid_geometry")]].geometry.iloc[0].is_valid is False
    assert "Self-intersection" in f.loc[[("S4", "invalid_geometry")]]["message"].iloc[0]
    assert report.message_zh.index.equals(report.findings.index)
    assert "漏楼" in report.message_zh[report.findings["ids"].map(tuple) == ("H6",)].iloc[0]


def test_input_is_not_mutated():
    layers = make_defective_layers()
    before = copy.deepcopy(layers)
    check_coverage(district(layers), min_area=0.5)
    for name, frame in layers.items():
        assert_geodataframe_equal(frame, before[name])


# ---------------------------------------------------------------------------
# Edge cases


@pytest.mark.parametrize(
    ("building", "small_id", "split"),
    [
        (rect(90, 10, 110, 30), "S1", True),  # straddles x=100: first grid in layer order
        (rect(80, 10, 100, 30), "S1", False),  # touches x=100 from the west
        (rect(100, 10, 120, 30), "S3", False),  # touches x=100 from the east
        (pt(100, 20), "S1", False),  # a point building exactly on the boundary
        (pt(200, 50), "S3", False),  # on the boundary of two large grids
    ],
)
def test_building_on_a_zone_boundary(building, small_id, split):
    layers = make_tiny_layers()
    layers["buildings"] = add_rows(
        layers["buildings"], [{"building_id": "B9", "use": "commercial", "geometry": building}]
    )
    report = check_coverage(district(layers))
    member = report.membership.set_index("building_id").loc["B9"]
    assert member["small_id"] == small_id
    assert report.summary["building_missed"] == 0
    assert rows(report, "building_split") == (
        [("building_split", "buildings", ["B9"], None, "L1", "M1")] if split else []
    )


def _hole_layers(*, fill_hole: bool, island: bool) -> dict[str, pd.DataFrame]:
    """M3 as a two-part MultiPolygon, its western part with a 20 x 20 hole.

    M3 = x 200..300 (hole x 240..260, y 40..60) + x 320..400; M4, an island
    village (城中村), fills the hole; M5, a river strip, lies between the parts.
    """
    layers = make_tiny_layers()
    shell = [(X0 + 200, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 100), (X0 + 200, Y0 + 100)]
    hole = [(X0 + 240, Y0 + 40), (X0 + 260, Y0 + 40), (X0 + 260, Y0 + 60), (X0 + 240, Y0 + 60)]
    m3 = MultiPolygon([Polygon(shell, [hole]), rect(320, 0, 400, 100)])
    medium = layers["grid_medium"].copy()
    medium.loc[2, "geometry"] = m3
    medium = add_rows(
        medium,
        [
            {
                "grid_id": "M4",
                "parent_id": "L2",
                "name": "城中村",
                "kind": "village",
                "leader": "何军",
                "geometry": rect(240, 40, 260, 60),
            },
            {
                "grid_id": "M5",
                "parent_id": "L2",
                "name": "河道社区",
                "kind": "community",
                "leader": "罗兰",
                "geometry": rect(300, 0, 320, 100),
            },
        ],
    )
    small = layers["grid_small"].iloc[:3].copy()
    west = rect(200, 0, 300, 100) if fill_hole else Polygon(shell, [hole])
    new = [
        {
            "grid_id": "S4",
            "parent_id": "M3",
            "name": "东林西片",
            "leader": "吴敏",
            "geometry": west,
        },
        {
            "grid_id": "S5",
            "parent_id": "M3",
            "name": "东林东片",
            "leader": "郑涛",
            "geometry": rect(320, 0, 400, 100),
        },
        {
            "grid_id": "S7",
            "parent_id": "M5",
            "name": "河道片区",
            "leader": "罗兰",
            "geometry": rect(300, 0, 320, 100),
        },
    ]
    if island:
        new.append(
            {
                "grid_id": "S6",
                "parent_id": "M4",
                "name": "城中村片区",
                "leader": "何军",
                "geometry": rect(240, 40, 260, 60),
            }
        )
    layers["grid_medium"], layers["grid_small"] = medium, add_rows(small, new)
    layers["buildings"] = layers["buildings"].iloc[:3]  # B4 would sit on the hole's edge
    layers["units"] = layers["units"].iloc[:1]
    return layers


def test_multipolygon_grid_with_a_hole_nests_cleanly():
    report = check_coverage(district(_hole_layers(fill_hole=False, island=True)))
    assert rows(report) == []


def test_hole_left_uncovered_is_a_gap_of_its_area():
    report = check_coverage(district(_hole_layers(fill_hole=False, island=False)))
    assert rows(report) == [("gap", "grid_medium", ["M4"], 400.0, "L2", "M4")]


def test_small_grid_filling_its_parents_hole_lies_outside_and_overlaps():
    report = check_coverage(district(_hole_layers(fill_hole=True, island=True)))
    assert rows(report) == [
        ("outside_parent", "grid_small", ["S4"], 400.0, "L2", "M3"),
        ("overlap", "grid_small", ["S4", "S6"], 400.0, "L2", "M3"),
    ]


def _empty_like(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.iloc[:0].copy()


def test_empty_buildings_layer():
    layers = make_tiny_layers()
    layers["buildings"] = _empty_like(layers["buildings"])
    report = check_coverage(district(layers))
    assert report.membership.empty
    assert list(report.membership.columns) == ["building_id", "small_id", "medium_id", "large_id"]
    # every household now names no building
    assert [r[2] for r in rows(report, "household_missed")] == [["H1"], ["H2"], ["H3"]]
    assert report.summary["errors"] == 3


def test_empty_households_layer_flags_residential_buildings():
    layers = make_tiny_layers()
    layers["households"] = _empty_like(layers["households"])
    report = check_coverage(district(layers))
    assert rows(report) == [
        ("building_no_households", "buildings", ["B1"], None, "L1", "M1"),
        ("building_no_households", "buildings", ["B2"], None, "L1", "M1"),
    ]
    assert report.ok  # warnings only


def test_empty_small_grid_layer_uncovers_every_medium_grid():
    layers = make_tiny_layers()
    layers["grid_small"] = _empty_like(layers["grid_small"])
    report = check_coverage(district(layers))
    assert rows(report, "gap") == [
        ("gap", "grid_medium", ["M1"], 10000.0, "L1", "M1"),
        ("gap", "grid_medium", ["M2"], 10000.0, "L1", "M2"),
        ("gap", "grid_medium", ["M3"], 20000.0, "L2", "M3"),
    ]
    assert report.summary["building_missed"] == 4
    assert report.summary["unit_missed"] == 2
    assert report.summary["household_missed"] == 3
    # missed buildings are still placed in their community by where they lie
    assert rows(report, "building_missed")[0][4:] == ("L1", "M1")
    assert report.membership["small_id"].isna().all()


def test_district_with_only_grid_layers():
    layers = make_tiny_layers()
    report = check_coverage(
        district({k: layers[k] for k in ("grid_large", "grid_medium", "grid_small")})
    )
    assert report.findings.empty
    assert report.membership.empty and report.unit_membership.empty
    assert report.household_membership.empty


def test_households_as_a_plain_table():
    layers = make_defective_layers()
    layers["households"] = pd.DataFrame(layers["households"].drop(columns="geometry"))
    report = check_coverage(district(layers))
    assert rows(report) == EXPECTED


def test_parent_with_no_children_is_one_gap():
    layers = make_tiny_layers()
    layers["grid_large"] = add_rows(
        layers["grid_large"],
        [{"grid_id": "L3", "name": "新区", "leader": "高峰", "geometry": rect(400, 0, 500, 100)}],
    )
    layers["grid_medium"] = add_rows(
        layers["grid_medium"],
        [
            {
                "grid_id": "M4",
                "parent_id": "L1",
                "name": "空社区",
                "kind": "community",
                "leader": "林",
                "geometry": rect(500, 0, 520, 10),
            }
        ],
    )
    report = check_coverage(district(layers))
    assert rows(report) == [
        ("outside_parent", "grid_medium", ["M4"], 200.0, "L1", "M4"),
        ("gap", "grid_large", ["L3"], 10000.0, "L3", None),
        ("gap", "grid_medium", ["M4"], 200.0, "L1", "M4"),
    ]
    assert report.summary["per_large"] == {"L1": 2, "L2": 0, "L3": 1}


def test_invalid_bow_tie_medium_grid_is_repaired_then_checked():
    layers = make_tiny_layers()
    layers["grid_medium"].loc[2, "geometry"] = bow_tie(200, 0, 400, 100)
    layers["units"] = layers["units"].iloc[:1]
    layers["buildings"] = layers["buildings"].iloc[:3]
    report = check_coverage(district(layers))
    assert rows(report) == [
        ("invalid_geometry", "grid_medium", ["M3"], None, "L2", "M3"),
        ("outside_parent", "grid_small", ["S4"], 10000.0, "L2", "M3"),
        ("gap", "grid_large", ["L2"], 10000.0, "L2", None),
    ]


@pytest.mark.parametrize("layer", ["grid_large", "grid_small"])
def test_bow_tie_at_other_levels(layer):
    layers = make_tiny_layers()
    index = 1 if layer == "grid_large" else 3
    layers[layer].loc[index, "geometry"] = bow_tie(200, 0, 400, 100)
    report = check_coverage(district(layers))
    assert report.summary["invalid_geometry"] == 1
    assert report.of("invalid_geometry")["layer"].tolist() == [layer]


def test_geographic_district_raises_crs_error(tiny_layers):
    geographic = {k: v.to_crs(4326) for k, v in tiny_layers.items()}
    with pytest.raises(CRSError, match="metric CRS"):
        check_coverage(District(layers=geographic, crs=pyproj.CRS.from_epsg(4326)))


def test_layer_in_another_crs_raises_crs_error(tiny_layers):
    tiny_layers["units"] = tiny_layers["units"].to_crs(4326)
    with pytest.raises(CRSError, match="units"):
        check_coverage(district(tiny_layers))


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), float("-inf"), "5", None, True])
def test_min_area_must_be_a_finite_non_negative_number(tiny_layers, bad):
    with pytest.raises(OptionError) as info:
        check_coverage(district(tiny_layers), min_area=bad)
    assert isinstance(info.value, GridmapError) and isinstance(info.value, ValueError)
    assert str(info.value).startswith(
        f"min_area must be a finite number of square metres, 0 or more, not {bad!r}. Fix: "
    )


@pytest.mark.parametrize("good", [0, 0.0, 1, 2.5])
def test_min_area_accepts_finite_non_negative_numbers(good):
    assert require_min_area(good) == float(good)
    assert isinstance(require_min_area(good), float)


@pytest.mark.parametrize(("min_area", "found"), [(0.0, 1), (0.4, 1), (1.0, 0), (5.0, 0)])
def test_min_area_suppresses_slivers(min_area, found):
    layers = make_tiny_layers()
    small = layers["grid_small"]
    small.loc[0, "geometry"] = rect(0, 0, 100, 49.97)  # 3 m² gap in M1 (100 x 0.03)
    small.loc[3, "geometry"] = rect(199.995, 0, 400, 100)  # 0.5 m² overlap and outside
    report = check_coverage(district(layers), min_area=min_area)
    assert report.summary["overlap"] == found
    assert report.summary["outside_parent"] == found
    assert report.summary["gap"] == (1 if min_area <= 3.0 else 0)


def test_grid_inside_another_and_identical_grids_overlap():
    layers = make_tiny_layers()
    layers["grid_small"] = add_rows(
        layers["grid_small"],
        [
            {
                "grid_id": "S5",
                "parent_id": "M1",
                "name": "内",
                "leader": "甲",
                "geometry": rect(10, 10, 20, 20),
            },
            {
                "grid_id": "S6",
                "parent_id": "M3",
                "name": "同",
                "leader": "乙",
                "geometry": rect(200, 0, 400, 100),
            },
        ],
    )
    report = check_coverage(district(layers))
    assert rows(report, "overlap") == [
        ("overlap", "grid_small", ["S1", "S5"], 100.0, "L1", "M1"),
        ("overlap", "grid_small", ["S4", "S6"], 20000.0, "L2", "M3"),
    ]


def test_duplicated_grid_rows_are_one_duplicate_not_an_overlap():
    layers = make_tiny_layers()
    layers["grid_small"] = add_rows(
        layers["grid_small"],
        [
            {
                "grid_id": "S4",
                "parent_id": "M3",
                "name": "东林第1片区",
                "leader": "吴敏",
                "geometry": rect(200, 0, 400, 100),
            }
        ],
    )
    report = check_coverage(district(layers))
    assert rows(report) == [("duplicate_id", "grid_small", ["S4"], None, "L2", "M3")]


def test_missing_leader_and_parent_columns():
    layers = make_tiny_layers()
    layers["grid_small"] = layers["grid_small"].drop(columns=["leader", "parent_id"])
    report = check_coverage(district(layers))
    assert report.summary["no_leader"] == 4
    assert report.summary["bad_parent"] == 4
    # zones without a parent are placed in their community by where they lie
    assert report.of("bad_parent")["medium_id"].tolist() == ["M1", "M1", "M2", "M3"]
    assert report.membership["medium_id"].isna().all()


def test_medium_with_bad_parent_breaks_the_lineage_below():
    layers = make_tiny_layers()
    layers["grid_medium"].loc[2, "parent_id"] = None
    report = check_coverage(district(layers))
    assert rows(report) == [("bad_parent", "grid_medium", ["M3"], None, "L2", "M3")]
    assert report.membership.set_index("building_id").loc["B4"].tolist() == ["S4", "M3", None]


def test_missing_geometry_building_is_missed():
    layers = make_tiny_layers()
    layers["buildings"].loc[3, "geometry"] = None
    report = check_coverage(district(layers))
    assert rows(report, "building_missed") == [
        ("building_missed", "buildings", ["B4"], None, None, None)
    ]
    assert "no geometry" in report.of("building_missed")["message"].iloc[0]


def test_summary_counts_every_check_in_order():
    report = check_coverage(district(make_defective_layers()))
    assert list(report.summary)[: len(CHECKS)] == list(CHECKS)
    assert list(report.summary)[len(CHECKS) :] == ["errors", "warnings", "ok", "per_large"]
    counts = report.findings["check"].value_counts()
    for check in CHECKS:
        assert report.summary[check] == counts.get(check, 0)


def test_checks_table():
    assert list(CHECKS) == [
        "invalid_geometry",
        "duplicate_id",
        "no_leader",
        "bad_parent",
        "outside_parent",
        "gap",
        "overlap",
        "building_missed",
        "building_split",
        "household_missed",
        "building_no_households",
        "unit_missed",
    ]
    warnings = [name for name, (severity, _, _) in CHECKS.items() if severity == "warning"]
    assert warnings == ["building_split", "building_no_households"]
    assert all(zh and en for _, zh, en in CHECKS.values())


def test_report_of_unknown_check():
    report = check_coverage(district(make_tiny_layers()))
    with pytest.raises(KeyError, match="gap"):
        report.of("gaps")


def test_ids_are_lists_of_text():
    report = check_coverage(district(make_defective_layers()))
    assert all(
        isinstance(v, list) and all(isinstance(i, str) for i in v) for v in report.findings["ids"]
    )
    assert np.isnan(report.findings.loc[0, "area_m2"])
