"""Sources as users bring them, built by hand: Chinese attributes in every format GridMap imports.

Each writer takes the tiny district's small grids (or units as a ledger), writes them in
one format to a folder and returns the path. The expected answer is the tiny
district itself (`conftest.make_tiny_layers`).
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import geopandas as gpd
import pandas as pd
import pyogrio
from conftest import make_tiny_layers

from gridmap.geo import coords

#: Chinese column names a survey bureau's file would have (all schema aliases).
CHINESE = {"grid_id": "网格编码", "parent_id": "上级网格", "name": "网格名称", "leader": "负责人"}


def small_grids_wgs84() -> gpd.GeoDataFrame:
    """The tiny district's small grids with Chinese column names, in EPSG:4326."""
    small = make_tiny_layers()["grid_small"].to_crs(4326)
    return small.rename(columns=CHINESE)


def write_gpkg(folder: Path) -> Path:
    path = folder / "网格.gpkg"
    pyogrio.write_dataframe(small_grids_wgs84(), path, layer="小网格", driver="GPKG")
    return path


def write_shapefile(folder: Path, *, encoding: str = "GBK", cpg: bool = True) -> Path:
    """A Shapefile as the survey bureau sends it (GBK: 4 Chinese characters fit 10 bytes)."""
    path = folder / "small_grids.shp"
    pyogrio.write_dataframe(small_grids_wgs84().to_crs(4490), path, encoding=encoding)
    if not cpg:
        os.remove(path.with_suffix(".cpg"))
    return path


def zip_files(files: list[Path], archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            zf.write(f, f"数据/{f.name}")
    return archive


def write_zipped_shapefile(folder: Path) -> Path:
    inner = folder / "inner"
    inner.mkdir()
    shp = write_shapefile(inner)
    return zip_files(sorted(inner.glob(shp.stem + ".*")), folder / "小网格.zip")


def write_geojson(folder: Path) -> Path:
    """GeoJSON as web platforms export it: a FeatureCollection with no "crs" member."""
    path = folder / "grids.geojson"
    path.write_text(small_grids_wgs84().to_json(ensure_ascii=False), encoding="utf-8")
    return path


def write_bare_feature_array(folder: Path) -> Path:
    import json

    collection = json.loads(small_grids_wgs84().to_json())
    path = folder / "features.json"
    path.write_text(json.dumps(collection["features"], ensure_ascii=False), encoding="utf-8")
    return path


def write_parquet(folder: Path) -> Path:
    path = folder / "grids.parquet"
    small_grids_wgs84().to_parquet(path)
    return path


def _placemark(row: pd.Series) -> str:
    ring = " ".join(f"{x},{y},0" for x, y in row.geometry.exterior.coords)
    data = "".join(
        f'<Data name="{escape(k)}"><value>{escape(str(row[k]))}</value></Data>'
        for k in ("网格编码", "上级网格", "负责人")
    )
    return (
        f"<Placemark><name>{escape(row['网格名称'])}</name><ExtendedData>{data}</ExtendedData>"
        f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates>"
        "</LinearRing></outerBoundaryIs></Polygon></Placemark>"
    )


def kml_text() -> str:
    """KML as a desktop map app writes it: one folder per medium grid (中网格), by name."""
    grids = small_grids_wgs84()
    medium = make_tiny_layers()["grid_medium"].set_index("grid_id")["name"]
    folders = "".join(
        f"<Folder><name>{escape(medium[parent])}</name>"
        f"{''.join(_placemark(r) for _, r in rows.iterrows())}</Folder>"
        for parent, rows in grids.groupby("上级网格")
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
        f"<Document><name>上街区小网格</name>{folders}</Document></kml>"
    )


def write_kml(folder: Path) -> Path:
    path = folder / "小网格.kml"
    path.write_text(kml_text(), encoding="utf-8")
    return path


def write_kmz(folder: Path) -> Path:
    path = folder / "小网格.kmz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("doc.kml", kml_text())
    return path


def units_ledger() -> pd.DataFrame:
    """The tiny district's units as a 台帐 with 经度/纬度 in GCJ-02 (as copied from Gaode)."""
    units = make_tiny_layers()["units"].to_crs(4326)
    lon, lat = coords.wgs84_to_gcj02(units.geometry.x.to_numpy(), units.geometry.y.to_numpy())
    return pd.DataFrame(
        {
            "单位编号": units["unit_id"],
            "单位名称": units["name"],
            "场所类型": ["九小场所", "家庭工厂"],
            "所属楼栋": units["building_id"],
            "经度": lon,
            "纬度": lat,
        }
    )


def write_excel_ledger(folder: Path) -> Path:
    path = folder / "单位台帐.xlsx"
    units_ledger().to_excel(path, index=False, sheet_name="社会单位")
    return path


def write_csv_ledger(folder: Path, *, encoding: str = "gbk") -> Path:
    path = folder / "单位台帐.csv"
    path.write_bytes(units_ledger().to_csv(index=False).encode(encoding))
    return path


def _shp_records(shp: Path) -> list[tuple[int, int]]:
    """(byte offset, content bytes) of each record, from the .shx."""
    index = shp.with_suffix(".shx").read_bytes()[100:]
    return [(o * 2, n * 2) for o, n in struct.iter_unpack(">ii", index)]


def damage_shp_records(shp: Path, how: str, rows: tuple[int, ...] = (1, 3)) -> None:
    """Overwrite the geometry bytes of `rows` (0-based) in the .shp; the .shx and .dbf stay."""
    data = bytearray(shp.read_bytes())
    for row in rows:
        offset, length = _shp_records(shp)[row]
        start = offset + 8  # after the record header (number, length)
        if how == "zeros":  # the whole record blanked: shape type 0 with 128 bytes
            data[start : start + length] = bytes(length)
        elif how == "shape type":  # a shape type no reader knows
            data[start : start + 4] = struct.pack("<i", 77)
        elif how == "part count":  # parts and points far past the end of the record
            data[start + 36 : start + 44] = struct.pack("<ii", 10**6, 10**6)
        elif how == "garbage":
            data[start + 4 : start + length] = b"\xff" * (length - 4)
    shp.write_bytes(bytes(data))


def write_moved_small_grids(folder: Path, name: str = "small_grids.shp") -> Path:
    """The tiny district's small grids, moved 1 m east so an update is visible."""
    small = make_tiny_layers()["grid_small"]
    small["geometry"] = small.translate(xoff=1.0)
    path = folder / name
    pyogrio.write_dataframe(small, path, encoding="UTF-8")
    return path


#: Polygon formats and their writers, for round trips.
POLYGON_WRITERS = {
    "gpkg": write_gpkg,
    "shapefile": write_shapefile,
    "zipped shapefile": write_zipped_shapefile,
    "geojson": write_geojson,
    "bare feature array": write_bare_feature_array,
    "kml": write_kml,
    "kmz": write_kmz,
    "geoparquet": write_parquet,
}
