"""Files a user uploads through the app, kept where GDAL can open them.

A GeoPackage is an SQLite database, so it must be a real file to be read.
`store_upload` writes the bytes once under a folder named by their SHA-256
(the same upload twice gives the same path, so caches keyed on the path stay
valid) and returns the path. `store_sources` does the same for the files of
one import, kept together by their own names (a Shapefile's parts must share
a folder and a stem); a name that is not a plain file name is refused before
anything is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from gridmap.errors import DataError, Problem, SaveError

_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Companion files of a Shapefile: uploaded with it, never imported on their own.
SIDECARS = frozenset(
    {".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml", ".qmd", ".qpj", ".fix"}
)


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


def _base_name(name: str) -> tuple[str, str | None]:
    """Return the file name an upload is kept under, and why it is refused (None if it is not)."""
    base = Path(name.replace("\\", "/")).name.strip()
    if base in ("", ".", ".."):
        return base, "is not a file name"
    if _CONTROL.search(base):
        return base, "holds control characters"
    if base.startswith("."):
        return base, "is a hidden file (its name starts with a dot)"
    if len(base.encode("utf-8")) > 200:
        return base, "is too long for a file name (over 200 bytes)"
    return base, None


def _check_names(files: Sequence[tuple[str, bytes]]) -> list[str]:
    problems, bases = [], []
    seen: dict[str, tuple[str, bytes]] = {}
    for name, data in files:
        base, refused = _base_name(name)
        first = seen.get(base.lower())
        if refused is None and first is not None and first != (name, data):
            refused = f"would be kept under the same name as the upload {first[0]!r}"
        if refused:
            problems.append(
                Problem(
                    "error",
                    f"the upload {name!r} {refused}; nothing was stored.",
                    file=name,
                    fix="rename the file (for example 小网格.shp) and upload it again.",
                )
            )
        seen.setdefault(base.lower(), (name, data))
        bases.append(base)
    if problems:
        raise DataError(problems)
    return bases


def store_sources(files: Sequence[tuple[str, bytes]], folder: str | os.PathLike[str]) -> list[Path]:
    """Keep uploaded files together (a Shapefile's parts must share a folder); return the sources.

    The files are written under ``folder/<sha256 of all of them>/`` by their
    base names (never a path the upload names); the returned paths are the
    files to import, without the Shapefile companions. Raises `DataError`
    (every refused name listed) before writing anything when a name is not
    a plain file name (``..``, hidden, control characters, two uploads of one
    name), and `SaveError` when the disk refuses, leaving no partial file.
    """
    bases = _check_names(files)
    digest = hashlib.sha256()
    for name, data in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    target = Path(folder) / digest.hexdigest()[:16]
    sources = []
    for base, (name, data) in zip(bases, files, strict=True):
        path = target / base
        if not path.is_file() or path.stat().st_size != len(data):
            part = target / f".{base}.part"
            try:
                target.mkdir(parents=True, exist_ok=True)
                part.write_bytes(data)
                os.replace(part, path)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    part.unlink(missing_ok=True)
                raise SaveError(f"could not keep the uploaded file {name!r} ({exc}).") from exc
        if path.suffix.lower() not in SIDECARS:
            sources.append(path)
    return sources
