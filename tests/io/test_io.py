"""Reading district GeoPackages: good input, every kind of bad input, aliases and types."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from conftest import make_tiny_layers, rect, write_gpkg
from shapely.geometry import LineString, Polygon

from gridmap import CRSError, DataError, read_district
from gridmap.schema import LAYERS


def _problem_text(exc: DataError) -> str:
    return str(exc)


def test_reads_tiny_district(tiny_gpkg: Path) -> None:
    district = read_district(tiny_gpkg)
    assert list(district) == [name for name in LAYERS if name in make_tiny_layers()]
    assert district.crs.to_epsg() == 4547
    assert len(district["grid_small"]) == 4
    assert district["grid_small"].area.sum() == pytest.approx(400 * 100)
    assert district.problems == ()
    assert district.extra_layers == ()


def test_only_grid_layers_are_required(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    path = write_gpkg(
        tmp_path / "grids.gpkg", {k: layers[k] for k in ("grid_large", "grid_medium", "grid_small")}
    )
    district = read_district(path)
    assert set(district) == {"grid_large", "grid_medium", "grid_small"}
    assert district.get("buildings") is None


def test_types_are_coerced(tiny_gpkg: Path) -> None:
    district = read_district(tiny_gpkg)
    inspections = district["inspections"]
    assert str(inspections["inspected_at"].dt.tz) == "Asia/Shanghai"
    # A naive time is Shanghai local time; an explicit +08:00 stays the same instant.
    assert inspections["inspected_at"].iloc[0] == pd.Timestamp(
        "2025-06-01 00:00", tz="Asia/Shanghai"
    )
    assert inspections["inspected_at"].iloc[1] == pd.Timestamp("2025-06-08 01:30", tz="UTC")
    assert district["buildings"]["floors"].dtype == "Int64"
    assert district["equipment_points"]["is_pilot"].tolist() == [True]
    assert all(isinstance(v, str) for v in district["grid_small"]["grid_id"])


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("missing.gpkg", None, "file not found"),
        ("empty.gpkg", b"", "the file is empty"),
        ("notes.gpkg", "这不是地理数据包".encode(), "is not a GeoPackage"),
        ("broken.gpkg", b"SQLite format 3\x00" + b"\x00" * 200, "cannot be read as a GeoPackage"),
    ],
)
def test_unreadable_files_name_the_file(
    tmp_path: Path, name: str, content: bytes | None, expected: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataError) as info:
        read_district(path)
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="is a folder"):
        read_district(tmp_path)


def test_plain_sqlite_is_not_a_geopackage(tmp_path: Path) -> None:
    path = tmp_path / "plain.gpkg"
    with sqlite3.connect(path) as db:
        db.execute("create table t (a int)")
    with pytest.raises(DataError, match="GeoPackage"):
        read_district(path)


def test_truncated_geopackage_is_refused(tiny_gpkg: Path) -> None:
    data = tiny_gpkg.read_bytes()
    tiny_gpkg.write_bytes(data[: len(data) // 3])
    with pytest.raises(DataError) as info:
        read_district(tiny_gpkg)
    assert str(tiny_gpkg) in str(info.value)


def test_missing_required_layers_are_all_listed(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    path = write_gpkg(tmp_path / "partial.gpkg", {"grid_large": layers["grid_large"]})
    with pytest.raises(DataError) as info:
        read_district(path)
    text = str(info.value)
    assert "'grid_medium'" in text and "'grid_small'" in text
    assert len(info.value.problems) == 2
    assert all(p.file == str(path) for p in info.value.problems)


def test_missing_required_field_names_layer_and_field(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    layers["grid_medium"] = layers["grid_medium"].drop(columns=["kind", "leader"])
    with pytest.raises(DataError) as info:
        read_district(write_gpkg(tmp_path / "f.gpkg", layers))
    fields = {(p.layer, p.field) for p in info.value.problems}
    assert fields == {("grid_medium", "kind"), ("grid_medium", "leader")}
    assert "Fix:" in str(info.value)


def test_wrong_geometry_type(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    small = layers["grid_small"]
    layers["grid_small"] = small.set_geometry(
        [LineString(g.exterior.coords) for g in small.geometry], crs=small.crs
    )
    with pytest.raises(DataError) as info:
        read_district(write_gpkg(tmp_path / "g.gpkg", layers))
    (problem,) = info.value.problems
    assert problem.layer == "grid_small"
    assert "LineString (4)" in problem.message and "Polygon" in problem.message


def test_numeric_ids_are_an_error_unless_coerced(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    layers["grid_large"]["grid_id"] = [410106001, 410106100]
    layers["grid_medium"]["parent_id"] = [410106001, 410106001, 410106100]
    path = write_gpkg(tmp_path / "n.gpkg", layers)
    with pytest.raises(DataError) as info:
        read_district(path)
    assert {(p.layer, p.field) for p in info.value.problems} == {
        ("grid_large", "grid_id"),
        ("grid_medium", "parent_id"),
    }
    assert "not text" in str(info.value)
    district = read_district(path, coerce_ids=True)
    assert district["grid_large"]["grid_id"].tolist() == ["410106001", "410106100"]


def test_blank_own_id_is_an_error(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    layers["buildings"].loc[1, "building_id"] = None
    with pytest.raises(DataError, match="1 features have no building_id"):
        read_district(write_gpkg(tmp_path / "b.gpkg", layers))


def test_bad_enum_and_number_values(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    layers["grid_medium"]["kind"] = ["community", "town", "village"]
    layers["buildings"]["floors"] = ["6", "three", "2", "1"]
    with pytest.raises(DataError) as info:
        read_district(write_gpkg(tmp_path / "e.gpkg", layers))
    text = str(info.value)
    assert "cannot be read as one of community" in text and "village" in text
    assert "'town'" in text
    assert "whole numbers" in text and "'three'" in text


def test_chinese_aliases_for_layers_fields_and_values(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    renamed = {
        "大网格": layers["grid_large"].rename(
            columns={
                "grid_id": "网格编码",
                "name": "网格名称",
                "leader": "负责人",
                "phone": "联系电话",
            }
        ),
        "中网格": layers["grid_medium"]
        .rename(columns={"parent_id": "上级网格", "kind": "类型"})
        .assign(类型=["社区", "社区", "行政村"]),
        "小网格": layers["grid_small"],
        "楼栋": layers["buildings"]
        .rename(columns={"building_id": "楼栋编号", "use": "用途"})
        .assign(用途=["住宅", "住宅", "商业", "工业"]),
    }
    district = read_district(write_gpkg(tmp_path / "zh.gpkg", renamed))
    assert district["grid_large"]["leader"].tolist() == ["张伟", "李娜"]
    assert district["grid_medium"]["kind"].tolist() == ["community", "community", "village"]
    assert district["buildings"]["use"].tolist()[:2] == ["residential", "residential"]
    assert district.source_names["grid_large"] == "大网格"


def test_unknown_columns_and_layers_are_kept(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    layers["grid_small"]["巡查频次"] = ["每周", "每周", "每日", "每月"]
    layers["roads_survey"] = gpd.GeoDataFrame(
        {"name": ["a"]},
        geometry=[LineString([(433_000, 3_852_000), (433_100, 3_852_000)])],
        crs="EPSG:4547",
    )
    district = read_district(write_gpkg(tmp_path / "k.gpkg", layers))
    assert "巡查频次" in district["grid_small"].columns
    assert district.extra_layers == ("roads_survey",)


def test_invalid_geometry_is_kept_and_flagged(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    bow_tie = Polygon(
        [(433_000, 3_852_000), (433_100, 3_852_050), (433_100, 3_852_000), (433_000, 3_852_050)]
    )
    layers["grid_small"].loc[0, "geometry"] = bow_tie
    district = read_district(write_gpkg(tmp_path / "i.gpkg", layers))
    assert len(district["grid_small"]) == 4
    (problem,) = district.problems
    assert problem.severity == "warning" and problem.layer == "grid_small"
    assert "S1" in problem.message


def test_layer_without_crs_needs_an_explicit_crs(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    layers["grid_small"] = layers["grid_small"].set_crs(None, allow_override=True)
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        path = write_gpkg(tmp_path / "nocrs.gpkg", layers)
    with pytest.raises(CRSError) as info:
        read_district(path)
    assert info.value.problems[0].layer == "grid_small"
    assert "--crs" in str(info.value)
    district = read_district(path, crs="EPSG:4547")
    assert district["grid_small"].area.sum() == pytest.approx(40_000)


def test_unreadable_crs(tmp_path: Path) -> None:
    path = write_gpkg(tmp_path / "badcrs.gpkg", make_tiny_layers())
    with sqlite3.connect(path) as db:
        db.execute(
            "insert into gpkg_spatial_ref_sys values ('bogus', 990001, 'NONE', 990001, "
            "'PROJCS[\"nonsense\",GEOGCS[broken', NULL)"
        )
        db.execute(
            "update gpkg_geometry_columns set srs_id = 990001 where table_name = 'grid_large'"
        )
        db.execute("update gpkg_contents set srs_id = 990001 where table_name = 'grid_large'")
    with pytest.raises(DataError) as info:
        read_district(path)
    (problem,) = info.value.problems
    assert problem.layer == "grid_large"
    assert "cannot be read by PROJ" in problem.message
    assert isinstance(info.value, CRSError)


def _reproject(layers: dict, crs: str) -> dict:
    return {k: v.to_crs(crs) if isinstance(v, gpd.GeoDataFrame) else v for k, v in layers.items()}


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:4547", "EPSG:4490", "EPSG:32649"])
def test_same_areas_whatever_the_input_crs(tmp_path: Path, crs: str) -> None:
    layers = _reproject(make_tiny_layers(), crs)
    district = read_district(write_gpkg(tmp_path / "c.gpkg", layers))
    assert district.crs.to_epsg() == 4547
    areas = district["grid_small"].area.to_numpy()
    assert areas == pytest.approx([5_000, 5_000, 10_000, 20_000], rel=1e-3)


def test_households_without_geometry_are_accepted(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    layers["households"] = pd.DataFrame(layers["households"].drop(columns="geometry"))
    district = read_district(write_gpkg(tmp_path / "h.gpkg", layers))
    assert len(district["households"]) == 3
    assert not isinstance(district["households"], gpd.GeoDataFrame)


def test_points_where_polygons_expected_in_one_layer_only(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    layers["grid_large"] = layers["grid_large"].set_geometry(layers["grid_large"].centroid)
    layers["grid_small"]["geometry"] = [rect(0, 0, 100, 50)] * 4
    with pytest.raises(DataError) as info:
        read_district(write_gpkg(tmp_path / "p.gpkg", layers))
    assert [p.layer for p in info.value.problems] == ["grid_large"]


def test_missing_values_of_typed_and_text_columns() -> None:
    import pandas as pd

    from gridmap.layers._validate import _missing

    stamps = pd.Series(pd.to_datetime(["2025-06-01", None]).tz_localize("Asia/Shanghai"))
    assert _missing(stamps).tolist() == [False, True]
    assert _missing(pd.Series([1.0, None, 0.0])).tolist() == [False, True, False]
    assert _missing(pd.Series(["a", " ", None, ""], dtype=object)).tolist() == [
        False,
        True,
        True,
        True,
    ]


def test_district_name_is_kept_in_the_geopackage_metadata(tmp_path: Path) -> None:
    """The name lives in gpkg_metadata (GDAL dataset metadata) and survives a save."""
    from gridmap.io import write_district, write_layers
    from gridmap.io.gpkg import DISTRICT_NAME_KEY

    path = tmp_path / "named.gpkg"
    write_layers(path, make_tiny_layers(), name="上街区")
    district = read_district(path)
    assert district.name == "上街区" and district.display_name() == "上街区"
    copy = tmp_path / "copy.gpkg"
    write_district(district, copy)
    assert read_district(copy).name == "上街区"
    with sqlite3.connect(copy) as db:
        (xml,) = db.execute("select metadata from gpkg_metadata").fetchone()
    assert DISTRICT_NAME_KEY in xml and "上街区" in xml
    plain = write_gpkg(tmp_path / "plain.gpkg", make_tiny_layers())
    assert read_district(plain).name == "" and read_district(plain).display_name() == "plain"
