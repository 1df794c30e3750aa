"""District GeoPackages: reading with validation, atomic writing.

`read_district` opens a GeoPackage, finds the schema's layers (also under
their Chinese alias names), validates and types them, and returns a
`District` in a metric working CRS. Every problem is collected and raised
once as a `DataError` naming file, layer and field. `write_district` saves
atomically: the new file is written beside the target and renamed over it,
the previous file is kept as ``<name>.bak``, and layers GridMap does not
manage (QGIS styles, the user's own layers) are carried over untouched.
"""

from __future__ import annotations

import os
import shlex
import warnings
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyogrio
from pyarrow.lib import ArrowException
from pyogrio.errors import DataLayerError, DataSourceError
from pyproj import CRS
from pyproj.exceptions import CRSError as ProjCRSError
from shapely.errors import GEOSException

from gridmap.district import District, Layer
from gridmap.errors import CRSError, DataError, Problem, SaveError
from gridmap.geo import metric_crs_for_frame
from gridmap.io import gpkg_health
from gridmap.io.atomic import atomic_write, check_target, remove_orphans
from gridmap.io.field_types import schema_types
from gridmap.io.sharing import claim_for_replace, fingerprint, settle
from gridmap.layers import validate_layer
from gridmap.schema import LAYERS, layer_alias_map

_SQLITE_MAGIC = b"SQLite format 3\x00"
#: The GeoPackage's dataset metadata key holding the district's name (gpkg_metadata;
#: QGIS shows it under the file's metadata).
DISTRICT_NAME_KEY = "GRIDMAP_DISTRICT_NAME"
Progress = Callable[[str], None]


def file_fingerprint(path: str | os.PathLike[str]) -> str:
    """SHA-256 of the file and its ``-wal``: it changes whenever anyone saves (`sharing`)."""
    return fingerprint(path)


def _error(
    message: str, file: str, *, fix: str | None = None, layer: str | None = None
) -> DataError:
    return DataError([Problem("error", message, file=file, layer=layer, fix=fix)])


#: What GDAL, Arrow and GEOS raise on a file whose bytes are damaged: bad pages
#: (DataSourceError, DataLayerError, OSError "database disk image is malformed"),
#: bad text or dates (ArrowException, UnicodeDecodeError), bad geometry blobs
#: (GEOSException), impossible values (ValueError).
_UNREADABLE = (
    DataSourceError,
    DataLayerError,
    ArrowException,
    GEOSException,
    OSError,
    UnicodeDecodeError,
    ValueError,
)


def _restore(file: str) -> str:
    """How to get a damaged file back: its backup, or SQLite's own recovery."""
    rescued = shlex.quote(str(Path(file).with_name(Path(file).stem + "-recovered.gpkg")))
    return (
        "restore the file from its backup (.bak) or an earlier copy, or export it again; "
        f"to rescue what is left: sqlite3 {shlex.quote(file)} .recover | sqlite3 {rescued}"
    )


def _open_listing(path: Path) -> list[tuple[str, str | None]]:
    """Check that `path` is a readable GeoPackage and list its layers."""
    file = str(path)
    if not path.exists():
        raise _error(
            "file not found.",
            file,
            fix="check the path, or create the sample district with `gridmap demo`.",
        )
    if path.is_dir():
        raise _error("is a folder, not a GeoPackage file.", file)
    if path.stat().st_size == 0:
        raise _error(
            "the file is empty (0 bytes).",
            file,
            fix="restore it from its backup (.bak) or export it again from QGIS.",
        )
    with path.open("rb") as fh:
        header = fh.read(len(_SQLITE_MAGIC))
    if header != _SQLITE_MAGIC:
        raise _error(
            "is not a GeoPackage (a GeoPackage is an SQLite database; this file is not).",
            file,
            fix="save the data as GeoPackage (.gpkg), e.g. in QGIS with Export > Save Features "
            "As > GeoPackage; Shapefile, GeoJSON and KML go through `gridmap import`.",
        )
    _refuse_damaged(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's own words; ours follow
            listing = pyogrio.list_layers(path)
            driver = pyogrio.read_info(path, layer=0)["driver"] if len(listing) else "GPKG"
    except _UNREADABLE as exc:
        raise _error(
            f"cannot be read as a GeoPackage ({_reason(exc)}); the file may be corrupt.",
            file,
            fix="restore it from its backup (.bak) or export it again.",
        ) from exc
    if driver != "GPKG":
        raise _error(
            f"is an SQLite database but not a GeoPackage (GDAL sees {driver}).",
            file,
            fix="export the layers to a GeoPackage (.gpkg).",
        )
    return [(str(name), geom) for name, geom in listing]


def _refuse_damaged(path: Path) -> None:
    """`DataError` when SQLite finds the file damaged, naming the layers it cannot read."""
    found = gpkg_health.damage(path)
    if found is None:
        return
    verdict, broken = found
    message = f"the file is damaged (SQLite: {verdict})"
    problems = [
        Problem(
            "error",
            f"{message}; this layer cannot be read.",
            file=str(path),
            layer=layer,
            fix=_restore(str(path)),
        )
        for layer in broken
    ] or [
        Problem(
            "error",
            f"cannot be read as a GeoPackage: {message}.",
            file=str(path),
            fix=_restore(str(path)),
        )
    ]
    raise DataError(problems)


def _reason(exc: BaseException) -> str:
    """Return the first line of a library's message, printable and short."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= 160 else text[:157] + "..."


def _match_layers(names: Iterable[str]) -> tuple[dict[str, str], list[str], list[Problem]]:
    """Map canonical layer names to the file's layer names; the rest are extra layers."""
    aliases = layer_alias_map()
    found: dict[str, str] = {}
    extra: list[str] = []
    problems: list[Problem] = []
    for name in names:
        canonical = aliases.get(name.strip().lower())
        if canonical is None:
            extra.append(name)
        elif canonical in found:
            keep = name if name == canonical else found[canonical]
            other = found[canonical] if keep == name else name
            found[canonical] = keep
            extra.append(other)
            problems.append(
                Problem(
                    "warning",
                    f"layers {keep!r} and {other!r} both look like {canonical!r}; "
                    f"using {keep!r}, keeping {other!r} untouched.",
                    layer=canonical,
                )
            )
        else:
            found[canonical] = name
    return found, extra, problems


def _layer_crs(
    path: Path, layer: str, *, fallback: CRS | None
) -> tuple[CRS | None, Problem | None]:
    file = str(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        info = pyogrio.read_info(path, layer=layer)
    if info.get("geometry_type") is None:
        return None, None
    unparsed = [str(w.message) for w in caught if "Unable to parse srs" in str(w.message)]
    if unparsed:
        return None, Problem(
            "error",
            f"the CRS cannot be read by PROJ (GDAL: {unparsed[0]}).",
            file=file,
            layer=layer,
            fix="reassign a standard CRS such as EPSG:4490 (CGCS2000) or EPSG:4547 "
            "in QGIS (Layer CRS > Set layer CRS) and save again.",
        )
    text = info.get("crs")
    if not text:
        if fallback is not None:
            return fallback, None
        return None, Problem(
            "error",
            "the layer has no coordinate reference system.",
            file=file,
            layer=layer,
            fix="set the layer's CRS in QGIS (Layer CRS > Set layer CRS) or pass the CRS "
            "explicitly (gridmap info FILE --crs EPSG:4547; read_district(path, crs=...)).",
        )
    try:
        return CRS.from_user_input(text), None
    except ProjCRSError as exc:
        return None, Problem(
            "error",
            f"the CRS cannot be read by PROJ ({exc}).",
            file=file,
            layer=layer,
            fix="reassign a standard CRS such as EPSG:4490 (CGCS2000) or EPSG:4547.",
        )


def _read_layer(
    path: Path, source: str, crs: CRS | None, *, name: str
) -> tuple[Layer | None, list[Problem]]:
    """Read layer `source` (known as `name`): the frame, or None, and what could not be read.

    Nothing read is dropped silently: a layer GDAL ends early (a damaged page) and
    geometry blobs that cannot be decoded are errors naming the features.
    """
    try:
        with warnings.catch_warnings():
            # Dates that cannot be parsed are kept as text; validation names them.
            warnings.filterwarnings("ignore", "Error parsing datetimes", UserWarning)
            # NaN coordinates: validation names the features (GEOS only warns here).
            warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
            frame = pyogrio.read_dataframe(
                path, layer=source, fid_as_index=True, use_arrow=True, on_invalid="ignore"
            )
    except _UNREADABLE as exc:
        return None, _unreadable_fields(path, source, name, exc)
    frame, problems = _undecodable_text(frame, str(path), name)
    stored = gpkg_health.stored_count(path, source)
    if stored is not None and stored != len(frame):
        problems.append(
            Problem(
                "error",
                f"only {len(frame)} of the {stored} features of the layer could be read; "
                "the file is damaged.",
                file=str(path),
                layer=name,
                fix=_restore(str(path)),
            )
        )
    if isinstance(frame, gpd.GeoDataFrame):
        problems += _unreadable_geometries(path, source, name, frame)
        if crs is not None:
            frame = frame.set_crs(crs, allow_override=True)
    return frame.reset_index(drop=True), problems


def _undecodable_text(frame: Layer, file: str, name: str) -> tuple[Layer, list[Problem]]:
    """Errors naming the fields holding bytes that are not UTF-8 text (a damaged page).

    GDAL hands such bytes on as text; they are replaced (U+FFFD) so that
    validation can go on and report the rest of the layer.
    """
    problems: list[Problem] = []
    for column in frame.columns:
        values = frame[column]
        if not isinstance(values.dtype, pd.StringDtype | pd.ArrowDtype):
            continue
        try:
            arrow = pa.array(values.array)
            if not (pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type)):
                continue
            arrow.validate(full=True)
            continue
        except ArrowException:
            raw = pa.array(values.array).cast(pa.large_binary()).to_pylist()
        text, bad = [], []
        for i, value in enumerate(raw):
            try:
                text.append(None if value is None else value.decode("utf-8"))
            except UnicodeDecodeError:
                text.append(value.decode("utf-8", "replace"))
                bad.append(i)
        frame = frame.copy() if not problems else frame
        frame[column] = pd.Series(text, index=frame.index, dtype=values.dtype)
        problems.append(
            Problem(
                "error",
                f"{len(bad)} values are not readable text (bytes that are not UTF-8; the "
                f"file is damaged): {_feature_names(frame, bad, name)}.",
                file=file,
                layer=name,
                field=str(column),
                count=len(bad),
                fix="retype these values in QGIS (attribute table) or " + _restore(file),
            )
        )
    return frame, problems


def _unreadable_geometries(
    path: Path, source: str, name: str, frame: gpd.GeoDataFrame
) -> list[Problem]:
    """Return an error naming the features whose stored geometry could not be decoded."""
    empty = frame.geometry.isna().to_numpy()
    if not empty.any():
        return []
    stored = gpkg_health.stored_geometry_fids(path, source)
    if stored is None:
        return []
    column, present = stored
    lost = [i for i, fid in enumerate(frame.index) if empty[i] and int(fid) in present]
    if not lost:
        return []
    return [
        Problem(
            "error",
            f"{len(lost)} geometries cannot be decoded (not a GeoPackage geometry, or a "
            f"damaged one): {_feature_names(frame, lost, name)}.",
            file=str(path),
            layer=name,
            field=column,
            count=len(lost),
            fix="redraw or restore these features (QGIS: Vector > Geometry Tools > Check "
            "Validity), or " + _restore(str(path)),
        )
    ]


def _feature_names(frame: pd.DataFrame, positions: list[int], name: str, shown: int = 5) -> str:
    """'grid_id S-001, S-002 (fid 3, 4)' for the first features at `positions`."""
    from gridmap.layers import rename_aliases

    spec = LAYERS[name]
    renamed, _ = rename_aliases(frame, spec)
    fids = ", ".join(str(frame.index[i]) for i in positions[:shown])
    more = f" and {len(positions) - shown} more" if len(positions) > shown else ""
    if spec.id_field in renamed.columns:
        ids = ", ".join(str(renamed[spec.id_field].iloc[i]) for i in positions[:shown])
        return f"{spec.id_field} {ids} (fid {fids}){more}"
    return f"fid {fids}{more}"


def _unreadable_fields(path: Path, source: str, name: str, exc: BaseException) -> list[Problem]:
    """Errors naming the fields (or the geometry) whose stored values cannot be read.

    Only called once reading the whole layer failed: each field is read on its own
    to say which one holds the damaged values.
    """
    file = str(path)
    reason = _reason(exc)
    bad: list[str] = []
    try:
        info = pyogrio.read_info(path, layer=source)
        for field in info["fields"]:
            try:
                pyogrio.read_dataframe(
                    path, layer=source, columns=[field], read_geometry=False, use_arrow=True
                )
            except _UNREADABLE:
                bad.append(str(field))
        if info.get("geometry_type") is not None:
            try:
                pyogrio.read_dataframe(
                    path, layer=source, columns=[], use_arrow=True, on_invalid="ignore"
                )
            except _UNREADABLE:
                bad.append(str(info.get("geometry_name") or "geometry"))
    except _UNREADABLE:
        bad = []
    if not bad:
        return [
            Problem(
                "error",
                f"the layer cannot be read ({reason}); the file is damaged.",
                file=file,
                layer=name,
                fix=_restore(file),
            )
        ]
    return [
        Problem(
            "error",
            f"the stored values cannot be read ({reason}); the file is damaged.",
            file=file,
            layer=name,
            field=field,
            fix="correct the values in QGIS (attribute table) or " + _restore(file),
        )
        for field in bad
    ]


def read_district(
    path: str | os.PathLike[str],
    *,
    crs: str | CRS | None = None,
    working_crs: str | CRS | None = None,
    coerce_ids: bool = False,
    partial: bool = False,
    progress: Progress | None = None,
) -> District:
    """Open a district GeoPackage, validate it and return its typed layers.

    Parameters
    ----------
    path
        The ``.gpkg`` file.
    crs
        CRS to assume for layers that have none; without it such a layer is an error.
    working_crs
        Metric CRS to work in; by default chosen from the data (`gridmap.geo.crs`).
    coerce_ids
        Convert numeric ids to text instead of reporting them as an error.
    partial
        Accept a file that lacks required layers (an import builds a district
        level by level); the layers it has are still validated.
    progress
        Called with a short message as each layer is read.

    Raises
    ------
    DataError
        Listing every problem that makes the file unusable.
    """
    path = Path(path)
    file = str(path)
    fallback = _given_crs(crs, "crs", file) if crs is not None else None
    listing = _open_listing(path)
    leftovers = _removed_orphans(path)
    settle(path)
    digest = file_fingerprint(path)
    found, extra, problems = _match_layers(name for name, _ in listing)
    for name, spec in LAYERS.items():
        if spec.required and name not in found and not partial:
            problems.append(
                Problem(
                    "error",
                    f"required layer {name!r} ({spec.zh}) is missing.",
                    file=file,
                    layer=name,
                    fix=f"add it (accepted names: {', '.join((name, *spec.aliases[:3]))}); "
                    f"the file has: {', '.join(n for n, _ in listing) or 'no layers'}.",
                )
            )
    layers: dict[str, Layer] = {}
    source_crs: dict[str, str] = {}
    crs_problems: list[Problem] = []
    for name, source in found.items():
        if progress:
            progress(f"reading {name}")
        try:
            layer_crs, crs_problem = _layer_crs(path, source, fallback=fallback)
        except _UNREADABLE as exc:
            problems += _unreadable_fields(path, source, name, exc)
            continue
        if crs_problem is not None:
            crs_problems.append(replace(crs_problem, layer=name))
            continue
        raw, read_problems = _read_layer(path, source, layer_crs, name=name)
        problems += read_problems
        if raw is None:
            continue
        typed, found_problems = validate_layer(raw, LAYERS[name], file=file, coerce_ids=coerce_ids)
        problems += [p if p.file else replace(p, file=file) for p in found_problems]
        layers[name] = typed
        if layer_crs is not None:
            source_crs[name] = layer_crs.to_string()
    errors = [p for p in problems if p.severity == "error"]
    if errors or crs_problems:
        raise (DataError if errors else CRSError)(crs_problems + errors)
    target = _choose_working_crs(layers, working_crs, file)
    layers = {name: _to_crs(layer, target) for name, layer in layers.items()}
    return District(
        layers=layers,
        crs=target,
        path=file,
        problems=tuple(leftovers + problems),
        extra_layers=tuple(extra),
        source_crs=source_crs,
        source_names={k: v for k, v in found.items() if k in layers},
        fingerprint=digest,
        name=_district_name(path, listing),
    )


def _removed_orphans(path: Path) -> list[Problem]:
    """Remove the temporary copies killed saves left beside `path`, as warnings saying so."""
    return [
        Problem(
            "warning",
            f"removed {orphan.name} ({size / 1e6:.1f} MB), an unfinished copy left by a save "
            "that was interrupted; the district file itself was not changed by it.",
            file=str(path),
        )
        for orphan, size in remove_orphans(path)
    ]


def _district_name(path: Path, listing: list[tuple[str, str | None]]) -> str:
    """Return the district name recorded in the file's dataset metadata ("" when none)."""
    if not listing:
        return ""
    try:
        meta = pyogrio.read_info(path, layer=listing[0][0]).get("dataset_metadata") or {}
    except (DataSourceError, DataLayerError):
        return ""
    return str(meta.get(DISTRICT_NAME_KEY, "")).strip()


def _given_crs(value: str | CRS, option: str, file: str) -> CRS:
    """Return a CRS the caller named; one PROJ cannot read is a `CRSError`, not a traceback."""
    try:
        return CRS.from_user_input(value)
    except ProjCRSError as exc:
        raise CRSError(
            Problem(
                "error",
                f"the {option} given ({value!r}) cannot be read by PROJ ({exc}).",
                file=file,
                fix="give an EPSG code such as EPSG:4490 (CGCS2000) or EPSG:4547 "
                "(CGCS2000 3-degree Gauss-Kruger, 114E), or a WKT or PROJ string.",
            )
        ) from exc


def _choose_working_crs(layers: dict[str, Layer], working_crs: str | CRS | None, file: str) -> CRS:
    if working_crs is not None:
        target = _given_crs(working_crs, "working_crs", file)
        if not target.is_projected:
            raise CRSError(
                f"the working CRS {target.name} is not projected; choose a metric "
                "CRS such as EPSG:4547.",
                file=file,
            )
        return target
    for name in ("grid_large", "grid_medium", "grid_small", *LAYERS):
        layer = layers.get(name)
        if isinstance(layer, gpd.GeoDataFrame) and layer.geometry.notna().any():
            return metric_crs_for_frame(layer, layer=name, file=file)
    raise DataError("no layer has any geometry, so the district cannot be placed.", file=file)


def _to_crs(layer: Layer, target: CRS) -> Layer:
    if not isinstance(layer, gpd.GeoDataFrame) or layer.crs is None or layer.crs == target:
        return layer
    return layer.to_crs(target)


# ---------------------------------------------------------------------------
# Writing


def _for_file(layer: Layer) -> Layer:
    """Prepare a layer for GeoPackage: datetimes in UTC, geometry-less layers as tables."""
    out = layer.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if isinstance(dtype, pd.DatetimeTZDtype):
            out[column] = out[column].dt.tz_convert("UTC")
    if isinstance(out, gpd.GeoDataFrame) and out.geometry.isna().all() and len(out):
        out = pd.DataFrame(out.drop(columns=out.geometry.name))
    return out


def write_layers(
    path: str | os.PathLike[str],
    layers: dict[str, Layer],
    *,
    backup: bool = True,
    replace_file: bool = False,
    name: str | None = None,
) -> None:
    """Write `layers` (file layer name -> frame) into `path` atomically.

    Layers of an existing file that are not in `layers` are kept, unless
    `replace_file` asks for a new file holding only `layers` (the old one is
    still kept as the backup). `name`, when given, is recorded as the
    district's name in the file's metadata. On any failure the original file is left
    byte-for-byte unchanged and `SaveError` is raised.
    """
    target = check_target(path, example="district.gpkg")
    with claim_for_replace(target) as claim:  # no other program may hold the file

        def write(tmp: Path) -> None:
            if not replace_file:
                claim.copy_to(tmp)
            for i, (layer_name, layer) in enumerate(layers.items()):
                last = i == len(layers) - 1
                meta = {DISTRICT_NAME_KEY: name} if name and last else None
                _write_one(tmp, layer_name, layer, metadata=meta)
            written = {str(n) for n, _ in pyogrio.list_layers(tmp)}
            missing = set(layers) - written
            if missing:
                raise SaveError(
                    f"could not save {target}: layers {sorted(missing)} were not written."
                )

        bak = target.with_name(target.name + ".bak") if backup else None
        atomic_write(
            target,
            write,
            example="district.gpkg",
            before_replace=lambda: claim.before_replace(backup=bak),
        )


def _write_one(path: Path, name: str, layer: Layer, *, metadata: dict | None = None) -> None:
    frame = _for_file(schema_types(layer, name))
    options = {"OVERWRITE": "YES"} if path.exists() else {}
    pyogrio.write_dataframe(
        frame, path, layer=name, driver="GPKG", layer_options=options, dataset_metadata=metadata
    )


def write_district(
    district: District,
    path: str | os.PathLike[str] | None = None,
    *,
    layers: Iterable[str] | None = None,
    backup: bool = True,
) -> None:
    """Save a district's layers (all, or those named) atomically to `path`.

    Layers are written under the names they had in the source file, so a QGIS
    project pointing at them keeps working.
    """
    target = path if path is not None else district.path
    if target is None:
        raise SaveError("the district has no file; give a path to save it to.")
    names = list(layers) if layers is not None else list(district.layers)
    out = {district.source_names.get(n, n): district[n] for n in names}
    write_layers(target, out, backup=backup, name=district.name or None)
