"""The one clock of the package: now and today in Asia/Shanghai, whatever the machine's zone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import make_tiny_layers, write_gpkg

import gridmap.clock
from gridmap.cli import main

#: 07:00 on 10 March in Shanghai: still 9 March (23:00) on a UTC clock.
EARLY = pd.Timestamp("2026-03-10 07:00", tz="Asia/Shanghai")


def test_today_is_the_shanghai_date_of_the_utc_instant() -> None:
    before = pd.Timestamp.now(tz="UTC")
    today = gridmap.clock.today_in_shanghai()
    after = pd.Timestamp.now(tz="UTC")
    shanghai = {(t + pd.Timedelta(hours=8)).date() for t in (before, after)}
    assert today in shanghai  # one date unless the call straddled Shanghai midnight
    now = gridmap.clock.now_in_shanghai()
    assert str(now.tz) == "Asia/Shanghai" and before <= now


@pytest.mark.parametrize(
    ("stamp", "floored"),
    [
        ("2026-03-10 07:15:42.9", "2026-03-10 07:15:00"),
        ("2026-03-10 07:15:00", "2026-03-10 07:15:00"),
        ("2026-03-10 00:00:59", "2026-03-10 00:00:00"),
    ],
)
def test_floor_minute(stamp: str, floored: str) -> None:
    got = gridmap.clock.floor_minute(pd.Timestamp(stamp, tz="Asia/Shanghai"))
    assert got == pd.Timestamp(floored, tz="Asia/Shanghai")


@pytest.fixture
def early(monkeypatch: pytest.MonkeyPatch) -> pd.Timestamp:
    monkeypatch.setattr(gridmap.clock, "now_in_shanghai", lambda: EARLY)
    return EARLY


def test_today_follows_the_pinned_clock(early: pd.Timestamp) -> None:
    assert gridmap.clock.today_in_shanghai() == dt.date(2026, 3, 10)
    assert early.tz_convert("UTC").date() == dt.date(2026, 3, 9)


def test_the_check_ledger_is_dated_in_shanghai(early, tmp_path: Path) -> None:
    path = write_gpkg(tmp_path / "tiny.gpkg", make_tiny_layers())
    out = tmp_path / "ledger.xlsx"
    assert main(["check", str(path), "--xlsx", str(out)]) == 0
    title = openpyxl.load_workbook(out)["汇总"]["A1"].value
    assert "2026-03-10" in title and "2026-03-09" not in title


def test_the_hazard_report_defaults_to_the_shanghai_day(early, tmp_path: Path, capsys) -> None:
    path = write_gpkg(tmp_path / "tiny.gpkg", make_tiny_layers())
    main(["hazards", str(path)])
    assert "2026-03-10" in capsys.readouterr().out
