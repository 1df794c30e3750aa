"""Atomic saving: round trips, kept layers, backups, and failures that leave the file intact."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from conftest import make_tiny_layers, write_gpkg
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import LineString

import gridmap.io.gpkg as gpkg
from gridmap import SaveError, read_district, write_district


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def test_round_trip_keeps_every_value(tiny_gpkg: Path, tmp_path: Path) -> None:
    district = read_district(tiny_gpkg)
    out = tmp_path / "copy.gpkg"
    write_district(district, out)
    again = read_district(out)
    for name in district:
        if isinstance(district[name], gpd.GeoDataFrame):
            assert_geodataframe_equal(
                again[name], district[name], check_dtype=False, check_less_precise=False
            )
        else:
            pd.testing.assert_frame_equal(again[name], district[name], check_dtype=False)


def test_save_keeps_other_layers_and_makes_a_backup(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    layers["roads"] = gpd.GeoDataFrame(
        {"name": ["中心路"]},
        geometry=[LineString([(433_000, 3_852_000), (433_400, 3_852_000)])],
        crs="EPSG:4547",
    )
    path = write_gpkg(tmp_path / "d.gpkg", layers)
    before = _digest(path)
    district = read_district(path)
    small = district["grid_small"].copy()
    small.loc[0, "leader"] = "新负责人"
    write_district(district.with_layers(grid_small=small), layers=["grid_small"])
    assert _digest(path.with_name("d.gpkg.bak")) == before
    again = read_district(path)
    assert again["grid_small"].loc[0, "leader"] == "新负责人"
    assert "roads" in again.extra_layers
    assert len(pyogrio.read_dataframe(path, layer="roads")) == 1
    assert _leftovers(tmp_path) == []


def test_failure_mid_write_leaves_the_original_intact(
    tiny_gpkg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    district = read_district(tiny_gpkg)
    before = _digest(tiny_gpkg)
    real_write = gpkg._write_one
    calls = []

    def failing_write(path: Path, name: str, layer: pd.DataFrame, **options: object) -> None:
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full")
        real_write(path, name, layer, **options)

    monkeypatch.setattr(gpkg, "_write_one", failing_write)
    with pytest.raises(SaveError, match="disk full.*original file is unchanged"):
        write_district(district)
    assert _digest(tiny_gpkg) == before
    assert _leftovers(tiny_gpkg.parent) == []
    assert len(read_district(tiny_gpkg)["grid_small"]) == 4


def test_killed_writer_leaves_the_original_intact(tiny_gpkg: Path) -> None:
    """A process killed while saving (power cut, OOM killer) never corrupts the file."""
    before = _digest(tiny_gpkg)
    marker = tiny_gpkg.with_name("started")
    script = textwrap.dedent(f"""
        import time, pathlib
        import gridmap.io.gpkg as gpkg
        from gridmap import read_district, write_district
        district = read_district({str(tiny_gpkg)!r})
        real = gpkg._write_one
        def slow(path, name, layer, **kw):
            real(path, name, layer, **kw)
            pathlib.Path({str(marker)!r}).touch()
            time.sleep(60)
        gpkg._write_one = slow
        write_district(district)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "writer exited early"
            assert time.monotonic() < deadline, "writer never started writing"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert _digest(tiny_gpkg) == before
    assert len(read_district(tiny_gpkg)["grid_large"]) == 2


def test_saving_to_a_folder_is_refused(tiny_gpkg: Path, tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="is a folder"):
        write_district(read_district(tiny_gpkg), tmp_path)
