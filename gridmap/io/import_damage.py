"""Source records whose geometry GDAL could not read: `damaged_records`, `damaged_gpkg_rows`.

GDAL reads a damaged .shp record (a shape type it does not know, a part
count past the end of the record, bytes overwritten) as a feature with no
geometry, and says nothing an import can act on. A record that truly has
no geometry is a *null shape*: shape type 0 and a content of 4 bytes. So a
feature read with no geometry whose record is anything else was damaged.
The record's offset and length come from the .shx index (or, without one,
from the record headers of the .shp itself).

In a GeoPackage a geometry blob GDAL cannot decode is read as no geometry
too; `damaged_gpkg_rows` finds the rows whose blob is there (not NULL) but
was read as nothing, by reading the layer's geometry column with SQLite.
"""

from __future__ import annotations

import contextlib
import sqlite3
import struct
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np

_HEADER = 100  # bytes of the main file header in .shp and .shx
_NULL_SHAPE_BYTES = 4  # a null shape record holds only its shape type (int32)


def _sibling(path: Path, suffix: str) -> Path | None:
    for candidate in (path.with_suffix(suffix), path.with_suffix(suffix.upper())):
        if candidate.is_file():
            return candidate
    matches = [p for p in path.parent.glob(path.stem + ".*") if p.suffix.lower() == suffix]
    return matches[0] if matches else None


def _index(path: Path) -> list[tuple[int, int]]:
    """(byte offset, content bytes) of every record, from the .shx or the .shp's own headers."""
    shx = _sibling(path, ".shx")
    if shx is not None:
        data = shx.read_bytes()[_HEADER:]
        usable = len(data) - len(data) % 8
        return [(o * 2, n * 2) for o, n in struct.iter_unpack(">ii", data[:usable])]
    out = []
    with path.open("rb") as f:
        size = f.seek(0, 2)
        position = _HEADER
        while position + 8 <= size:
            f.seek(position)
            _, words = struct.unpack(">ii", f.read(8))
            out.append((position, words * 2))
            position += 8 + max(words, 0) * 2
    return out


def _is_null_shape(f, size: int, offset: int, length: int) -> bool:
    if length != _NULL_SHAPE_BYTES or offset + 12 > size:
        return False
    f.seek(offset + 8)
    (shape_type,) = struct.unpack("<i", f.read(4))
    return shape_type == 0


def damaged_records(path: Path, frame: gpd.GeoDataFrame) -> tuple[int, ...]:
    """Rows of `frame` (as GDAL read `path`, in record order) whose .shp record was damaged.

    A row read with no (or an empty) geometry is damaged unless its record is
    a null shape. Rows the index does not list at all are damaged too.
    """
    if not isinstance(frame, gpd.GeoDataFrame) or not len(frame):
        return ()
    geoms = frame.geometry
    missing: Iterable[int] = np.flatnonzero((geoms.isna() | geoms.is_empty).to_numpy())
    missing = [int(i) for i in missing]
    if not missing:
        return ()
    index = _index(path)
    damaged = []
    with path.open("rb") as f:
        size = f.seek(0, 2)
        for row in missing:
            if row >= len(index) or not _is_null_shape(f, size, *index[row]):
                damaged.append(row)
    return tuple(damaged)


def _present(geoms) -> np.ndarray:
    return ~(geoms.isna() | geoms.is_empty).to_numpy()


def damaged_gpkg_rows(path: Path, layer: str, frame: gpd.GeoDataFrame) -> tuple[int, ...]:
    """Rows of `frame` (GDAL's read of `layer`, in fid order) whose geometry blob is damaged.

    A row read with no geometry is damaged when the table holds a blob there.
    When SQLite cannot tell (the file is locked, the layer is a view), no row
    is named: the read itself stands.
    """
    if not isinstance(frame, gpd.GeoDataFrame) or not len(frame) or _present(frame.geometry).all():
        return ()
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            found = db.execute(
                "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
            ).fetchone()
            if found is None:
                return ()
            column, table = found[0].replace('"', '""'), layer.replace('"', '""')
            blobs = db.execute(
                f'SELECT "{column}" IS NOT NULL AND length("{column}") > 0 FROM "{table}" '
                "ORDER BY rowid"
            ).fetchall()
    except sqlite3.Error:
        return ()
    if len(blobs) != len(frame):
        return ()
    held = np.array([bool(b) for (b,) in blobs])
    return tuple(int(i) for i in np.flatnonzero(held & ~_present(frame.geometry)))
