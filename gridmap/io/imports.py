"""Importing real-world files into a district: the readers and the write.

`read_source` reads one file as the user has it: GeoPackage, Shapefile (plain
or zipped; encoding from the .cpg, else detected: UTF-8, then GBK/GB18030),
GeoJSON (also a bare array of features; no CRS member means EPSG:4326, and
the notes say so), KML/KMZ (LIBKML; each folder's name becomes the ``folder``
attribute), CSV and Excel ledgers (a plain table: points are made from their
lon/lat columns in `gridmap.analysis.importing`), and GeoParquet. What it
assumed or detected is in `SourceTable.notes`. Archives are checked first
(`gridmap.io.archives`).

`import_layer` reads the sources, prepares the layer (pure,
`gridmap.analysis.importing.prepare_import`) and writes it: a new file with
`write_layers`, an existing one through `save_edit`, so the change is one
atomic save with an ``import`` entry in the edit log. Nothing is written if
any source fails or the layer does not validate, or on a dry run.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from gridmap.analysis.importing import ImportOptions, ImportReport, SourceTable, prepare_import
from gridmap.edits import Edit
from gridmap.errors import DataError, Problem
from gridmap.io.archives import (
    DEFAULT_LIMITS,
    KMZ_EXTENSIONS,
    ArchiveLimits,
    check_archive,
    extract_archive,
)
from gridmap.io.editlog import save_edit
from gridmap.io.gpkg import read_district, write_layers
from gridmap.schema import GRID_LEVELS, LAYERS, PARENT_LEVEL, layer_alias_map

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
#: LIBKML's own columns (styling and time), not the user's attributes.
_KML_BOILERPLATE = (
    "id", "timestamp", "begin", "end", "altitudeMode", "tessellate", "extrude", "visibility",
    "drawOrder", "icon", "snippet",
)  # fmt: skip
_HIGH_RUNS = re.compile(rb"[\x80-\xff]+")
#: dBase language driver ids (byte 29 of a .dbf) GDAL honours when there is no .cpg.
_LDID = {0x01: "CP437", 0x02: "CP850", 0x03: "CP1252", 0x4D: "CP936 (GBK)", 0x4F: "CP950",
         0x57: "CP1252", 0x7A: "CP936 (GBK)", 0x7D: "CP1255", 0x7E: "CP1256"}  # fmt: skip


def _error(message: str, file: str, fix: str | None = None) -> DataError:
    return DataError(Problem("error", message, file=file, fix=fix))


# ---------------------------------------------------------------------------
# Encodings


def _dbf_text(dbf: bytes) -> bytes:
    """The bytes of a .dbf that hold text: field names and records (not binary header fields)."""
    if len(dbf) < 32:
        return b""
    records = int.from_bytes(dbf[4:8], "little")
    header = int.from_bytes(dbf[8:10], "little")
    width = int.from_bytes(dbf[10:12], "little")
    names = []
    for start in range(32, header - 31, 32):
        if dbf[start] == 0x0D:
            break
        names.append(dbf[start : start + 11].split(b"\x00", 1)[0])
    return b" ".join(names) + b" " + dbf[header : header + records * width]


def detect_encoding(data: bytes) -> str | None:
    """The encoding of legacy text: UTF-8, else GBK/GB18030, else CP1252; None if nothing fits.

    GBK accepts almost any byte string, so Western text (``Montr\\xe9al``)
    would decode as GBK gibberish; real Chinese text pairs two high bytes,
    so GBK is chosen only when at least 90 % of the runs of high bytes have
    an even length.

    >>> detect_encoding("网格".encode("gbk")), detect_encoding("网格".encode("utf-8"))
    ('GBK', 'UTF-8')
    >>> detect_encoding("Montréal-Nord".encode("cp1252"))
    'CP1252'
    """
    try:
        data.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        pass
    runs = [len(r) for r in _HIGH_RUNS.findall(data)]
    paired = sum(1 for n in runs if n % 2 == 0) >= 0.9 * len(runs)
    for name in ("gbk", "gb18030"):
        if not paired:
            break
        try:
            data.decode(name)
        except UnicodeDecodeError:
            continue
        return name.upper()
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return "CP1252"


def _decode(data: bytes, file: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8 (with BOM)"
    found = detect_encoding(data)
    if found is None:
        raise _error(
            "the text is neither UTF-8 nor GBK/GB18030.",
            file,
            fix="save it as UTF-8 (Excel: Save As > CSV UTF-8).",
        )
    return data.decode(found.lower()), found


# ---------------------------------------------------------------------------
# Readers, one per format


def _read_shapefile(path: Path, encoding: str | None) -> tuple[gpd.GeoDataFrame, list[str]]:
    notes = []
    cpg = next((p for p in path.parent.glob(path.stem + ".*") if p.suffix.lower() == ".cpg"), None)
    dbf = next((p for p in path.parent.glob(path.stem + ".*") if p.suffix.lower() == ".dbf"), None)
    if encoding:
        notes.append(f"encoding {encoding} (as told)")
    elif cpg is not None:
        notes.append(f"encoding {cpg.read_text(errors='replace').strip()} (from the .cpg file)")
    elif dbf is not None:
        raw = dbf.read_bytes()
        text = _dbf_text(raw)
        ldid = raw[29] if len(raw) > 29 else 0
        if text.isascii():
            notes.append("no .cpg file; the attributes are plain ASCII")
        elif ldid:
            label = _LDID.get(ldid, f"code page id 0x{ldid:02X}")
            notes.append(f"no .cpg file; encoding {label} from the .dbf header")
        else:
            encoding = detect_encoding(text) or "latin-1"
            notes.append(
                f"no .cpg file; encoding detected as {encoding} (UTF-8, GBK, CP1252 tried)"
            )
    try:
        frame = (
            pyogrio.read_dataframe(path, encoding=encoding)
            if encoding
            else pyogrio.read_dataframe(path)
        )
    except UnicodeDecodeError:
        frame, note = _read_cut_names(path, encoding or "UTF-8")
        notes.append(note)
    return frame, notes


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

    names = {c: fix(c) for c in raw.columns if c != "geometry"}
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
            raise _error(
                f"has no layer {wanted!r}.", file, fix=f"its layers are: {', '.join(names)}."
            )
        return wanted
    if len(names) == 1:
        return names[0]
    aliases = layer_alias_map()
    matching = [n for n in names if aliases.get(n.strip().lower()) == target]
    if len(matching) == 1:
        return matching[0]
    raise _error(
        f"has {len(names)} layers; say which one to import.",
        file,
        fix=f"pass --source-layer with one of: {', '.join(names)}.",
    )


def _read_gpkg(path: Path, layer: str | None, target: str | None) -> tuple[pd.DataFrame, list[str]]:
    names = [str(n) for n, _ in pyogrio.list_layers(path)]
    chosen = _pick_layer(names, layer, target, str(path))
    frame = pyogrio.read_dataframe(path, layer=chosen)
    return frame, [f"layer {chosen!r}"] if len(names) > 1 else []


def _degrees(frame: gpd.GeoDataFrame) -> bool:
    geoms = frame.geometry.dropna()
    if geoms.empty:
        return True
    minx, miny, maxx, maxy = geoms.total_bounds
    return minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90


def _read_geojson(path: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    text, encoding = _decode(path.read_bytes(), str(path))
    notes = [] if encoding.startswith("UTF-8") else [f"encoding detected as {encoding}"]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(f"is not valid JSON ({exc}).", str(path)) from exc
    if isinstance(data, dict) and data.get("type") == "Feature":
        notes.append("a single Feature (no FeatureCollection)")
        data = [data]
    elif isinstance(data, list):
        notes.append(f"a bare array of {len(data)} features (no FeatureCollection)")
    if isinstance(data, list):
        try:
            frame = gpd.GeoDataFrame.from_features(data)
        except (TypeError, KeyError, AttributeError, ValueError) as exc:
            raise _error(f"the array does not hold GeoJSON features ({exc}).", str(path)) from exc
        named_crs = None
    elif isinstance(data, dict) and data.get("type") == "FeatureCollection":
        frame = pyogrio.read_dataframe(io.BytesIO(text.encode("utf-8")))
        named_crs = data.get("crs")
    else:
        raise _error("is JSON but not GeoJSON (no FeatureCollection or features).", str(path))
    if named_crs is None:
        if _degrees(frame):
            frame = frame.set_crs("EPSG:4326", allow_override=True)
            notes.append("no CRS in the file: assumed EPSG:4326 (WGS 84), as GeoJSON requires")
        else:
            frame = frame.set_crs(None, allow_override=True)
            notes.append("no CRS in the file and the coordinates are not degrees")
    return frame, notes


@contextlib.contextmanager
def _libkml_names() -> Iterator[None]:
    """Keep KML attribute names as written (LIBKML otherwise turns 网格编码 into ____)."""
    before = pyogrio.get_gdal_config_option("LIBKML_LAUNDER_FIELD_NAMES")
    pyogrio.set_gdal_config_options({"LIBKML_LAUNDER_FIELD_NAMES": "NO"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"LIBKML_LAUNDER_FIELD_NAMES": before})


def _read_kml(path: Path) -> tuple[gpd.GeoDataFrame, list[str]]:
    frames, folders = [], []
    with _libkml_names():
        for name, _ in pyogrio.list_layers(path):
            frame = pyogrio.read_dataframe(path, layer=name)
            if not len(frame):
                continue
            frame = frame.drop(columns=[c for c in _KML_BOILERPLATE if c in frame.columns])
            frame.insert(0, "folder", str(name))
            frames.append(frame)
            folders.append(str(name))
    if not frames:
        raise _error("holds no placemarks.", str(path))
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)
    return out, [f"{len(folders)} KML folders became the 'folder' attribute: {', '.join(folders)}"]


def _read_table(
    path: Path, sheet: str | None, limits: ArchiveLimits
) -> tuple[pd.DataFrame, list[str]]:
    if path.suffix.lower() in (".csv", ".txt"):
        text, encoding = _decode(path.read_bytes(), str(path))
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""], sep=None,
            engine="python",
        )  # fmt: skip
        return frame, [f"encoding {encoding}"]
    check_archive(path, limits=limits, allowed=None)  # an .xlsx is a zip: no bombs
    sheets = pd.ExcelFile(path, engine="openpyxl").sheet_names
    chosen = _pick_layer(sheets, sheet, None, str(path)) if sheet or len(sheets) == 1 else sheets[0]
    frame = pd.read_excel(path, sheet_name=chosen, dtype=str, engine="openpyxl")
    notes = [f"sheet {chosen!r}"] + (
        [f"other sheets not read: {', '.join(sheets[1:])}"] if not sheet and len(sheets) > 1 else []
    )
    return frame, notes


def _read_parquet(path: Path) -> tuple[pd.DataFrame, list[str]]:
    try:
        return gpd.read_parquet(path), []
    except ValueError as exc:
        if "geo" not in str(exc).lower():
            raise
        return pd.read_parquet(path), ["no GeoParquet metadata: read as a table"]


def _unzipped(path: Path, folder: Path, layer: str | None, target: str | None, limits) -> Path:
    files = extract_archive(path, folder, limits=limits)
    data = [
        f for f in files if f.suffix.lower() in _READABLE_IN_ZIP and not f.name.endswith(".shp.xml")
    ]
    if layer is not None:
        data = [f for f in data if f.stem == layer or f.name == layer] or data
    if len(data) != 1:
        found = ", ".join(f.relative_to(folder).as_posix() for f in data) or "none"
        raise _error(
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
        raise _error(
            f"is not a format GridMap imports ({suffix or 'no extension'}).",
            file,
            fix=f"use one of: {kinds}; .xls must be saved as .xlsx.",
        )
    if not path.is_file():
        raise _error("file not found.", file)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's own words; the notes say ours
            return _read(path, suffix, layer=layer, target=target, encoding=encoding, limits=limits)
    except (DataSourceError, DataLayerError, UnicodeDecodeError, ValueError, OSError) as exc:
        if isinstance(exc, DataError):
            raise
        raise _error(f"cannot be read as {FORMATS[suffix]} ({exc}).", file) from exc


def _read(path: Path, suffix: str, *, layer, target, encoding, limits) -> SourceTable:
    file = str(path)
    if suffix in (".zip", ".kmz"):
        with tempfile.TemporaryDirectory(prefix="gridmap-import-") as tmp:
            if suffix == ".kmz":
                files = extract_archive(path, tmp, limits=limits, allowed=KMZ_EXTENSIONS)
                kml = [f for f in files if f.suffix.lower() == ".kml"]
                if not kml:
                    raise _error("the KMZ holds no .kml file.", file)
                frame, notes = _read_kml(kml[0])
                return SourceTable(frame, file, "KMZ", tuple(notes))
            inner = _unzipped(path, Path(tmp), layer, target, limits)
            table = _read(
                inner,
                inner.suffix.lower(),
                layer=None,
                target=target,
                encoding=encoding,
                limits=limits,
            )
            label = f"{file}!{inner.relative_to(tmp).as_posix()}"
            return SourceTable(table.frame, label, f"zipped {table.format}", table.notes)
    if suffix == ".shp":
        frame, notes = _read_shapefile(path, encoding)
    elif suffix == ".gpkg":
        frame, notes = _read_gpkg(path, layer, target)
    elif suffix in (".geojson", ".json"):
        frame, notes = _read_geojson(path)
    elif suffix == ".kml":
        frame, notes = _read_kml(path)
    elif suffix in (".csv", ".txt", ".xlsx"):
        frame, notes = _read_table(path, layer, limits)
    else:
        frame, notes = _read_parquet(path)
    return SourceTable(frame, file, FORMATS[suffix], tuple(notes))


# ---------------------------------------------------------------------------
# Writing into a district


def _widened(current: pd.DataFrame | None, typed: gpd.GeoDataFrame, crs) -> gpd.GeoDataFrame:
    """The current layer with every column of the imported rows, so no attribute is lost."""
    if current is None:
        return typed.iloc[0:0].to_crs(crs)
    columns = list(current.columns) + [c for c in typed.columns if c not in current.columns]
    out = current.reindex(columns=columns)
    return gpd.GeoDataFrame(out, geometry=current.geometry.name, crs=current.crs)


def _trusted_layer(district, layer: str) -> gpd.GeoDataFrame | None:
    """The district's layer to compare new data with: points with buildings, polygons with grids.

    Points always fall in some grid of a tiling, so only buildings tell a
    shifted point layer from a true one; polygons share edges with their
    parent level, the layer they replace or any grid level.
    """
    points = tuple(LAYERS[layer].geometry or ()) == ("Point",)
    order = ("buildings",) if points else (PARENT_LEVEL.get(layer), layer, *GRID_LEVELS)
    for name in order:
        found = district.get(name) if name else None
        if isinstance(found, gpd.GeoDataFrame) and len(found):
            return found
    return None


def import_layer(
    sources: Sequence[str | os.PathLike[str]],
    into: str | os.PathLike[str],
    layer: str,
    *,
    options: ImportOptions | None = None,
    mode: str = "replace",
    dry_run: bool = False,
    source_layer: str | None = None,
    encoding: str | None = None,
    reference: str | os.PathLike[str] | None = None,
    user: str = "",
    reason: str | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> ImportReport:
    """Import `sources` as `layer` of the GeoPackage `into`; return the report.

    ``mode="replace"`` replaces the layer's rows, ``"append"`` adds to them
    (an id that already exists is an error). Parents for
    ``options.parent_by`` come from the parent level already in `into`.
    `reference` is a file the user trusts, used to warn when the data looks
    like GCJ-02 (by default the parent level, or the layer itself, in `into`).
    Raises `GridmapError` only when `into` cannot be read or written; problems
    with the sources or the data are in the report, and then nothing is written.
    """
    if layer not in LAYERS:
        raise DataError(f"unknown layer {layer!r}; layers are: {', '.join(LAYERS)}.")
    if mode not in ("replace", "append"):
        raise DataError(f"mode is replace or append, not {mode!r}.")
    options = options or ImportOptions()
    files = [str(s) for s in sources]
    tables, problems = [], []
    for source in sources:
        try:
            tables.append(
                read_source(
                    source, layer=source_layer, target=layer, encoding=encoding, limits=limits
                )
            )
        except DataError as exc:
            problems += exc.problems
    target = Path(into)
    district = read_district(target, partial=True) if target.exists() else None
    if problems:
        report = ImportReport(
            layer, files, problems=problems, into=str(target), mode=mode, dry_run=dry_run
        )
        return report
    parents = district.get(PARENT_LEVEL[layer]) if district and layer in PARENT_LEVEL else None
    trusted = read_source(reference).frame if reference is not None else None
    if trusted is None and district is not None:
        trusted = _trusted_layer(district, layer)
    current = district.get(layer) if district is not None else None
    keep = current if current is not None and mode == "append" else None
    typed, report = prepare_import(
        tables,
        layer,
        options=options,
        parents=parents,
        reference=trusted if isinstance(trusted, gpd.GeoDataFrame) else None,
        target_crs=district.crs if district is not None else None,
        taken_ids=keep[LAYERS[layer].id_field] if keep is not None else (),
    )
    report.into, report.mode, report.dry_run = str(target), mode, dry_run
    if not report.ok or dry_run or typed is None:
        return report
    if district is None:
        write_layers(target, {layer: typed})
    else:
        base = _widened(current, typed, district.crs)
        removed = base if mode == "replace" else base.iloc[0:0]
        edit = Edit(
            layer=layer,
            operation="import",
            removed=removed,
            added=typed,
            user=user,
            reason=reason or f"import from {', '.join(Path(f).name for f in files)}",
        )
        try:
            save_edit(district.with_layers(**{layer: base}), edit)
        except DataError as exc:
            report.problems += exc.problems
            return report
    report.written = True
    return report


# ---------------------------------------------------------------------------
# Uploads

#: Companion files of a Shapefile: uploaded with it, never imported on their own.
SIDECARS = frozenset(
    {".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml", ".qmd", ".qpj", ".fix"}
)


def store_sources(files: Sequence[tuple[str, bytes]], folder: str | os.PathLike[str]) -> list[Path]:
    """Keep uploaded files together (a Shapefile's parts must share a folder); return the sources.

    The files are written under ``folder/<sha256 of all of them>/`` by their
    base names (never a path the upload names); the returned paths are the
    files to import, without the Shapefile companions.
    """
    import hashlib

    digest = hashlib.sha256()
    for name, data in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    target = Path(folder) / digest.hexdigest()[:16]
    target.mkdir(parents=True, exist_ok=True)
    sources = []
    for name, data in files:
        base = Path(name.replace("\\", "/")).name.strip() or "upload"
        path = target / base
        if not path.is_file() or path.stat().st_size != len(data):
            part = path.with_name(f".{base}.part")
            part.write_bytes(data)
            os.replace(part, path)
        if path.suffix.lower() not in SIDECARS:
            sources.append(path)
    return sources
