"""Taking a GeoPackage from every other program before GridMap replaces it.

A GeoPackage is an SQLite database, and other programs keep it open while
they work: QGIS opens it in WAL mode (``journal_mode=WAL``), so its committed
changes sit in ``<name>-wal`` until a checkpoint copies them into the file.
GridMap saves by writing a new file and renaming it over the old one
(`gridmap.io.atomic`). Done while another program has the file open, that
rename would cut the program off (it keeps writing to the old, unlinked file)
and would leave its ``-wal``/``-shm`` beside the new file, where SQLite would
apply them to the wrong database.

`claim_for_replace` therefore, before anything is written:

1. lists the other processes that have the file or its ``-wal``, ``-shm`` or
   ``-journal`` open (psutil, which reads ``/proc`` on Linux and the handle
   tables on Windows);
2. opens the file with SQLite, which rolls back a hot journal and recovers a
   ``-wal`` left by a program that crashed, and checkpoints every committed
   WAL frame into the file;
3. refuses, with a `FileInUseError` naming each program and what to do, when
   another process holds the file, when SQLite cannot switch the file out of
   WAL mode (another connection is open that the process list cannot show:
   another user's program, or one in this process), or when it cannot take an
   exclusive lock (a reader inside a transaction);
4. otherwise holds SQLite's exclusive lock while the new file is written, copies
   the current bytes through a descriptor opened before the lock (closing
   another descriptor of a file drops a process's POSIX locks on it), and
   looks for new holders once more just before the rename.

The new file is in SQLite's default rollback-journal mode; QGIS switches it to
WAL again when it opens it.

The file's `fingerprint` (which tells a save whether someone else changed the
file since it was loaded) is taken here too, so that it follows SQLite's view
of the file: the ``-wal`` counts, and the header bytes that only record the
journal mode and the last writer's version do not. `settle` copies a ``-wal``
that a crashed program left into the file when a district is opened, as SQLite
itself does when the last connection closes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import psutil

from gridmap.errors import FileInUseError, SaveError

#: The files SQLite keeps beside a database while it is in use.
SQLITE_SIDECARS = ("-wal", "-shm", "-journal")
#: Seconds SQLite waits for another connection's lock before GridMap refuses.
LOCK_TIMEOUT = 2.0
#: Header bytes that change with the journal mode or the writer's SQLite version
#: alone (18-19 read/write version, 24-27 change counter, 92-99 version-valid-for
#: and SQLITE_VERSION_NUMBER); the fingerprint leaves them out.
_VOLATILE_HEADER = ((18, 20), (24, 28), (92, 100))
_claims = threading.local()


def _digest_file(fh: BinaryIO, digest: hashlib._Hash, *, header: bool) -> None:
    fh.seek(0)
    first = bytearray(fh.read(100 if header else 0))
    for start, end in _VOLATILE_HEADER if header else ():
        first[start:end] = bytes(end - start)
    digest.update(first)
    for block in iter(lambda: fh.read(1 << 20), b""):
        digest.update(block)


def fingerprint(path: str | os.PathLike[str], *, source: BinaryIO | None = None) -> str:
    """SHA-256 of the file and of its ``-wal``: it changes whenever anyone commits to it.

    `source`, an open handle of `path`, is read instead of opening the file again.
    """
    digest = hashlib.sha256()
    if source is not None:
        _digest_file(source, digest, header=True)
    else:
        with open(path, "rb") as fh:
            _digest_file(fh, digest, header=True)
    wal = Path(f"{path}-wal")
    if wal.is_file() and wal.stat().st_size:
        with open(wal, "rb") as fh:
            _digest_file(fh, digest, header=False)
    return digest.hexdigest()


def _connect(target: Path, *, timeout: float) -> sqlite3.Connection:
    """Return an SQLite connection to an existing `target`, read-write, in autocommit mode."""
    uri = f"{target.resolve().as_uri()}?mode=rw"
    return sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)


def settle(path: str | os.PathLike[str]) -> bool:
    """Copy a ``-wal`` left by a program that is gone into the file; True if one was.

    Nothing is done while any process holds the file, nor when it cannot be
    opened for writing (a read-only copy is read as SQLite reads it, log included).
    """
    target = Path(path)
    wal = Path(f"{target}-wal")
    if not wal.is_file() or not wal.stat().st_size or holders(target):
        return False
    try:
        con = _connect(target, timeout=0.2)
    except sqlite3.Error:
        return False
    try:
        return _checkpoint(con)
    except sqlite3.Error:
        return False
    finally:
        con.close()


@dataclass(frozen=True)
class Holder:
    """A process that has a district file (or one of its SQLite sidecars) open."""

    pid: int
    name: str
    command: str
    file: str

    def __str__(self) -> str:
        command = f": {self.command}" if self.command and self.command != self.name else ""
        return f"{self.name} (pid {self.pid}{command})"


def _real(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def holders(path: str | os.PathLike[str]) -> list[Holder]:
    """Return the other processes that have `path`, its ``-wal``, ``-shm`` or ``-journal`` open.

    Processes this user may not inspect are not listed (SQLite's own locks
    still catch most of them, see `claim_for_replace`).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".gpkg") as fh:
    ...     holders(fh.name)
    []
    """
    base = _real(Path(path))
    wanted = {base + suffix for suffix in ("", *SQLITE_SIDECARS)}
    own = os.getpid()
    found: list[Holder] = []
    for proc in psutil.process_iter(["pid", "name"]):
        if proc.pid == own:
            continue
        try:
            files = [os.path.normcase(f.path) for f in proc.open_files()]
            held = sorted(wanted.intersection(files))
            if held:
                command = " ".join(proc.cmdline()[:4])
                found.append(Holder(proc.pid, proc.info["name"] or "?", command, held[0]))
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess, OSError):
            continue
    return found


def _in_use(target: Path, found: list[Holder], *, wal: bool) -> FileInUseError:
    names = "; ".join(str(h) for h in found)
    pending = (
        " Its changes are in SQLite's write-ahead log (-wal); GridMap copied the committed ones "
        "into the file, and they are kept."
        if wal
        else ""
    )
    return FileInUseError(
        f"{target} is open in another program: {names}. GridMap saves by replacing the file, "
        "which would cut that program off from it and lose what it writes next, so nothing "
        f"was saved.{pending} Close the file in that program (in QGIS: remove its layers "
        "from the project, or close QGIS), then save again; your edit is still here.",
        tuple(found),
    )


def _unseen(target: Path, reason: str) -> FileInUseError:
    return FileInUseError(
        f"{target} is in use by another SQLite connection ({reason}) that is not a process "
        "this user can list: a program of another user, or one inside this program. Nothing "
        "was saved. Close other programs that have the file open (QGIS, DB Browser for SQLite, "
        "a second GridMap), then save again."
    )


@dataclass
class Claim:
    """What `claim_for_replace` holds: the file's current bytes and SQLite's lock on it."""

    target: Path
    source: BinaryIO | None

    def fingerprint(self) -> str | None:
        """Return the `fingerprint` of the file as it is held (None when there is no file)."""
        return None if self.source is None else fingerprint(self.target, source=self.source)

    def copy_to(self, path: Path) -> None:
        """Copy the file as it is now (with every checkpointed change) to `path`."""
        if self.source is None:
            return
        self.source.seek(0)
        with open(path, "wb") as out:
            shutil.copyfileobj(self.source, out, 1 << 20)
        shutil.copystat(self.target, path)

    def before_replace(self, *, backup: Path | None = None) -> None:
        """Keep a backup copy, and refuse if a program opened the file meanwhile."""
        if self.source is None:
            return
        if backup is not None:
            self.copy_to(backup)
        found = holders(self.target)
        if found:
            raise _in_use(self.target, found, wal=False)


def _checkpoint(con: sqlite3.Connection) -> bool:
    """Copy every committed WAL frame into the file; True if the log was fully applied."""
    busy, frames, done = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy and frames == done


def _lock(con: sqlite3.Connection, target: Path, found: list[Holder]) -> None:
    """Leave WAL mode and take the exclusive lock, or raise `FileInUseError`."""
    try:
        wal = str(con.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"
        complete = _checkpoint(con) if wal else True  # another program's commits are kept
        if found:
            raise _in_use(target, found, wal=wal)
        if wal:
            left = str(con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]).lower()
            if left == "wal" or not complete:
                raise _unseen(target, "it keeps the write-ahead log in use")
        con.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as exc:
        if found:
            raise _in_use(target, found, wal=False) from exc
        raise _unseen(target, str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise SaveError(
            f"{target} is not a readable GeoPackage ({exc}); nothing was saved. Restore it from "
            f"its backup ({target.name}.bak) or export the district again."
        ) from exc


@contextlib.contextmanager
def claim_for_replace(path: str | os.PathLike[str]) -> Iterator[Claim]:
    """Hold `path` against every other program while it is rewritten and replaced.

    Yields a `Claim` whose `copy_to` gives the current file (a missing file
    yields an empty claim). Raises `FileInUseError` when another program
    holds the file; `SaveError` when it is not an SQLite database.
    """
    target = Path(path)
    held: dict[str, Claim] = _claims.__dict__.setdefault("held", {})
    key = _real(target)
    if key in held:  # this thread holds it already (a save that writes through write_layers)
        yield held[key]
        return
    if not target.is_file():
        yield Claim(target, None)
        return
    found = holders(target)
    with open(target, "rb") as source:  # opened first: see the module's note on POSIX locks
        try:
            con = _connect(target, timeout=LOCK_TIMEOUT)
        except sqlite3.Error as exc:
            raise SaveError(f"cannot open {target} to save it ({exc}); nothing was saved.") from exc
        try:
            _lock(con, target, found)
            held[key] = Claim(target, source)
            yield held[key]
        finally:
            held.pop(key, None)
            with contextlib.suppress(sqlite3.Error):
                if con.in_transaction:
                    con.execute("ROLLBACK")
            con.close()
