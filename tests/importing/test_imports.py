"""Importing files as users have them: round trips for every format with Chinese attributes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import make_tiny_layers
from import_cases import (
    POLYGON_WRITERS,
    small_grids_wgs84,
    units_ledger,
    write_csv_ledger,
    write_excel_ledger,
    write_kmz,
    write_shapefile,
)

from gridmap.analysis.importing import ImportOptions
from gridmap.errors import DataError
from gridmap.geo import coords
from gridmap.io import read_district, read_edit_log
from gridmap.tasks.importing import detect_encoding, import_layer, read_source, store_sources


def assert_same_small_grids(path: Path) -> None:
    """The file's grid_small equals the tiny district's, attributes and geometry (to 1 cm)."""
    got = read_district(path, partial=True)["grid_small"].sort_values("grid_id")
    want = make_tiny_layers()["grid_small"].to_crs(got.crs)
    for column in ("grid_id", "parent_id", "name", "leader"):
        assert got[column].tolist() == want[column].tolist(), column
    distance = got.geometry.reset_index(drop=True).hausdorff_distance(want.geometry)
    assert distance.max() < 0.01


@pytest.mark.parametrize("fmt", list(POLYGON_WRITERS))
def test_round_trip_every_polygon_format(fmt: str, tmp_path: Path) -> None:
    source = POLYGON_WRITERS[fmt](tmp_path)
    into = tmp_path / "district.gpkg"
    report = import_layer([source], into, "grid_small")
    assert report.ok, report.lines()
    assert report.written
    assert (report.features_read, report.features_kept, report.dropped) == (4, 4, {})
    assert_same_small_grids(into)


def test_geojson_without_crs_says_it_assumed_wgs84(tmp_path: Path) -> None:
    table = read_source(POLYGON_WRITERS["geojson"](tmp_path))
    assert table.frame.crs.to_epsg() == 4326
    assert any("assumed EPSG:4326" in n for n in table.notes)
    bare = read_source(POLYGON_WRITERS["bare feature array"](tmp_path))
    assert any("bare array of 4 features" in n for n in bare.notes)


def test_projected_geojson_without_crs_needs_crs(tmp_path: Path) -> None:
    path = tmp_path / "metres.geojson"
    make_tiny_layers()["grid_small"].to_file(path, driver="GeoJSON")
    text = path.read_text(encoding="utf-8")
    start = text.index('"crs"')
    end = text.index("},", text.index("}", start) + 1) + 2
    path.write_text(text[:start] + text[end:], encoding="utf-8")  # drop the crs member
    report = import_layer([path], tmp_path / "d.gpkg", "grid_small", dry_run=True)
    assert not report.ok
    assert "no coordinate reference system" in str(report.problems[0])
    fixed = import_layer(
        [path], tmp_path / "d.gpkg", "grid_small", options=ImportOptions(crs="EPSG:4547")
    )
    assert fixed.written
    assert_same_small_grids(tmp_path / "d.gpkg")


def test_gbk_shapefile_without_cpg(tmp_path: Path) -> None:
    source = write_shapefile(tmp_path, encoding="GBK", cpg=False)
    assert not source.with_suffix(".cpg").exists()
    table = read_source(source)
    assert any("detected as GBK" in n for n in table.notes)
    assert "网格编码" in table.frame.columns
    report = import_layer([source], tmp_path / "d.gpkg", "grid_small")
    assert report.written
    assert_same_small_grids(tmp_path / "d.gpkg")


def test_shapefile_encoding_can_be_told(tmp_path: Path) -> None:
    source = write_shapefile(tmp_path, encoding="GBK", cpg=False)
    table = read_source(source, encoding="GB18030")
    assert "encoding GB18030 (as told)" in table.notes
    assert table.frame["网格名称"].iloc[0] == "朝阳第1片区"


def test_detect_encoding_does_not_take_french_for_gbk() -> None:
    assert detect_encoding("Montréal-Nord, Rivière-des-Prairies".encode("cp1252")) == "CP1252"
    assert detect_encoding("朝阳社区 第1片区".encode("gb18030")) == "GBK"


def test_kmz_folders_become_an_attribute(tmp_path: Path) -> None:
    table = read_source(write_kmz(tmp_path))
    assert table.format == "KMZ"
    frame = table.frame
    assert sorted(frame["folder"].unique()) == ["东林村", "朝阳社区", "金华社区"]
    assert set(frame["网格编码"]) == {"S1", "S2", "S3", "S4"}  # names kept, not laundered
    assert "tessellate" not in frame.columns
    assert any("3 KML folders" in n for n in table.notes)


def test_kml_folder_as_parent_name(tmp_path: Path, tiny_gpkg: Path) -> None:
    """Folders named after the medium grids (朝阳社区 ...) give parent_id by name."""
    report = import_layer(
        [write_kmz(tmp_path)],
        tiny_gpkg,
        "grid_small",
        options=ImportOptions(mapping={"folder": "parent_name"}, parent_by="name"),
    )
    assert report.written and not report.unmatched_parents, report.lines()
    got = read_district(tiny_gpkg)["grid_small"].sort_values("grid_id")
    assert got["parent_id"].tolist() == ["M1", "M1", "M2", "M3"]
    assert got["parent_name"].tolist() == ["朝阳社区", "朝阳社区", "金华社区", "东林村"]


def test_excel_ledger_in_gcj02(tmp_path: Path, tiny_gpkg: Path) -> None:
    source = write_excel_ledger(tmp_path)
    report = import_layer(
        [source], tiny_gpkg, "units", options=ImportOptions(from_coords="gcj02"), user="王芳"
    )
    assert report.ok and report.written, report.lines()
    assert any("converted from GCJ02 to WGS 84" in n for n in report.notes)
    assert any("'经度' (x) and '纬度' (y)" in n for n in report.notes)
    units = read_district(tiny_gpkg)["units"].sort_values("unit_id")
    want = make_tiny_layers()["units"]
    assert units["category"].tolist() == ["small_venue", "family_workshop"]
    assert units["name"].tolist() == want["name"].tolist()
    offsets = units.geometry.reset_index(drop=True).distance(want.geometry)
    assert offsets.max() < 0.001  # back on the buildings, to the millimetre
    log = read_edit_log(tiny_gpkg)
    assert log["operation"].tolist() == ["import"] and log["user"].tolist() == ["王芳"]


def test_ledger_in_gcj02_without_conversion_is_flagged(tmp_path: Path, tiny_gpkg: Path) -> None:
    """Against the buildings the user trusts, GCJ-02 points are about 590 m off: a warning."""
    reference = tmp_path / "buildings.gpkg"
    make_tiny_layers()["buildings"].to_file(reference, driver="GPKG")
    report = import_layer(
        [write_excel_ledger(tmp_path)], tiny_gpkg, "units", reference=reference, dry_run=True
    )
    assert report.ok
    assert any("looks like GCJ02" in w and "--from-coords gcj02" in w for w in report.warnings)


def test_gbk_csv_ledger(tmp_path: Path) -> None:
    table = read_source(write_csv_ledger(tmp_path, encoding="gbk"))
    assert table.notes == ("encoding GBK",)
    assert table.frame["单位名称"].tolist() == ["金华超市", "东林加工厂"]


def test_ledger_in_metres_needs_a_crs(tmp_path: Path) -> None:
    units = make_tiny_layers()["units"]
    path = tmp_path / "units.csv"
    pd.DataFrame(
        {
            "单位编号": units["unit_id"],
            "单位名称": units["name"],
            "类别": units["category"],
            "X坐标": units.geometry.x,
            "Y坐标": units.geometry.y,
        }
    ).to_csv(path, index=False)
    report = import_layer([path], tmp_path / "u.gpkg", "units", dry_run=True)
    assert not report.ok
    assert "hold metres" in str(report.problems[0]) and "--crs" in str(report.problems[0])
    report = import_layer(
        [path], tmp_path / "u.gpkg", "units", options=ImportOptions(crs="EPSG:4547")
    )
    assert report.written
    got = read_district(tmp_path / "u.gpkg", partial=True)["units"]
    assert got.geometry.distance(units.geometry).max() < 1e-6


def test_failed_import_writes_nothing(tiny_gpkg: Path, tmp_path: Path) -> None:
    before = tiny_gpkg.read_bytes()
    bad = small_grids_wgs84().drop(columns=["网格编码"])
    path = tmp_path / "no_ids.geojson"
    bad.to_file(path, driver="GeoJSON")
    report = import_layer([path], tiny_gpkg, "grid_small")
    assert not report.ok and not report.written
    assert "grid_id" in str(report.problems[0])
    assert tiny_gpkg.read_bytes() == before
    report = import_layer(
        [path], tiny_gpkg, "grid_small", options=ImportOptions(generate_ids=True), dry_run=True
    )
    assert report.ok and report.repaired == {"grid_id generated (none in the source)": 4}
    assert tiny_gpkg.read_bytes() == before  # a dry run writes nothing either


def test_append_refuses_existing_ids_and_writes_nothing(tiny_gpkg: Path, tmp_path: Path) -> None:
    before = tiny_gpkg.read_bytes()
    source = POLYGON_WRITERS["geojson"](tmp_path)
    report = import_layer([source], tiny_gpkg, "grid_small", mode="append")
    assert not report.ok and "already exist" in str(report.problems[0])
    assert tiny_gpkg.read_bytes() == before


def test_replace_goes_through_the_edit_log(tiny_gpkg: Path, tmp_path: Path) -> None:
    grids = small_grids_wgs84()
    grids["人口"] = [120, 80, 300, 45]
    path = tmp_path / "grids.geojson"
    grids.to_file(path, driver="GeoJSON")
    report = import_layer([path], tiny_gpkg, "grid_small", mode="replace", reason="survey 2025")
    assert report.written
    district = read_district(tiny_gpkg)
    assert district["grid_small"]["人口"].tolist() == [120, 80, 300, 45]  # extra column kept
    log = read_edit_log(tiny_gpkg)
    assert log.iloc[-1]["operation"] == "import" and log.iloc[-1]["reason"] == "survey 2025"
    assert district["grid_medium"].equals(read_district(tiny_gpkg)["grid_medium"])


@pytest.mark.filterwarnings("ignore:Normalized/laundered field name:RuntimeWarning")
def test_several_sources_are_combined(tmp_path: Path) -> None:
    grids = small_grids_wgs84()
    a, b = tmp_path / "a.geojson", tmp_path / "b.shp"
    grids.iloc[:2].to_file(a, driver="GeoJSON")
    grids.iloc[2:].to_crs(4547).to_file(b, encoding="GBK")
    report = import_layer([a, b], tmp_path / "d.gpkg", "grid_small")
    assert report.written and report.features_read == 4
    got = read_district(tmp_path / "d.gpkg", partial=True)["grid_small"]
    assert sorted(got["source_file"].map(lambda s: Path(s).name)) == [
        "a.geojson",
        "a.geojson",
        "b.shp",
        "b.shp",
    ]
    assert_same_small_grids(tmp_path / "d.gpkg")


def test_unreadable_and_unknown_files_are_reported(tmp_path: Path) -> None:
    (tmp_path / "grids.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "broken.geojson").write_text("{not json", encoding="utf-8")
    report = import_layer(
        [tmp_path / "grids.xls", tmp_path / "broken.geojson", tmp_path / "missing.shp"],
        tmp_path / "d.gpkg",
        "grid_small",
    )
    text = "\n".join(str(p) for p in report.problems)
    assert "saved as .xlsx" in text and "not valid JSON" in text and "file not found" in text
    assert not (tmp_path / "d.gpkg").exists()


def test_unknown_layer_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="unknown layer 'grids'"):
        import_layer([tmp_path / "x.shp"], tmp_path / "d.gpkg", "grids")


def test_inputs_are_not_changed(tmp_path: Path) -> None:
    source = POLYGON_WRITERS["shapefile"](tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    import_layer([source], tmp_path / "d.gpkg", "grid_small")
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name in before}
    assert after == before


@pytest.mark.filterwarnings("ignore:Could not decode error message:RuntimeWarning")  # GDAL, writing
def test_utf8_shapefile_with_field_names_cut_mid_character(tmp_path: Path) -> None:
    """UTF-8 needs 12 bytes for 网格编码; dBase keeps 10, cutting a character in two."""
    source = write_shapefile(tmp_path, encoding="UTF-8")
    table = read_source(source)
    assert any("cut mid-character" in n and "'网格编'" in n for n in table.notes)
    report = import_layer(
        [source],
        tmp_path / "d.gpkg",
        "grid_small",
        options=ImportOptions(
            mapping={"网格编": "grid_id", "上级网": "parent_id", "网格名": "name"}
        ),
    )
    assert report.written, report.lines()
    assert_same_small_grids(tmp_path / "d.gpkg")


def test_gcj02_ledger_is_flagged_against_the_districts_buildings(
    tmp_path: Path, tiny_gpkg: Path
) -> None:
    report = import_layer([write_excel_ledger(tmp_path)], tiny_gpkg, "units", dry_run=True)
    (warning,) = [w for w in report.warnings if "looks like GCJ02" in w]
    assert "once GCJ02 is undone" in warning
    converted = import_layer(
        [write_excel_ledger(tmp_path)],
        tiny_gpkg,
        "units",
        options=ImportOptions(from_coords="gcj02"),
        dry_run=True,
    )
    assert not any("looks like" in w for w in converted.warnings)


def test_household_register_without_coordinates(tmp_path: Path, tiny_gpkg: Path) -> None:
    """A 户籍 table has no coordinates: households may be imported without locations."""
    path = tmp_path / "户籍.csv"
    pd.DataFrame(
        {
            "户号": ["H7", "H8"],
            "所属楼栋": ["B1", "B2"],
            "人口数": ["3", "5"],
            "户主": ["周一", "吴二"],
        }
    ).to_csv(path, index=False, encoding="utf-8-sig")
    report = import_layer([path], tiny_gpkg, "households", mode="append")
    assert report.written, report.lines()
    assert any("imported without locations" in n for n in report.notes)
    households = read_district(tiny_gpkg)["households"].set_index("household_id")
    assert households.loc["H8", "members"] == 5 and households.loc["H8", "head"] == "吴二"
    assert len(households) == 5
    units = import_layer([path], tiny_gpkg, "units", dry_run=True)
    assert "no longitude/latitude" in str(units.problems[0])  # units need a place


def test_uploaded_shapefile_parts_are_kept_together(tmp_path: Path) -> None:
    folder = tmp_path / "parts"
    folder.mkdir()
    shp = write_shapefile(folder)
    uploads = [(p.name, p.read_bytes()) for p in sorted(folder.glob(shp.stem + ".*"))]
    uploads.append(("../../evil/grids.geojson", b"[]"))
    stored = store_sources(uploads, tmp_path / "uploads")
    assert [p.name for p in stored] == ["small_grids.shp", "grids.geojson"]
    assert all(p.parent == stored[0].parent for p in stored)  # one folder, no path from the name
    assert stored[0].parent.parent == tmp_path / "uploads"
    assert len(read_source(stored[0]).frame) == 4
    assert store_sources(uploads, tmp_path / "uploads") == stored  # same upload, same place


def test_bd09_csv_ledger_round_trip(tmp_path: Path, tiny_gpkg: Path) -> None:
    """A 台帐 with 经度/纬度 copied from Baidu Maps (BD-09) lands back on the buildings."""
    ledger = units_ledger()
    want = make_tiny_layers()["units"]
    wgs = want.to_crs(4326).geometry
    ledger["经度"], ledger["纬度"] = coords.wgs84_to_bd09(wgs.x.to_numpy(), wgs.y.to_numpy())
    path = tmp_path / "单位台帐_百度.csv"
    path.write_text(ledger.to_csv(index=False), encoding="utf-8")
    report = import_layer([path], tiny_gpkg, "units", options=ImportOptions(from_coords="bd09"))
    assert report.ok and report.written, report.lines()
    assert any("converted from BD09 to WGS 84" in n for n in report.notes)
    got = read_district(tiny_gpkg)["units"].sort_values("unit_id").reset_index(drop=True)
    assert got["name"].tolist() == want["name"].tolist()
    assert got.geometry.distance(want.geometry).max() < 0.001  # to the millimetre
    shifted = import_layer([path], tiny_gpkg, "units", dry_run=True)  # not converted: flagged
    assert any("looks like BD09" in w for w in shifted.warnings), shifted.warnings


@pytest.mark.parametrize("with_prj", [True, False])
def test_utm_shapefile_round_trip(with_prj: bool, tmp_path: Path) -> None:
    """Small grids in UTM zone 49N (EPSG:32649), with a .prj, or without one and --crs."""
    path = tmp_path / "utm.shp"
    small_grids_wgs84().to_crs(32649).to_file(path, encoding="GBK")
    options = ImportOptions()
    if not with_prj:
        path.with_suffix(".prj").unlink()
        missing = import_layer([path], tmp_path / "d.gpkg", "grid_small")
        assert not missing.ok and "--crs" in str(missing.problems[0])
        options = ImportOptions(crs="EPSG:32649")
    report = import_layer([path], tmp_path / "d.gpkg", "grid_small", options=options)
    assert report.written, report.lines()
    assert_same_small_grids(tmp_path / "d.gpkg")


@pytest.mark.parametrize("claim", ["UTF-8", "1252", "ANSI 1252"])
def test_a_cpg_contradicted_by_the_text_is_not_trusted(tmp_path: Path, claim: str) -> None:
    """A GBK table whose .cpg names UTF-8 (it does not decode) or CP1252 (it reads as
    Chinese in GBK) is read as GBK, with a warning naming the .cpg's claim."""
    source = write_shapefile(tmp_path, encoding="GBK")
    source.with_suffix(".cpg").write_text(claim)
    table = read_source(source)
    assert table.frame["网格名称"].iloc[0] == "朝阳第1片区"
    assert any(f"the .cpg file names {claim}" in w and "read as GBK" in w for w in table.warnings)


@pytest.mark.filterwarnings("ignore:Could not decode error message:RuntimeWarning")
def test_a_cpg_that_fits_the_text_is_trusted(tmp_path: Path) -> None:
    source = write_shapefile(tmp_path, encoding="UTF-8")  # 4 characters take 12 bytes: cut
    assert source.with_suffix(".cpg").read_text().strip().upper() in ("UTF-8", "UTF8")
    table = read_source(source)
    assert table.frame["网格名"].iloc[0] == "朝阳第1片区"
    assert "encoding UTF-8 (from the .cpg file)" in table.notes and not table.warnings
