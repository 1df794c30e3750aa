"""Atomic writes (`gridmap.io.atomic`) and the writers built on it: a failed write leaves the
target byte-for-byte as it was and no temporary file behind."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import gridmap.io.atomic as atomic
import gridmap.io.ledger as workbook
from gridmap.errors import SaveError
from gridmap.io import write_bytes, write_json, write_ledger, write_records_json, write_workbook
from gridmap.io.atomic import atomic_write, atomic_write_bytes
from gridmap.io.ledger import column_width, sheet_name, workbook_bytes
from gridmap.schema import Sheet


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "report.json"
    path.write_bytes(b'{"old": true}\n')
    return path


def test_write_replaces_the_target(target: Path) -> None:
    assert atomic_write_bytes(target, b"new") == target
    assert target.read_bytes() == b"new"
    assert _files(target.parent) == ["report.json"]


def test_a_writer_failing_midway_leaves_the_target_and_no_temp_file(target: Path) -> None:
    def half_then_fail(tmp: Path) -> None:
        tmp.write_bytes(b'{"half')
        raise OSError(28, "No space left on device")

    with pytest.raises(SaveError) as info:
        atomic_write(target, half_then_fail)
    assert str(info.value) == (
        f"could not write {target} (No space left on device); the original file is unchanged."
    )
    assert target.read_bytes() == b'{"old": true}\n'
    assert _files(target.parent) == ["report.json"]


def test_a_failed_first_write_leaves_no_file(tmp_path: Path) -> None:
    def fail(tmp: Path) -> None:
        tmp.write_bytes(b"x")
        raise ValueError("bad table")

    with pytest.raises(SaveError, match=r"\(bad table\); no file was written"):
        atomic_write(tmp_path / "new.xlsx", fail)
    assert _files(tmp_path) == []


def test_a_failed_rename_leaves_the_target(target: Path, monkeypatch) -> None:
    def refuse(src, dst) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(SaveError, match="Permission denied.*original file is unchanged"):
        write_bytes(target, b"%PDF-1.7")
    assert target.read_bytes() == b'{"old": true}\n'
    assert _files(target.parent) == ["report.json"]


def test_an_interrupt_cleans_up_and_passes_on(target: Path) -> None:
    def interrupted(tmp: Path) -> None:
        tmp.write_bytes(b"partial")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, interrupted)
    assert _files(target.parent) == ["report.json"]


def test_a_save_error_of_the_writer_is_passed_on_unchanged(target: Path) -> None:
    def refuse(tmp: Path) -> None:
        raise SaveError("layers ['grid_small'] were not written")

    with pytest.raises(SaveError, match=r"^layers \['grid_small'\] were not written$"):
        atomic_write(target, refuse)
    assert _files(target.parent) == ["report.json"]


def test_a_writer_that_writes_nothing_is_an_error(target: Path) -> None:
    with pytest.raises(SaveError, match="the writer produced no file"):
        atomic_write(target, lambda tmp: None)
    assert target.read_bytes() == b'{"old": true}\n'


def test_backup_keeps_the_previous_file(target: Path) -> None:
    atomic_write(target, lambda tmp: tmp.write_bytes(b"v2"), backup=True)
    assert target.read_bytes() == b"v2"
    assert target.with_name("report.json.bak").read_bytes() == b'{"old": true}\n'


def test_folders_are_refused_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match=r"is a folder; give a file name such as .*map\.pdf"):
        write_bytes(tmp_path, b"%PDF")
    with pytest.raises(SaveError, match="the folder .*nowhere does not exist"):
        write_bytes(tmp_path / "nowhere" / "map.pdf", b"%PDF")


def test_json_writers_are_atomic_and_readable(target: Path) -> None:
    write_json(target, {"网格": "朝阳社区"})
    assert target.read_text(encoding="utf-8") == '{"网格": "朝阳社区"}\n'
    write_records_json(target, [{"id": "H1"}])
    assert json.loads(target.read_text(encoding="utf-8")) == [{"id": "H1"}]
    with pytest.raises(SaveError, match="not JSON serializable.*original file is unchanged"):
        write_json(target, {"bad": object()})
    assert json.loads(target.read_text(encoding="utf-8")) == [{"id": "H1"}]
    assert _files(target.parent) == ["report.json"]


@pytest.mark.parametrize("writer", [write_ledger, write_workbook])
def test_a_workbook_failing_midway_leaves_the_old_one(tmp_path: Path, monkeypatch, writer) -> None:
    path = tmp_path / "ledger.xlsx"
    sheets = [
        Sheet("汇总", "台帐", pd.DataFrame({"a": [1]})),
        Sheet("明细", "台帐", pd.DataFrame()),
    ]
    writer(path, sheets)
    before = path.read_bytes()
    calls = []

    def fail_on_second(sheet, table, title) -> None:
        calls.append(title)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(workbook, "lay_out", fail_on_second)
    with pytest.raises(SaveError, match="Input/output error"):
        writer(path, sheets)
    assert path.read_bytes() == before
    assert _files(tmp_path) == ["ledger.xlsx"]


def test_workbook_layout_helpers() -> None:
    assert column_width(pd.Series(["消防安全", "ab"])) == 10  # 4 CJK x 2 + 2
    assert column_width(pd.Series([], dtype=object)) == 8
    assert column_width(pd.Series(["x" * 200])) == 60
    used: set[str] = set()
    long = "很" * 40
    assert sheet_name(long, used) == "很" * 31
    assert sheet_name(long, used) == "很" * 29 + "~2"
    assert sheet_name("a:b", used) == "a_b"
    data = workbook_bytes([Sheet("表", "标题", pd.DataFrame({"列": [1]}))])
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["表"]
    assert sheet["A1"].value == "标题" and sheet["A3"].value == "列" and sheet["A4"].value == 1
    assert sheet.freeze_panes == "A4" and sheet.page_setup.orientation == "landscape"


# ---------------------------------------------------------------------------
# Targets that are not regular files: written in place, never renamed over


def test_dev_null_stays_a_device(capsys):
    import stat

    from gridmap.cli import main

    before = Path("/dev/null").stat()
    write_json("/dev/null", {"a": 1})
    atomic_write_bytes("/dev/null", b"bytes")
    after = Path("/dev/null").stat()
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert main(["--help"]) == 0  # the CLI still runs with /dev/null intact
    capsys.readouterr()


def test_fifo_is_written_in_place(tmp_path: Path):
    import os
    import threading

    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_json(fifo, {"ok": True})
    reader.join(timeout=10)
    assert json.loads(got[0]) == {"ok": True}
    assert _files(tmp_path) == ["report.json"]
    assert not fifo.is_file()  # still the FIFO


def test_symlink_is_followed_and_kept(tmp_path: Path):
    real = tmp_path / "real" / "report.json"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    atomic_write_bytes(link, b"new")
    assert link.is_symlink() and link.resolve() == real
    assert real.read_bytes() == b"new"
    assert _files(real.parent) == ["report.json"]


def test_folder_that_cannot_be_written_is_a_clear_error(tmp_path: Path, monkeypatch):
    import os

    # Root may write anywhere, so the folder's permission is taken from os.access.
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(SaveError, match="may not create files in the folder"):
        atomic_write_bytes(tmp_path / "a.json", b"x")
    assert _files(tmp_path) == []


def test_temporary_name_carries_the_writer_pid(tmp_path: Path):
    import os

    tmp = atomic.temporary_path(tmp_path / "d.gpkg")
    assert tmp.name.startswith(f".d.{os.getpid()}-") and tmp.name.endswith(".tmp.gpkg")
    tmp.write_bytes(b"a save of this process, in progress")
    assert atomic.orphans(tmp_path / "d.gpkg") == []  # this process's own copy is no orphan
    legacy = tmp_path / ".d.0123abcd.tmp.gpkg"  # a name from before the pid was added
    legacy.write_bytes(b"old")
    assert atomic.orphans(tmp_path / "d.gpkg") == []  # too recent to call orphaned
    os.utime(legacy, (0, 0))
    assert atomic.orphans(tmp_path / "d.gpkg") == [legacy]
