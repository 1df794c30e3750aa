"""Atomic file writes: a temporary file beside the target, flushed to disk, renamed over it.

The one home of GridMap's "write a file safely" rule: a reader never sees half
a file, and a write that fails (disk full, a killed process, an exception in
the writer) leaves the target as it was, with no temporary file behind.
`atomic_write` calls a writer on the temporary path (for libraries that
write to a path themselves: openpyxl, GDAL); `atomic_write_bytes` writes bytes.

Only a regular file is replaced. A path that names a device, a FIFO or a
socket (``/dev/null``, ``/dev/stdout``, a pipe) is written in place, never
renamed over; a symbolic link is followed, so the file it points to is
replaced and the link kept. The temporary name carries the writing process's
id, so a copy left by a killed save is recognised and removed the next time
the file is opened (`remove_orphans`).

>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     atomic_write_bytes(pathlib.Path(folder) / "a.txt", b"hello").read_bytes()
b'hello'
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from gridmap.errors import SaveError

#: A temporary copy whose name carries no process id (written before the id was
#: added) is taken as orphaned once it is this old, in seconds.
LEGACY_ORPHAN_AGE = 3600.0


def temporary_path(target: Path) -> Path:
    """Return a unique hidden name beside `target`, with the pid: ``.a.42-1f2e3d4c.tmp.x``."""
    return target.with_name(
        f".{target.stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp{target.suffix}"
    )


def _is_special(path: Path) -> bool:
    """Return True for an existing path that is no regular file or folder (device, FIFO, socket)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def check_target(path: str | os.PathLike[str], *, example: str | None = None) -> Path:
    """`path` as a `Path` that can be written; `SaveError` for a folder or an unusable folder.

    A symbolic link is resolved to the file it points to. A device, FIFO or
    socket is returned as it is (`atomic_write` writes it in place).
    """
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if _is_special(target):
        return target
    if target.is_dir():
        hint = f"a file name such as {target / example}" if example else "a file name"
        raise SaveError(f"{target} is a folder; give {hint}.")
    if not target.parent.is_dir():
        raise SaveError(f"cannot write {target}: the folder {target.parent} does not exist.")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise SaveError(
            f"cannot write {target}: this user may not create files in the folder "
            f"{target.parent}; nothing was written. Choose a folder you can write to."
        )
    return target


def _orphan_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(
        rf"^\.{re.escape(target.stem)}\.(?:(?P<pid>\d+)-)?[0-9a-f]{{8}}\.tmp"
        rf"{re.escape(target.suffix)}(?:\.aux\.xml|-journal|-wal|-shm)?$"
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else (PermissionError), or no signals here
        return True
    return True


def orphans(path: str | os.PathLike[str]) -> list[Path]:
    """Temporary copies beside `path` (and their SQLite journals) that a killed save left.

    A copy is orphaned when the process named in its file name is gone (or,
    for an older name without a pid, when it is over `LEGACY_ORPHAN_AGE` old);
    a save still running in another process keeps its copy.
    """
    target = Path(path)
    pattern = _orphan_pattern(target)
    found = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return []
    now = time.time()
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or not entry.is_file(follow_symlinks=False):
            continue
        pid = match.group("pid")
        if pid is None:
            gone = now - entry.stat().st_mtime > LEGACY_ORPHAN_AGE
        else:
            gone = int(pid) != os.getpid() and not _alive(int(pid))
        if gone:
            found.append(Path(entry.path))
    return sorted(found)


def remove_orphans(path: str | os.PathLike[str]) -> list[tuple[Path, int]]:
    """Delete the `orphans` of `path`; return each removed file with its size in bytes."""
    removed = []
    for orphan in orphans(path):
        try:
            size = orphan.stat().st_size
            orphan.unlink()
        except OSError:
            continue
        removed.append((orphan, size))
    return removed


def _write_in_place(target: Path, write: Callable[[Path], object]) -> Path:
    """Write to a device, FIFO or socket: through a private temporary file, then streamed."""
    with tempfile.TemporaryDirectory(prefix="gridmap-out-") as folder:
        tmp = Path(folder) / f"out{target.suffix}"
        try:
            write(tmp)
            with open(tmp, "rb") as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
        except OSError as exc:
            raise SaveError(f"could not write {target} ({exc.strerror or exc}).") from exc
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
    before_replace: Callable[[], object] | None = None,
) -> Path:
    """Call ``write(tmp)`` on a temporary path beside `path`, then rename it over `path`.

    The temporary file is flushed to disk before the rename. With `backup`, an
    existing `path` is first copied to ``<name>.bak``. `before_replace` is
    called last before the rename; an exception from it cancels the write.
    A `path` that is a device, FIFO or socket is written in place (no backup,
    no rename). Returns the target.

    Raises
    ------
    SaveError
        Naming the file and the reason when the target is a folder, its folder
        does not exist, or writing fails; the target is then unchanged and the
        temporary file removed. A `SaveError` raised by `write` is passed on.
    """
    target = check_target(path, example=example)
    if _is_special(target):
        return _write_in_place(target, write)
    existed = target.exists()
    tmp = temporary_path(target)
    try:
        write(tmp)
        if not tmp.is_file():
            raise SaveError(f"could not write {target}: the writer produced no file.")
        _fsync(tmp)
        if backup and existed:
            shutil.copy2(target, target.with_name(target.name + ".bak"))
        if before_replace is not None:
            before_replace()
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
