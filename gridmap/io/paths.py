"""Paths typed in the app, confined to one data folder: `data_folder`, `confined_path`.

Anyone who can reach the app can type a path, so a typed path may only name
a file inside the data folder: ``$GRIDMAP_DATA_DIR`` when set, else the
folder of the district file that is open. A relative path is taken inside
that folder. ``..`` is refused outright; the path is then resolved
(`os.path.realpath`, following every symbolic link, also of a file that does
not exist yet) and must still lie inside the folder's own resolved path, so
an absolute path elsewhere and a link that leads out are refused alike.
Uploaded files are not typed paths and are not confined.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from gridmap.errors import PathRefused

#: The environment variable naming the folder typed paths are confined to.
DATA_DIR_VARIABLE = "GRIDMAP_DATA_DIR"


def data_folder(opened: str | os.PathLike[str] | None) -> Path | None:
    """``$GRIDMAP_DATA_DIR``, else the folder of the `opened` district file (None if neither)."""
    configured = os.environ.get(DATA_DIR_VARIABLE, "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path(opened).parent if opened else None


def _refuse(typed: str, root: Path, why: str) -> PathRefused:
    return PathRefused(
        f"the path {typed!r} {why}; paths typed here must name a file inside the data "
        f"folder {root}. Fix: copy the file into that folder (or set {DATA_DIR_VARIABLE} to "
        "the folder that holds your data before starting the app), or upload the file."
    )


def _inside(path: str, root: Path) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(root)


def confined_path(
    typed: str,
    root: str | os.PathLike[str] | None,
    *,
    must_exist: bool = True,
    suffixes: Sequence[str] | None = None,
    companions: bool = False,
) -> Path:
    """Resolve the path `typed` names inside the data folder `root`; `PathRefused` if outside.

    `must_exist` asks for an existing regular file (a source); otherwise the
    file may be new, but not a folder or a device (a target). `suffixes`
    limits the file's extension (``(".gpkg",)`` for a district file).
    `companions` also confines the files sharing its stem (a Shapefile's
    .dbf, .shx and .prj, which GDAL opens beside the .shp).
    """
    text = typed.strip()
    if root is None:
        raise PathRefused(
            f"the path {text!r} cannot be used: no data folder is set. Fix: open a district "
            f"file first (its folder is the data folder), set {DATA_DIR_VARIABLE} before "
            "starting the app, or upload the file."
        )
    base = Path(os.path.realpath(Path(root).expanduser()))
    if not text:
        raise _refuse(text, base, "is empty")
    given = Path(text).expanduser()
    if ".." in given.parts:
        raise _refuse(text, base, "goes up a folder with '..'")
    candidate = given if given.is_absolute() else base / given
    if not _inside(str(candidate), base):
        why = (
            "leads out of the data folder through a link"
            if candidate.is_relative_to(base)
            else ("is outside the data folder")
        )
        raise _refuse(text, base, why)
    resolved = Path(os.path.realpath(candidate))
    if suffixes is not None and resolved.suffix.lower() not in suffixes:
        raise _refuse(text, base, f"is not a {' or '.join(suffixes)} file")
    if must_exist and not resolved.is_file():
        raise PathRefused(
            f"the file {text!r} is not in the data folder {base} (no such file). Fix: check the "
            "name, or upload the file."
        )
    if not must_exist and resolved.exists() and not resolved.is_file():
        raise _refuse(text, base, "is not a regular file")
    if companions:
        prefix = candidate.stem + "."
        for part in candidate.parent.iterdir():
            if part.name.startswith(prefix) and not _inside(str(part), base):
                raise _refuse(text, base, f"has a companion file {part.name!r} linked out of it")
    return resolved
