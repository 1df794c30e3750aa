"""Printed maps on disk: PDF, PNG and zip files written atomically, and the font cache.

The render layer (`gridmap.render.pdf.document`, `gridmap.render.pdf.atlas`) returns bytes;
this module only writes them, through `gridmap.io.atomic`: a file is written
beside its target under a temporary name and renamed over it, so a reader
never sees half a PDF and an existing file is left unchanged when writing fails.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

from gridmap.errors import GridmapError, SaveError
from gridmap.io.atomic import atomic_write_bytes


class TileError(GridmapError):
    """A basemap tile could not be fetched."""


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` (a PDF or PNG from the render layer) to `path` atomically.

    Raises `SaveError` naming the file (an existing file is left unchanged).
    """
    return atomic_write_bytes(path, data, example="map.pdf")


def zip_bytes(members: Mapping[str, bytes]) -> bytes:
    """One zip archive (in memory) of named files, e.g. one PDF per grid."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write_zip(path: str | os.PathLike[str], members: Mapping[str, bytes]) -> Path:
    """Write named files into one zip archive at `path`, atomically."""
    return write_bytes(path, zip_bytes(members))


def font_cache_dir() -> Path:
    """Where converted font subsets are kept between runs (per user, in the temp folder)."""
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"gridmap-fonts-{uid}"


def font_cache(name: str, make: Callable[[], bytes]) -> Path:
    """Return the cached file `name`, made by `make()` and stored atomically when absent.

    Names are content addresses (they include a hash of what the file holds),
    so a file once written never needs to change.
    """
    folder = font_cache_dir()
    target = folder / name
    if target.is_file() and target.stat().st_size > 0:
        return target
    data = make()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, data)
    except (OSError, SaveError) as exc:
        raise SaveError(
            f"could not store the font subset in {folder} ({exc}); set TMPDIR to a writable folder."
        ) from exc
    return target


def fetch_tile(url: str, *, timeout: float = 10.0) -> bytes:
    """One basemap tile over the network (only when the user chose a tile provider).

    Raises `TileError` naming the URL's host when the tile cannot be fetched.
    """
    import urllib.error
    import urllib.parse
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "GridMap/0.1 (map export)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.read()
    except (urllib.error.URLError, OSError) as exc:
        host = urllib.parse.urlsplit(url).netloc
        raise TileError(
            f"could not fetch basemap tiles from {host} ({exc}); export without "
            "a basemap, or check the network and the key."
        ) from exc
