"""The pure part of importing: mapping, hierarchy, repairs, coordinates and the report's counts."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from conftest import CRS, make_tiny_layers, rect
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import GeometryCollection, LineString, Point, Polygon

from gridmap.analysis.importing import (
    ImportOptions,
    SourceTable,
    apply_mapping,
    check_mapping,
    match_parents,
    normalise_name,
    parse_mapping,
    prepare_import,
    suggest_mapping,
)
from gridmap.analysis.importing.geometry import (
    convert_coordinates,
    coordinate_columns,
    points_from_table,
    repair_geometries,
)
from gridmap.errors import DataError
from gridmap.layers import validate_layer
from gridmap.schema import GRID_SMALL, LAYERS

BOW_TIE = Polygon([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])


# ---------------------------------------------------------------------------
# Mapping


def test_suggest_mapping_from_aliases_and_similarity() -> None:
    suggested = suggest_mapping(["编号", "网格名", "网格长", "所属社区", "备注说明"], "grid_small")
    assert suggested == {"网格长": "leader", "所属社区": "parent_name", "网格名": "name"}
    assert suggest_mapping(["CODEID", "NOM"], "grid_large") == {"CODEID": "grid_id"}


def test_suggest_mapping_for_ledgers_finds_coordinates() -> None:
    suggested = suggest_mapping(["单位名称", "类别", "经度", "纬度"], "units", table=True)
    assert suggested == {"单位名称": "name", "类别": "category", "经度": "lon", "纬度": "lat"}
    assert "经度" not in suggest_mapping(["经度"], "units")  # not for layers with geometry


def test_parse_mapping_rejects_malformed_items() -> None:
    with pytest.raises(DataError, match="cannot read the mapping 'NOM'"):
        parse_mapping(["NOM"])


def test_check_mapping_lists_every_problem() -> None:
    problems = check_mapping(
        {"NOM": "name", "CODE": "grid_Id", "X": "name"}, "grid_large", ["NOM", "X"]
    )
    text = "\n".join(str(p) for p in problems)
    assert "column 'CODE', which the source does not have" in text
    assert "'grid_Id' is not a field of grid_large" in text
    assert "'NOM', 'X' are all mapped to 'name'" in text


def test_apply_mapping_moves_a_clashing_column_aside() -> None:
    frame = pd.DataFrame({"name": ["a"], "NOM": ["Anjou"]})
    out, notes = apply_mapping(frame, {"NOM": "name"})
    assert out.to_dict("list") == {"name_source": ["a"], "name": ["Anjou"]}
    assert notes and list(frame.columns) == ["name", "NOM"]  # input unchanged


# ---------------------------------------------------------------------------
# Hierarchy


TOWNS = pd.DataFrame(
    {
        "grid_id": ["L1", "L2", "L3"],
        "name": ["济源路街道", "峡窝镇", "Rivière-des-Prairies–Pointe-aux-Trembles"],
    }
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("济源路街道办事处", "济源路街道"),
        ("Riviere des Prairies - Pointe aux Trembles", "Rivière-des-Prairies–Pointe-aux-Trembles"),
        ("ＡＢＣ社区", "abc社区"),
        (" 峡窝镇 ", "峡窝镇"),
    ],
)
def test_normalise_name_equates_spelling_variants(a: str, b: str) -> None:
    assert normalise_name(a) == normalise_name(b)


def test_match_parents_by_name_keeps_unmatched_with_candidates() -> None:
    kids = pd.DataFrame(
        {
            "grid_id": ["a", "b", "c", "d", "e"],
            "jd": [
                "济源路街道办事处",
                "Riviere-des-Prairies-Pointe-aux-Trembles",
                "峡窝",
                None,
                "峡窝",
            ],
        }
    )
    match = match_parents(kids, TOWNS, by="name", column="jd")
    assert match.frame["parent_id"].tolist() == ["L1", "L3", None, None, None]
    assert len(match.frame) == 5 and match.matched == 2
    (unmatched,) = match.unmatched
    assert (unmatched.value, unmatched.features, unmatched.candidates[0]) == ("峡窝", 2, "峡窝镇")
    assert match.notes == ("1 features have no jd value, so no parent",)
    assert "parent_id" not in kids.columns


def test_match_parents_accepts_close_names_only_when_asked() -> None:
    kids = pd.DataFrame({"grid_id": ["a"], "jd": ["济源路街"]})
    assert match_parents(kids, TOWNS, by="name", column="jd").matched == 0
    close = match_parents(kids, TOWNS, by="name", column="jd", accept_close=0.8)
    assert close.frame["parent_id"].tolist() == ["L1"]
    assert close.approximate == (("济源路街", "济源路街道", 1),)


def test_match_parents_ambiguous_names_are_listed() -> None:
    towns = pd.DataFrame({"grid_id": ["L1", "L2"], "name": ["新城社区", "新城社区"]})
    kids = pd.DataFrame({"grid_id": ["a"], "p": ["新城社区"]})
    match = match_parents(kids, towns, by="name", column="p")
    assert match.frame["parent_id"].tolist() == [None]
    assert match.unmatched[0].candidates == ("新城社区 [L1]", "新城社区 [L2]")


def test_match_parents_by_code_prefix() -> None:
    areas = pd.DataFrame({"grid_id": ["24660001", "24660002"], "name": ["", ""]})
    blocks = pd.DataFrame({"IDIDU": [24660001002.0, 24660002001.0, 24669999001.0]})
    match = match_parents(blocks, areas, by="code", column="IDIDU", prefix=8)
    assert match.frame["parent_id"].tolist() == ["24660001", "24660002", None]
    assert match.unmatched[0].value == "24669999"
    assert match.unmatched[0].candidates[0] == "24660002"


def test_match_parents_by_location_takes_the_largest_overlap() -> None:
    large = make_tiny_layers()["grid_large"]
    kids = gpd.GeoDataFrame(
        {"grid_id": ["a", "b", "c"], "name": ["左", "跨界", "外"]},
        geometry=[rect(10, 10, 20, 20), rect(150, 0, 240, 100), rect(500, 0, 600, 100)],
        crs=CRS,
    )
    match = match_parents(kids, large, by="location")
    assert match.frame["parent_id"].tolist() == ["L1", "L1", None]
    assert match.unmatched[0].value == "外" and match.unmatched[0].candidates == ("峡窝镇 [L2]",)


# ---------------------------------------------------------------------------
# Geometry and coordinates


def test_repair_geometries_counts_each_repair() -> None:
    frame = gpd.GeoDataFrame(
        {"grid_id": ["ok", "bow", "coll", "z", "line"]},
        geometry=[
            rect(0, 0, 1, 1),
            BOW_TIE,
            GeometryCollection([rect(0, 0, 1, 1), LineString([(0, 0), (5, 5)])]),
            Polygon([(0, 0, 5), (1, 0, 5), (1, 1, 5), (0, 0, 5)]),
            Polygon([(0, 0), (1, 1), (2, 2), (0, 0)]),  # no area at all
        ],
        crs=CRS,
    )
    out, tallies = repair_geometries(frame, GRID_SMALL, ids=frame["grid_id"])
    counted = {(t.kind, t.reason): t.count for t in tallies}
    assert counted == {
        ("repaired", "Z (height) values dropped"): 1,
        ("repaired", "geometry collections reduced to their polygons"): 1,
        ("repaired", "invalid polygons made valid (make_valid)"): 1,
        ("dropped", "invalid polygons with no area left after repair"): 1,
    }
    assert out["grid_id"].tolist() == ["ok", "bow", "coll", "z"]
    assert out.geometry.is_valid.all() and not out.geometry.has_z.any()
    assert out.geometry.iloc[1].area == pytest.approx(50)
    assert frame.geometry.iloc[1].equals(BOW_TIE)  # input unchanged


def test_coordinate_columns_explicit_wins() -> None:
    assert coordinate_columns(["lng", "lat", "E", "N"], {"E": "x", "N": "y"}) == ("E", "N")
    assert coordinate_columns(["Longitude", "Latitude"], {}) == ("Longitude", "Latitude")
    assert coordinate_columns(["地址"], {}) is None


def test_points_from_table_keeps_rows_without_coordinates() -> None:
    table = pd.DataFrame({"单位编号": ["U1", "U2"], "经度": ["113.27", ""], "纬度": ["34.8", None]})
    points, notes, problems = points_from_table(table, "经度", "纬度", crs=None)
    assert not problems and len(points) == 2
    assert points.geometry.iloc[0].equals(Point(113.27, 34.8)) and points.geometry.iloc[1] is None
    assert "1 rows have no usable coordinates: kept, with no point" in notes
    assert points.crs.to_epsg() == 4326


def test_convert_coordinates_names_the_fix() -> None:
    frame = gpd.GeoDataFrame(geometry=[Point(1, 2)])
    _, _, problems = convert_coordinates(frame)
    assert "--crs" in str(problems[0])
    _, _, problems = convert_coordinates(frame, from_coords="EPSG:99999")
    assert "not a CRS PROJ knows" in str(problems[0])
    out, notes, _ = convert_coordinates(frame.set_crs(4326), from_coords="cgcs2000")
    assert out.crs.to_epsg() == 4490 and "treated as China Geodetic" in notes[0]
    _, _, problems = convert_coordinates(frame.set_crs(4547), from_coords="gcj02")
    assert "longitudes and latitudes" in str(problems[0])


# ---------------------------------------------------------------------------
# The pipeline and its report


def test_prepare_import_accounts_for_every_feature() -> None:
    small = make_tiny_layers()["grid_small"]
    frame = pd.concat([small, small.iloc[[0]]], ignore_index=True)  # one exact duplicate
    frame.loc[len(frame)] = ["S9", "M1", "坏片区", "钱七", BOW_TIE]
    frame.loc[len(frame)] = ["S10", "M1", "线片区", "钱八", Polygon([(0, 0), (1, 1), (2, 2)])]
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=CRS)
    before = frame.copy()
    typed, report = prepare_import([SourceTable(frame, "x.gpkg", "GeoPackage")], "grid_small")
    assert report.ok
    assert report.features_read == 7
    assert report.features_kept == len(typed) == 5
    assert report.features_read == report.features_kept + report.features_dropped
    assert report.dropped == {
        "exact duplicates of another row": 1,
        "invalid polygons with no area left after repair": 1,
    }
    assert report.dropped_examples["invalid polygons with no area left after repair"] == ["S10"]
    assert report.repaired == {"invalid polygons made valid (make_valid)": 1}
    assert_geodataframe_equal(frame, before)


def test_prepare_import_adds_missing_required_fields_with_a_warning() -> None:
    frame = make_tiny_layers()["grid_large"].drop(columns=["leader"])
    typed, report = prepare_import([SourceTable(frame, "x", "GeoPackage")], "grid_large")
    assert report.ok and typed["leader"].isna().all()
    assert any("required field 'leader'" in w for w in report.warnings)


def test_prepare_import_sets_constants_and_checks_choices() -> None:
    frame = make_tiny_layers()["grid_medium"].drop(columns=["kind"])
    typed, report = prepare_import(
        [SourceTable(frame, "x", "GeoPackage")],
        "grid_medium",
        options=ImportOptions(defaults={"kind": "社区"}),
    )
    assert report.ok and typed["kind"].tolist() == ["community"] * 3
    _, report = prepare_import(
        [SourceTable(frame, "x", "GeoPackage")],
        "grid_medium",
        options=ImportOptions(defaults={"kind": "街道"}),  # a town, not a community's kind
    )
    assert not report.ok
    assert "cannot be read as one of community" in str(report.problems[0])
    assert "'街道'" in str(report.problems[0])


def test_report_lines_are_readable() -> None:
    frame = make_tiny_layers()["grid_small"].assign(
        parent_id=None, jd=["朝阳", "朝阳社区", "金华社区", "东林"]
    )
    parents = make_tiny_layers()["grid_medium"]
    _, report = prepare_import(
        [SourceTable(frame, "grids.shp", "Shapefile", ("encoding GBK",))],
        "grid_small",
        options=ImportOptions(parent_by="name", parent_column="jd"),
        parents=parents,
        target_crs=CRS,
    )
    text = "\n".join(report.lines())
    assert "features read 4, kept 4, dropped 0" in text
    assert "note: grids.shp: encoding GBK" in text
    assert "'朝阳' (1 features): closest 朝阳社区" in text
    assert "'东林' (1 features): closest 东林村" in text
    listed = {u["value"]: u["candidates"] for u in report.as_dict()["unmatched_parents"]}
    assert listed["朝阳"][0] == "朝阳社区"


@pytest.mark.filterwarnings("error::UserWarning")
def test_empty_geometries_raise_no_geopandas_warning() -> None:
    """GeoSeries.notna() warns on empty geometries; the import and validation must not call it."""
    units = make_tiny_layers()["units"]
    frame = pd.concat([units, units.iloc[[0]]], ignore_index=True)
    frame.loc[2, "unit_id"] = "U9"
    frame = gpd.GeoDataFrame(frame, geometry="geometry", crs=CRS)
    frame.loc[2, "geometry"] = Point()  # an empty point, as some exporters write
    typed, report = prepare_import([SourceTable(frame, "x.gpkg", "GeoPackage")], "units")
    assert (report.features_read, report.features_kept) == (3, 3)
    assert report.warnings == [
        "features without geometry are kept but cannot be placed on the map."
    ]
    _, problems = validate_layer(frame, LAYERS["units"])
    assert [(p.severity, p.count) for p in problems] == [("warning", 1)]
