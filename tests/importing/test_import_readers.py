"""Readers that second-guess GDAL: Shapefile code pages, KML folder trees, uploaded names."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from import_cases import write_shapefile
from shapely.geometry import Point
from test_imports import assert_same_small_grids

from gridmap.analysis.importing import ImportOptions
from gridmap.errors import DataError, GridmapError
from gridmap.io import read_district
from gridmap.io.import_encoding import chinese_encoding, chinese_share
from gridmap.tasks.importing import import_layer, read_source, store_sources

# ---------------------------------------------------------------------------
# Shapefile code pages


def set_language_driver(shp: Path, ldid: int) -> None:
    """Write `ldid` into byte 29 of the Shapefile's .dbf, as ArcGIS does."""
    dbf = shp.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    data[29] = ldid
    dbf.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("text", "encoding", "found"),
    [
        ("朝阳社区第1片区，负责人", "gbk", "GBK"),
        ("朝阳社区第1片区", "utf-8", "UTF-8"),
        ("朝阳社区第1片区䶮", "gb18030", "GB18030"),  # 䶮 is outside GBK: 4 bytes in GB18030
        ("Montréal-Nord, Rivière-des-Prairies, Côte-des-Neiges", "cp1252", None),
        ("Ahuntsic-Cartierville", "cp1252", None),  # ASCII: nothing to decide
    ],
)
def test_chinese_encoding_finds_the_encoding_of_chinese_text(
    text: str, encoding: str, found: str | None
) -> None:
    assert chinese_encoding(text.encode(encoding)) == found


def test_western_bytes_read_as_gbk_are_not_plausible_chinese() -> None:
    """``é`` followed by a letter is one rare GBK character: no everyday Chinese in it."""
    french = "Montréal-Nord Saint-Léonard Verdun".encode("cp1252")
    french.decode("gbk")  # GBK accepts it ...
    assert chinese_share(french, "GBK") == 0.0  # ... but it is not Chinese


def test_gbk_shapefile_whose_header_says_ansi_is_read_as_gbk(tmp_path: Path) -> None:
    """ArcGIS writes 0x57 ("ANSI", read as CP1252) on a Chinese machine: the text says GBK."""
    source = write_shapefile(tmp_path, encoding="GBK", cpg=False)
    set_language_driver(source, 0x57)
    table = read_source(source)
    assert "网格编码" in table.frame.columns
    assert table.frame["网格名称"].iloc[0] == "朝阳第1片区"
    assert table.notes == (
        "no .cpg file; encoding GBK detected (the header's CP1252 does not fit the text)",
    )
    (warning,) = table.warnings
    assert "code page CP1252 (language driver id 0x57" in warning
    assert "read as GBK" in warning and "--encoding" in warning
    report = import_layer([source], tmp_path / "d.gpkg", "grid_small")
    assert report.written, report.lines()
    assert report.warnings == [f"{source}: {warning}"]
    assert any("warning: " in line and "0x57" in line for line in report.lines())
    assert_same_small_grids(tmp_path / "d.gpkg")


def test_western_shapefile_keeps_its_header_code_page(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"NOM": ["Montréal-Nord", "Rivière-des-Prairies", "Côte-Saint-Luc"]},
        geometry=[Point(0, 0), Point(1, 0), Point(2, 0)],
        crs=32618,
    )
    source = tmp_path / "arrondissements.shp"
    frame.to_file(source, encoding="cp1252")
    source.with_suffix(".cpg").unlink()
    set_language_driver(source, 0x57)
    table = read_source(source)
    assert table.frame["NOM"].tolist() == frame["NOM"].tolist()
    assert table.notes == ("no .cpg file; encoding CP1252 from the .dbf header",)
    assert table.warnings == ()


def test_gbk_shapefile_whose_header_says_gbk_needs_no_warning(tmp_path: Path) -> None:
    source = write_shapefile(tmp_path, encoding="GBK", cpg=False)
    set_language_driver(source, 0x4D)
    table = read_source(source)
    assert table.frame["网格名称"].iloc[0] == "朝阳第1片区" and table.warnings == ()


# ---------------------------------------------------------------------------
# KML folder trees


def _placemark(name: str, x: float) -> str:
    return (
        f"<Placemark><name>{name}</name><ExtendedData><Data name='编号'><value>{name}</value>"
        f"</Data></ExtendedData><Point><coordinates>{x},34.8</coordinates></Point></Placemark>"
    )


#: Two towns; 社区一 in both (GDAL: "社区一 (#2)"); 街道乙 twice at the top; a folder named
#: "社区二 (#2)" by its author; one placemark outside any folder.
NESTED_KML = (
    '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
    "<Document><name>上街区</name>"
    + _placemark("P0", 113.20)
    + "<Folder><name>街道甲</name>"
    + _placemark("P1", 113.21)
    + "<Folder><name>社区一</name>"
    + _placemark("P2", 113.22)
    + _placemark("P3", 113.23)
    + "</Folder><Folder><name>社区二 (#2)</name>"
    + _placemark("P4", 113.24)
    + "</Folder></Folder>"
    + "<Folder><name>街道乙</name><Folder><name>社区一</name>"
    + _placemark("P5", 113.25)
    + "</Folder></Folder>"
    + "<Folder><name>街道乙</name>"
    + _placemark("P6", 113.26)
    + "</Folder></Document></kml>"
)
WANT = {
    "P0": (None, None),
    "P1": ("街道甲", "街道甲"),
    "P2": ("社区一", "街道甲/社区一"),
    "P3": ("社区一", "街道甲/社区一"),
    "P4": ("社区二 (#2)", "街道甲/社区二 (#2)"),
    "P5": ("社区一", "街道乙/社区一"),
    "P6": ("街道乙", "街道乙"),
}


def folders(frame) -> dict[str, tuple[str | None, str | None]]:
    none = lambda v: None if v is None or v != v else v  # noqa: E731  (NaN for no folder)
    return {r["编号"]: (none(r["folder"]), none(r["folder_path"])) for _, r in frame.iterrows()}


def test_kml_keeps_the_folder_path_of_nested_and_repeated_folders(tmp_path: Path) -> None:
    path = tmp_path / "网格.kml"
    path.write_text(NESTED_KML, encoding="utf-8")
    table = read_source(path)
    assert folders(table.frame) == WANT
    assert table.notes[0] == (
        "5 KML folders became the 'folder' and 'folder_path' attributes: 街道甲, 街道甲/社区一, "
        "街道甲/社区二 (#2), 街道乙/社区一, 街道乙"
    )


def test_kmz_keeps_the_folder_path(tmp_path: Path) -> None:
    path = tmp_path / "网格.kmz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("doc.kml", NESTED_KML)
    assert folders(read_source(path).frame) == WANT


def test_kml_whose_tree_cannot_be_read_strips_gdals_suffix(tmp_path: Path) -> None:
    """An undeclared gx: prefix: GDAL reads it, XML does not; folders from GDAL's names."""
    text = NESTED_KML.replace(
        "<name>P6</name>", "<name>P6</name><gx:balloonVisibility>1</gx:balloonVisibility>"
    )
    path = tmp_path / "网格.kml"
    path.write_text(text, encoding="utf-8")
    table = read_source(path)
    got = folders(table.frame)
    assert got["P5"] == ("社区一", "社区一")  # GDAL's "社区一 (#2)", its suffix taken off
    assert got["P6"] == ("街道乙", "街道乙")  # GDAL's "街道乙 (#2)"
    assert got["P4"] == ("社区二 (#2)", "社区二 (#2)")  # the author's own name, kept
    assert any("folder tree not read" in n and "well-formed" in n for n in table.notes)


def test_kml_folder_path_reaches_the_district(tmp_path: Path) -> None:
    path = tmp_path / "设备.kml"
    path.write_text(NESTED_KML, encoding="utf-8")
    into = tmp_path / "d.gpkg"
    options = ImportOptions(defaults={"status": "planned"})  # 编号 is an alias of point_id
    report = import_layer([path], into, "equipment_points", options=options)
    assert report.written, report.lines()
    points = read_district(into, partial=True)["equipment_points"]
    assert folders(points.rename(columns={"point_id": "编号"})) == WANT


# ---------------------------------------------------------------------------
# Uploaded names


@pytest.mark.parametrize("name", ["..", ".", "", "a/..", "..\\", ".hidden.shp", "bad\x00.shp"])
def test_store_sources_refuses_names_that_are_not_file_names(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    with pytest.raises(DataError, match="nothing was stored") as caught:
        store_sources([("ok.geojson", b"[]"), (name, b"[]")], folder)
    assert isinstance(caught.value, GridmapError)
    assert "Fix: rename the file" in str(caught.value)
    assert not folder.exists() or not any(folder.rglob("*"))  # nothing written, no .part


def test_store_sources_refuses_two_uploads_of_one_name(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="same name as the upload 'a/grids.geojson'"):
        store_sources([("a/grids.geojson", b"[1]"), ("b/grids.geojson", b"[2]")], tmp_path)
    assert not any(tmp_path.rglob("*"))


def test_store_sources_leaves_no_part_file_when_the_disk_refuses(tmp_path: Path) -> None:
    upload = [("grids.geojson", b"[]")]
    (kept,) = store_sources(upload, tmp_path)
    kept.unlink()
    kept.mkdir()  # a folder where the file goes: the final rename fails
    with pytest.raises(GridmapError, match="could not keep the uploaded file 'grids.geojson'"):
        store_sources(upload, tmp_path)
    assert sorted(p.name for p in kept.parent.iterdir()) == ["grids.geojson"]  # no .part left
