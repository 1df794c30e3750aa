"""Is a GeoPackage whole? SQLite's own checks, read-only, before and after GDAL reads it.

GDAL reads a damaged GeoPackage without complaint more often than not: a
corrupted page of a table ends the layer early (a district "loads" with a
third of its buildings, and a later save would write the rest away), and a
geometry blob that is not a GeoPackage geometry becomes an empty feature.
These checks ask SQLite directly, through a read-only connection that never
changes the file:

- `damage` runs ``PRAGMA quick_check`` (a few milliseconds for the sample)
  and names the layers whose table cannot be counted;
- `stored_count` is the number of rows a layer's table really holds, to
  compare with what GDAL returned;
- `stored_geometry_fids` lists the features whose geometry blob is not NULL,
  to tell a geometry that was never there from one that could not be read.

Every answer is None when SQLite cannot be asked at all (the file is locked
by a writer, or opened where a read-only connection is refused); GDAL's own
errors then speak for the file.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

#: How long to wait for another program's write to finish before giving up, seconds.
BUSY_TIMEOUT = 5.0
#: At most this many of SQLite's own lines are quoted in a message.
QUOTED_LINES = 2


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection | None]:
    """Return a read-only connection to `path`, or None when SQLite refuses to open it so."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT)
    except sqlite3.Error:
        yield None
        return
    # A damaged file's names and SQLite's reports on it may hold bytes that are not UTF-8.
    connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
    try:
        yield connection
    finally:
        connection.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: SQLite's errors, and the one Python raises when SQLite's message quotes damaged bytes.
_FAILED = (sqlite3.Error, UnicodeDecodeError)


def _is_damage(exc: Exception) -> bool:
    """Return True for a corrupt file (SQLITE_CORRUPT, NOTADB), not a lock or a refused open."""
    if isinstance(exc, UnicodeDecodeError):
        return True
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError)


def _message(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "its report quotes damaged bytes"
    return str(exc)


def _tables(connection: sqlite3.Connection) -> list[str]:
    try:
        rows = connection.execute("SELECT table_name FROM gpkg_contents").fetchall()
    except _FAILED:
        return []
    return [str(name) for (name,) in rows]


def damage(path: Path) -> tuple[str, list[str]] | None:
    """SQLite's verdict on a damaged file: (its first words, the layers that cannot be read).

    None when the file passes ``PRAGMA quick_check`` or SQLite cannot be asked.
    """
    with _connect(path) as connection:
        if connection is None:
            return None
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        except _FAILED as exc:
            if not _is_damage(exc):
                return None
            rows = [(_message(exc),)]
        verdict = [str(row[0]) for row in rows]
        if verdict == ["ok"]:
            return None
        broken = []
        for table in _tables(connection):
            try:
                connection.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()
            except _FAILED as exc:
                if _is_damage(exc):
                    broken.append(table)
    lines = [line.strip() for text in verdict for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("***")]
    return "; ".join(lines[:QUOTED_LINES]), broken


def stored_count(path: Path, table: str) -> int | None:
    """Rows the layer's table holds, as SQLite counts them (None when it cannot be asked)."""
    with _connect(path) as connection:
        if connection is None:
            return None
        try:
            return int(connection.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0])
        except _FAILED:
            return None


def stored_geometry_fids(path: Path, table: str) -> tuple[str, set[int]] | None:
    """Return the geometry column and the feature ids (rowids) whose blob in it is not NULL.

    None when the layer has no geometry column or SQLite cannot be asked.
    """
    with _connect(path) as connection:
        if connection is None:
            return None
        try:
            row = connection.execute(
                "SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name) = lower(?)",
                (table,),
            ).fetchone()
            if row is None:
                return None
            column = str(row[0])
            found = connection.execute(
                f"SELECT rowid FROM {_quote(table)} WHERE {_quote(column)} IS NOT NULL"
            ).fetchall()
        except _FAILED:
            return None
    return column, {int(fid) for (fid,) in found}
