"""Reading one source file as the user has it: `read_source`.

GeoPackage, Shapefile (plain or zipped; encoding from `shapefile_encoding`:
the .cpg, else the .dbf header unless the text says otherwise, else
detected), GeoJSON (also a bare array of features; no CRS member means
EPSG:4326, and the notes say so), KML/KMZ (`gridmap.io.import_kml`: folders
become the ``folder`` and ``folder_path`` attributes), CSV and Excel ledgers
(a plain table: points are made from their lon/lat columns in
`gridmap.analysis.importing.prepare`), and GeoParquet. What was assumed or detected
is in `SourceTable.notes`, what the user should check in its warnings; the
records of a damaged Shapefile or GeoPackage whose geometry could not be read
are in its `unreadable` (`gridmap.io.import_damage`).
Archives are checked first (`gridmap.io.archives`).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from gridmap.errors import DataError, Problem
from gridmap.io.archives import (
    DEFAULT_LIMITS,
    KMZ_EXTENSIONS,
    ArchiveLimits,
    check_archive,
    extract_archive,
)
from gridmap.io.import_damage import damaged_gpkg_rows, damaged_records
from gridmap.io.import_encoding import decode_text, shapefile_encoding, source_error
from gridmap.io.import_kml import read_kml
from gridmap.schema import SourceTable, layer_alias_map

#: File kinds `read_source` reads, by extension.
FORMATS = {
    ".gpkg": "GeoPackage",
    ".shp": "Shapefile",
    ".zip": "zip archive",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".kml": "KML",
    ".kmz": "KMZ",
    ".csv": "CSV",
    ".txt": "CSV",
    ".xlsx": "Excel",
    ".parquet": "GeoParquet",
    ".geoparquet": "GeoParquet",
}
_READABLE_IN_ZIP = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".csv", ".xlsx", ".parquet")
#: A reader's answer: the frame, its notes and its warnings.
_Read = tuple[pd.DataFrame, list[str], list[str]]


def _read_shapefile(path: Path, told: str | None) -> _Read:
    chosen = shapefile_encoding(path, told)
    notes, warned = list(chosen.notes), list(chosen.warnings)
    encoding = chosen.encoding
    try:
        frame = (
            pyogrio.read_dataframe(path, encoding=encoding)
            if encoding
            else pyogrio.read_dataframe(path)
        )
    except UnicodeDecodeError:
        frame, note = _read_cut_names(path, encoding or "UTF-8")
        notes.append(note)
    return frame, notes, warned


def _read_cut_names(path: Path, encoding: str) -> tuple[gpd.GeoDataFrame, str]:
    """Read a .dbf whose field names were cut mid-character by dBase's 10-byte limit."""
    with tempfile.TemporaryDirectory(prefix="gridmap-shp-") as tmp:
        for part in path.parent.glob(path.stem + ".*"):  # no .cpg: GDAL then reads latin-1
            if part.suffix.lower() in (".shp", ".shx", ".prj"):
                shutil.copy(part, Path(tmp) / part.name)
            elif part.suffix.lower() == ".dbf":
                data = bytearray(part.read_bytes())
                data[29] = 0  # no language driver id either
                (Path(tmp) / part.name).write_bytes(bytes(data))
        raw = pyogrio.read_dataframe(Path(tmp) / path.name)

    def fix(text: object) -> object:
        if not isinstance(text, str):
            return text
        return text.encode("latin-1").decode(encoding, errors="ignore")

    names = {str(c): str(fix(c)) for c in raw.columns if c != "geometry"}  # GDAL names are str
    frame = raw.rename(columns=names)
    for column in names.values():
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column].dtype):
            frame[column] = frame[column].map(fix)
    cut = [f"{v!r}" for k, v in names.items() if k.encode("latin-1") != v.encode(encoding)]
    return frame, (
        f"field names cut mid-character by the 10-byte dBase limit, read as {', '.join(cut)} "
        "(map them with --map)"
    )


def _pick_layer(names: list[str], wanted: str | None, target: str | None, file: str) -> str:
    if wanted is not None:
        if wanted not in names:
            raise source_error(
                f"has no layer {wanted!r}.", file, fix=f"its layers are: {', '.join(names)}."
            )
        return wanted
    if len(names) == 1:
        return names[0]
    aliases = layer_alias_map()
    matching = [n for n in names if aliases.get(n.strip().lower()) == target]
    if len(matching) == 1:
        return matching[0]
    raise source_error(
        f"has {len(names)} layers; say which one to import.",
        file,
        fix=f"pass --source-layer with one of: {', '.join(names)}.",
    )


def _read_gpkg(
    path: Path, layer: str | None, target: str | None
) -> tuple[pd.DataFrame, list[str], tuple[int, ...]]:
    """Return the chosen layer, the note naming it, and its rows whose geometry blob is damaged."""
    names = [str(n) for n, _ in pyogrio.list_layers(path)]
    chosen = _pick_layer(names, layer, target, str(path))
    frame = pyogrio.read_dataframe(path, layer=chosen)
    notes = [f"layer {chosen!r}"] if len(names) > 1 else []
    return frame, notes, damaged_gpkg_rows(path, chosen, frame)


def _degrees(frame: gpd.GeoDataFrame) -> bool:
    geoms = frame.geometry.dropna()
    if geoms.empty:
        return True
    minx, miny, maxx, maxy = geoms.total_bounds
    return minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90


def _read_geojson(path: Path) -> _Read:
    text, encoding = decode_text(path.read_bytes(), str(path))
    notes = [] if encoding.startswith("UTF-8") else [f"encoding detected as {encoding}"]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise source_error(f"is not valid JSON ({exc}).", str(path)) from exc
    if isinstance(data, dict) and data.get("type") == "Feature":
        notes.append("a single Feature (no FeatureCollection)")
        data = [data]
    elif isinstance(data, list):
        notes.append(f"a bare array of {len(data)} features (no FeatureCollection)")
    if isinstance(data, list):
        try:
            frame = gpd.GeoDataFrame.from_features(data)
        except (TypeError, KeyError, AttributeError, ValueError) as exc:
            raise source_error(
                f"the array does not hold GeoJSON features ({exc}).", str(path)
            ) from exc
        named_crs = None
    elif isinstance(data, dict) and data.get("type") == "FeatureCollection":
        frame = pyogrio.read_dataframe(io.BytesIO(text.encode("utf-8")))
        named_crs = data.get("crs")
    else:
        raise source_error("is JSON but not GeoJSON (no FeatureCollection or features).", str(path))
    if named_crs is None:
        if _degrees(frame):
            frame = frame.set_crs("EPSG:4326", allow_override=True)
            notes.append("no CRS in the file: assumed EPSG:4326 (WGS 84), as GeoJSON requires")
        else:
            frame = frame.set_crs(None, allow_override=True)
            notes.append("no CRS in the file and the coordinates are not degrees")
    return frame, notes, []


def _read_table(path: Path, sheet: str | None, limits: ArchiveLimits) -> _Read:
    if path.suffix.lower() in (".csv", ".txt"):
        text, encoding = decode_text(path.read_bytes(), str(path))
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            sep=None,
            engine="python",
        )
        return frame, [f"encoding {encoding}"], []
    check_archive(path, limits=limits, allowed=None)  # an .xlsx is a zip: no bombs
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            sheets = [str(name) for name in book.sheet_names]  # openpyxl's names are str
            pick = sheet or len(sheets) == 1
            chosen = _pick_layer(sheets, sheet, None, str(path)) if pick else sheets[0]
            frame = pd.read_excel(book, sheet_name=chosen, dtype=str)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as exc:
        # openpyxl: KeyError for a zip with no xl/workbook.xml, ValueError/BadZipFile
        # for parts it cannot parse
        raise DataError(
            Problem(
                "error",
                f"the file is not a readable Excel workbook ({type(exc).__name__}: {exc}).",
                file=str(path),
                fix="open it in Excel or WPS and save it again as .xlsx, or export the "
                "sheet as CSV (UTF-8).",
            )
        ) from exc
    notes = [f"sheet {chosen!r}"] + (
        [f"other sheets not read: {', '.join(sheets[1:])}"] if not sheet and len(sheets) > 1 else []
    )
    return frame, notes, []


def _read_parquet(path: Path) -> _Read:
    try:
        return gpd.read_parquet(path), [], []
    except ValueError as exc:
        if "geo" not in str(exc).lower():
            raise
        return pd.read_parquet(path), ["no GeoParquet metadata: read as a table"], []


def _unzipped(path: Path, folder: Path, layer: str | None, limits: ArchiveLimits) -> Path:
    files = extract_archive(path, folder, limits=limits)
    data = [
        f for f in files if f.suffix.lower() in _READABLE_IN_ZIP and not f.name.endswith(".shp.xml")
    ]
    if layer is not None:
        data = [f for f in data if f.stem == layer or f.name == layer] or data
    if len(data) != 1:
        found = ", ".join(f.relative_to(folder).as_posix() for f in data) or "none"
        raise source_error(
            f"the archive holds {len(data)} data files ({found}); one is needed.",
            str(path),
            fix="pass --source-layer with the name of the file to import.",
        )
    return data[0]


def read_source(
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    target: str | None = None,
    encoding: str | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> SourceTable:
    """Read one file as a `SourceTable`; what was assumed or detected is in its notes.

    `layer` names the layer of a GeoPackage, the sheet of a workbook or the
    file inside a zip; `target` (a schema layer name) helps pick a
    GeoPackage layer named by an alias (小网格).
    """
    path = Path(path)
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        kinds = ", ".join(sorted(set(FORMATS.values())))
        raise source_error(
            f"is not a format GridMap imports ({suffix or 'no extension'}).",
            file,
            fix=f"use one of: {kinds}; .xls must be saved as .xlsx.",
        )
    if not path.is_file():
        raise source_error("file not found.", file)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's own words; the notes say ours
            return _read(path, suffix, layer=layer, target=target, encoding=encoding, limits=limits)
    except (DataSourceError, DataLayerError, UnicodeDecodeError, ValueError, OSError) as exc:
        if isinstance(exc, DataError):
            raise
        raise source_error(f"cannot be read as {FORMATS[suffix]} ({exc}).", file) from exc


def _read_archive(path: Path, suffix: str, *, layer, target, encoding, limits) -> SourceTable:
    file = str(path)
    with tempfile.TemporaryDirectory(prefix="gridmap-import-") as tmp:
        if suffix == ".kmz":
            files = extract_archive(path, tmp, limits=limits, allowed=KMZ_EXTENSIONS)
            kml = [f for f in files if f.suffix.lower() == ".kml"]
            if not kml:
                raise source_error("the KMZ holds no .kml file.", file)
            frame, notes = read_kml(kml[0])
            return SourceTable(frame, file, "KMZ", tuple(notes))
        inner = _unzipped(path, Path(tmp), layer, limits)
        table = _read(
            inner, inner.suffix.lower(), layer=None, target=target, encoding=encoding, limits=limits
        )
        label = f"{file}!{inner.relative_to(tmp).as_posix()}"
        return SourceTable(
            table.frame,
            label,
            f"zipped {table.format}",
            table.notes,
            table.warnings,
            table.unreadable,
        )


def _read(path: Path, suffix: str, *, layer, target, encoding, limits) -> SourceTable:
    if suffix in (".zip", ".kmz"):
        return _read_archive(
            path, suffix, layer=layer, target=target, encoding=encoding, limits=limits
        )
    warned: list[str] = []
    damaged: tuple[int, ...] = ()
    if suffix == ".shp":
        frame, notes, warned = _read_shapefile(path, encoding)
        damaged = damaged_records(path, frame)
    elif suffix == ".gpkg":
        frame, notes, damaged = _read_gpkg(path, layer, target)
    elif suffix in (".geojson", ".json"):
        frame, notes, warned = _read_geojson(path)
    elif suffix == ".kml":
        frame, notes = read_kml(path)
    elif suffix in (".csv", ".txt", ".xlsx"):
        frame, notes, warned = _read_table(path, layer, limits)
    else:
        frame, notes, warned = _read_parquet(path)
    return SourceTable(frame, str(path), FORMATS[suffix], tuple(notes), tuple(warned), damaged)
