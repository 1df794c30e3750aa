"""Atomic file writes: a temporary file beside the target, flushed to disk, renamed over it.

The one home of GridMap's "write a file safely" rule: a reader never sees half
a file, and a write that fails (disk full, a killed process, an exception in
the writer) leaves the target as it was, with no temporary file behind.
`atomic_write` calls a writer on the temporary path (for libraries that
write to a path themselves: openpyxl, GDAL); `atomic_write_bytes` writes bytes.

>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     atomic_write_bytes(pathlib.Path(folder) / "a.txt", b"hello").read_bytes()
b'hello'
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

from gridmap.errors import SaveError


def temporary_path(target: Path) -> Path:
    """A unique hidden name beside `target` that keeps its suffix (``.a.1f2e3d4c.tmp.xlsx``)."""
    return target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.tmp{target.suffix}")


def check_target(path: str | os.PathLike[str], *, example: str | None = None) -> Path:
    """`path` as a `Path` that can be written: `SaveError` for a folder or a missing folder."""
    target = Path(path)
    if target.is_dir():
        hint = f"a file name such as {target / example}" if example else "a file name"
        raise SaveError(f"{target} is a folder; give {hint}.")
    if not target.parent.is_dir():
        raise SaveError(f"cannot write {target}: the folder {target.parent} does not exist.")
    return target


def _fsync(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable where the OS allows it (not on Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(
    path: str | os.PathLike[str],
    write: Callable[[Path], object],
    *,
    backup: bool = False,
    example: str | None = None,
) -> Path:
    """Call ``write(tmp)`` on a temporary path beside `path`, then rename it over `path`.

    The temporary file is flushed to disk before the rename. With `backup`, an
    existing `path` is first copied to ``<name>.bak``. Returns the target.

    Raises
    ------
    SaveError
        Naming the file and the reason when the target is a folder, its folder
        does not exist, or writing fails; the target is then unchanged and the
        temporary file removed. A `SaveError` raised by `write` is passed on.
    """
    target = check_target(path, example=example)
    existed = target.exists()
    tmp = temporary_path(target)
    try:
        write(tmp)
        if not tmp.is_file():
            raise SaveError(f"could not write {target}: the writer produced no file.")
        _fsync(tmp)
        if backup and existed:
            shutil.copy2(target, target.with_name(target.name + ".bak"))
        os.replace(tmp, target)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, SaveError) or not isinstance(exc, Exception):
            raise
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        kept = "the original file is unchanged" if existed else "no file was written"
        raise SaveError(f"could not write {target} ({reason}); {kept}.") from exc
    _fsync_folder(target.parent)
    return target


def atomic_write_bytes(
    path: str | os.PathLike[str], data: bytes, *, example: str | None = None
) -> Path:
    """Write `data` to `path` atomically (see `atomic_write`)."""
    return atomic_write(path, lambda tmp: tmp.write_bytes(data), example=example)
