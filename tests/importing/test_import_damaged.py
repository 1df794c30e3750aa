"""A damaged .shp: records whose geometry cannot be read are refused, never written as NULL.

Each case writes the tiny district's small grids as a Shapefile, then overwrites the
geometry bytes of records 2 and 4 in the .shp (the .shx and .dbf are kept), so GDAL
reads those records with no geometry. The import names the file, each record and its
id, and writes nothing unless the records are skipped; skipped records leave the
features they would have updated as they were.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import zipfile
from pathlib import Path

import pyogrio
import pytest
from conftest import make_tiny_layers
from import_cases import damage_shp_records, write_moved_small_grids

from gridmap.analysis.importing import ImportOptions
from gridmap.cli import main
from gridmap.io import read_district, read_edit_log
from gridmap.io.import_damage import damaged_records
from gridmap.tasks.importing import import_layer, read_source

DAMAGED = (1, 3)  # rows (0-based): records 2 and 4, grids S2 and S4


HOWS = ["zeros", "shape type", "part count", "garbage"]


@pytest.mark.parametrize("how", HOWS)
def test_damaged_records_are_found(tmp_path: Path, how: str) -> None:
    shp = write_moved_small_grids(tmp_path)
    damage_shp_records(shp, how)
    table = read_source(shp)
    assert table.frame.geometry.isna().tolist() == [False, True, False, True]
    assert table.unreadable == DAMAGED


def test_a_true_null_shape_is_notdamage_shp_records(tmp_path: Path) -> None:
    small = make_tiny_layers()["grid_small"]
    small.loc[2, "geometry"] = None
    path = tmp_path / "with_null.shp"
    pyogrio.write_dataframe(small, path, encoding="UTF-8")
    table = read_source(path)
    assert table.frame.geometry.isna().tolist() == [False, False, True, False]
    assert table.unreadable == ()


def test_damaged_records_without_the_index(tmp_path: Path) -> None:
    """Without the .shx the record headers of the .shp itself give the records."""
    shp = write_moved_small_grids(tmp_path)
    damage_shp_records(shp, "shape type")
    frame = read_source(shp).frame
    shp.with_suffix(".shx").unlink()
    assert damaged_records(shp, frame) == DAMAGED


@pytest.mark.parametrize("how", HOWS)
def test_import_refuses_damaged_records_and_writes_nothing(
    tmp_path: Path, tiny_gpkg: Path, how: str
) -> None:
    shp = write_moved_small_grids(tmp_path)
    damage_shp_records(shp, how)
    before = tiny_gpkg.read_bytes()
    report = import_layer([shp], tiny_gpkg, "grid_small")
    assert not report.ok and not report.written
    (problem,) = report.problems
    text = str(problem)
    assert str(shp) in text and "layer 'grid_small'" in text and "field 'geometry'" in text
    assert "2 records hold a geometry that cannot be read" in text
    assert "record 2 (grid_id S2), record 4 (grid_id S4)" in text
    assert "--skip-bad-geometry" in text
    assert tiny_gpkg.read_bytes() == before
    dry = import_layer([shp], tiny_gpkg, "grid_small", dry_run=True)  # the check says so too
    assert not dry.ok and "record 2 (grid_id S2)" in str(dry.problems[0])


def test_skipped_records_leave_their_features_as_they_were(tmp_path: Path, tiny_gpkg: Path) -> None:
    shp = write_moved_small_grids(tmp_path)
    damage_shp_records(shp, "garbage")
    old = read_district(tiny_gpkg)["grid_small"].set_index("grid_id").geometry
    report = import_layer(
        [shp], tiny_gpkg, "grid_small", options=ImportOptions(skip_bad_geometry=True)
    )
    assert report.ok and report.written, report.lines()
    assert report.dropped == {"geometry cannot be read (skipped as asked)": 2}
    assert report.dropped_examples[next(iter(report.dropped))] == [
        "record 2 (grid_id S2)",
        "record 4 (grid_id S4)",
    ]
    assert (report.features_read, report.features_kept) == (4, 2)
    assert (report.added, report.updated, report.removed) == (0, 2, 0)
    assert any("skipped 2 records" in w for w in report.warnings)
    got = read_district(tiny_gpkg)["grid_small"].set_index("grid_id").geometry
    assert sorted(got.index) == ["S1", "S2", "S3", "S4"]
    assert not got.isna().any()
    for grid in ("S2", "S4"):  # untouched
        assert got[grid].equals_exact(old[grid], 1e-6)
    for grid in ("S1", "S3"):  # updated: 1 m east
        assert abs(got[grid].bounds[0] - old[grid].bounds[0] - 1.0) < 1e-6
    assert read_edit_log(tiny_gpkg)["operation"].tolist() == ["import"]


def test_a_damaged_zipped_shapefile_is_refused(tmp_path: Path, tiny_gpkg: Path) -> None:
    inner = tmp_path / "parts"
    inner.mkdir()
    shp = write_moved_small_grids(inner)
    damage_shp_records(shp, "zeros")
    archive = tmp_path / "grids.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in sorted(inner.iterdir()):
            zf.write(part, part.name)
    table = read_source(archive)
    assert table.unreadable == DAMAGED
    report = import_layer([archive], tiny_gpkg, "grid_small", dry_run=True)
    assert not report.ok and "grids.zip!small_grids.shp" in str(report.problems[0])


def test_cli_refuses_then_skips(
    tmp_path: Path, tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shp = write_moved_small_grids(tmp_path)
    damage_shp_records(shp, "shape type")
    before = tiny_gpkg.read_bytes()
    argv = ["import", str(shp), "--into", str(tiny_gpkg), "--layer", "grid_small"]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "Not written" in out and "record 2 (grid_id S2), record 4 (grid_id S4)" in out
    assert "Traceback" not in out
    assert tiny_gpkg.read_bytes() == before
    assert main([*argv, "--skip-bad-geometry", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["written"] and report["features_dropped"] == 2
    small = read_district(tiny_gpkg)["grid_small"]
    assert len(small) == 4 and not small.geometry.isna().any()


def test_a_shp_gdal_cannot_open_exits_2(
    tmp_path: Path, tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shp = write_moved_small_grids(tmp_path)
    shp.write_bytes(b"\xff" * 100 + shp.read_bytes()[100:])  # the main header overwritten
    before = tiny_gpkg.read_bytes()
    argv = ["import", str(shp), "--into", str(tiny_gpkg), "--layer", "grid_small"]
    assert main(argv) == 2
    out = capsys.readouterr().out
    assert f"file {shp}: cannot be read as Shapefile" in out
    assert tiny_gpkg.read_bytes() == before


def test_damaged_geometry_blobs_in_a_geopackage(tmp_path: Path, tiny_gpkg: Path) -> None:
    """Blobs GDAL cannot decode (a bad header, random bytes) are named like damaged records;
    a feature stored with no geometry at all is not."""
    source = tmp_path / "网格.gpkg"
    small = make_tiny_layers()["grid_small"]
    small.loc[0, "geometry"] = None
    pyogrio.write_dataframe(small, source, layer="小网格", driver="GPKG")
    with contextlib.closing(sqlite3.connect(source)) as db:
        triggers = db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for (name,) in triggers:  # GDAL's rtree triggers call functions plain SQLite lacks
            db.execute(f'DROP TRIGGER "{name}"')
        db.execute("UPDATE 小网格 SET geom = X'47500003DEADBEEFDEADBEEF' WHERE fid = 2")
        db.execute("UPDATE 小网格 SET geom = randomblob(60) WHERE fid = 4")
        db.commit()
    table = read_source(source)
    assert table.frame.geometry.isna().tolist() == [True, True, False, True]
    assert table.unreadable == DAMAGED
    before = tiny_gpkg.read_bytes()
    report = import_layer([source], tiny_gpkg, "grid_small")
    assert not report.ok and "record 2 (grid_id S2), record 4 (grid_id S4)" in str(
        report.problems[0]
    )
    assert tiny_gpkg.read_bytes() == before
