"""Files a user uploads through the app, kept where GDAL can open them.

A GeoPackage is an SQLite database, so it must be a real file to be read.
`store_upload` writes the bytes once under a folder named by their SHA-256
(the same upload twice gives the same path, so caches keyed on the path stay
valid) and returns the path.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from gridmap.errors import SaveError

_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def upload_folder() -> Path:
    """Where uploads are kept: ``$GRIDMAP_UPLOADS`` or a folder in the system temp dir."""
    return Path(
        os.environ.get("GRIDMAP_UPLOADS") or Path(tempfile.gettempdir()) / "gridmap-uploads"
    )


def store_upload(data: bytes, name: str, *, folder: str | os.PathLike[str] | None = None) -> Path:
    """Write uploaded bytes to ``<folder>/<sha256[:16]>/<safe name>`` and return that path."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    safe = _UNSAFE.sub("_", Path(name).name).strip("._") or "upload.gpkg"
    target = Path(folder) if folder is not None else upload_folder()
    path = target / digest / safe
    if path.is_file() and path.stat().st_size == len(data):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{safe}.part")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise SaveError(f"could not keep the uploaded file {name!r} ({exc}).") from exc
    return path
