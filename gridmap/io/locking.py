"""An advisory lock per district file, so two saves never interleave.

`save_edit` compares the file with the state it was loaded from and then
replaces it; without a lock a second writer could land between the two steps
and be overwritten. The lock is a sidecar file ``.<name>.lock`` beside the
GeoPackage, locked with ``flock`` (POSIX); QGIS ignores it. Where ``fcntl`` is
not available (Windows) the lock is a no-op and only the fingerprint check
protects the file.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from gridmap.errors import SaveError

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def lock_path(path: str | os.PathLike[str]) -> Path:
    """Return the sidecar file that holds the lock of `path`."""
    target = Path(path)
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def file_lock(path: str | os.PathLike[str], *, timeout: float = 30.0) -> Iterator[None]:
    """Hold the exclusive lock of `path`; raise `SaveError` after `timeout` seconds."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    sidecar = lock_path(path)
    with open(sidecar, "a+b") as fh:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SaveError(
                        f"{path} is being saved by someone else (lock {sidecar.name} held for "
                        f"{timeout:.0f} s); nothing was saved. Try again in a moment."
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
