"""Safe unpacking of uploaded archives (zipped Shapefiles, KMZ, the zip inside an .xlsx).

Before a single byte is written, `check_archive` refuses an archive that has
too many members, inflates past a size limit or with a suspicious
compression ratio (a zip bomb), holds absolute or ``..`` paths, links,
encrypted members, or files of a kind the import does not expect. Every
refusal names the archive and the member. `extract_archive` then writes the
members under one folder, counting the bytes it actually inflates, so a
header that lies about sizes is caught too. macOS's ``__MACOSX/`` and
``._name`` companions are skipped.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gridmap.errors import ArchiveError, Problem

#: What a zipped vector dataset may hold: Shapefile parts and sidecars, other vector
#: formats, ledgers, and a readme.
DATA_EXTENSIONS = frozenset(
    {
        ".shp",
        ".shx",
        ".dbf",
        ".prj",
        ".cpg",
        ".qix",
        ".sbn",
        ".sbx",
        ".xml",
        ".qmd",
        ".qpj",
        ".fix",
        ".aih",
        ".ain",
        ".atx",
        ".geojson",
        ".json",
        ".kml",
        ".gpkg",
        ".csv",
        ".xlsx",
        ".parquet",
        ".txt",
        ".md",
    }
)
#: What a KMZ may hold: the KML and the icons and overlays it shows.
KMZ_EXTENSIONS = frozenset({".kml", ".png", ".jpg", ".jpeg", ".gif", ".bmp"})
_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1 << 16


@dataclass(frozen=True)
class ArchiveLimits:
    """Limits on an archive; the defaults fit any district's data many times over.

    `max_ratio` applies to members larger than `ratio_floor` bytes (small
    files of blanks compress extremely well and are harmless).
    """

    max_members: int = 2000
    max_total_bytes: int = 1 << 30
    max_ratio: float = 1000.0
    ratio_floor: int = 1 << 20


#: The limits used unless a caller passes others.
DEFAULT_LIMITS = ArchiveLimits()


def _skipped(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and (parts[0] == "__MACOSX" or parts[-1].startswith("._"))


def _member_problems(
    info: zipfile.ZipInfo, limits: ArchiveLimits, allowed: Iterable[str] | None
) -> list[str]:
    name = info.filename.replace("\\", "/")
    found = []
    if name.startswith("/") or _DRIVE.match(name) or ".." in PurePosixPath(name).parts:
        found.append(f"{info.filename!r} has an absolute or '..' path (path traversal)")
    if stat.S_ISLNK(info.external_attr >> 16):
        found.append(f"{info.filename!r} is a symbolic link")
    if info.flag_bits & 0x1:
        found.append(f"{info.filename!r} is encrypted")
    if info.is_dir():
        return found
    suffix = PurePosixPath(name).suffix.lower()
    if allowed is not None and suffix not in allowed:
        found.append(
            f"{info.filename!r} is not a kind of file an import expects "
            f"({suffix or 'no extension'})"
        )
    if info.file_size > limits.ratio_floor and info.compress_size > 0:
        ratio = info.file_size / info.compress_size
        if ratio > limits.max_ratio:
            found.append(
                f"{info.filename!r} inflates {ratio:,.0f} times ({info.file_size:,} bytes from "
                f"{info.compress_size:,}), over the limit of {limits.max_ratio:,.0f} (zip bomb?)"
            )
    return found


def check_archive(
    path: str | os.PathLike[str],
    *,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    allowed: Iterable[str] | None = DATA_EXTENSIONS,
) -> list[zipfile.ZipInfo]:
    """Return the members to unpack, or raise `ArchiveError` listing every refusal."""
    archive = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(
            Problem("error", f"is not a readable zip archive ({exc}).", file=archive)
        ) from exc
    allowed = None if allowed is None else {a.lower() for a in allowed}
    messages = []
    if len(infos) > limits.max_members:
        messages.append(
            f"it has {len(infos):,} members, more than the limit of {limits.max_members:,}"
        )
    kept = [i for i in infos if not _skipped(i.filename)]
    for info in kept:
        messages += _member_problems(info, limits, allowed)
    total = sum(i.file_size for i in kept)
    if total > limits.max_total_bytes:
        messages.append(
            f"it inflates to {total:,} bytes, more than the limit of {limits.max_total_bytes:,} "
            "(zip bomb?)"
        )
    if messages:
        raise ArchiveError(
            [
                Problem(
                    "error",
                    f"refused: {m}.",
                    file=archive,
                    fix="unpack it yourself, check its content, and import the data files.",
                )
                for m in messages
            ]
        )
    return kept


def extract_archive(
    path: str | os.PathLike[str],
    folder: str | os.PathLike[str],
    *,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    allowed: Iterable[str] | None = DATA_EXTENSIONS,
) -> list[Path]:
    """Check, then unpack the archive's files under `folder`; return their paths.

    Inflating stops with `ArchiveError` as soon as a member grows past its
    declared size or the total passes the limit; the partial files are removed.
    """
    infos = check_archive(path, limits=limits, allowed=allowed)
    root = Path(folder).resolve()
    written: list[Path] = []
    total = 0
    with zipfile.ZipFile(path) as zf:
        for info in infos:
            target = (root / info.filename.replace("\\", "/")).resolve()
            if root not in target.parents:
                raise ArchiveError(
                    f"refused: {info.filename!r} would be written outside the folder.",
                    file=str(path),
                )
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            size = 0
            try:
                with zf.open(info) as source, open(target, "wb") as out:
                    while block := source.read(_CHUNK):
                        size += len(block)
                        total += len(block)
                        if size > info.file_size or total > limits.max_total_bytes:
                            raise ArchiveError(
                                f"refused: {info.filename!r} inflates past its declared size or "
                                f"the limit of {limits.max_total_bytes:,} bytes (zip bomb?).",
                                file=str(path),
                            )
                        out.write(block)
            except (ArchiveError, zipfile.BadZipFile, OSError) as exc:
                for done in (*written, target):
                    done.unlink(missing_ok=True)
                if isinstance(exc, ArchiveError):
                    raise
                raise ArchiveError(
                    f"refused: {info.filename!r} is corrupt ({exc}).", file=str(path)
                ) from exc
            written.append(target)
    return written
