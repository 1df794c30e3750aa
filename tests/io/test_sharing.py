"""Saving while other programs hold the GeoPackage: WAL writers and readers, journals, crashes.

Each "other program" is a real second process (a Python interpreter with
sqlite3, as QGIS and DB Browser use SQLite), started here and told to hold the
file; nothing is mocked. The rule under test: a save never leaves a file that
fails ``PRAGMA integrity_check`` and never drops another program's committed
change; when it cannot be done safely it is refused, naming the program.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from gridmap.cli import main
from gridmap.errors import ConflictError, FileInUseError, SaveError
from gridmap.io import read_district, save_edit, write_layers
from gridmap.io.sharing import claim_for_replace, holders
from gridmap.layers import Edit

HOLDER = textwrap.dedent(
    """
    import sqlite3, sys, time
    path, mode, action = sys.argv[1:4]
    con = sqlite3.connect(path, isolation_level=None)
    con.execute(f"PRAGMA journal_mode={mode}")
    if action in ("write", "crash"):
        con.execute("CREATE TABLE IF NOT EXISTS qgis_note (x TEXT)")
        con.execute("INSERT INTO qgis_note VALUES ('kept from the other program')")
    if action == "read":
        con.execute("BEGIN")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    print("ready", flush=True)
    time.sleep(120)
    """
)


def _hold(path: Path, mode: str, action: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), mode, action],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _stop(proc: subprocess.Popen[str], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
    proc.wait(timeout=10)


def _integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def _notes(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("SELECT x FROM qgis_note")]
    finally:
        con.close()


def _layers(path: Path) -> set[str]:
    return {str(name) for name, _ in pyogrio.list_layers(path)}


@pytest.fixture
def district_file(tmp_path: Path, tiny_gpkg: Path) -> Path:
    target = tmp_path / "district" / "d.gpkg"
    target.parent.mkdir()
    shutil.copy2(tiny_gpkg, target)
    return target


def _save_extra(path: Path) -> None:
    write_layers(path, {"gridmap_note": pd.DataFrame({"note": ["saved by GridMap"]})})


@pytest.mark.parametrize(
    ("mode", "action"),
    [("WAL", "write"), ("WAL", "read"), ("WAL", "idle"), ("DELETE", "read"), ("DELETE", "idle")],
)
def test_save_is_refused_while_another_program_holds_the_file(district_file, mode, action):
    proc = _hold(district_file, mode, action)
    try:
        with pytest.raises(FileInUseError) as caught:
            _save_extra(district_file)
        message = str(caught.value)
        assert f"pid {proc.pid}" in message
        assert "nothing was saved" in message
        assert "QGIS" in message
        assert [h.pid for h in caught.value.holders] == [proc.pid]
        assert "gridmap_note" not in _layers(district_file)
        assert _integrity(district_file) == "ok"
        if action == "write":  # its committed change was checkpointed into the file itself
            assert Path(f"{district_file}-wal").stat().st_size == 0
    finally:
        _stop(proc)
    assert _integrity(district_file) == "ok"
    if action == "write":
        assert _notes(district_file) == ["kept from the other program"]
    _save_extra(district_file)  # once the program has let go, the save goes through
    assert {"gridmap_note", "grid_small"} <= _layers(district_file)
    assert _integrity(district_file) == "ok"


def test_stale_wal_of_a_crashed_program_is_recovered_into_the_save(district_file):
    proc = _hold(district_file, "WAL", "crash")
    _stop(proc, signal.SIGKILL)  # no checkpoint, no cleanup: -wal and -shm stay
    wal = Path(f"{district_file}-wal")
    assert wal.stat().st_size > 0
    _save_extra(district_file)
    assert _integrity(district_file) == "ok"
    assert _notes(district_file) == ["kept from the other program"]
    assert {"gridmap_note", "grid_small"} <= _layers(district_file)
    assert not wal.exists() and not Path(f"{district_file}-shm").exists()
    assert main(["info", str(district_file)]) == 0


def _delete_first_zone(district) -> Edit:
    small = district["grid_small"]
    return Edit(
        layer="grid_small",
        operation="delete",
        removed=small.iloc[:1],
        added=small.iloc[0:0],
        user="planner",
        reason="test",
    )


def test_change_committed_to_the_wal_after_loading_is_a_conflict_not_lost(district_file):
    district = read_district(district_file)
    proc = _hold(district_file, "WAL", "crash")  # commits into -wal, then dies
    _stop(proc, signal.SIGKILL)
    edit = _delete_first_zone(district)
    with pytest.raises(ConflictError):
        save_edit(district, edit)
    assert _integrity(district_file) == "ok"
    assert _notes(district_file) == ["kept from the other program"]


def test_save_edit_with_a_wal_writer_open_keeps_the_file_readable(district_file):
    district = read_district(district_file)
    small = district["grid_small"]
    edit = _delete_first_zone(district)
    proc = _hold(district_file, "WAL", "idle")
    try:
        with pytest.raises(FileInUseError):
            save_edit(district, edit)
    finally:
        _stop(proc)
    assert _integrity(district_file) == "ok"
    assert main(["info", str(district_file)]) == 0
    assert len(read_district(district_file)["grid_small"]) == len(small)


def test_connection_this_process_holds_in_wal_mode_is_refused(district_file):
    con = sqlite3.connect(district_file, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        assert holders(district_file) == []  # the process list leaves this process out
        with pytest.raises(FileInUseError, match="another SQLite connection"):
            _save_extra(district_file)
    finally:
        con.close()
    assert _integrity(district_file) == "ok"
    assert "gridmap_note" not in _layers(district_file)


def test_claim_blocks_other_writers_until_the_replace(district_file):
    with claim_for_replace(district_file):
        other = sqlite3.connect(district_file, timeout=0.1)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("CREATE TABLE late (x)")
        other.close()


def test_a_file_that_is_not_sqlite_is_refused_before_writing(tmp_path):
    target = tmp_path / "broken.gpkg"
    target.write_bytes(b"not a database at all" * 100)
    before = target.read_bytes()
    with pytest.raises(SaveError, match="not a readable GeoPackage"):
        _save_extra(target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.gpkg"]


def test_reads_and_saves_leave_no_gdal_sidecars(district_file, capsys):
    assert main(["info", str(district_file)]) == 0
    main(["check", str(district_file)])
    _save_extra(district_file)
    capsys.readouterr()
    left = sorted(p.name for p in district_file.parent.iterdir())
    assert left == ["d.gpkg", "d.gpkg.bak"]


def test_no_sidecar_is_committed():
    listed = subprocess.run(
        ["git", "ls-files", "*.aux.xml", "*.tmp.gpkg"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert listed.returncode != 0 or listed.stdout == ""


def test_orphaned_copy_of_a_killed_save_is_removed_on_open(district_file):
    # A save in another process, killed while it wrote its temporary copy.
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = district_file.with_name(f".d.{dead.pid}-0123abcd.tmp.gpkg")
    shutil.copy2(district_file, orphan)
    orphan_size = orphan.stat().st_size
    live = district_file.with_name(f".d.{os.getppid()}-89abcdef.tmp.gpkg")  # a save still running
    live.write_bytes(b"in progress")
    unrelated = district_file.with_name(".other.1-0123abcd.tmp.gpkg")
    unrelated.write_bytes(b"someone else's")
    district = read_district(district_file)
    assert not orphan.exists()
    assert live.exists() and unrelated.exists()
    [warning] = [p for p in district.problems if "interrupted" in p.message]
    assert orphan.name in warning.message and warning.severity == "warning"
    assert f"({orphan_size / 1e6:.1f} MB)" in warning.message


SAVER = textwrap.dedent(
    """
    import sys, time, pathlib
    import pandas as pd
    from gridmap.layers import Edit
    from gridmap.errors import ConflictError
    from gridmap.io import read_district, save_edit
    path, who, go = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    district = read_district(path)
    small = district["grid_small"]
    row = small.iloc[:1].copy()
    row["name"] = f"renamed by {who}"
    edit = Edit(layer="grid_small", operation="attributes", removed=small.iloc[:1], added=row,
                user=who, reason="race")
    print("loaded", flush=True)
    while not go.exists():
        time.sleep(0.01)
    try:
        save_edit(district, edit)
        print("saved", flush=True)
    except ConflictError:
        print("conflict", flush=True)
    """
)


def test_two_gridmap_processes_saving_at_once_one_wins_one_is_told(district_file):
    go = district_file.with_name("go")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SAVER, str(district_file), who, str(go)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for who in ("alice", "bob")
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "loaded"
    go.touch()
    outcomes = sorted(proc.communicate(timeout=120)[0].strip() for proc in procs)
    assert outcomes == ["conflict", "saved"]
    assert _integrity(district_file) == "ok"
    names = set(read_district(district_file)["grid_small"]["name"])
    assert len(names & {"renamed by alice", "renamed by bob"}) == 1


KILLED = textwrap.dedent(
    """
    import sys
    import pandas as pd
    from gridmap.io import write_layers
    print("saving", flush=True)
    while True:  # save again and again until killed
        write_layers(sys.argv[1], {"gridmap_note": pd.DataFrame({"note": ["x"] * 5000})})
    """
)


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.2, 0.35, 0.5])
def test_kill_during_a_save_never_corrupts(district_file, delay):
    import time

    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(district_file)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "saving"
    time.sleep(delay)
    _stop(proc, signal.SIGKILL)
    assert _integrity(district_file) == "ok"
    district = read_district(district_file)  # removes what the killed save left
    assert len(district["grid_small"]) == 4
    left = sorted(p.name for p in district_file.parent.iterdir())
    assert set(left) <= {"d.gpkg", "d.gpkg.bak", ".d.gpkg.lock"}
